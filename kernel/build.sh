#!/bin/sh
# kernel/build.sh CONFIG: build the RISC-V kernel for one configuration.
#
#   CONFIG = lab        tinyconfig + kernel/lab.config (the default)
#   CONFIG = defconfig  the stock riscv defconfig, as the original article builds it
#   CONFIG = leaner     defconfig + the fragment in LAB_KERNEL_FRAGMENT: stage 06,
#                       the learner's own kernel (labs/06-leaner-kernel/leaner.config)
#
# For tests: LAB_KERNEL_FRAGMENT and LAB_KERNEL_OUT replace kernel/lab.config
# and build/kernel/CONFIG.
#
# leaner, the learner's kernel, differs from the stock one in a few symbols.
# Its folder starts as a copy of build/kernel/defconfig (built first if need
# be), so kbuild recompiles only the files that read a changed symbol (fixdep
# records, for each object, the CONFIG_ names its source used) and relinks:
# a few minutes instead of ten or more. With LAB_KERNEL_INSTALL=DIR
# it copies Image, vmlinux and .config (as kernel.config) into DIR; the whole
# run holds a lock, so two checks at once never copy a half-built Image.
#
# Source:  Debian's linux-source-6.1 tarball, unpacked once into build/src/.
# Output:  build/kernel/CONFIG/ (kbuild's O= folder), holding .config,
#          arch/riscv/boot/Image (what QEMU boots) and vmlinux (symbols for gdb).
# Log:     build/kernel/CONFIG/build.log; on failure its path and last 30 lines.
#
# The Makefile calls this only when an input changed; this script itself also
# reconfigures only when the fragment changed, so a `make menuconfig` edit of
# build/kernel/CONFIG/.config survives the next build.
set -eu

config=${1:-lab}
top=$(cd "$(dirname "$0")/.." && pwd)
tarball=${LINUX_TARBALL:-/usr/src/linux-source-6.1.tar.xz}
src=$top/build/src/linux-source-6.1
out=${LAB_KERNEL_OUT:-$top/build/kernel/$config}
log=$out/build.log
jobs=${JOBS:-$(nproc)}
kmake="make -s -C $src O=$out ARCH=riscv CROSS_COMPILE=riscv64-linux-gnu-"

die() { echo "kernel: $*" >&2; exit 1; }

case $config in
lab|defconfig) ;;
leaner)
	[ -n "${LAB_KERNEL_FRAGMENT:-}" ] || die "leaner needs LAB_KERNEL_FRAGMENT=FILE (the learner's fragment)"
	[ -r "$LAB_KERNEL_FRAGMENT" ] || die "cannot read the fragment $LAB_KERNEL_FRAGMENT"
	;;
*) die "unknown configuration '$config' (use lab, defconfig or leaner)" ;;
esac

[ -r "$tarball" ] || die "no kernel source at $tarball: run 'make setup' (it installs linux-source-6.1)"
command -v riscv64-linux-gnu-gcc >/dev/null ||
	die "no cross compiler riscv64-linux-gnu-gcc: run 'make setup'"

# 1. Unpack the source once. The stamp is written last, so an interrupted
#    unpack is redone instead of leaving half a tree that looks finished.
#    Every configuration shares the source: one unpack at a time.
mkdir -p "$top/build"
exec 8>"$top/build/src.lock"
flock 8
if [ ! -e "$top/build/src/.unpacked" ] || [ "$tarball" -nt "$top/build/src/.unpacked" ]; then
	echo "kernel: unpacking $tarball (about 20 s)"
	rm -rf "$src"
	mkdir -p "$top/build/src"
	tar -C "$top/build/src" -xf "$tarball"
	touch "$top/build/src/.unpacked"
fi
exec 8>&-
mkdir -p "$out"
frag=${LAB_KERNEL_FRAGMENT:-$top/kernel/lab.config}
# The fragment as its author knows it (the learner's is built from a copy).
shown=$frag
[ "$frag" = "$top/kernel/lab.config" ] && shown=kernel/lab.config
[ "$config" = leaner ] && shown=$(basename "$frag")

# One build at a time in a folder: a second one waits here (the lock goes
# when this script exits), then finds little or nothing left to do.
exec 9>"$out.lock"
flock 9

