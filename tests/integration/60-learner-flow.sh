# A learner's path through the lab, in a copy of the lab: next opens stage
# 00; a failing stage does not advance; a passing one does, without
# replacing a file the learner already has; hints come one at a time; the
# solution opens only after a pass (or --force, recorded); reset keeps a
# backup; a broken progress file is reported and recovered from.
. tests/integration/lib.sh
lab=$SCRATCH/lab
mkdir -p "$lab"
cp -r steps checks solutions "$lab/"
ln -s "$TOP/build" "$lab/build"
export LAB_TOP=$lab
r() { "$LAB_RUNNER" "$@"; }

r >"$SCRATCH/o" || fail "no-argument run"
grep -q 'Start with:  ./lab-runner next' "$SCRATCH/o" || fail "the welcome does not say what to do"
r next >"$SCRATCH/o" || fail "first next"
grep -q 'Stage 00-kernel-alone is open' "$SCRATCH/o" || fail "next did not open stage 00"
grep -q '^# ' "$SCRATCH/o" || fail "next did not print the page"
[ -f "$lab/labs/00-kernel-alone/answers.txt" ] || fail "no starter copied"
grep -q '^current 00-kernel-alone$' "$lab/.lab-state" || fail "state: current"

# Not answered yet: next checks, fails, stays.
r next >"$SCRATCH/o"; [ $? -eq 1 ] || fail "next on a failing stage must exit 1"
grep -q 'does not pass yet' "$SCRATCH/o" || fail "no 'does not pass yet'"
grep -q '^current 00-kernel-alone$' "$lab/.lab-state" || fail "advanced on a failure"

# Solution locked; hints one at a time.
r solution 00 >"$SCRATCH/o"; [ $? -eq 1 ] || fail "the solution must stay locked"
r hint >"$SCRATCH/o" && grep -q 'Hint 1 of' "$SCRATCH/o" || fail "hint 1"
r hint >"$SCRATCH/o" && grep -q 'Hint 2 of' "$SCRATCH/o" || fail "hint 2"
grep -q '^hints 00-kernel-alone 2$' "$lab/.lab-state" || fail "hints not recorded"

# The learner answers; they also already made labs/01-hello-init/init.c.
cp solutions/00-kernel-alone/answers.txt "$lab/labs/00-kernel-alone/"
mkdir -p "$lab/labs/01-hello-init"
echo "/* my own work */" >"$lab/labs/01-hello-init/init.c"
r next >"$SCRATCH/o" || { cat "$SCRATCH/o"; fail "next on a passing stage"; }
grep -q 'Stage 01-hello-init is open' "$SCRATCH/o" || fail "did not open stage 01"
grep -q 'kept your 01-hello-init/init.c' "$SCRATCH/o" || fail "did not say the file was kept"
grep -q 'my own work' "$lab/labs/01-hello-init/init.c" || fail "the learner's init.c was replaced"
[ -f "$lab/labs/01-hello-init/Makefile" ] || fail "the rest of the starter was not copied"
grep -q '^done 00-kernel-alone$' "$lab/.lab-state" || fail "00 not marked done"
r list >"$SCRATCH/o"
grep -q '00-kernel-alone *done *PASS' "$SCRATCH/o" && grep -q '01-hello-init *current' "$SCRATCH/o" &&
	grep -q '02-init-and-shell *locked' "$SCRATCH/o" || { cat "$SCRATCH/o"; fail "list"; }
r solution 00 >"$SCRATCH/o" && grep -q 'riscv-virtio,qemu' "$SCRATCH/o" || fail "solution after a pass"
r solution 02 --force >/dev/null && grep -q '^solution 02-init-and-shell forced$' "$lab/.lab-state" ||
	fail "--force not recorded"

# reset keeps a backup, then restores the starter.
r reset 01 --yes >"$SCRATCH/o" || fail "reset"
backup=$(ls -d "$lab"/labs/.backup/01-hello-init-* | head -n 1)
grep -q 'my own work' "$backup/init.c" || fail "reset lost the learner's file"
cmp -s "$lab/labs/01-hello-init/init.c" steps/01-hello-init/starter/init.c || fail "reset did not restore"
r reset 01 </dev/null >"$SCRATCH/o"; [ $? -eq 1 ] || fail "reset without --yes and no terminal must refuse"

# A broken progress file: reported, kept aside, recovered.
printf 'current 01-hello-init\ndone 00-kernel-alone\n%%%% garbage\n' >"$lab/.lab-state"
r list >"$SCRATCH/o" 2>"$SCRATCH/e" || fail "list with a broken state file"
grep -q 'could not be read' "$SCRATCH/e" || fail "no warning about the broken state"
ls "$lab"/.lab-state.broken-* >/dev/null 2>&1 || fail "the broken file was not kept"
grep -q '01-hello-init *current' "$SCRATCH/o" || fail "state not recovered"
exit 0
