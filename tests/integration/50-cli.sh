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

# Each command takes its own options and words: anything else is a usage
# error (exit 2) that names the bad word and shows the command's usage. It is
# found before anything is loaded: these run on a lab folder with nothing in
# it (so a command that wrongly ran could not touch this lab either).
# usage_error WORD ARGS...: lab-runner ARGS is one, naming WORD.
mkdir -p "$SCRATCH/nolab"
usage_error() {
	word=$1
	shift
	LAB_TOP=$SCRATCH/nolab "$LAB_RUNNER" "$@" >"$SCRATCH/o" 2>"$SCRATCH/e"
	rc=$?
	echo "lab-runner $*: exit $rc: $(head -n 1 "$SCRATCH/e")"
	[ $rc -eq 2 ] || { cat "$SCRATCH/o" "$SCRATCH/e"; fail "lab-runner $*: exit $rc, not 2"; }
	grep -qF -- "$word" "$SCRATCH/e" || { cat "$SCRATCH/e"; fail "lab-runner $*: $word not named"; }
	grep -q "^usage: ./lab-runner $1" "$SCRATCH/e" || { cat "$SCRATCH/e"; fail "lab-runner $*: no usage"; }
	[ -s "$SCRATCH/o" ] && { cat "$SCRATCH/o"; fail "lab-runner $*: a usage error printed a result"; }
	return 0
}
usage_error "unknown option '--json'" hint 01 --json --force --initramfs /x --kernel defconfig
usage_error "unknown option '--json'" verify 01 --json
usage_error "unknown option '--initramfs'" list --initramfs /x
usage_error "unknown option '--initramfs'" run 01 --initramfs=/x
usage_error "unknown option '--dir'" next --dir solutions/01-hello-init
usage_error "stray word '01'" next 01
usage_error "stray word '02'" check 01 02
usage_error "stray word 'now'" kernel build lab now
usage_error "unknown option '-x'" reset 01 -x
usage_error "'leaner'" check 01 --kernel leaner
usage_error "'tiny'" kernel build tiny
usage_error "'install'" kernel install
usage_error "--timeout takes a whole number from 1 to 600, not 'soon'" check 01 --timeout soon
usage_error "not '0'" check 01 --timeout=0
usage_error "--dir needs a value" check 01 --dir
usage_error "--force takes no value" solution 01 --force=yes
usage_error "missing the stage (STAGE)" solution
usage_error "missing the stage (STAGE)" reset --yes
usage_error "no command 'frobnicate'" help frobnicate
# -- ends the options: what follows is a word, here a stage that does not exist.
"$LAB_RUNNER" check -- --json 2>"$SCRATCH/e"; [ $? -eq 2 ] || fail "check -- --json must exit 2"
grep -q "no stage '--json'" "$SCRATCH/e" || { cat "$SCRATCH/e"; fail "-- does not end the options"; }
# The help shows each command's own options, from its table.
"$LAB_RUNNER" help check >"$SCRATCH/h" || fail "help check"
grep -q -- '--timeout S' "$SCRATCH/h" && grep -q -- '--json' "$SCRATCH/h" || fail "help check: no options"
"$LAB_RUNNER" hint --help >"$SCRATCH/h" || fail "hint --help"
grep -q 'usage: ./lab-runner hint \[STAGE\]$' "$SCRATCH/h" || { cat "$SCRATCH/h"; fail "hint's usage"; }
grep -q -- '--json' "$SCRATCH/h" && fail "hint --help offers --json"
"$LAB_RUNNER" help reset | grep -q -- '--yes, -y' || fail "help reset: no --yes"
"$LAB_RUNNER" help grade | grep -q 'usage: ./lab-runner grade SUBMISSION' || fail "help grade"
# Help needs no lab at all; a command that needs the lab's stages says so.
LAB_TOP=$SCRATCH/nolab "$LAB_RUNNER" help check >/dev/null || fail "help needs no catalogue"
LAB_TOP=$SCRATCH/nolab "$LAB_RUNNER" list 2>"$SCRATCH/e"; [ $? -eq 2 ] || fail "list with no lab must exit 2"
grep -q "cannot read" "$SCRATCH/e" || { cat "$SCRATCH/e"; fail "list with no lab: message"; }

