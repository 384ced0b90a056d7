#!/bin/sh
# bench/soak.sh: the determinism soak. Checks every reference solution
# (solutions/NN-name with a checks/NN-name.check) ROUNDS times, round after
# round, through the real lab-runner, QEMU and gdb, and reports:
#   - per stage: how many checks passed, and min/median/max wall time;
#   - every verdict that changed from one round to another (target: none).
# Exits 0 only if every check PASSed (so no verdict changed); 1 otherwise.
#
#   ROUNDS=50                  rounds (default 50)
#   LAB_RUNNER=./lab-runner    the runner to soak
#   LAB_TOP=...                the lab's top folder (default: this script's ..)
#   ONLY=pattern               only the stages whose name matches
#   SOAK_SLACK=60              seconds allowed beyond each check's own timeout
#
# Bounded in time: each check runs under timeout(1) at its check file's
# timeout plus SOAK_SLACK (a runner that overruns counts as HUNG, and is
# killed; its QEMU and gdb die with it by PR_SET_PDEATHSIG). After each
# check, no process may still name its run folder (leftovers are reported,
# killed by pid, and fail the soak). Interrupting the soak stops the check
# in progress the same way. The run folders of passing checks are removed
# (each holds about 2 MB); the others are kept, with the runner's report
# in soak-report.txt, and listed.
# Results: build/soak/soak-DATE.tsv (round, stage, verdict, exit, ms, logs).
#
# The soak's runs go to their own folder, build/soak/runs.PID/ (through
# LAB_RUNS_DIR, which the runner honours), not build/runs/: a concurrent
# make test that looks for, or kills, what runs under build/runs/ then
# leaves the soak alone, and the soak's leftover check sees only its own
# checks. The folder is removed at the end when nothing in it is kept.
set -u
top=${LAB_TOP:-$(cd "$(dirname "$0")/.." && pwd)}
top=$(cd "$top" && pwd) || exit 2
cd "$top" || exit 2
runner=${LAB_RUNNER:-./lab-runner}
rounds=${ROUNDS:-50}
slack=${SOAK_SLACK:-60}
case $rounds in '' | *[!0-9]* | 0) echo "soak: ROUNDS must be a positive number" >&2; exit 2 ;; esac
case $slack in '' | *[!0-9]*) echo "soak: SOAK_SLACK must be a number of seconds" >&2; exit 2 ;; esac
[ -x "$runner" ] || { echo "soak: no runner at $runner (make lab-runner, or set LAB_RUNNER)" >&2; exit 2; }
command -v timeout >/dev/null || { echo "soak: timeout(1) is missing (coreutils)" >&2; exit 2; }
export NO_COLOR=1 LAB_TOP="$top"
runs=${LAB_RUNS_DIR:-$top/build/soak/runs.$$}
export LAB_RUNS_DIR="$runs"

