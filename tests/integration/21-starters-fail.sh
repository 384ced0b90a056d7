# Every stage's starter compiles but fails its check, with the missing
# output listed, or the line that must not appear (stage 05's starter says
# "init: run_rc() is still a TODO", which the check names).
. tests/integration/lib.sh
for dir in steps/[0-9][0-9]-*/starter/; do
	stage=$(basename "$(dirname "$dir")")
	missing=$(missing_build "$stage")
	if [ -n "$missing" ]; then
		echo "skip $stage: no $missing yet (make busybox, make dropbear)"
		continue
	fi
	export LEANER_OUT="$TOP/build/kernel/leaner-test-starter"   # stage 06's kernel
	run_check "$stage" --dir "$dir" --timeout 8
	[ $rc -eq 1 ] || fail "$stage: the starter should fail (exit 1), got exit $rc"
	printf '%s' "$out" | grep -qE 'MISSING|FAILED|FORBIDDEN' || fail "$stage: no MISSING/FAILED/FORBIDDEN line"
	printf '%s' "$out" | grep -q 'error:' && fail "$stage: the starter does not compile"
done
exit 0
