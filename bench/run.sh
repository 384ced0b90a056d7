#!/bin/sh
# bench/run.sh (make bench): how close lab-runner comes to QEMU's own speed.
#
# Every figure is the median of RUNS runs (default 5) after one warm-up,
# measured in this one invocation, so the ratios hold on a noisy machine.
# The table goes to stdout and to bench/last.txt (commit it with the change
# that moved the figures). docs/benchmarks.md explains how to read it.
#
#   RUNS=9 bench/run.sh        more runs
#   GRADE_RUNS=5 bench/run.sh  more runs of figure 4 (3: each takes about a minute)
#   COLD=1 bench/run.sh        also time a cold build of the lab kernel
#                              (about 5 minutes, into build/bench/kernel) and
#                              stage 06's rebuild of the solution's kernel
#                              from the stock one (about 4 minutes)
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
runs=${RUNS:-5}
runner=${LAB_RUNNER:-$top/lab-runner}
kdir=$top/build/kernel/lab
image=$kdir/arch/riscv/boot/Image
work=$top/build/bench
out=$top/bench/last.txt
export NO_COLOR=1

[ -x "$runner" ] || { echo "bench: no $runner: run make lab-runner" >&2; exit 2; }
[ -e "$image" ] || { echo "bench: no kernel: run make kernel" >&2; exit 2; }
rm -rf "$work"
mkdir -p "$work"

ms() { date +%s%3N; }
# median of the numbers on stdin
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
# time_cmd FILE CMD...: append the wall time of CMD in ms to FILE
time_cmd() {
	f=$1
	shift
	t0=$(ms)
	"$@" >/dev/null 2>&1
	echo $(($(ms) - t0)) >>"$f"
}
sec() { awk -v m="$1" 'BEGIN { printf "%.2f s", m / 1000 }'; }
row() { printf '%-44s %14s   %s\n' "$1" "$2" "$3"; }

# The bare boot: the same kernel and archive, QEMU alone, to the panic.
cp -r solutions/01-hello-init "$work/hello"
make -s -C "$work/hello" >/dev/null || { echo "bench: cannot build the hello init" >&2; exit 2; }
bare() {
	qemu-system-riscv64 -machine virt -nographic -no-reboot -m 128 -kernel "$image" \
		-initrd "$work/hello/initramfs.cpio" -append "console=ttyS0 panic=-1" </dev/null
}
check1() { "$runner" check --dir solutions/01-hello-init; }
check2() { "$runner" check --dir solutions/02-init-and-shell; }
check3() { "$runner" check --dir solutions/03-little-shell; }
trace4() { "$runner" trace 04 --dir solutions/04-real-init; }

echo "bench: $runs runs of each figure after a warm-up ($(nproc) cores)..." >&2
bare >/dev/null 2>&1
check1 >/dev/null 2>&1
check2 >/dev/null 2>&1
check3 >/dev/null 2>&1
trace4 >/dev/null 2>&1
i=0
while [ $i -lt "$runs" ]; do
	i=$((i + 1))
	time_cmd "$work/bare" bare
	time_cmd "$work/check1" check1
	time_cmd "$work/check2" check2
	time_cmd "$work/check3" check3
	time_cmd "$work/trace4" trace4
	time_cmd "$work/noop" make --no-print-directory kernel
done
bare_ms=$(median <"$work/bare")
check1_ms=$(median <"$work/check1")
check2_ms=$(median <"$work/check2")
check3_ms=$(median <"$work/check3")
trace4_ms=$(median <"$work/trace4")
noop_ms=$(median <"$work/noop")
ratio=$(awk -v a="$check1_ms" -v b="$bare_ms" 'BEGIN { printf "%.2f", a / b }')

# Memory: the runner's own peak and its largest child's (QEMU), from --json.
"$runner" check --dir solutions/01-hello-init --json >"$work/json" 2>/dev/null
rss=$(sed -n 's/.*"maxrss_kb": \([0-9]*\).*/\1/p' "$work/json")
qrss=$(sed -n 's/.*"children_maxrss_kb": \([0-9]*\).*/\1/p' "$work/json")

