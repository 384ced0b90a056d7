# lab-runner grade against hostile submissions (docs/grading.md, "What a
# submission can reach"), graded together with honest ones, --jobs 2:
#
#   - every attempt to compile the lab's solutions or a classmate's files
#     into a submission (#include by a relative or absolute path,
#     __has_include probing) scores 0: the sandboxed compiler cannot see
#     them, so the row is ERROR or FAIL, never points;
#   - #include "/etc/passwd", .incbin of it, the grading run's own
#     submissions.txt, /proc/self/fd/1: ERROR, and no line of /etc/passwd
#     in any report format;
#   - a source that floods the compiler's errors ends within 60 s and
#     leaves at most a few MiB of logs;
#   - a 200 MiB answers.txt is not read whole;
#   - a folder name with ESC, a newline, a C1 control, a bidi override and
#     U+2028 leaves every report free of them, and the JUnit parseable;
#   - the honest submissions still pass;
#   - without a sandbox, grade refuses (and --unsafe-no-sandbox is the
#     teacher's explicit way around that);
#   - docs/run_autograder scores a submission whose labs/ is a symbolic
#     link to the lab's solutions at 0;
#   - tools/responder.sh serves at most 4 connections of a run at once.
. tests/integration/lib.sh
[ -e "$KERNEL" ] || skip "skip: no kernel at $KERNEL (make kernel)"
command -v python3 >/dev/null || skip "skip: no python3"
command -v bwrap >/dev/null || skip "skip: no bwrap (make setup installs bubblewrap)"

export LAB_RUNS_DIR="$SCRATCH/r"
class=$SCRATCH/class
mkdir -p "$class"
# An absolute path written as a relative one, from any folder: enough
# "../" to reach / from wherever the compile runs, then the path.
up=$(printf '../%.0s' $(seq 30))
rel() { printf '%s%s' "$up" "${1#/}"; }

# sub NAME STAGE FILE TEXT: a submission's file.
sub() {
	mkdir -p "$class/$1/labs/$2/$(dirname "$3")"
	printf "%s\n" "$4" >"$class/$1/labs/$2/$3"
}
# honest NAME STAGE: the reference solution's sources for STAGE.
honest() {
	mkdir -p "$class/$1/labs"
	cp -r "solutions/$2" "$class/$1/labs/$2"
}

honest perfect 01-hello-init
honest perfect 02-init-and-shell
honest perfect 04-real-init
# The lab's own solutions, by a relative path and by an absolute one.
sub steal-relative 01-hello-init init.c "#include \"$(rel "$TOP/solutions/01-hello-init/init.c")\""
sub steal-absolute 01-hello-init init.c "#include \"$TOP/solutions/01-hello-init/init.c\""
sub steal-absolute 02-init-and-shell init.c "#include \"$TOP/solutions/02-init-and-shell/init.c\""
sub steal-absolute 02-init-and-shell little_shell.c \
	"#include \"$TOP/solutions/02-init-and-shell/little_shell.c\""