stages=
for d in solutions/*/; do
	name=$(basename "$d")
	[ -f "checks/$name.check" ] || continue
	case $name in *${ONLY:-}*) stages="$stages $name" ;; esac
done
[ -n "$stages" ] || { echo "soak: no solution with a check file" >&2; exit 2; }
nstages=$(echo $stages | wc -w)

mkdir -p build/soak
stamp=$(date -u +%Y%m%d-%H%M%S)
tsv=build/soak/soak-$stamp.tsv
out=$(mktemp "$top/build/soak/out.XXXXXX") || exit 2
printf 'round\tstage\tverdict\texit\tms\tlogs\n' >"$tsv"
pid=
problems=0

stop() {
	if [ -n "$pid" ]; then
		kill -TERM "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	fi
	rm -f "$out"
	echo "soak: interrupted; results so far in $tsv" >&2
	exit 130
}
trap stop INT TERM HUP

echo "soak: $rounds rounds of $nstages stages ($(echo $stages)) with $runner, $(date -u '+%Y-%m-%d %H:%M UTC')"
t_start=$(date +%s)
r=0
while [ $r -lt "$rounds" ]; do
	r=$((r + 1))
	line="round $r/$rounds:"
	for name in $stages; do
		limit=$(sed -n 's/^timeout[ 	]*\([0-9][0-9]*\).*/\1/p' "checks/$name.check" | head -n 1)
		t0=$(date +%s%3N)
		timeout -k 5 $((${limit:-30} + slack)) "$runner" check --dir "solutions/$name" >"$out" 2>&1 &
		pid=$!
		wait "$pid"
		rc=$?
		pid=
		t1=$(date +%s%3N)
		verdict=$(sed -n -E 's/^(PASS|FAIL|TIMEOUT|ERROR)  .*/\1/p' "$out" | tail -n 1)
		case $rc in 124 | 137) verdict=HUNG ;; esac
		[ -n "$verdict" ] || verdict=NONE
		logs=$(sed -n 's/^logs: \(.*\)\/uart\.log.*/\1/p' "$out" | tail -n 1)
		# Nothing this check started may outlive it.
		if [ -n "$logs" ]; then
			left=$(pgrep -f -- "$logs/" || true)
			if [ -n "$left" ]; then
				echo "soak: round $r $name: still running after the check:"
				ps -o pid,cmd -p "$(echo $left | tr ' ' ',')" | sed 's/^/    /'
				kill -9 $left 2>/dev/null
				verdict=LEFTOVER
			fi
		fi
		if [ "$verdict" = PASS ]; then
			case $logs in "$runs"/* | "$top"/build/runs/*) rm -rf "$logs" ;; esac
			logs=
		else
			problems=$((problems + 1))
			# Keep the runner's whole report beside its logs.
			keep=build/soak/round$r-$name.txt
			[ -n "$logs" ] && [ -d "$logs" ] && keep=$logs/soak-report.txt
			cp "$out" "$keep"
			echo "soak: round $r $name: $verdict (exit $rc), report $keep"
			tail -n 3 "$out" | sed 's/^/    /'
		fi
		printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$r" "$name" "$verdict" "$rc" $((t1 - t0)) "${logs:--}" >>"$tsv"
		line="$line $name=$verdict"
	done
	echo "$line"
done
rm -f "$out"
rmdir "$runs" 2>/dev/null
trap - INT TERM HUP

# The summary, from the results file.
echo
echo "soak: $rounds rounds, $((rounds * nstages)) checks in $(($(date +%s) - t_start)) s; results: $tsv"
printf '%-20s %9s  %8s %8s %8s  %s\n' stage passed "min ms" "median" "max ms" verdicts
changed=0
for name in $stages; do
	awk -F '\t' -v s="$name" '$2 == s { print $5 }' "$tsv" | sort -n >"$tsv.ms"
	n=$(wc -l <"$tsv.ms")
	min=$(head -n 1 "$tsv.ms")
	max=$(tail -n 1 "$tsv.ms")
	med=$(awk -v n="$n" '{ v[NR] = $1 } END { if (n % 2) print v[(n + 1) / 2]; else print int((v[n / 2] + v[n / 2 + 1]) / 2) }' "$tsv.ms")
	pass=$(awk -F '\t' -v s="$name" '$2 == s && $3 == "PASS"' "$tsv" | wc -l)
	kinds=$(awk -F '\t' -v s="$name" '$2 == s { c[$3]++ } END { for (k in c) { printf "%s%s:%d", sep, k, c[k]; sep = " " } }' "$tsv")
	nk=$(awk -F '\t' -v s="$name" '$2 == s { c[$3]++ } END { print length(c) }' "$tsv")
	printf '%-20s %4s/%-4s  %8s %8s %8s  %s\n' "$name" "$pass" "$n" "$min" "$med" "$max" "$kinds"
	if [ "$nk" -gt 1 ]; then
		changed=$((changed + 1))
		# The usual verdict is the most frequent; list the others.
		usual=$(awk -F '\t' -v s="$name" '$2 == s { c[$3]++ } END { for (k in c) if (c[k] > m) { m = c[k]; u = k } print u }' "$tsv")
		awk -F '\t' -v s="$name" -v u="$usual" '$2 == s && $3 != u { printf "    round %s: %s (usually %s), logs %s\n", $1, $3, u, $6 }' "$tsv"
	fi
done
rm -f "$tsv.ms"
echo "changed verdicts: $changed stage(s); checks not PASS: $problems"
[ $changed -eq 0 ] && [ $problems -eq 0 ]
