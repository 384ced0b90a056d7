#!/bin/sh
# busybox/build.sh: build BusyBox as one static riscv64 binary for the guest.
#
# Source:  the distribution's own `busybox` source package (1.35.0 in Debian
#          12, 1.37.0 in Debian 13, with Debian's patches), fetched once with
#          `apt-get source` and unpacked into build/src/busybox-VERSION/.
# Config:  `make defconfig` + busybox/lab.config (a fragment, see its header).
# Output:  build/busybox/ (BusyBox's O= folder), holding .config and the
#          binary build/busybox/busybox that goes into the initramfs.
# Log:     build/busybox/build.log (build/apt/fetch-busybox.log for the download);
#          on failure its path and last 30 lines.
#
# Run it again when nothing changed and it says so in one line. A changed
# busybox/lab.config reconfigures and rebuilds; so does an edit of
# build/busybox/.config (make menuconfig), which survives until the fragment
# itself changes.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
lib_name=busybox
# shellcheck source=../tools/buildlib.sh
. "$top/tools/buildlib.sh"
frag=$top/busybox/lab.config
unpacked=$top/build/src/.busybox-unpacked   # stamp: names the unpacked tree (lib_apt_source)
out=$top/build/busybox
log=$out/build.log
jobs=${JOBS:-$(nproc)}

die() { lib_die "$@"; }

# 0. Nothing to do? The binary exists, the fragment is the one it was built
#    from, and neither .config nor the scripts changed since. This test runs
#    first and costs a few milliseconds.
if [ -e "$unpacked" ] && cmp -s "$frag" "$out/.fragment-built" &&
	lib_up_to_date "$out/busybox" "$out/.built" "$out/.config" "$0" "$top/tools/buildlib.sh"; then
	echo "busybox: up to date, nothing to do (build/busybox/busybox)"
	exit 0
fi

# 1. Fetch and unpack Debian's source package, once (tools/buildlib.sh:
#    apt-get with the lab's own folders under build/apt/, never the
#    system's apt sources).
lib_apt_source busybox
src=$lib_src

# 2. Configure. ---------------------------------------------------------------
lib_need_cross
if ! command -v make >/dev/null || ! command -v gcc >/dev/null; then
	die "no make or host gcc (BusyBox's configurator is built for this machine): run 'make setup'"
fi

bbmake() {
	make -C "$src" O="$out" CROSS_COMPILE=riscv64-linux-gnu- "$@"
}
mkdir -p "$out"
if [ ! -e "$out/.config" ] || ! cmp -s "$frag" "$out/.fragment-applied"; then
	echo "busybox: configuring = defconfig + busybox/lab.config"
	rm -f "$out/.fragment-applied"
	bbmake -s defconfig >"$log" 2>&1 || die "defconfig failed, see $log"
	# Put each line of the fragment in place of defconfig's line for the
	# same symbol: build a sed script that deletes those lines, then append.
	sym='CONFIG_[A-Za-z0-9_]*'
	lib_fragment_lines "$frag" |
		sed -e "s/^# \($sym\) is not set\$/\1/" -e 's/=.*//' |
		sed -e 's|.*|/^&=/d\n/^# & is not set$/d|' >"$out/.fragment.sed"
	sed -i -f "$out/.fragment.sed" "$out/.config"
	rm -f "$out/.fragment.sed"
	lib_fragment_lines "$frag" >>"$out/.config"
	# oldconfig asks about every symbol whose dependencies changed; the
	# empty answers from `yes ""` take each default.
	yes "" | bbmake oldconfig >>"$log" 2>&1 || die "oldconfig failed, see $log"
	# Every line of the fragment must stand in .config exactly.
	missing=$(lib_fragment_missing "$frag" "$out/.config")
	if [ -n "$missing" ]; then
		printf 'busybox: these lines of busybox/lab.config are not in the final .config\n%s\n' "$missing" >&2
		die "a symbol that does not exist, or whose dependencies are off, is dropped silently by Kconfig; fix busybox/lab.config (menuconfig's / search shows each symbol's dependencies)"
	fi
	cp "$frag" "$out/.fragment-applied"
else
	: >"$log"
fi

# 3. Build, showing one live progress line: on a terminal it is rewritten in
#    place, in a log file (stderr not a terminal) a line every 30 s. The total
#    is what the last full build counted, or a measured first guess.
total=$(cat "$out/.steps" 2>/dev/null || echo 640)
start=$(date +%s)
lib_build "the build" "busybox(${src##*/busybox-})" "$total" "$out" "$log" "$start" \
	bbmake -j"$jobs" busybox
cp "$frag" "$out/.fragment-built"
touch "$out/.built"
echo "busybox: $(du -h "$out/busybox" | cut -f1) static riscv64 binary ready in $(($(date +%s) - start)) s: build/busybox/busybox"
