#!/bin/sh
# kernel/build.sh CONFIG: build the RISC-V kernel for one configuration.
#
#   CONFIG = lab        tinyconfig + kernel/lab.config (the default)
#   CONFIG = defconfig  the stock riscv defconfig, as the original article builds it
#   CONFIG = leaner     defconfig + the fragment in LAB_KERNEL_FRAGMENT: stage 06,
#                       the learner's own kernel (labs/06-leaner-kernel/leaner.config);
#                       with LAB_KERNEL_BASE=lab, the lab kernel (tinyconfig +
#                       kernel/lab.config) + the fragment instead: stage 08, whose
#                       fragment builds the archive into the kernel
#
# For tests: LAB_KERNEL_FRAGMENT and LAB_KERNEL_OUT replace kernel/lab.config
# and build/kernel/CONFIG.
#
# Source: the first of
#   1. KSRC=PATH: a kernel tarball (Debian's /usr/src/linux-source-X.Y.tar.xz,
#      kernel.org's linux-X.Y.Z.tar.xz) or an unpacked tree, kept out of;
#      remembered in build/kernel/source for the builds after it (all
#      configurations: the lab's kernels come from one source);
#   2. the source named in build/kernel/source, while it exists;
#   3. the distribution's: the linux-source-X.Y that Debian's `linux-source`
#      package depends on (6.1 on Debian 12, 6.12 on Debian 13), else the
#      lowest-numbered /usr/src/linux-source-X.Y.tar.xz there is.
# A tarball is unpacked once into build/src/NAME/. Its version, read from the
# tree's Makefile, is in the progress line and in build/kernel/CONFIG/
# kernel.version (e.g. "6.12.117"), for the checks. A folder built from
# another source is started afresh. Symbols renamed, added or removed between
# versions are applied as this kernel has them (kernel/symbol-changes).
#
# leaner, the learner's kernel, differs from the stock one in a few symbols.
# Its folder starts as a copy of build/kernel/defconfig (built first if need
# be), so kbuild recompiles only the files that read a changed symbol (fixdep
# records, for each object, the CONFIG_ names its source used) and relinks:
# a few minutes instead of ten or more. With LAB_KERNEL_INSTALL=DIR
# it copies Image, vmlinux and .config (as kernel.config) into DIR; the whole
# run holds a lock, so two checks at once never copy a half-built Image.
#
# Output:  build/kernel/CONFIG/ (kbuild's O= folder), holding .config,
#          arch/riscv/boot/Image (what QEMU boots), vmlinux (symbols for gdb),
#          and source (kbuild's link to the source tree).
# Log:     build/kernel/CONFIG/build.log; on failure its path and last 30 lines.
#
# When nothing changed (the same source, fragment, .config and scripts as the
# last build) it says so in one line, after a few stat() calls. It reconfigures
# only when the fragment or the source changed, so a `make menuconfig` edit of
# build/kernel/CONFIG/.config survives the next build.
#
# `-nt`, "newer than", is not in POSIX, but every sh the lab meets has it
# (dash, bash, busybox ash). lib_name is read by tools/buildlib.sh.
# shellcheck disable=SC3013,SC2034
set -eu

config=${1:-lab}
top=$(cd -P "$(dirname "$0")/.." && pwd)   # -P: as kbuild's source link says it
lib_name=kernel
# shellcheck source=../tools/buildlib.sh
. "$top/tools/buildlib.sh"
die() { lib_die "$@"; }
out=${LAB_KERNEL_OUT:-$top/build/kernel/$config}
log=$out/build.log
record=$top/build/kernel/source
changes=$top/kernel/symbol-changes
jobs=${JOBS:-$(nproc)}

case $config in
lab|defconfig) ;;
leaner)
	[ -n "${LAB_KERNEL_FRAGMENT:-}" ] || die "leaner needs LAB_KERNEL_FRAGMENT=FILE (the learner's fragment)"
	[ -r "$LAB_KERNEL_FRAGMENT" ] || die "cannot read the fragment $LAB_KERNEL_FRAGMENT"
	lbase=${LAB_KERNEL_BASE:-defconfig}
	case $lbase in lab|defconfig) ;; *) die "LAB_KERNEL_BASE is lab or defconfig, not '$lbase'" ;; esac
	;;
