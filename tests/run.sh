#!/bin/sh
# tests/run.sh: the whole test suite (make test runs it after building).
#
#   unit tests        build/unit/test_* (pure code, under ASan and UBSan)
#   integration tests tests/integration/*.sh: the real kernel in real QEMU,
#                     watched by the real gdb, through the real lab-runner
#                     (the ASan/UBSan build, so the runner is checked too)
#
# Each integration test exits 0 (pass), 77 (skipped, with a reason) or
# anything else (fail); its output goes to build/test-logs/NAME.log and is
# shown when it fails. ONLY=pattern runs the tests whose name matches.
# The last line is "N passed, M failed" (", K skipped" when some were).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
logs=$top/build/test-logs
mkdir -p "$logs"
export LAB_RUNNER="${LAB_RUNNER:-$top/build/asan/lab-runner}"
export TOP="$top"
# LeakSanitizer needs ptrace-free exits; ASan must fail the test, not just print.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:exitcode=99}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1:exitcode=98}"
export NO_COLOR=1
passed=0 failed=0 skipped=0 failures=

show_fail() {
	echo "not ok - $1"
	sed 's/^/#   /' "$2" | tail -n 40
	failed=$((failed + 1))
	failures="$failures $1"
}

for t in build/unit/test_*; do
	[ -x "$t" ] || continue
	name=unit/$(basename "$t")
	case $name in *${ONLY:-}*) ;; *) continue ;; esac
	if "$t" >"$logs/$(basename "$t").log" 2>&1; then
		n=$(sed -n 's/^\([0-9]*\) passed, 0 failed$/\1/p' "$logs/$(basename "$t").log")
		echo "ok - $name (${n:-?} cases)"
		passed=$((passed + 1))
	else
		show_fail "$name" "$logs/$(basename "$t").log"
	fi
done

for t in tests/integration/[0-9]*.sh; do
	name=$(basename "$t" .sh)
	case $name in *${ONLY:-}*) ;; *) continue ;; esac
	start=$(date +%s)
	sh "$t" >"$logs/$name.log" 2>&1
	rc=$?
	secs=$(($(date +%s) - start))
	if [ $rc -eq 0 ]; then
		echo "ok - $name (${secs} s)"
		passed=$((passed + 1))
	elif [ $rc -eq 77 ]; then
		echo "ok - $name # SKIP $(tail -n 1 "$logs/$name.log")"
		skipped=$((skipped + 1))
	else
		show_fail "$name" "$logs/$name.log"
	fi
done

# No QEMU, gdb or web responder that a test started may be left behind.
left=$(pgrep -af "(qemu-system-riscv64|gdb-multiarch|responder.sh).*$top/build/(runs|test-scratch)" | grep -v pgrep)
if [ -n "$left" ]; then
	echo "not ok - no-leftover-processes"
	echo "$left" | sed 's/^/#   /'
	failed=$((failed + 1))
else
	echo "ok - no-leftover-processes"
	passed=$((passed + 1))
fi

[ -n "$failures" ] && echo "# failed:$failures (logs in build/test-logs/)"
if [ $skipped -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ $failed -eq 0 ]