"$LAB_RUNNER" check --dir "$SCRATCH" 2>"$SCRATCH/e"; [ $? -eq 2 ] || fail "an unnamed folder must exit 2"
grep -q 'cannot tell the stage' "$SCRATCH/e" || fail "unnamed folder message"
"$LAB_RUNNER" check 01 --dir "$SCRATCH/nothing-here" >"$SCRATCH/o" 2>&1; [ $? -eq 2 ] || fail "a missing folder is an ERROR"
grep -q 'there is no folder' "$SCRATCH/o" || fail "missing folder message"
# Stage names: 1, 01 and 01-hello-init are the same stage; --json is one JSON
# object; --dir PATH and --dir=PATH are the same.
for key in 1 01 01-hello-init; do
	dir="--dir solutions/01-hello-init"
	[ "$key" = 01 ] && dir="--dir=solutions/01-hello-init"
	# shellcheck disable=SC2086
	"$LAB_RUNNER" check "$key" $dir --json >"$SCRATCH/j" 2>/dev/null || fail "check $key failed"
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
# A kernel whose vmlinux is not there (a build still running, or gone): a
# gdb line on vmlinux fails and says so, never ok.
mkdir -p "$SCRATCH/novm/build/kernel/lab/arch/riscv/boot"
cp -r steps checks "$SCRATCH/novm/"
ln -s "$KERNEL" "$SCRATCH/novm/build/kernel/lab/arch/riscv/boot/Image"
LAB_TOP=$SCRATCH/novm "$LAB_RUNNER" check 00 --dir solutions/00-kernel-alone --json >"$SCRATCH/novm.json" 2>/dev/null
python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
g = [i for i in d["items"] if i["kind"] == "gdb"]
assert d["verdict"] == "FAIL" and g and not g[0]["ok"], d
assert "cannot read the symbols of the kernel that booted" in g[0]["detail"], g' "$SCRATCH/novm.json" ||
	fail "a gdb line on a kernel with no vmlinux did not fail"

# Where the learner is, after the last stage: the lab is complete, not "Next:
# edit your files". Reset without a terminal prints the question it did not
# ask. (A copy of the lab; the progress file is written by hand.)
lab=$SCRATCH/lab
mkdir -p "$lab/labs/01-hello-init"
cp -r steps checks "$lab/"
last=$(ls checks | sed -n '$s/\.check$//p')
printf 'current %s\n' "$last" >"$lab/.lab-state"
LAB_TOP=$lab "$LAB_RUNNER" >"$SCRATCH/o" || fail "where on the last stage"
grep -q '^Next: edit your files' "$SCRATCH/o" || { cat "$SCRATCH/o"; fail "the last stage, not passed: no Next"; }
{ echo "current $last"; ls checks | sed 's/^\(.*\)\.check$/done \1/'; } >"$lab/.lab-state"
LAB_TOP=$lab "$LAB_RUNNER" >"$SCRATCH/o" || fail "where after the last stage"
grep -q "^The lab is complete: all $(ls checks | wc -l) stages passed" "$SCRATCH/o" &&
	! grep -q 'Next: edit' "$SCRATCH/o" || { cat "$SCRATCH/o"; fail "the end of the lab"; }
echo "/* mine */" >"$lab/labs/01-hello-init/init.c"
LAB_TOP=$lab "$LAB_RUNNER" reset 01 </dev/null >"$SCRATCH/o"; [ $? -eq 1 ] || fail "reset with no terminal"
grep -q '^Replace labs/01-hello-init/ with the starter? Your files are kept in labs/.backup/' "$SCRATCH/o" &&
	grep -q 'Not asked: the input is not a terminal' "$SCRATCH/o" &&
	grep -q '^Nothing changed' "$SCRATCH/o" || { cat "$SCRATCH/o"; fail "reset: the question is not shown"; }
grep -q mine "$lab/labs/01-hello-init/init.c" || fail "reset with no terminal changed the folder"
exit 0