# leaner: start from a copy of the stock build (built first if need be);
# when the fragment is the one built last, there is nothing to do, not even
# a kbuild walk.
install() {
	[ -n "${LAB_KERNEL_INSTALL:-}" ] || return 0
	cp "$out/arch/riscv/boot/Image" "$LAB_KERNEL_INSTALL/Image" &&
		cp "$out/vmlinux" "$LAB_KERNEL_INSTALL/vmlinux" &&
		cp "$out/.config" "$LAB_KERNEL_INSTALL/kernel.config" ||
		die "cannot copy the kernel into $LAB_KERNEL_INSTALL"
	# gdb's offsets of task_struct (engine/gdb.h), read once per kernel.
	[ ! -e "$out/vmlinux.task-offsets" ] ||
		cp "$out/vmlinux.task-offsets" "$LAB_KERNEL_INSTALL/vmlinux.task-offsets"
}
if [ "$config" = leaner ]; then
	stock=$top/build/kernel/defconfig
	if [ ! -e "$stock/.built" ]; then
		echo "kernel: stage 06 compares your kernel with the stock one: building defconfig first (once)"
		LAB_KERNEL_OUT= LAB_KERNEL_FRAGMENT= LAB_KERNEL_INSTALL= "$0" defconfig
	fi
	# Which stock build this one started from: its vmlinux's time and size.
	# (A stock rebuild that changed nothing leaves vmlinux alone.)
	stamp=$(stat -c '%Y %s' "$stock/vmlinux")
	if [ -e "$out/.built" ] && cmp -s "$frag" "$out/.fragment-applied" &&
		[ "$(cat "$out/.stock-stamp" 2>/dev/null)" = "$stamp" ]; then
		echo "kernel(leaner): up to date ($shown unchanged since the last build)"
		install
		exit 0
	fi
	if [ ! -e "$out/.config" ] || [ "$(cat "$out/.stock-stamp" 2>/dev/null)" != "$stamp" ]; then
		echo "kernel: copying the stock build as a start (only what your fragment changes is recompiled)"
		rm -rf "$out"
		cp -a "$stock" "$out"
		rm -f "$out/.built" "$out/.fragment-applied" "$out/build.log"
		echo "$stamp" >"$out/.stock-stamp"
	fi
fi

# 2. Configure. lab: tinyconfig, merge the fragment, let olddefconfig fill in
#    the rest, then prove every fragment line made it into .config. leaner:
#    the same on top of defconfig.
fresh=0
if [ "$config" = lab ] || [ "$config" = leaner ]; then
	if [ ! -e "$out/.config" ] || ! cmp -s "$frag" "$out/.fragment-applied"; then
		base=tinyconfig
		[ "$config" = leaner ] && base=defconfig
		echo "kernel: configuring $config = $base + $shown"
		$kmake $base >"$log" 2>&1 || die "$base failed, see $log"
		"$src/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" "$frag" >>"$log" 2>&1 ||
			die "merge_config.sh failed, see $log"
		$kmake olddefconfig >>"$log" 2>&1 || die "olddefconfig failed, see $log"
		cp "$frag" "$out/.fragment-applied"
		fresh=1
	fi
	# Every CONFIG_X=v (or "# CONFIG_X is not set") of the fragment must stand
	# in .config exactly; Kconfig drops a symbol whose dependencies are off.
	missing=$(grep -E '^(CONFIG_[A-Za-z0-9_]+=|# CONFIG_[A-Za-z0-9_]+ is not set)' "$frag" |
		while IFS= read -r line; do
			grep -qxF "$line" "$out/.config" || echo "  $line"
		done)
	if [ -n "$missing" ] && [ "$fresh" = 1 ]; then
		rm -f "$out/.fragment-applied"
		printf 'kernel: these lines of %s are not in the final .config:\n%s\n' "$shown" "$missing" >&2
		die "Kconfig drops without a word a symbol that does not exist (a typo? another kernel version?) or whose dependencies are off, and turns back on one that something still on selects; fix $shown (each symbol's Kconfig entry shows what it depends on; grep -rn 'select NAME' finds who selects it)"
	elif [ -n "$missing" ]; then
		# A later edit (make menuconfig) changed these: the learner's choice.
		printf 'kernel: note: your .config (changed with menuconfig?) differs from %s in:\n%s\n' \
			"$shown" "$missing"
	fi
