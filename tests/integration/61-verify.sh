# lab-runner verify, the lab author's check, on a copy of the lab's first
# two stages: it passes as the lab is, verifies only the stages named, and fails, naming the stage, when a
# solution is broken on purpose.
. tests/integration/lib.sh
lab=$SCRATCH/lab
mkdir -p "$lab/steps" "$lab/checks" "$lab/solutions"
for s in 00-kernel-alone 01-hello-init; do
	cp -r "steps/$s" "$lab/steps/"
	cp "checks/$s.check" "$lab/checks/"
	cp -r "solutions/$s" "$lab/solutions/"
done
ln -s "$TOP/build" "$lab/build"
export LAB_TOP=$lab
"$LAB_RUNNER" verify >"$SCRATCH/ok.txt" 2>&1 || { cat "$SCRATCH/ok.txt"; fail "verify fails on the lab as it is"; }
cat "$SCRATCH/ok.txt"
grep -q '^verify ok: 0 problem(s) in 2 stage(s)$' "$SCRATCH/ok.txt" || fail "no 'verify ok' line"

# One stage, named as check names it: only that one is verified.
"$LAB_RUNNER" verify 1 >"$SCRATCH/one.txt" 2>&1 || { cat "$SCRATCH/one.txt"; fail "verify 1 fails"; }
cat "$SCRATCH/one.txt"
grep -q '^verify ok: 0 problem(s) in 1 stage(s)$' "$SCRATCH/one.txt" || fail "verify 1: no 'in 1 stage(s)'"
grep -q '00-kernel-alone' "$SCRATCH/one.txt" && fail "verify 1 verified stage 00 too"
grep -q '^ok   01-hello-init solution' "$SCRATCH/one.txt" || fail "verify 1 did not verify stage 01"
"$LAB_RUNNER" verify 01 42 >"$SCRATCH/no.txt" 2>&1
[ $? -eq 2 ] || fail "verify of a stage that does not exist must exit 2"
grep -q "no stage '42'" "$SCRATCH/no.txt" || fail "verify 42 does not name it"
grep -q '^ok ' "$SCRATCH/no.txt" && fail "verify 01 42 verified something before refusing"

# Break the solution of stage 01: init returns 1.
sed -i 's/return 0;/return 1;/' "$lab/solutions/01-hello-init/init.c"
grep -q 'return 1;' "$lab/solutions/01-hello-init/init.c" || fail "could not break the solution"
"$LAB_RUNNER" verify >"$SCRATCH/bad.txt" 2>&1 && { cat "$SCRATCH/bad.txt"; fail "verify passed a broken solution"; }
cat "$SCRATCH/bad.txt"
grep -q '^FAIL 01-hello-init solution' "$SCRATCH/bad.txt" || fail "verify did not name the broken stage"
grep -q '^ok   00-kernel-alone solution' "$SCRATCH/bad.txt" || fail "verify blamed the wrong stage"
# A missing hint is named too.
rm "$lab/steps/00-kernel-alone/hints/3.md"
"$LAB_RUNNER" verify >"$SCRATCH/hint.txt" 2>&1
grep -q '^FAIL 00-kernel-alone: 2 hint(s)' "$SCRATCH/hint.txt" || { cat "$SCRATCH/hint.txt"; fail "a missing hint is not named"; }

# The workbook (docs/workbook.md) is generated from the pages but committed:
# it must be what tools/workbook.sh makes of them now.
cd "$TOP" && tools/workbook.sh --check || fail "docs/workbook.md is stale: run tools/workbook.sh"
