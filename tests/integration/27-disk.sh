# A check's disk (stage 07): the solution passes and the file the guest
# wrote is on the image afterwards (read here with debugfs, as a person
# would); a disk image that is really a qcow2 naming a file of the host as
# its backing file reaches the guest as raw bytes: the guest sees qcow2's
# magic number, never the host file's contents; a disk that is a symbolic
# link is refused before QEMU starts.
. tests/integration/lib.sh
command -v qemu-img >/dev/null || skip "no qemu-img (make setup-test installs qemu-utils)"
debugfs=$(command -v debugfs || echo /usr/sbin/debugfs)

check_json "$SCRATCH/pass.json" 07 --dir solutions/07-switch-root
[ "$(json "$SCRATCH/pass.json" verdict)" = PASS ] || { cat "$SCRATCH/pass.json"; fail "the stage-07 solution does not pass"; }
run=$(json "$SCRATCH/pass.json" run_dir)
# The value the check typed is in its item's text: "/proof holds 1a2b3c4d".
nonce=$(python3 -c 'import json, sys
for i in json.load(open(sys.argv[1]))["items"]:
    if i["kind"] == "disk": print(i["text"].split()[-1])' "$SCRATCH/pass.json")
[ -n "$nonce" ] || fail "no disk item in the report"
got=$("$debugfs" -R "cat /proof" "$run/src/root.img" 2>/dev/null)
[ "$got" = "$nonce" ] || fail "the image after the check holds '$got' in /proof, not '$nonce'"
echo "the image holds the value typed: $got"

# A qcow2 whose backing file is a secret of the host. Its init prints the
# disk's first bytes in hex and what it finds of the secret.
secret=$SCRATCH/secret.txt
echo "host-secret-$$-do-not-show" >"$secret"
dir=$SCRATCH/qcow
cp -r solutions/07-switch-root "$dir"
cat >"$dir/init.c" <<'C'
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <unistd.h>
int main(void)
{
	unsigned char b[4096];
	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	int fd = open("/dev/vda", O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, b, sizeof(b));
	printf("disk starts: ");
	for (int i = 0; i < 4 && i < n; i++)
		printf("%02x", b[i]);
	printf("\n");
	for (ssize_t i = 0; i + 11 < n; i++)
		if (!memcmp(b + i, "host-secret", 11))
			printf("the guest read the secret\n");
	fflush(stdout);
	reboot(RB_POWER_OFF);
	return 0;
}
C
# Its Makefile makes root.img a qcow2 on top of the secret.
sed -i "s|\t\$(MKE2FS) -q -t ext4 .*|\tqemu-img create -q -f qcow2 -F raw -b $secret root.img 1M|" "$dir/Makefile"
grep -q 'qemu-img create' "$dir/Makefile" || fail "could not change the Makefile"
run_check 07 --dir "$dir" >"$SCRATCH/qcow.txt"
cat "$SCRATCH/qcow.txt"
grep -q '^FAIL  07-switch-root' "$SCRATCH/qcow.txt" || fail "the qcow2 disk did not FAIL"
grep -q 'disk starts: 514649fb' "$SCRATCH/qcow.txt" || fail "the guest did not see qcow2's magic (QFI\\xfb) as raw bytes"
grep -q 'the guest read the secret' "$SCRATCH/qcow.txt" && fail "the guest read the backing file"
grep -rq "host-secret" "$SCRATCH/qcow.txt" && fail "the secret is in the report"

# A disk that is a link to a host file is refused before QEMU starts.
cp -r solutions/07-switch-root "$SCRATCH/link"
sed -i "s|\t\$(MKE2FS) -q -t ext4 .*|\tln -sf $secret root.img|" "$SCRATCH/link/Makefile"
run_check 07 --dir "$SCRATCH/link" >"$SCRATCH/link.txt"
cat "$SCRATCH/link.txt"
grep -q '^ERROR  07-switch-root: root.img is a symbolic link' "$SCRATCH/link.txt" || fail "a linked disk was not refused"
echo "ok: the disk is on the image after the check, raw whatever it holds, and never a link"