*) die "unknown configuration '$config' (use lab, defconfig or leaner)" ;;
esac

# 1. Which source. -----------------------------------------------------------
install_hint="install Debian's linux-source package ('make setup' does), or name a kernel tarball or tree with KSRC=PATH"

# The distribution's kernel source: the tarball of the linux-source-X.Y that
# the installed `linux-source` package depends on, else the lowest version
# of /usr/src/linux-source-*.tar.xz (Debian 12 can have 6.1 and 6.12: its
# own is 6.1). Nothing when there is none.
distro_source() {
	dep=$(dpkg-query -W -f='${Depends}' linux-source 2>/dev/null |
		sed -n 's/^\(linux-source-[0-9][0-9.]*\).*/\1/p')
	if [ -n "$dep" ] && [ -r "/usr/src/$dep.tar.xz" ]; then
		echo "/usr/src/$dep.tar.xz"
		return
	fi
	for f in /usr/src/linux-source-*.tar.xz; do
		[ -r "$f" ] && echo "$f"
	done | sort -V | head -n 1
}

given=0
if [ -n "${KSRC:-}" ]; then
	given=1
	ksrc=$KSRC
	case $ksrc in /*) ;; *) ksrc=$PWD/$ksrc ;; esac
	while [ "${ksrc%/}" != "$ksrc" ] && [ "$ksrc" != / ]; do ksrc=${ksrc%/}; done
	[ -e "$ksrc" ] || die "KSRC '$KSRC' does not exist: give a kernel tarball (e.g. linux-6.5.2.tar.xz) or an unpacked kernel tree"
elif [ -s "$record" ] && [ -e "$(cat "$record")" ]; then
	ksrc=$(cat "$record")
else
	ksrc=$(distro_source)
	[ -n "$ksrc" ] || die "no kernel source: $install_hint"
	if [ -s "$record" ]; then
		echo "kernel: note: the kernel source this lab used, $(cat "$record"), is gone; using $ksrc"
	fi
fi
# How messages name it.
what="the kernel source '$ksrc'"
[ "$given" = 0 ] || what="KSRC '$ksrc'"
# What the source is, as the folder built from it records it (.source): a
# tarball by its path, size and time (a package update changes them), a
# tree by its path.
if [ -d "$ksrc" ]; then
	ident="tree $ksrc"
elif [ -f "$ksrc" ]; then
	case $ksrc in
	*.tar|*.tar.*|*.tgz) ident="tarball $ksrc $(stat -L -c '%s %Y' "$ksrc")" ;;
	*) die "$what is not a kernel source: give a kernel tarball (.tar.xz, .tar.gz, ...) or an unpacked kernel tree" ;;
	esac
else
	die "$what is neither a file nor a folder: $install_hint"
fi
[ -r "$ksrc" ] || die "cannot read $what"

command -v riscv64-linux-gnu-gcc >/dev/null ||
	die "no cross compiler riscv64-linux-gnu-gcc: run 'make setup'"

frag=${LAB_KERNEL_FRAGMENT:-$top/kernel/lab.config}
# The fragment as its author knows it (the learner's is built from a copy).
shown=$frag
[ "$frag" = "$top/kernel/lab.config" ] && shown=kernel/lab.config
[ "$config" = leaner ] && shown=$(basename "$frag")

# Nothing changed since the last build? (stat and cmp only: no unpacking,
# no kbuild.) For a tree, also no source file newer than the last build.
up_to_date() {
	[ -e "$out/.built" ] && [ "$(cat "$out/.source" 2>/dev/null)" = "$ident" ] || return 1
	[ ! "$out/.config" -nt "$out/.built" ] || return 1
	for f in "$top/kernel/build.sh" "$top/tools/buildlib.sh" "$changes" \
		"$top/kernel/task-offsets.gdb"; do
		[ ! "$f" -nt "$out/.built" ] || return 1
	done
	if [ "$config" != defconfig ]; then
		cmp -s "$frag" "$out/.fragment-applied" || return 1
	fi
	case $ident in
	tree*)
		[ -z "$(find "$ksrc" -path "$ksrc/.git" -prune -o -newer "$out/.built" \
			\( -name '*.[chS]' -o -name 'Kconfig*' -o -name 'Makefile*' -o -name '*.dts*' \) \
			-print 2>/dev/null | head -n 1)" ] || return 1
		;;
	esac
}

# A kernel tree? Its top Makefile names the version, and it has riscv.
is_kernel_tree() {
	[ -f "$1/Makefile" ] && grep -q '^VERSION = [0-9]' "$1/Makefile" &&
		grep -q '^PATCHLEVEL = [0-9]' "$1/Makefile" &&
		[ -f "$1/arch/riscv/Kconfig" ] && [ -f "$1/scripts/kconfig/merge_config.sh" ]
}

# The version a tree's Makefile says: "6.12.117", "6.5.2", "6.6.0-rc1".
tree_version() {
	awk -F' *= *' '
		$1 == "VERSION" { v = $2 } $1 == "PATCHLEVEL" { p = $2 }
		$1 == "SUBLEVEL" { s = $2 } $1 == "EXTRAVERSION" { e = $2 }
		/^NAME/ { exit }
		END { printf "%s.%s.%s%s\n", v, p, s == "" ? 0 : s, e }' "$1/Makefile"
}

if [ "$config" != leaner ] && up_to_date; then
	echo "kernel($config, $(cat "$out/kernel.version" 2>/dev/null || echo '?')): up to date, nothing to do (${out#"$top"/}/arch/riscv/boot/Image)"
	exit 0
fi

# 2. Unpack a tarball once. It goes to a folder of its own first, and takes
#    its place only once whole and proven a kernel tree: an interrupted or
#    refused unpack leaves nothing that looks finished. Every configuration
#    shares the source: one unpack at a time.
mkdir -p "$top/build/src"
case $ident in
tree*)
	is_kernel_tree "$ksrc" ||
		die "$what is not a kernel source: no Linux tree there (its Makefile with VERSION, arch/riscv/)"
	if [ -e "$ksrc/.config" ] || [ -d "$ksrc/include/config" ]; then
		die "the kernel tree '$ksrc' was configured in place (it has a .config): the lab builds out of it, in build/kernel/; run 'make mrproper' there, or give a clean copy"
	fi
	src=$ksrc
	;;
tarball*)
	name=$(basename "$ksrc")
	name=${name%.tgz}
	name=${name%.tar*}
	src=$top/build/src/$name
	stamp=$top/build/src/.$name.unpacked
	exec 8>"$top/build/src.lock"
	if ! flock -n 8; then
		echo "kernel: another build is checking or unpacking the kernel source; waiting for it (the lock is build/src.lock)"
		flock 8
	fi
	# The layout before versions: build/src/.unpacked for linux-source-6.1.
	if [ ! -e "$stamp" ] && [ "$ksrc" = /usr/src/linux-source-6.1.tar.xz ] &&
		[ -e "$top/build/src/.unpacked" ] && [ ! "$ksrc" -nt "$top/build/src/.unpacked" ] &&
		is_kernel_tree "$src"; then
		echo "$ident" >"$stamp"
	fi
	if [ "$(cat "$stamp" 2>/dev/null)" != "$ident" ] || ! is_kernel_tree "$src"; then
		rm -rf "$top/build/src/.unpack."* "$stamp"
		tmp=$top/build/src/.unpack.$$
		# A file tar cannot read is refused before anything is written
		# (reading its first entry is instant, even for a kernel's).
		if [ -z "$(tar -tf "$ksrc" 2>"$tmp.err" | head -n 1)" ]; then
			said=$(grep -v '^tar: Error\|^tar: Child' "$tmp.err" | head -n 1)
			rm -f "$tmp.err"
			die "$what is not a kernel source: tar cannot unpack it (${said:-it is empty})"
		fi
		echo "kernel: unpacking $ksrc (about a minute)"
		mkdir "$tmp"
		if ! tar -C "$tmp" -xf "$ksrc" 2>"$tmp.err"; then
			said=$(head -n 1 "$tmp.err")
			rm -rf "$tmp" "$tmp.err"
			die "$what is not a kernel source: tar cannot unpack it (${said:-no reason given})"
		fi
		rm -f "$tmp.err"
		set -- "$tmp"/*
		if [ $# -ne 1 ] || ! is_kernel_tree "$1"; then
			rm -rf "$tmp"
			die "$what is not a kernel source: it holds no Linux tree (one folder with the Makefile that names VERSION, and arch/riscv/)"
		fi
		rm -rf "$src"
		mv "$1" "$src"
		rmdir "$tmp"
		echo "$ident" >"$stamp"   # written last: an interrupted unpack is redone
	fi
	exec 8>&-
	;;
esac
version=$(tree_version "$src")
case $version in
[0-5].*|6.0.*) echo "kernel: note: Linux $version is older than the 6.1 the lab was made on; its fragment may not fit" ;;
esac
# The source is good: from now on it is the lab's (not for a test's folder).
if [ "$given" = 1 ] && [ -z "${LAB_KERNEL_OUT:-}" ]; then
	mkdir -p "$(dirname "$record")"
	[ "$(cat "$record" 2>/dev/null)" = "$ksrc" ] || echo "$ksrc" >"$record"
fi
kmake="make -s -C $src O=$out ARCH=riscv CROSS_COMPILE=riscv64-linux-gnu-"

# A folder built from another source starts afresh (kbuild's objects, the
# configuration and the step count all belong to one source). A folder of
# the layout before versions (no .source), built from this very tree and
# not older than its tarball, is adopted as it is.
if [ -e "$out/.source" ] && [ "$(cat "$out/.source")" != "$ident" ] &&
	[ "$(readlink "$out/source" 2>/dev/null)" != "$src" ]; then
	echo "kernel: ${out#"$top"/} was built from Linux $(cat "$out/kernel.version" 2>/dev/null || echo '?'); building it afresh from $version"
	rm -rf "$out"
elif [ ! -e "$out/.source" ] && [ -e "$out/.built" ]; then
	if [ "$(readlink "$out/source" 2>/dev/null)" = "$src" ] && [ ! "$ksrc" -nt "$out/.built" ]; then
		echo "$ident" >"$out/.source"
		echo "$version" >"$out/kernel.version"
	else
		rm -rf "$out"
	fi
fi
mkdir -p "$out"
# On the lab kernel, the learner's fragment comes after the lab's own (kept
# beside the folder: starting from the lab kernel's build replaces it).
if [ "$config" = leaner ] && [ "$lbase" = lab ]; then
	cat "$top/kernel/lab.config" "$frag" >"$out.fragment"
	frag=$out.fragment
fi

# One build at a time in a folder: a second one waits here (the lock goes
# when this script exits), then finds little or nothing left to do. It says
# so first: the build it waits for can take minutes (a stock kernel: ten).
exec 9>"$out.lock"
if ! flock -n 9; then
	echo "kernel: another build of ${out#"$top"/} is running (make kernel, make start, or a check); waiting for it to end (the lock is ${out#"$top"/}.lock)"
	flock 9
	echo "kernel: the other build of ${out#"$top"/} has ended; going on"
fi

# leaner: start from a copy of the stock build (built first if need be);
# when the fragment is the one built last, there is nothing to do, not even
# a kbuild walk.
install() {
	[ -n "${LAB_KERNEL_INSTALL:-}" ] || return 0
	rm -f "$LAB_KERNEL_INSTALL/vmlinux.task-offsets"
	cp "$out/arch/riscv/boot/Image" "$LAB_KERNEL_INSTALL/Image" &&
		cp "$out/vmlinux" "$LAB_KERNEL_INSTALL/vmlinux" &&
		cp "$out/.config" "$LAB_KERNEL_INSTALL/kernel.config" ||
		die "cannot copy the kernel into $LAB_KERNEL_INSTALL"
	# gdb's offsets of task_struct (kernel/task-offsets.gdb), read once per kernel.
	[ ! -e "$out/vmlinux.task-offsets" ] ||
		cp "$out/vmlinux.task-offsets" "$LAB_KERNEL_INSTALL/vmlinux.task-offsets"
}
if [ "$config" = leaner ]; then
	stock=$top/build/kernel/$lbase
	if [ ! -e "$stock/.built" ] || [ "$(cat "$stock/.source" 2>/dev/null)" != "$ident" ]; then
		if [ "$lbase" = defconfig ]; then
			echo "kernel: stage 06 compares your kernel with the stock one: building defconfig first (once)"
		else
			echo "kernel: your kernel starts from the lab's: building it first"
		fi
		LAB_KERNEL_OUT= LAB_KERNEL_FRAGMENT= LAB_KERNEL_INSTALL= LAB_KERNEL_BASE= "$0" "$lbase"
	fi
	# Which stock build this one started from: its vmlinux's time and size.
	# (A stock rebuild that changed nothing leaves vmlinux alone.)
	stamp=$(stat -c '%Y %s' "$stock/vmlinux")
	if [ -e "$out/.built" ] && cmp -s "$frag" "$out/.fragment-applied" &&
		[ "$(cat "$out/.stock-stamp" 2>/dev/null)" = "$stamp" ]; then
		echo "kernel(leaner, $version): up to date ($shown unchanged since the last build)"
		install
		exit 0
	fi
	if [ ! -e "$out/.config" ] || [ "$(cat "$out/.stock-stamp" 2>/dev/null)" != "$stamp" ]; then
		echo "kernel: copying build/kernel/$lbase as a start (only what your fragment changes is recompiled)"
		rm -rf "$out"
		cp -a "$stock" "$out"
		rm -f "$out/.built" "$out/.fragment-applied" "$out/build.log"
		echo "$stamp" >"$out/.stock-stamp"
	fi
fi

# 3. Configure. lab: tinyconfig, merge the fragment, let olddefconfig fill in
#    the rest, then prove every fragment line made it into .config. leaner:
#    the same on top of defconfig.

# Does this kernel define the Kconfig symbol $1 for riscv? (Other
# architectures' Kconfig files do not count: arm has an ARCH_VIRT of its own.)
has_symbol() {
	[ -n "$(lib_kconfig_entry "$src" "$1")" ]
}

# The fragment as this kernel has its symbols: out/.fragment, renamed or
# without a line, as kernel/symbol-changes says, with a note for each.
# Which file a fragment line for CONFIG_$1 came from, as its author knows it:
# on the lab kernel (LAB_KERNEL_BASE=lab) kernel/lab.config's lines come first.
line_from() {
	if [ "$config" = leaner ] && [ "$lbase" = lab ] &&
		grep -qE "^(CONFIG_$1=|# CONFIG_$1 is not set)" "$top/kernel/lab.config"; then
		echo kernel/lab.config
	else
		echo "$shown"
	fi
}

apply_symbol_changes() {
	cp "$frag" "$out/.fragment"
	grep -v '^[[:space:]]*\(#\|$\)' "$changes" | while read -r old new; do
		for pair in "$old $new" "$new $old"; do
			# shellcheck disable=SC2086  # two words
			set -- $pair
			[ "$1" != - ] || continue
			grep -qE "^(CONFIG_$1=|# CONFIG_$1 is not set)" "$out/.fragment" || continue
			has_symbol "$1" && continue
			if [ "$2" = - ]; then
				sed -i -E "/^(CONFIG_$1=|# CONFIG_$1 is not set\$)/d" "$out/.fragment"
				echo "kernel: Linux $version has no CONFIG_$1: $(line_from "$1")'s line for it is left out (kernel/symbol-changes)"
				continue
			fi
			has_symbol "$2" || continue
			sed -i -e "s/^CONFIG_$1=/CONFIG_$2=/" -e "s/^# CONFIG_$1 is not set\$/# CONFIG_$2 is not set/" \
				"$out/.fragment"
			echo "kernel: Linux $version has CONFIG_$2, not CONFIG_$1: $(line_from "$1")'s line is applied as CONFIG_$2 (kernel/symbol-changes)"
		done
	done
}

fresh=0
if [ "$config" = lab ] || [ "$config" = leaner ]; then
	if [ ! -e "$out/.config" ] || ! cmp -s "$frag" "$out/.fragment-applied"; then
		base=tinyconfig
		[ "$config" = leaner ] && [ "$lbase" = defconfig ] && base=defconfig
		echo "kernel: configuring $config = $base + $shown (Linux $version)"
		rm -f "$out/.fragment-applied" "$out/.built"
		echo "$version" >"$out/kernel.version"
		$kmake $base >"$log" 2>&1 || die "$base failed, see $log"
		apply_symbol_changes
		"$src/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" "$out/.fragment" >>"$log" 2>&1 ||
			die "merge_config.sh failed, see $log"
		$kmake olddefconfig >>"$log" 2>&1 || die "olddefconfig failed, see $log"
		cp "$frag" "$out/.fragment-applied"
		fresh=1
	fi
	# Every CONFIG_X=v (or "# CONFIG_X is not set", or CONFIG_X=n, which
	# Kconfig writes so) of the fragment must stand in .config exactly;
	# Kconfig drops a symbol whose dependencies are off. (An "off" whose
	# symbol is gone because its dependencies are off is off: it stands.)
	[ -e "$out/.fragment" ] || cp "$frag" "$out/.fragment"
	missing=$(lib_fragment_missing "$out/.fragment" "$out/.config")
	if [ -n "$missing" ] && [ "$fresh" = 1 ]; then
		missing=$(lib_fragment_why "$src" "$out/.fragment" "$out/.config")
	fi
	if [ -n "$missing" ] && [ "$fresh" = 1 ]; then
		rm -f "$out/.fragment-applied"
		printf 'kernel: these lines of %s are not in the final .config (Linux %s):\n%s\n' "$shown" "$version" "$missing" >&2
		die "Kconfig drops without a word a symbol that does not exist or whose dependencies are off, and keeps on one that something still on selects: fix $shown as each line above says"
	elif [ -n "$missing" ]; then
		# A later edit (make menuconfig) changed these: the learner's choice.
		printf 'kernel: note: your .config (changed with menuconfig?) differs from %s in:\n%s\n' \
			"$shown" "$missing"
	fi
	# What every stage needs of a kernel, whatever the fragment says.
	needs=$(lib_kernel_needs "$out/.config" "$shown")
	if [ -n "$needs" ]; then
		[ "$fresh" = 0 ] || rm -f "$out/.fragment-applied"
		die "$needs (Linux $version)"
	fi
elif [ ! -e "$out/.config" ]; then
	echo "kernel: configuring defconfig (the stock riscv configuration, Linux $version)"
	echo "$version" >"$out/kernel.version"
	$kmake defconfig >"$log" 2>&1 || die "defconfig failed, see $log"
fi
echo "$ident" >"$out/.source"
$kmake olddefconfig >>"$log" 2>&1 || die "olddefconfig failed, see $log"

# 4. Build Image (and vmlinux, which Image is made from), showing one live
#    progress line. The total is what the last full build of this
#    configuration compiled, or a measured first guess; for leaner, 0: only
#    what the fragment touches is rebuilt, a number not known ahead (the
#    .steps it copied are the stock build's).
case $config-$version in
lab-6.1.*) guess=1410 ;;         # measured: 1409 steps
lab-*) guess=1570 ;;             # 6.12: 1571
defconfig-6.1.*) guess=2380 ;;   # measured: 2379 steps
defconfig-*) guess=2500 ;;
esac
case $config in
lab|defconfig) total=$(cat "$out/.steps" 2>/dev/null || echo "$guess") ;;
leaner) total=0 ;;
esac
rm -f "$out/.built"   # a failed build must not look finished next time
start=$(date +%s)
lib_build "the build of '$config' (Linux $version)" "kernel($config, $version)" "$total" \
	"$out" "$log" "$start" \
	make -C "$src" O="$out" ARCH=riscv CROSS_COMPILE=riscv64-linux-gnu- -j"$jobs" Image
# The runner needs the offsets kernel/task-offsets.gdb prints (pid, comm, tgid,
# bprm->filename):
# read them now, while the build is still the thing that takes time, rather
# than at the first check (gdb reads all of vmlinux's debug info: seconds).
rm -f "$out/vmlinux.task-offsets"
if command -v gdb-multiarch >/dev/null; then
	gdb-multiarch -q -nx -batch -x "$top/kernel/task-offsets.gdb" "$out/vmlinux" 2>/dev/null |
		grep -E '^[0-9]+( [0-9]+){3}$' | tail -n 1 >"$out/vmlinux.task-offsets.tmp" || true
	# No debug info (defconfig): "-1 -1 -1 -1" tells the runner not to ask again.
	if [ ! -s "$out/vmlinux.task-offsets.tmp" ] && ! grep -q '^CONFIG_DEBUG_INFO=y' "$out/.config"; then
		echo "-1 -1 -1 -1" >"$out/vmlinux.task-offsets.tmp"
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
echo "kernel($config, $version): $mib Image ready in $(($(date +%s) - start)) s: ${out#"$top"/}/arch/riscv/boot/Image"