elif [ ! -e "$out/.config" ]; then
	echo "kernel: configuring defconfig (the stock riscv configuration)"
	$kmake defconfig >"$log" 2>&1 || die "defconfig failed, see $log"
fi
$kmake olddefconfig >>"$log" 2>&1 || die "olddefconfig failed, see $log"

# 3. Build Image (and vmlinux, which Image is made from), showing one live
#    progress line. The total is what the last full build of this
#    configuration compiled, or a measured first guess; for leaner, 0: only
#    what the fragment touches is rebuilt, a number not known ahead (the
#    .steps it copied are the stock build's).
case $config in
lab) total=$(cat "$out/.steps" 2>/dev/null || echo 1410) ;;
defconfig) total=$(cat "$out/.steps" 2>/dev/null || echo 2380) ;;   # measured: 2379 steps
leaner)
	total=0
	rm -f "$out/.built"   # a failed build must not look finished next time
	;;
esac
start=$(date +%s)
# Debian's awk is mawk, which reads a pipe 4 KB at a time: the progress line
# would jump a hundred files at once. -W interactive makes it read by line.
awkline=
case $(awk -W version 2>&1 </dev/null) in mawk*) awkline="-W interactive" ;; esac
tty=0
[ -t 1 ] && tty=1
set +e
{
	make -C "$src" O="$out" ARCH=riscv CROSS_COMPILE=riscv64-linux-gnu- \
		-j"$jobs" Image 2>&1
	echo "__rc=$?"
} | tee -a "$log" | awk $awkline -f "$top/tools/progress.awk" -v name="kernel($config)" \
	-v total="$total" -v start="$start" -v tty="$tty" -v steps="$out/.steps.new"
rc=$?
set -e
if [ $rc -ne 0 ]; then
	echo "kernel: build of '$config' failed; the full log is $log, its last 30 lines:" >&2
	tail -n 30 "$log" >&2
	exit 1
fi
# Keep the count of a full build as the next total (a small rebuild would
# make the next full build's progress line run past 100%).
steps=$(cat "$out/.steps.new")
if [ "$steps" -gt "$((total / 2))" ]; then
	mv "$out/.steps.new" "$out/.steps"
	echo $(($(date +%s) - start)) >"$out/.build-seconds"   # for bench/run.sh
else
	rm -f "$out/.steps.new"
fi
# The runner reads task_struct's pid and comm offsets from vmlinux's debug
# info once per kernel (engine/gdb.h); do it now, not at the first check.
rm -f "$out/vmlinux.task-offsets"
if command -v gdb-multiarch >/dev/null; then
	gdb-multiarch -q -nx -batch "$out/vmlinux" -ex 'printf "%d %d\n", &((struct task_struct *)0)->pid, &((struct task_struct *)0)->comm' \
		2>/dev/null | tail -n 1 >"$out/vmlinux.task-offsets.tmp" || true
	# No debug info (defconfig): "-1 -1" tells the runner not to ask again.
	if [ ! -s "$out/vmlinux.task-offsets.tmp" ] && ! grep -q '^CONFIG_DEBUG_INFO=y' "$out/.config"; then
		echo "-1 -1" >"$out/vmlinux.task-offsets.tmp"
	fi
	if [ -s "$out/vmlinux.task-offsets.tmp" ]; then
		mv "$out/vmlinux.task-offsets.tmp" "$out/vmlinux.task-offsets"
	else
		rm -f "$out/vmlinux.task-offsets.tmp"
	fi
fi
touch "$out/.built"
install
# (ls's size, not du's: the Image has holes of zeros, which du does not count.)
mib=$(stat -c %s "$out/arch/riscv/boot/Image" | awk '{ printf "%.1f MiB", $1 / 1048576 }')
echo "kernel($config): $mib Image ready in $(($(date +%s) - start)) s: ${out#"$top"/}/arch/riscv/boot/Image"