# The whole lab: verify (every solution passes, every starter fails).
t0=$(ms)
"$runner" verify >"$work/verify" 2>&1
verify_rc=$?
verify_ms=$(($(ms) - t0))
sol_ms=$(awk '/^ok   [0-9][0-9]-.* solution / { sub(/ s.*/, "", $5); t += $5 * 1000 } END { printf "%d", t }' "$work/verify")

# Grading throughput: 20 perfect submissions, stages 01-03, --jobs 2, with
# the sandbox (every compile in bwrap) and without it (--unsafe-no-sandbox:
# the grading of before the sandbox), alternating, GRADE_RUNS (default 3)
# of each; medians.
grade_line="(no grade command yet)" grade_ratio=""
if "$runner" help grade >/dev/null 2>&1; then
	mkdir -p "$work/class"
	for n in $(seq 1 20); do
		mkdir -p "$work/class/s$n/labs"
		for s in 01-hello-init 02-init-and-shell 03-little-shell; do
			cp -r "solutions/$s" "$work/class/s$n/labs/$s"
		done
	done
	grade20() { "$runner" grade "$work"/class/s* --stages 1,2,3 --jobs 2 --format text "$@"; }
	i=0
	while [ $i -lt "${GRADE_RUNS:-3}" ]; do
		i=$((i + 1))
		time_cmd "$work/grade_box" grade20
		time_cmd "$work/grade_open" grade20 --unsafe-no-sandbox
	done
	g_ms=$(median <"$work/grade_box")
	o_ms=$(median <"$work/grade_open")
	grade_line=$(awk -v m="$g_ms" 'BEGIN { printf "%.1f/min", 20 * 60000 / m }')
	grade_line="$grade_line ($(sec "$g_ms") for 20)"
	open_line=$(awk -v m="$o_ms" 'BEGIN { printf "%.1f/min", 20 * 60000 / m }')
	open_line="$open_line ($(sec "$o_ms") for 20)"
	grade_ratio=$(awk -v a="$g_ms" -v b="$o_ms" 'BEGIN { printf "%.2f", a / b }')
fi

# Stage 06: the solution's kernel against the stock one, as the check
# measures them (its JSON), and what a check costs when nothing changed.
s06_ms=
if [ -e build/kernel/defconfig/.built ] && [ -e build/busybox/busybox ]; then
	echo "bench: stage 06 (the first time, its kernel builds: a few minutes)..." >&2
	"$runner" check --dir solutions/06-leaner-kernel --json >"$work/s06.json" 2>/dev/null
	i=0
	while [ $i -lt "$runs" ]; do
		i=$((i + 1))
		time_cmd "$work/s06" "$runner" check --dir solutions/06-leaner-kernel
	done
	s06_ms=$(median <"$work/s06")
fi
# field NAME N: the Nth value of "NAME": in the JSON (1 yours, 2 defconfig)
field() { grep -o "\"$1\": [0-9-]*" "$work/s06.json" | sed -n "$2p" | awk '{ print $2 }'; }
mib() { awk -v b="$1" 'BEGIN { printf "%.1f MiB", b / 1048576 }'; }
guest() { awk -v u="$(field kernel_us "$1")" -v lo="$(field kernel_us_min "$1")" -v hi="$(field kernel_us_max "$1")" \
	'BEGIN { printf "%.1f ms (%.1f-%.1f)", u / 1000, lo / 1000, hi / 1000 }'; }
rebuild="not measured (COLD=1)"
if [ "${COLD:-0}" = 1 ] && [ -n "$s06_ms" ]; then
	t0=$(ms)
	LAB_KERNEL_OUT=$work/leaner LAB_KERNEL_FRAGMENT=$top/solutions/06-leaner-kernel/leaner.config \
		kernel/build.sh leaner >/dev/null 2>&1
	rebuild=$(sec $(($(ms) - t0)))
	echo "$rebuild (COLD=1 on $(date -u '+%Y-%m-%d'))" >"$top/build/bench-leaner-rebuild"
	rm -rf "$work/leaner" "$work/leaner.lock"
