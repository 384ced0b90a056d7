#!/bin/sh
# tools/responder.sh TOKEN: the lab's own web server, one connection at a time.
#
# QEMU runs this for each TCP connection the guest opens to 10.0.2.100:80
# (user networking with guestfwd=...-cmd:), with the connection on stdin and
# stdout. No port is opened on the host, and with restrict=on the guest can
# reach nothing else. The page carries TOKEN, fresh for each check, so only
# a guest that really fetched it can print it.
token=${1:-none}
# Read the request line and headers, up to the empty line that ends them.
while IFS= read -r line; do
	line=$(printf '%s' "$line" | tr -d '\r')
	[ -z "$line" ] && break
done
body="<html><body><h1>Hello from the lab's web server</h1>
<p>lab-token: $token</p>
</body></html>"
printf 'HTTP/1.0 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s\n' \
	"$(($(printf '%s\n' "$body" | wc -c)))" "$body"
