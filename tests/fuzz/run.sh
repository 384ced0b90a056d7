#!/bin/sh
# tests/fuzz/run.sh SECONDS: run each libFuzzer target for SECONDS (default
# 60) on a copy of its seed corpus, in build/fuzz/run.XXXXXX/ (the
# repository is never written). Build first with tests/fuzz/build.sh.
#
#   fuzz_check      corpus-check/      -max_len=4096   dict check.dict
#   fuzz_initramfs  corpus-initramfs/  -max_len=65536  dict initramfs.dict
#
# Exits 0 when no target crashed, 1 when one did (each crashing input's
# path is printed; keep it as a regression input: copy it into the
# target's corpus-*/ folder), 2 when a target could not run.
# FUZZ_ONLY=check or FUZZ_ONLY=initramfs runs one target (not ONLY, which
# tests/run.sh uses to pick tests). FUZZ_KEEP=1 keeps the run
# folder (the grown corpora) even when nothing crashed. FUZZ_BIN=DIR runs
# the binaries built there (build.sh OUT=DIR) instead of build/fuzz/.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 2
secs=${1:-60}
case $secs in '' | *[!0-9]*) echo "usage: tests/fuzz/run.sh SECONDS" >&2; exit 2 ;; esac
mkdir -p build/fuzz
work=$(mktemp -d "$top/build/fuzz/run.XXXXXX") || exit 2
status=0

# fuzz NAME MAX_LEN: one target; sets status.
fuzz() {
	name=$1
	bin=${FUZZ_BIN:-build/fuzz}/fuzz_$name
	case ${FUZZ_ONLY:-$name} in "$name") ;; *) return 0 ;; esac
	if [ ! -x "$bin" ]; then
		echo "fuzz $name: $bin is missing: run tests/fuzz/build.sh" >&2
		status=2
		return 0
	fi
	mkdir -p "$work/corpus-$name" "$work/crashes-$name"
	cp tests/fuzz/corpus-"$name"/* "$work/corpus-$name/"
	log=$work/$name.log
	echo "fuzz $name: $secs s on a copy of tests/fuzz/corpus-$name/ ($(ls "$work/corpus-$name" | wc -l) seeds)"
	# -timeout: one input may take 10 s at most (a hang counts as a crash).
	# Leaks count too (LeakSanitizer is on by default under libFuzzer).
	"$bin" -max_total_time="$secs" -max_len="$2" -rss_limit_mb=2048 -timeout=10 \
		-dict="tests/fuzz/$name.dict" -print_final_stats=1 \
		-artifact_prefix="$work/crashes-$name/" "$work/corpus-$name" >"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	cov=$(grep -E '^#[0-9]+.*(DONE|pulse|NEW|REDUCE)' "$log" | tail -n 1 | sed -n 's/.*cov: \([0-9]*\).*/\1/p')
	corpus=$(ls "$work/corpus-$name" | wc -l)
	if [ $rc -eq 0 ]; then
		echo "fuzz $name: ok, ${execs:-?} runs, coverage ${cov:-?} edges, corpus $corpus inputs"
		return 0
	fi
	status=1
	echo "fuzz $name: FAILED (exit $rc) after ${execs:-?} runs; log: $log"
	grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error:|ERROR: libFuzzer)' "$log" | head -n 5 | sed 's/^/    /'
	for f in "$work/crashes-$name"/*; do
		[ -e "$f" ] || continue
		echo "fuzz $name: crashing input: $f"
		echo "    replay: $bin $f"
		seed=
		for g in tests/fuzz/corpus-"$name"/*; do
			cmp -s "$f" "$g" && seed=$g && break
		done
		if [ -n "$seed" ]; then
			echo "    it is the seed $seed: a regression input that still fails"
		else
			echo "    keep it: cp $f tests/fuzz/corpus-$name/regress-$(basename "$f")"
		fi
	done
}

fuzz check 4096
fuzz initramfs 65536

if [ $status -eq 0 ] && [ "${FUZZ_KEEP:-0}" != 1 ]; then
	rm -rf "$work"
else
	echo "fuzz: run folder kept: $work"
fi
exit $status
