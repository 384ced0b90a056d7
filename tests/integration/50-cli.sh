# The command line: help, usage errors, exit statuses, stage names.
. tests/integration/lib.sh
"$LAB_RUNNER" --help >"$SCRATCH/h" || fail "--help exits non-zero"
grep -q '^  next ' "$SCRATCH/h" && grep -q '^  check ' "$SCRATCH/h" || fail "--help lists no commands"
"$LAB_RUNNER" check --help | grep -q 'usage: ./lab-runner check' || fail "check --help"
"$LAB_RUNNER" help hint | grep -q 'usage: ./lab-runner hint' || fail "help hint"
"$LAB_RUNNER" frobnicate 2>"$SCRATCH/e"; [ $? -eq 2 ] || fail "an unknown command must exit 2"
grep -q "'frobnicate' is not a command" "$SCRATCH/e" || fail "unknown command message"
"$LAB_RUNNER" check 42 2>"$SCRATCH/e"; [ $? -eq 2 ] || fail "an unknown stage must exit 2"
grep -q "no stage '42'" "$SCRATCH/e" || fail "unknown stage message"
"$LAB_RUNNER" check --bogus 2>"$SCRATCH/e"; [ $? -eq 2 ] || fail "an unknown option must exit 2"
grep -q "unknown option '--bogus'" "$SCRATCH/e" || fail "unknown option message"
"$LAB_RUNNER" check --dir "$SCRATCH" 2>"$SCRATCH/e"; [ $? -eq 2 ] || fail "an unnamed folder must exit 2"
grep -q 'cannot tell the stage' "$SCRATCH/e" || fail "unnamed folder message"
"$LAB_RUNNER" check 01 --dir "$SCRATCH/nothing-here" >"$SCRATCH/o" 2>&1; [ $? -eq 2 ] || fail "a missing folder is an ERROR"
grep -q 'there is no folder' "$SCRATCH/o" || fail "missing folder message"
# Stage names: 1, 01 and 01-hello-init are the same stage; --json is one JSON object.
for key in 1 01 01-hello-init; do
	"$LAB_RUNNER" check "$key" --dir solutions/01-hello-init --json >"$SCRATCH/j" 2>/dev/null ||
		fail "check $key failed"
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["verdict"]=="PASS" and d["stage"]=="01-hello-init", d' \
		"$SCRATCH/j" || fail "--json output for $key"
done
# A check file that does not parse is an ERROR naming file and line.
mkdir -p "$SCRATCH/top/steps/01-x" "$SCRATCH/top/checks"
printf 'title x\nexpekt y\n' >"$SCRATCH/top/checks/01-x.check"
LAB_TOP=$SCRATCH/top "$LAB_RUNNER" check 01 --dir solutions/01-hello-init >"$SCRATCH/o" 2>&1; [ $? -eq 2 ] || fail "a bad check file must exit 2"
grep -q "01-x.check:2: unknown directive 'expekt'" "$SCRATCH/o" || { cat "$SCRATCH/o"; fail "bad check message"; }
# No kernel: an ERROR that says how to build it.
mkdir -p "$SCRATCH/top/build"
cp checks/01-hello-init.check "$SCRATCH/top/checks/01-x.check"
LAB_TOP=$SCRATCH/top "$LAB_RUNNER" check 01 --dir solutions/01-hello-init >"$SCRATCH/o" 2>&1; [ $? -eq 2 ] || fail "no kernel must exit 2"
grep -q "make kernel" "$SCRATCH/o" || { cat "$SCRATCH/o"; fail "no kernel message"; }
# No QEMU or gdb on PATH: an ERROR naming the missing program.
mkdir -p "$SCRATCH/bin"
for p in make cc gcc riscv64-linux-gnu-gcc riscv64-linux-gnu-as riscv64-linux-gnu-ld cpio sh; do
	[ -e "$(command -v $p)" ] && ln -sf "$(command -v $p)" "$SCRATCH/bin/$p"
done
PATH=$SCRATCH/bin "$LAB_RUNNER" check 01 --dir solutions/01-hello-init >"$SCRATCH/o" 2>&1; [ $? -eq 2 ] || fail "no gdb must exit 2"
grep -q "gdb-multiarch is not installed" "$SCRATCH/o" || { cat "$SCRATCH/o"; fail "no gdb message"; }
ln -sf "$(command -v gdb-multiarch)" "$SCRATCH/bin/gdb-multiarch"
PATH=$SCRATCH/bin "$LAB_RUNNER" check 01 --dir solutions/01-hello-init >"$SCRATCH/o" 2>&1; [ $? -eq 2 ] || fail "no qemu must exit 2"
grep -q "qemu-system-riscv64 is not installed" "$SCRATCH/o" || { cat "$SCRATCH/o"; fail "no qemu message"; }
exit 0
