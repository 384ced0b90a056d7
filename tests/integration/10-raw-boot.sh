# The lab kernel boots in real QEMU without the runner: with no initramfs it
# panics for want of a root filesystem; with a static hello /init packed as
# newc it prints and then panics because init returned. (Foundation checks,
# independent of the engine; they hold on Linux 6.1 and 6.12.)
. tests/integration/lib.sh
[ -e "$KERNEL" ] || fail "no kernel at $KERNEL (make kernel)"

timeout 30 qemu-system-riscv64 -machine virt -nographic -no-reboot -m 128 -kernel "$KERNEL" \
	-append "console=ttyS0 panic=-1" -icount shift=0,sleep=off </dev/null >"$SCRATCH/noinit.txt" 2>&1
grep -F 'VFS: Cannot open root device' "$SCRATCH/noinit.txt" || fail "no 'VFS: Cannot open root device'"
grep -F 'Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)' "$SCRATCH/noinit.txt" ||
	fail "no VFS panic"
grep -qE '^\[ +0\.[0-9]{6}\] ' "$SCRATCH/noinit.txt" || fail "no printk timestamps"
grep -F 'No working init found' "$SCRATCH/noinit.txt" && fail "the wrong panic: No working init found"
# The kernel that booted is the version its build recorded (the checks and
# pages go by it: 6.1 and 6.12 print a few lines differently).
version=$(cat build/kernel/lab/kernel.version) || fail "no build/kernel/lab/kernel.version"
grep -F "Linux version $version " "$SCRATCH/noinit.txt" || fail "the boot is not Linux $version"

cat >"$SCRATCH/init.c" <<'C'
#include <stdio.h>
int main(void) { printf("Hello world\n"); return 0; }
C
riscv64-linux-gnu-gcc -static -o "$SCRATCH/init" "$SCRATCH/init.c" || fail "cross compile"
(cd "$SCRATCH" && echo init | cpio --quiet -o -H newc >initramfs.cpio) || fail "cpio"
timeout 30 qemu-system-riscv64 -machine virt -nographic -no-reboot -m 128 -kernel "$KERNEL" \
	-initrd "$SCRATCH/initramfs.cpio" -append "console=ttyS0 panic=-1" </dev/null >"$SCRATCH/hello.txt" 2>&1
grep -n -e 'Run /init as init process' -e 'Hello world' -e 'Attempted to kill init! exitcode=0x00000000' \
	"$SCRATCH/hello.txt" >"$SCRATCH/order.txt"
cat "$SCRATCH/order.txt"
[ "$(wc -l <"$SCRATCH/order.txt")" -eq 3 ] || fail "missing lines in the hello boot"
sort -n -c -t: -k1,1 "$SCRATCH/order.txt" || fail "lines out of order"
sed -n 2p "$SCRATCH/order.txt" | grep -q 'Hello world' || fail "Hello world is not between the two"
