# lab-runner grade: twelve synthetic submissions (tests/submissions/), every
# format, --jobs 2 and --jobs 1. Each row gets the verdict and points of
# tests/submissions/EXPECTED; the reports are the same whatever --jobs is;
# the TAP parses (Perl's TAP::Parser, as prove uses it), the JUnit is XML
# (python3's xml.etree), the Gradescope results.json has the fields and
# types Gradescope reads; a submission's Makefile never runs; a symbolic
# link out of a submission is refused; usage errors exit 2; an interrupted
# grading exits 130, writes no report and leaves nothing running.
#
# GRADE_TIMEOUT (default 12) caps each stage's time limit, so the row that
# ends in TIMEOUT (uart-flood) costs seconds, not half a minute. (Two rows
# of stage 03 that were TIMEOUTs fail early now: the prompt comes back
# without the answer.)
. tests/integration/lib.sh
"$LAB_RUNNER" help grade >/dev/null 2>&1 || skip "skip: this lab-runner has no grade command"
[ -e "$KERNEL" ] || skip "skip: no kernel at $KERNEL (make kernel)"
command -v python3 >/dev/null || skip "skip: no python3"
perl -MTAP::Parser -e1 2>/dev/null || skip "skip: no TAP::Parser (perl-modules)"

export LAB_RUNS_DIR="$SCRATCH/r"
# A lab in a deep folder has its grading logs in /tmp (a socket path is
# short): remove those too, from the "logs in" line of each grading.
forget_runs() {
	sed -n 's/^grade: .*; logs in \(\/tmp\/lab-grade-[^ ]*\)\/$/\1/p' "$SCRATCH"/*.err 2>/dev/null |
		while read -r d; do rm -rf "$d"; done
}
trap 'forget_runs; rm -rf "$SCRATCH"' EXIT
export LAB_CANARY="$SCRATCH/canary"
echo "the malicious Makefile deletes this file if it ever runs" >"$LAB_CANARY"
T=${GRADE_TIMEOUT:-12}
# Lay out the class in $SCRATCH/class: tests/submissions/NAME/ holds only
# what differs from the reference solution or the starter (its FROM file
# says which); the same file names keep the reports' submission names.
class=$SCRATCH/class
for d in tests/submissions/*/; do
	name=$(basename "$d")
	mkdir -p "$class/$name"
	grep -v '^#' "$d/FROM" | while read -r stage base; do
		[ -n "$stage" ] || continue
		case $base in
		solution) cp -r "solutions/$stage" "$class/$name/labs-$stage" ;;
		starter) cp -r "steps/$stage/starter" "$class/$name/labs-$stage" ;;
		*) fail "$d/FROM: unknown base '$base'" ;;
		esac
		mkdir -p "$class/$name/labs"
		mv "$class/$name/labs-$stage" "$class/$name/labs/$stage"
	done
	[ -d "$d/labs" ] && cp -a "$d/labs/." "$class/$name/labs/"
done
# The submissions in EXPECTED's order: the report keeps the order given.
subs=$(awk -v c="$class" '!/^#/ && NF && !seen[$1]++ { printf "%s/%s ", c, $1 }' tests/submissions/EXPECTED)

# grade_class JOBS: grade the class once, every format, into $SCRATCH/jJOBS.*
grade_class() {
	t0=$(ms)
	# shellcheck disable=SC2086
	"$LAB_RUNNER" grade $subs --stages 1,2,3 --timeout "$T" --jobs "$1" \
		--format text,json,tap,junit --out "$SCRATCH/j$1" 2>"$SCRATCH/j$1.err"
	rc=$?
	echo "grade --jobs $1: exit $rc in $(($(ms) - t0)) ms"
	[ $rc -eq 0 ] || { cat "$SCRATCH/j$1.err"; fail "grade --jobs $1 exited $rc"; }
	for ext in txt json tap xml; do
		[ -s "$SCRATCH/j$1.$ext" ] || fail "grade --jobs $1 wrote no $ext report"
	done
}
grade_class 2
grade_class 1
cat "$SCRATCH/j1.txt"