# Stage 04 is built by the lab's own Makefile (grading make): in the sandbox too.
sub steal-absolute 04-real-init init.c "#include \"$TOP/solutions/04-real-init/init.c\""
# A classmate's file, found by probing with __has_include; when nothing is
# found, a program that prints the wrong thing.
sub steal-classmate 01-hello-init init.c "#if __has_include(\"$class/perfect/labs/01-hello-init/init.c\")
#include \"$class/perfect/labs/01-hello-init/init.c\"
#elif __has_include(\"$(rel "$TOP/solutions/01-hello-init/init.c")\")
#include \"$(rel "$TOP/solutions/01-hello-init/init.c")\"
#else
#include <stdio.h>
int main(void) { puts(\"nothing to copy\"); return 0; }
#endif"
# Host files into the report: the compiler's errors, or the guest's UART.
sub reads-passwd 01-hello-init init.c '#include "/etc/passwd"'
sub incbin-passwd 01-hello-init init.c '#include <unistd.h>
__asm__(".section .rodata\nstolen: .incbin \"/etc/passwd\"\nstolen_end:\n.previous");
extern const char stolen[], stolen_end[];
int main(void) { write(1, stolen, stolen_end - stolen); return 0; }'
# The grading run's own index (every submission's path), from the build
# folder (src/ is ROOT/NNN/STAGE.XXXXXX/src) and from further up.
sub reads-index 01-hello-init init.c '#include "../../../submissions.txt"'
sub reads-stdout 01-hello-init init.c '#include "/proc/self/fd/1"'
# Errors by the megabyte from a few hundred bytes.
sub error-flood 01-hello-init init.c '#define A(x) x x x x x x x x
#define B(x) A(A(A(x)))
#define C(x) B(B(x))
int main(void) { _Static_assert(0, C("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")); return 0; }'
# A huge answers file (sparse: no disk used) beside an honest stage 01.
honest huge-answers 01-hello-init
mkdir -p "$class/huge-answers/labs/00-kernel-alone"
truncate -s 200M "$class/huge-answers/labs/00-kernel-alone/answers.txt"
# A hostile folder name, honest inside.
evil=$(printf 'evil\033[31m\n\302\205\342\200\256\342\200\250name')
mkdir -p "$class/$evil/labs"
cp -r solutions/01-hello-init "$class/$evil/labs/"

subs="perfect steal-relative steal-absolute steal-classmate reads-passwd incbin-passwd reads-index reads-stdout error-flood huge-answers"
set --
for s in $subs; do set -- "$@" "$class/$s"; done
set -- "$@" "$class/$evil"
before=$(du -sk "$SCRATCH" | cut -f1)
t0=$(ms)
"$LAB_RUNNER" grade "$@" --stages 0,1,2,4 --jobs 2 \
	--format text,json,tap,junit --out "$SCRATCH/rep" 2>"$SCRATCH/grade.err"
rc=$?
secs=$((($(ms) - t0) / 1000))
cat "$SCRATCH/grade.err"
cat "$SCRATCH/rep.txt"
[ $rc -eq 0 ] || fail "grade exited $rc"
echo "graded in $secs s"

# row SUB STAGE: "VERDICT POINTS" of one row, from the JSON report.
row() {
	python3 - "$SCRATCH/rep.json" "$1" "$2" <<'EOF'
import json, sys
for r in json.load(open(sys.argv[1])):
    if r["submission"] == sys.argv[2] and r["stage"] == sys.argv[3]:
        print(r["verdict"], r.get("points", 0))
        break
EOF
}
# expect_row SUB STAGE 'VERDICT POINTS[|VERDICT POINTS]'
expect_row() {
	got=$(row "$1" "$2")
	printf '|%s|' "$3" | grep -qF "|$got|" || fail "$1 $2: '$got', expected $3"
	echo "ok: $1 $2: $got"
}
expect_row perfect 01-hello-init 'PASS 10'
expect_row perfect 02-init-and-shell 'PASS 20'
expect_row perfect 04-real-init 'PASS 30'
expect_row huge-answers 01-hello-init 'PASS 10'
for s in steal-relative steal-absolute steal-classmate; do
	expect_row $s 01-hello-init 'ERROR 0|FAIL 0'
done
expect_row steal-absolute 02-init-and-shell 'ERROR 0'
expect_row steal-absolute 04-real-init 'ERROR 0'
for s in reads-passwd incbin-passwd reads-index reads-stdout error-flood; do
	expect_row $s 01-hello-init 'ERROR 0'
done
# The rows say why, in the runner's words.
for w in 'the submission does not compile' 'printed more than 256 KiB of errors' \
	"the lab's own Makefile"; do
	grep -qF "$w" "$SCRATCH/rep.txt" || fail "the text report does not say: $w"
done

# Nothing of /etc/passwd, in any format (its first line is root's).
first=$(head -n 1 /etc/passwd)
for f in "$SCRATCH"/rep.*; do
	grep -qF "$first" "$f" && fail "$f holds a line of /etc/passwd: $first"
done
# Nor of the lab's solutions in a student's build log.
grep -rlF 'Hello world' "$SCRATCH"/r/*/0*/01-hello-init.*/build.log 2>/dev/null &&
	fail "a build log holds the solution's text"
echo "ok: no host file in any report"

# The flood: bounded logs, and no minute spent.
after=$(du -sk "$SCRATCH" | cut -f1)
flood=$(du -sk "$SCRATCH"/r/*/009 | cut -f1)
echo "the whole grading added $((after - before)) KiB; the flooding submission's folder is $flood KiB"
[ "$flood" -lt 4096 ] || fail "the flooding submission left $flood KiB (over 4 MiB)"
[ "$secs" -lt 300 ] || fail "grading took $secs s"

# The hostile name: no raw control, C1, bidi override or U+2028 anywhere;
# the JUnit is XML, the JSON is JSON.
for f in "$SCRATCH"/rep.*; do
	python3 - "$f" <<'EOF' || fail "$f holds a control or format character"
import sys
t = open(sys.argv[1], encoding="utf-8").read()
bad = [c for c in t if (ord(c) < 32 and c not in "\n\t") or 0x7f <= ord(c) <= 0x9f
       or c in "\u061c\u200e\u200f\u2028\u2029" or 0x202a <= ord(c) <= 0x202e
       or 0x2066 <= ord(c) <= 0x2069]
if bad:
    print(sys.argv[1], "holds", [hex(ord(c)) for c in bad[:5]])
    sys.exit(1)
EOF
done
python3 -c 'import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])' "$SCRATCH/rep.xml" ||
	fail "the JUnit report is not XML"
python3 -c 'import sys, json; json.load(open(sys.argv[1]))' "$SCRATCH/rep.json" ||
	fail "the JSON report is not JSON"
grep -q 'PASS' "$SCRATCH/rep.txt" || fail "no PASS in the report"
echo "ok: the hostile name is cleaned in every format"

# No sandbox: grade refuses, says why and how to go on; nothing is graded.
mkdir -p "$SCRATCH/nobwrap"
ln -s /bin/false "$SCRATCH/nobwrap/bwrap"
out=$(PATH="$SCRATCH/nobwrap:$PATH" "$LAB_RUNNER" grade "$class/perfect" --stages 1 2>&1)
rc=$?
printf '%s\n' "$out"
[ $rc -eq 2 ] || fail "grade without a working sandbox exited $rc, not 2"
want "the grading sandbox (bwrap) cannot run here"
want "--unsafe-no-sandbox"
out=$(PATH="$SCRATCH/nobwrap:$PATH" "$LAB_RUNNER" grade "$class/perfect" --stages 1 \
	--unsafe-no-sandbox 2>&1)
rc=$?
[ $rc -eq 0 ] || fail "grade --unsafe-no-sandbox exited $rc"
want "WARNING: --unsafe-no-sandbox"
want "PASS"
echo "ok: no sandbox, no grading unless asked in so many words"

# autograde DIR SCORE: run docs/run_autograder on DIR/submission (stage 01)
# as Gradescope would; its results.json must give SCORE.
autograde() {
	mkdir -p "$1/results"
	LAB=$TOP SUBMISSION=$1/submission RESULTS=$1/results STAGES=1 sh docs/run_autograder \
		>"$1/out" 2>&1
	cat "$1/out"
	python3 - "$1/results/results.json" "$2" <<'EOF' || fail "run_autograder: not $2 points"
import json, sys
r = json.load(open(sys.argv[1]))
print("score:", r["score"])
sys.exit(0 if r["score"] == int(sys.argv[2]) else 1)
EOF
}

# run_autograder: labs/ as a link to the lab's solutions scores 0.
mkdir -p "$SCRATCH/gs/submission"
ln -s "$TOP/solutions" "$SCRATCH/gs/submission/labs"
autograde "$SCRATCH/gs" 0
grep -q 'symbolic link' "$SCRATCH/gs/results/results.json" || fail "results.json does not say why"
echo "ok: run_autograder refuses a symbolic link"

# run_autograder, honest: full marks, graded as nobody (when nobody can
# read the lab: a checkout in a private folder cannot be).
if [ "$(id -u)" = 0 ] && setpriv --reuid=65534 --regid=65534 --clear-groups -- \
	test -x "$TOP/lab-runner" -a -r "$KERNEL"; then
	mkdir -p "$SCRATCH/gs2/submission/labs"
	cp -r solutions/01-hello-init "$SCRATCH/gs2/submission/labs/"
	autograde "$SCRATCH/gs2" 10
	echo "ok: run_autograder grades an honest submission, as nobody"
else
	echo "(run_autograder as nobody not tried: not root, or nobody cannot read $TOP)"
fi

# make gradescope: no solutions/, tests/ or bench/ in the zip, and a
# package that still holds an answer (here a copy of a solution committed
# under docs/) is refused. In a clone: the package is what git committed.
if git -C "$TOP" rev-parse --git-dir >/dev/null 2>&1; then
	gc=$SCRATCH/gclone
	git clone -q "$TOP" "$gc"
	(cd "$gc" && tools/gradescope.sh) || fail "make gradescope failed in a clean clone"
	python3 - "$gc/build/autograder.zip" <<'EOF' || fail "the autograder zip holds what it must not"
import sys, zipfile
names = zipfile.ZipFile(sys.argv[1]).namelist()
top = {n.split("/")[0] for n in names}
assert top == {"setup.sh", "run_autograder", "lab"}, top
bad = [n for n in names if n.split("/")[1:2] in (["solutions"], ["tests"], ["bench"])]
assert not bad, bad
assert "lab/lab-runner.c" in names and "lab/checks/01-hello-init.check" in names
print("zip: %d entries, no solutions/, tests/ or bench/" % len(names))
EOF
	cp "$gc/solutions/02-init-and-shell/little_shell.c" "$gc/docs/example.c"
	git -C "$gc" add docs/example.c
	git -C "$gc" -c user.name=t -c user.email=t@t commit -qm "an answer in docs"
	if out=$(cd "$gc" && tools/gradescope.sh 2>&1); then
		fail "make gradescope packed a reference solution: $out"
	fi
	printf '%s\n' "$out"
	want "the package still holds a reference solution's file: ./lab/docs/example.c"
	[ ! -e "$gc/build/autograder.zip" ] || fail "a refused package left a zip"
	echo "ok: make gradescope packs no answer"
fi

# The responder: 10 connections at once that send nothing; at most 4 are
# served, the others closed at once.
slots=$SCRATCH/slots
mkdir -p "$slots"
for i in 1 2 3 4 5 6 7 8 9 10; do
	(sleep 3 | tools/responder.sh tok-$$ "$slots" >/dev/null) &
done
sleep 1
alive=$(pgrep -fc "responder.sh tok-$$")
wait
echo "responders alive with 10 connections open: $alive"
[ "$alive" -le 4 ] || fail "$alive responders at once (at most 4)"
[ "$alive" -ge 1 ] || fail "no responder served at all"
echo "ok: the responder serves at most 4 connections at once"
