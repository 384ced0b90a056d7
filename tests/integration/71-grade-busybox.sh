# lab-runner grade on the BusyBox stages (04, 05) and stage 06: the lab's own
# starter Makefile builds each submission's sources (`grading make`), never
# the submission's Makefile; the reference solutions pass, the starters fail;
# stage 06 (a kernel built per submission) is an ERROR row that says why.
. tests/integration/lib.sh
[ -e build/busybox/busybox ] || skip "skip: no BusyBox (make busybox)"
export LAB_RUNS_DIR="$SCRATCH/r"
export LAB_CANARY="$SCRATCH/canary"
echo "a submission's Makefile deletes this file if it ever runs" >"$LAB_CANARY"
class=$SCRATCH/class
mkdir -p "$class/perfect/labs" "$class/starter-only/labs" "$class/sneaky/labs"
for s in 04-real-init 05-network 06-leaner-kernel; do
	cp -r "solutions/$s" "$class/perfect/labs/"
	cp -r "steps/$s/starter" "$class/starter-only/labs/$s"
done
# sneaky: the right files, and a Makefile that would delete the canary.
cp -r solutions/04-real-init "$class/sneaky/labs/"
printf 'all:\n\trm -f $(LAB_CANARY)\n\ttouch initramfs.cpio\n' >"$class/sneaky/labs/04-real-init/Makefile"

"$LAB_RUNNER" grade "$class/perfect" "$class/starter-only" "$class/sneaky" --stages 4,5,6 \
	--timeout 20 --jobs 2 --format text,json --out "$SCRATCH/g" 2>"$SCRATCH/g.err"
rc=$?
cat "$SCRATCH/g.txt"
[ $rc -eq 0 ] || { cat "$SCRATCH/g.err"; fail "grade exited $rc"; }
[ -e "$LAB_CANARY" ] || fail "a submission's Makefile ran"
python3 - "$SCRATCH/g.json" <<'PY' || fail "the rows are not as expected"
import json, sys
d = json.load(open(sys.argv[1]))
rows = {(r["submission"], r["stage"]): r for r in d}
want = {
    ("perfect", "04-real-init"): "PASS", ("perfect", "05-network"): "PASS",
    ("perfect", "06-leaner-kernel"): "ERROR",
    ("starter-only", "04-real-init"): "FAIL", ("starter-only", "05-network"): "FAIL",
    ("sneaky", "04-real-init"): "PASS",
}
bad = [(k, v, rows.get(k, {}).get("verdict")) for k, v in want.items() if rows.get(k, {}).get("verdict") != v]
assert not bad, bad
assert rows[("perfect", "04-real-init")]["points"] == rows[("perfect", "04-real-init")]["max_points"] > 0
assert "cannot be graded" in rows[("perfect", "06-leaner-kernel")]["headline"], rows[("perfect", "06-leaner-kernel")]
print("rows as expected")
PY
