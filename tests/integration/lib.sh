# tests/integration/lib.sh: helpers for the integration tests (sourced).
set -u
cd "$TOP" || exit 2
KERNEL=$TOP/build/kernel/lab/arch/riscv/boot/Image
SCRATCH=$(mktemp -d "$TOP/build/test-scratch.XXXXXX")
trap 'rm -rf "$SCRATCH"' EXIT

fail() { echo "FAIL: $*"; exit 1; }
skip() { echo "$*"; exit 77; }

# run_check ARGS...: run lab-runner check; sets $out (its output) and $rc.
run_check() {
	out=$("$LAB_RUNNER" check "$@" 2>&1)
	rc=$?
	printf "%s\n" "$out"
	echo "(exit $rc)"
}

# want TEXT: the last output contains TEXT.
want() {
	printf '%s' "$out" | grep -qF -- "$1" || fail "the output does not contain: $1"
}

# elapsed-time helpers, in milliseconds
ms() { date +%s%3N; }