elif [ -s "$top/build/bench-leaner-rebuild" ]; then
	rebuild=$(cat "$top/build/bench-leaner-rebuild")
fi

# Build costs.
# A COLD=1 measurement is kept in build/bench-cold-kernel (the bench's own
# folder is emptied at every run); otherwise the lab's last full build.
cold="not measured (COLD=1)"
if [ "${COLD:-0}" = 1 ]; then
	t0=$(ms)
	LAB_KERNEL_OUT=$work/kernel kernel/build.sh lab >/dev/null 2>&1
	cold=$(sec $(($(ms) - t0)))
	echo "$cold (COLD=1 on $(date -u '+%Y-%m-%d'))" >"$top/build/bench-cold-kernel"
	rm -rf "$work/kernel"
elif [ -s "$top/build/bench-cold-kernel" ]; then
	cold=$(cat "$top/build/bench-cold-kernel")
elif [ -s "$kdir/.build-seconds" ]; then
	cold="$(cat "$kdir/.build-seconds") s (last full build)"
fi
# ls's size, not du's: an Image has holes of zeros that du does not count.
size() { [ -e "$1" ] && stat -c %s "$1" | awk '{ printf "%.1f MiB", $1 / 1048576 }' || echo "not built"; }
bb="not built"
[ -s build/busybox/.build-seconds ] && bb="$(cat build/busybox/.build-seconds) s (last full build)"

{
	echo "lab-runner benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $runs runs each (medians)"
	echo
	row "figure" "measured" "target"
	row "1. bare QEMU boot of hello init to its panic" "$(sec "$bare_ms")" ""
	row "   lab-runner check of the same" "$(sec "$check1_ms")" ""
	row "   ratio check / bare" "$ratio" "<= 1.25"
	row "2. stage 02 check (init sleeps 10 s x 3)" "$(sec "$check2_ms")" "<= 1.5 s"
	row "   stage 03 check (10 lines typed, 5 programs)" "$(sec "$check3_ms")" "<= 2.5 s"
	row "   trace of stage 04 (BusyBox init and sh)" "$(sec "$trace4_ms")" "<= 10 s"
	row "3. verify, whole lab (solutions + starters)" "$(sec "$verify_ms")" "(exit $verify_rc)"
	row "   of which the solutions" "$(sec "$sol_ms")" "< 30 s"
	awk '/ solution / { printf "     %-39s %14s\n", $2, $5 " s" }' "$work/verify"
	row "4. grading, 20 perfect submissions, --jobs 2" "$grade_line" "(sandboxed)"
	if [ -n "$grade_ratio" ]; then
		row "   the same, --unsafe-no-sandbox" "$open_line" ""
		row "   ratio sandboxed / not" "$grade_ratio" "<= 1.10"
	fi
	row "5. cold build of the lab kernel" "$cold" ""
	row "   cold build of BusyBox" "$bb" ""
	row "   no-op make kernel" "$(sec "$noop_ms")" "< 2 s"
	row "   Image size, lab" "$(size "$image")" ""
	row "   Image size, defconfig" "$(size build/kernel/defconfig/arch/riscv/boot/Image)" ""
	row "6. peak memory of lab-runner in a check" "$((rss / 1024)) MiB" "< 16 MiB"
	row "   peak memory of QEMU (guest has 128 MiB)" "$((qrss / 1024)) MiB" ""
	if [ -n "$s06_ms" ]; then
		row "7. stage 06 check, kernel unchanged" "$(sec "$s06_ms")" ""
		row "   rebuild of the solution's kernel" "$rebuild" ""
		row "   in memory: the solution's kernel" "$(mib "$(field memory_bytes 1)")" ""
		row "              the stock defconfig" "$(mib "$(field memory_bytes 2)")" ""
		row "   guest time to /init: solution" "$(guest 1)" ""
		row "                        defconfig" "$(guest 2)" ""
	else
		row "7. stage 06" "not measured" "(no defconfig kernel or BusyBox)"
	fi
} | tee "$out"