# The verdicts and points, from the JSON records (the engine's own).
python3 - tests/submissions/EXPECTED "$SCRATCH/j1.json" "$SCRATCH/j2.json" <<'EOF' || fail "the verdicts are not those of EXPECTED"
import json, sys
want = [l.split() for l in open(sys.argv[1]) if l.strip() and not l.startswith("#")]
bad = 0
for path in sys.argv[2:]:
    got = [[r["submission"], r["stage"], r["verdict"], str(r["points"])] for r in json.load(open(path))]
    for w, g in zip(want, got):
        if w != g:
            print("%s: want %s, got %s" % (path, " ".join(w), " ".join(g)))
            bad += 1
    if len(want) != len(got):
        print("%s: %d rows, want %d" % (path, len(got), len(want)))
        bad += 1
sys.exit(bad > 0)
EOF

# The text report has no guest output at all: the same bytes.
cmp "$SCRATCH/j1.txt" "$SCRATCH/j2.txt" || fail "the text reports of --jobs 1 and 2 differ"
grep -q '^12 submissions, 36 checks: 8 PASS, 8 FAIL, 1 TIMEOUT, 19 ERROR; mean score 10.8/60$' \
	"$SCRATCH/j1.txt" || fail "the text report's summary line is not the expected one"

# TAP: parses with no error and a good plan; its facts, one line per test
# (the YAML but what the guest printed: uart and advice).
tap_facts() {
	perl -MTAP::Parser -e '
		local $/; open my $fh, "<", $ARGV[0] or die "$ARGV[0]: $!"; my $tap = <$fh>;
		my $p = TAP::Parser->new({tap => $tap});
		my @facts;
		while (my $r = $p->next) {
			if ($r->is_test) {
				push @facts, ($r->is_ok ? "ok " : "not ok ") . $r->number . " " . $r->description;
			} elsif ($r->is_yaml) {
				my $d = $r->data;
				ref $d eq "HASH" && defined $d->{verdict} or die "test $#facts: bad YAML\n";
				$facts[-1] .= join "", map { " | $_=" . (ref $d->{$_} ? join("; ", @{$d->{$_}}) : $d->{$_}) }
					grep { $_ ne "uart" && $_ ne "advice" } sort keys %$d;
			} elsif (!$r->is_plan && !$r->is_version && !$r->is_comment) {
				die "unexpected line: " . $r->as_string . "\n";
			}
		}
		die "parse errors: " . join("; ", $p->parse_errors) . "\n" if $p->parse_errors;
		die "bad plan\n" unless $p->is_good_plan && $p->tests_run == 36;
		print "$_\n" for @facts;
		print "passed ", scalar($p->passed), "\n";' "$1"
}
# A UART line an item quotes keeps the kernel's time stamp, and two boots of
# the same archive may differ there by a microsecond (seen on Linux 6.12,
# instructions counted): the facts compare it as [time].
untimed() { sed -i -E 's/\[ *[0-9]+\.[0-9]+\]/[time]/g' "$1"; }
tap_facts "$SCRATCH/j1.tap" >"$SCRATCH/j1.tapfacts" || fail "the TAP of --jobs 1 does not parse"
tap_facts "$SCRATCH/j2.tap" >"$SCRATCH/j2.tapfacts" || fail "the TAP of --jobs 2 does not parse"
untimed "$SCRATCH/j1.tapfacts"
untimed "$SCRATCH/j2.tapfacts"
grep -qx 'passed 8' "$SCRATCH/j1.tapfacts" || fail "TAP: not 8 passing tests"

