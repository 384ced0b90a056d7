# run and debug boot the machine the check boots (its memory and kernel
# command line, here changed in a copy of the lab: the kernel's own boot
# lines say what it got); debug starts without gdb's "Cannot access memory"
# lines, ends a panicking stage in the lab's words (not gdb's "Remote
# communication error"), and its UART takes typing through `console`.
# QEMU's own messages stay out of uart.log: a warning only in qemu.log, a
# refusal in the verdict's words.
. tests/integration/lib.sh
[ -e "$KERNEL" ] || skip "no lab kernel: make kernel"
lab=$SCRATCH/lab
mkdir -p "$lab"
cp -r steps checks solutions tools "$lab/"
ln -s "$TOP/build" "$lab/build"
printf 'memory 256\nappend lab_probe={nonce}\n' >>"$lab/checks/01-hello-init.check"
export LAB_TOP=$lab LAB_RUNS_DIR=$SCRATCH/runs

# The kernel's "Memory: FREEK/TOTALK available" and its command line, from a
# boot log: "TOTAL probe" (TOTAL in KiB).
machine() {
	tr -d '\r' <"$1" | sed -n 's/.*Memory: [0-9]*K\/\([0-9]*\)K available.*/\1/p'
	tr -d '\r' <"$1" | sed -n 's/.*Kernel command line: .*lab_probe=\([0-9a-f]*\).*/\1/p'
}

# run: the UART on stdout; the panic of stage 01 ends QEMU.
timeout 60 "$LAB_RUNNER" run 01 --dir solutions/01-hello-init </dev/null >"$SCRATCH/run.txt" 2>&1 ||
	{ cat "$SCRATCH/run.txt"; fail "run 01"; }
set -- $(machine "$SCRATCH/run.txt")
echo "run: $1 KiB of memory, lab_probe=${2:-none}"
[ "${1:-0}" -gt 200000 ] || { cat "$SCRATCH/run.txt"; fail "run did not boot the check's 256 MiB"; }
[ -n "${2:-}" ] || fail "run did not pass the check's append"
grep -q "Booting 01-hello-init on the machine its check boots (256 MiB of memory" "$SCRATCH/run.txt" ||
	fail "run does not say what it boots"

# debug: gdb stops at main, then continue: the kernel panics, as stage 01 expects.
printf 'continue\n' | timeout 60 "$LAB_RUNNER" debug 01 --dir solutions/01-hello-init \
	>"$SCRATCH/debug.txt" 2>&1 || { cat "$SCRATCH/debug.txt"; fail "debug 01"; }
cat "$SCRATCH/debug.txt"
grep -q 'Breakpoint 1, main () at init.c' "$SCRATCH/debug.txt" || fail "debug did not stop at main"
grep -q 'Cannot access memory' "$SCRATCH/debug.txt" && fail "debug starts with gdb's 'Cannot access memory'"
grep -q 'Remote communication error\|Remote connection closed' "$SCRATCH/debug.txt" &&
	fail "debug ends in gdb's words"
grep -q '^The kernel panicked, as this stage expects: Kernel panic - not syncing: Attempted to kill init!' \
	"$SCRATCH/debug.txt" || fail "debug does not say the kernel panicked as the stage expects"
uart=$(ls "$SCRATCH"/runs/01-hello-init.*/uart.log | while read -r f; do
	grep -q 'Hello world' "$f" && echo "$f"; done | tail -n 1)
set -- $(machine "$uart")
echo "debug: $1 KiB of memory, lab_probe=${2:-none}"
[ "${1:-0}" -gt 200000 ] && [ -n "${2:-}" ] || fail "debug did not boot the check's machine"

# debug of stage 02 from a fifo: continue, then type to the little shell
# through console once its prompt is in uart.log.
mkfifo "$SCRATCH/gdb.in" "$SCRATCH/console.in"
timeout 90 "$LAB_RUNNER" debug 02 --dir solutions/02-init-and-shell <"$SCRATCH/gdb.in" \
	>"$SCRATCH/debug2.txt" 2>&1 &
debug=$!
exec 8>"$SCRATCH/gdb.in"
echo continue >&8
sock=
for _ in $(seq 100); do
	sock=$(sed -n 's/^  .* console \(.*console\.sock\)$/\1/p' "$SCRATCH/debug2.txt")
	[ -n "$sock" ] && [ -S "$sock" ] && break
	sleep 0.2
done
[ -S "$sock" ] || { cat "$SCRATCH/debug2.txt"; fail "debug printed no console command"; }
uart2=$(dirname "$sock")/uart.log
for _ in $(seq 150); do
	grep -q 'Enter your command: ' "$uart2" 2>/dev/null && break
	sleep 0.2
done
grep -q 'Enter your command: ' "$uart2" || { cat "$SCRATCH/debug2.txt" "$uart2"; fail "no prompt under debug"; }
word=typed$$
timeout 30 "$LAB_RUNNER" console "$sock" <"$SCRATCH/console.in" >"$SCRATCH/console.txt" 2>&1 &
console=$!
exec 9>"$SCRATCH/console.in"
sleep 1
echo "$word" >&9
for _ in $(seq 50); do
	grep -q "Your command is: $word" "$uart2" && break
	sleep 0.2
done
# The end: gdb (the debug session's child; $debug is timeout's) goes, QEMU
# with it, and the console sees the UART close.
runner=$(ps -o pid= --ppid "$debug" | head -n 1 | tr -d " "); [ -n "$runner" ] || { grep -v "Hello from" "$SCRATCH/debug2.txt" | tail -20; fail "the debug session ended early"; }
gdb=$(ps -o pid=,comm= --ppid "$runner" | awk '$2 ~ /^gdb/ { print $1 }')
[ -n "$gdb" ] || fail "no gdb under the debug session"
kill "$gdb"
exec 8>&- 9>&-
wait "$debug"
wait "$console"
cat "$SCRATCH/console.txt"; grep -v "Hello from" "$SCRATCH/debug2.txt" | tail -20
grep -q "Your command is: $word" "$uart2" || fail "what console typed did not reach the guest"
grep -q "Your command is: $word" "$SCRATCH/console.txt" || fail "console did not show the guest's answer"
grep -q "QEMU has stopped" "$SCRATCH/console.txt" || fail "console did not say QEMU stopped"

# QEMU's own words: a warning stays in qemu.log; a refusal is the verdict's.
unset LAB_TOP
check_json "$SCRATCH/02.json" 02 --dir solutions/02-init-and-shell
[ "$(json "$SCRATCH/02.json" verdict)" = PASS ] || fail "stage 02's solution"
grep -q 'qemu-system-riscv64' "$(json "$SCRATCH/02.json" uart_log)" && fail "QEMU's words in uart.log"
cat "$(json "$SCRATCH/02.json" qemu_log)"
truncate -s 200M "$SCRATCH/big.cpio"
check_json "$SCRATCH/big.json" 01 --initramfs "$SCRATCH/big.cpio"
json "$SCRATCH/big.json" headline
json "$SCRATCH/big.json" headline | grep -q '^QEMU stopped before the machine started: Some ROM regions are overlapping' ||
	fail "QEMU's refusal is not the verdict's words"
grep -q 'qemu-system-riscv64' "$(json "$SCRATCH/big.json" uart_log)" && fail "QEMU's refusal in uart.log"
grep -q 'overlap' "$(json "$SCRATCH/big.json" qemu_log)" || fail "QEMU's refusal is not in qemu.log"
exit 0
