# Every stage's reference solution passes its check through the real engine,
# and the gdb transcript shows the breakpoints hit.
. tests/integration/lib.sh
for dir in solutions/[0-9][0-9]-*/; do
	stage=$(basename "$dir")
	[ -e "checks/$stage.check" ] || continue
	missing=$(missing_build "$stage")
	if [ -n "$missing" ]; then
		echo "skip $stage: no $missing yet (make busybox, make dropbear)"
		continue
	fi
	# Stage 06 builds a kernel: the tests keep theirs apart from the
	# learner's build/kernel/leaner/ (the Makefile's LEANER_OUT).
	export LEANER_OUT="$TOP/build/kernel/leaner-test-solution"
	check_json "$SCRATCH/$stage.json" --dir "$dir"
	verdict=$(json "$SCRATCH/$stage.json" verdict)
	if [ $rc -ne 0 ] || [ "$verdict" != PASS ] ||
	   [ "$(json "$SCRATCH/$stage.json" stage)" != "$stage" ]; then
		cat "$SCRATCH/$stage.json" "$SCRATCH/$stage.json.err"
		fail "$stage: the solution does not pass (exit $rc, ${verdict:-no verdict})"
	fi
	if grep -q '^gdb' "checks/$stage.check"; then
		gdblog=$(json "$SCRATCH/$stage.json" gdb_log)
		[ -n "$gdblog" ] || fail "$stage: the result names no gdb log"
		grep -qE '@@K?HIT' "$gdblog" || fail "$stage: no breakpoint hit in $gdblog"
	fi
	echo "ok   $stage: PASS"
done
