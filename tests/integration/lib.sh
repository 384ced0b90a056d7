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

# check_json FILE ARGS...: run lab-runner check --json ARGS, the JSON object
# into FILE (its progress on stderr into FILE.err); sets $rc.
check_json() {
	json_file=$1
	shift
	"$LAB_RUNNER" check --json "$@" >"$json_file" 2>"$json_file.err"
	rc=$?
	echo "check $* --json: exit $rc"
}

# json FILE KEY: one field of the object lab-runner --json wrote into FILE,
# as text (a string as it is; a number, list or object as JSON). Nothing, and
# a failure, when FILE holds no such object.
json() {
	python3 -c 'import json, sys
v = json.load(open(sys.argv[1]))[sys.argv[2]]
print(v if isinstance(v, str) else json.dumps(v))' "$1" "$2"
}

# want TEXT: the last output contains TEXT.
want() {
	printf '%s' "$out" | grep -qF -- "$1" || fail "the output does not contain: $1"
}

# elapsed-time helpers, in milliseconds
ms() { date +%s%3N; }

# missing_build STAGE: the first program the lab builds (BusyBox, Dropbear)
# that the stage packs, as its own files say (its starter's or solution's
# Makefile names it), and that is not built yet; nothing when none is.
missing_build() {
	for f in build/busybox/busybox build/dropbear/dropbearmulti; do
		if grep -qs "$f" "steps/$1/starter/Makefile" "solutions/$1/Makefile" && [ ! -e "$f" ]; then
			echo "$f"
			return
		fi
	done
}
