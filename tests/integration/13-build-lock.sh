# A kernel build that finds another one running in its folder says so and
# waits on the folder's lock (not a silent wait of minutes): here the test
# holds the lock, sees the message and the build still waiting, then stops
# it before anything is configured. A check of a stage whose lab kernel is
# being built says so too, waits, then boots the kernel that was built.
. tests/integration/lib.sh
[ -e build/kernel/lab/.built ] || skip "no lab kernel: make kernel"
command -v setsid >/dev/null && command -v flock >/dev/null || skip "no setsid or flock"
out=$SCRATCH/kout
mkdir -p "$out"
# The other build: holds the lock until $SCRATCH/done exists.
flock "$out.lock" sh -c "while [ ! -e '$SCRATCH/done' ]; do sleep 0.1; done" &
holder=$!
sleep 0.5
LAB_KERNEL_OUT=$out setsid kernel/build.sh lab >"$SCRATCH/out.txt" 2>&1 &
build=$!
for _ in $(seq 100); do
	grep -q 'waiting for it to end' "$SCRATCH/out.txt" && break
	sleep 0.1
done
sleep 1
cat "$SCRATCH/out.txt"
kill -0 "$build" 2>/dev/null || { touch "$SCRATCH/done"; fail "the build did not wait for the lock"; }
# Stop it (its whole session) before the holder lets go, so nothing is configured.
kill -- -"$build"
touch "$SCRATCH/done"
wait "$holder"
wait "$build"
grep -q "^kernel: another build of .*kout is running (make kernel, make start, or a check); waiting for it to end (the lock is .*kout.lock)$" \
	"$SCRATCH/out.txt" || fail "no message while waiting on the lock"
grep -q 'configuring' "$SCRATCH/out.txt" && fail "it configured while another build held the lock"
[ -e "$out/.config" ] && fail "a .config was written while another build held the lock"

# The check: a copy of the lab whose build/kernel/lab is the real one.
lab=$SCRATCH/lab
mkdir -p "$lab/build/kernel"
cp -r steps checks solutions "$lab/"
ln -s "$TOP/build/kernel/lab" "$lab/build/kernel/lab"
rm -f "$SCRATCH/done"
: >"$lab/build/kernel/lab.lock"
flock "$lab/build/kernel/lab.lock" sh -c "while [ ! -e '$SCRATCH/done' ]; do sleep 0.1; done" &
holder=$!
sleep 0.5
LAB_TOP=$lab "$LAB_RUNNER" check 01 --dir solutions/01-hello-init >"$SCRATCH/check.txt" 2>&1 &
check=$!
for _ in $(seq 100); do
	grep -q 'waiting for it to end' "$SCRATCH/check.txt" && break
	sleep 0.1
done
sleep 1
kill -0 "$check" 2>/dev/null || { touch "$SCRATCH/done"; cat "$SCRATCH/check.txt"; fail "the check did not wait for the kernel's build"; }
grep -q 'PASS\|FAIL' "$SCRATCH/check.txt" && { touch "$SCRATCH/done"; fail "the check judged while the kernel was being built"; }
touch "$SCRATCH/done"
wait "$holder"
wait "$check" || { cat "$SCRATCH/check.txt"; fail "the check after the wait did not pass"; }
cat "$SCRATCH/check.txt"
grep -q '^kernel: build/kernel/lab is being built (make kernel, make start, or a stage-06 check): waiting for it to end' \
	"$SCRATCH/check.txt" || fail "the check did not say what it waits for"
grep -q '^PASS' "$SCRATCH/check.txt" || fail "no PASS after the wait"
exit 0