# JUnit: well-formed XML, consistent counts, failure/error as the verdict
# says; its facts (without the guest's output) one line per test case.
junit_facts() {
	python3 - "$1" <<'EOF'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == "testsuites", root.tag
kinds = {"PASS": (None, None), "FAIL": ("failure", "fail"), "TIMEOUT": ("failure", "timeout"), "ERROR": ("error", "error")}
total = fails = errors = 0
print("testsuites", root.get("tests"), root.get("failures"), root.get("errors"))
for s in root.findall("testsuite"):
    cases = s.findall("testcase")
    f = sum(c.find("failure") is not None for c in cases)
    e = sum(c.find("error") is not None for c in cases)
    assert (int(s.get("tests")), int(s.get("failures")), int(s.get("errors"))) == (len(cases), f, e), s.get("name")
    total, fails, errors = total + len(cases), fails + f, errors + e
    for c in cases:
        props = {p.get("name"): p.get("value") for p in c.find("properties")}
        tag, typ = kinds[props["verdict"]]
        bad = [x for x in c if x.tag in ("failure", "error")]
        assert len(bad) == (tag is not None), c.get("name")
        row = [s.get("name"), c.get("classname"), c.get("name"), props["verdict"], props["points"], props["max_points"]]
        if bad:
            assert bad[0].tag == tag and bad[0].get("type") == typ, (c.get("name"), bad[0].tag)
            row += [bad[0].tag, bad[0].get("type"), bad[0].get("message")]
            row += [l for l in (bad[0].text or "").splitlines() if l.split(" ")[0] in ("MISSING", "UNORDERED", "UNCHECKED", "FAILED", "FORBIDDEN")]
        print(" | ".join(row))
assert (total, fails, errors) == (int(root.get("tests")), int(root.get("failures")), int(root.get("errors")))
assert total == 36
EOF
}
junit_facts "$SCRATCH/j1.xml" >"$SCRATCH/j1.junitfacts" || fail "the JUnit XML of --jobs 1 is not valid"
junit_facts "$SCRATCH/j2.xml" >"$SCRATCH/j2.junitfacts" || fail "the JUnit XML of --jobs 2 is not valid"
untimed "$SCRATCH/j1.junitfacts"
untimed "$SCRATCH/j2.junitfacts"

# The same reports whatever --jobs is. What a guest prints may differ from
# boot to boot (a crash dump's randomised stack addresses, how much of a
# panic arrives before the run stops): everything else must be the same.
for f in tapfacts junitfacts; do
	diff "$SCRATCH/j1.$f" "$SCRATCH/j2.$f" || fail "the $f of --jobs 1 and 2 differ"
done
for ext in tap xml; do
	if cmp -s "$SCRATCH/j1.$ext" "$SCRATCH/j2.$ext"; then
		echo "$ext: the same bytes with --jobs 1 and 2"
	else
		echo "$ext: the same but for what the guest printed"
	fi
done

# Untrusted submissions: the Makefile never ran, the symbolic link was refused,
# the flood was capped.
[ -f "$LAB_CANARY" ] || fail "a submission's Makefile ran: the canary is gone"
python3 - "$SCRATCH/j2.json" <<'EOF' || fail "untrusted submissions were not handled"
import json, os, sys
rows = {(r["submission"], r["stage"]): r for r in json.load(open(sys.argv[1]))}
link = rows[("symlink-escape", "01-hello-init")]
assert "regular file" in link["headline"], link["headline"]
flood = rows[("uart-flood", "01-hello-init")]
size = os.path.getsize(flood["uart_log"])
assert size < 2 * 1024 * 1024, "uart.log is %d bytes" % size
print("uart-flood: uart.log %d bytes" % size)
evil = rows[("malicious-makefile", "01-hello-init")]
assert evil["verdict"] == "PASS" and evil["grading"], evil["headline"]
EOF

