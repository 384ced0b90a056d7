#!/bin/bash
# tools/responder.sh TOKEN [SLOTS [FILES]]: the lab's own web server, one
# connection at a time.
#
# QEMU runs this for each TCP connection the guest opens to 10.0.2.100:80
# (user networking with guestfwd=...-cmd:), with the connection on stdin and
# stdout. No port is opened on the host, and with restrict=on the guest can
# reach nothing else. The page carries TOKEN, fresh for each check, so only
# a guest that really fetched it can print it. With FILES (a folder of the
# lab's, named by the check's `serve` line, e.g. build/packages), a request
# for /NAME, a file of that folder, gets the file (and NAME is added to
# SLOTS/served); any other path, the page.
#
# The guest is untrusted (grading): it can open connections as fast as it
# likes, and QEMU starts this script for each. So it serves at most
# RESPONDER_SLOTS connections at once per run (a lock file each in the
# folder SLOTS, the run's folder: flock(1) from util-linux), closes any
# other at once, and gives each connection RESPONDER_SECONDS to send its
# request (at most 100 lines of it).
token=${1:-none}
slots=${2:-}
files=${3:-}
RESPONDER_SLOTS=4
RESPONDER_SECONDS=10

if [ -n "$slots" ] && [ -d "$slots" ] && command -v flock >/dev/null 2>&1; then
	got=
	i=1
	while [ $i -le $RESPONDER_SLOTS ]; do
		exec 9>"$slots/responder.slot$i"
		if flock -n 9; then
			got=$i
			break
		fi
		exec 9>&-
		i=$((i + 1))
	done
	[ -n "$got" ] || exit 0    # every slot busy: this connection is closed
fi

# Read the request line and headers, up to the empty line that ends them;
# a guest that never ends them, or sends too many, is cut off (bash: read -t).
end=$((SECONDS + RESPONDER_SECONDS))
n=0
path=
while [ $SECONDS -lt $end ] && IFS= read -r -t $RESPONDER_SECONDS line; do
	line=${line%$'\r'}
	[ -z "$line" ] && break
	[ $n -eq 0 ] && path=$(printf '%s\n' "$line" | sed -n 's|^GET /\([A-Za-z0-9][A-Za-z0-9._-]*\) HTTP/1\.[01]$|\1|p')
	n=$((n + 1))
	[ $n -lt 100 ] || exit 0
done
# A file of FILES: a plain name only (no folder, no "..", no link), so the
# guest can read nothing else of the host.
if [ -n "$files" ] && [ -n "$path" ]; then
	if [ -f "$files/$path" ] && [ ! -L "$files/$path" ]; then
		# What was served, for the check's `served` lines: one name a line,
		# in the run's folder (a short append: lines do not mix).
		[ -n "$slots" ] && [ -d "$slots" ] && printf '%s\n' "$path" >>"$slots/served"
		printf 'HTTP/1.0 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: %d\r\nConnection: close\r\n\r\n' \
			"$(stat -c %s "$files/$path")"
		exec cat "$files/$path"
	fi
	printf 'HTTP/1.0 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: 10\r\nConnection: close\r\n\r\nnot found\n'
	exit 0
fi
body="<html><body><h1>Hello from the lab's web server</h1>
<p>lab-token: $token</p>
</body></html>"
printf 'HTTP/1.0 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s\n' \
	"$(($(printf '%s\n' "$body" | wc -c)))" "$body"
