# Every stage's reference solution passes its check through the real engine,
# and the gdb transcript shows the breakpoints hit.
. tests/integration/lib.sh
for dir in solutions/[0-9][0-9]-*/; do
	stage=$(basename "$dir")
	[ -e "checks/$stage.check" ] || continue
	case $stage in 04-*|05-*|06-*) [ -e build/busybox/busybox ] || { echo "skip $stage: no BusyBox"; continue; } ;; esac
	# Stage 06 builds a kernel: the tests keep theirs apart from the
	# learner's build/kernel/leaner/ (the Makefile's LEANER_OUT).
	export LEANER_OUT="$TOP/build/kernel/leaner-test-solution"
	run_check --dir "$dir"
	[ $rc -eq 0 ] || fail "$stage: the solution does not pass (exit $rc)"
	want "PASS  $stage"
	if grep -q '^gdb' "checks/$stage.check"; then
		gdblog=$(printf '%s' "$out" | sed -n 's/.*logs: \([^ ]*\)uart.log.*/\1gdb.log/p')
		grep -q '@@HIT' "$gdblog" || fail "$stage: no breakpoint hit in $gdblog"
	fi
done