# Gradescope: one submission; the fields and types of results.json.
gradescope_ok() {
	python3 - "$1" "$2" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
assert isinstance(d, dict) and {"score", "output", "tests"} <= set(d), sorted(d)
assert isinstance(d["score"], (int, float)) and isinstance(d["output"], str) and isinstance(d["tests"], list)
for t in d["tests"]:
    assert set(t) == {"name", "score", "max_score", "status", "output", "visibility"}, sorted(t)
    assert isinstance(t["name"], str) and isinstance(t["output"], str)
    assert isinstance(t["score"], (int, float)) and isinstance(t["max_score"], (int, float))
    assert t["status"] in ("passed", "failed") and t["visibility"] == "visible"
    assert (t["status"] == "passed") == (t["score"] == t["max_score"] > 0), t["name"]
assert d["score"] == sum(t["score"] for t in d["tests"])
assert d["score"] == int(sys.argv[2]), "score %s, want %s" % (d["score"], sys.argv[2])
EOF
}
"$LAB_RUNNER" grade "$class"/perfect --stages 1,2,3 --format gradescope \
	--out "$SCRATCH/perfect.json" 2>"$SCRATCH/perfect.err" || fail "grade --format gradescope of perfect"
gradescope_ok "$SCRATCH/perfect.json" 60 || fail "perfect: not a valid results.json with score 60"
for j in 1 2; do
	"$LAB_RUNNER" grade "$class"/returns-1 --stages 1,2 --jobs $j --format gradescope \
		>"$SCRATCH/returns-1.$j.json" 2>"$SCRATCH/returns-1.$j.err" || fail "grade --format gradescope of returns-1"
	gradescope_ok "$SCRATCH/returns-1.$j.json" 0 || fail "returns-1: not a valid results.json"
done
cmp "$SCRATCH/returns-1.1.json" "$SCRATCH/returns-1.2.json" || fail "gradescope: --jobs 1 and 2 differ"
grep -q 'exitcode=0x00000100' "$SCRATCH/returns-1.1.json" || fail "gradescope: no UART lines in the output"

# Usage errors: exit 2, and nothing graded.
usage() {
	"$LAB_RUNNER" grade "$@" >"$SCRATCH/usage" 2>&1
	rc=$?
	[ $rc -eq 2 ] || { cat "$SCRATCH/usage"; fail "grade $*: exit $rc, want 2"; }
}
usage "$SCRATCH/no-such-submission"
usage "$class"/perfect "$SCRATCH/no-such-submission"
grep -q "no submission folder" "$SCRATCH/usage" || fail "a missing folder is not named"
usage "$class"/perfect "$class"/empty --format gradescope
usage "$class"/perfect --format yaml
usage "$class"/perfect --stages 42
usage "$class"/perfect --jobs 0
usage "$class"/perfect --format text,tap
usage

# Interrupted: the running checks are killed, exit 130, no report.
"$LAB_RUNNER" grade "$class"/perfect --stages 1,2,3 --jobs 2 --out "$SCRATCH/int.txt" \
	>/dev/null 2>"$SCRATCH/int.err" &
pid=$!
# Its run folder is on the first line of its progress; wait for a QEMU there.
runs=
for _ in $(seq 200); do
	[ -n "$runs" ] || runs=$(sed -n 's/^grade: .*; logs in \(.*\)$/\1/p' "$SCRATCH/int.err")
	[ -n "$runs" ] && pgrep -f "qemu-system-riscv64.*$runs" >/dev/null && break
	sleep 0.05
done
[ -n "$runs" ] || { kill -9 $pid; fail "grade printed no run folder"; }
kill -INT $pid
wait $pid
rc=$?
[ $rc -eq 130 ] || { cat "$SCRATCH/int.err"; fail "interrupted grading: exit $rc, want 130"; }
grep -q "interrupted" "$SCRATCH/int.err" || fail "the interruption is not reported"
[ ! -e "$SCRATCH/int.txt" ] || fail "an interrupted grading wrote a report"
for _ in 1 2 3 4 5 6 7 8 9 10; do
	left=$(pgrep -f "(qemu-system-riscv64|gdb-multiarch).*$runs")
	[ -z "$left" ] && break
	sleep 0.1
done
# shellcheck disable=SC2086
[ -z "$left" ] || { kill -9 $left; fail "processes outlived an interrupted grading"; }
echo "grade: all good"
