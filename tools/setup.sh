#!/bin/sh
# tools/setup.sh [--test]: install the Debian packages the lab needs, and
# only those. --test adds what the test suite needs besides (make test).
#
# Idempotent: when everything is present it says so in one line and exits 0.
# Uses sudo only when not root. Never edits the system's apt sources. When it
# cannot install (no root and no sudo, no network), it prints the exact
# apt-get line to run and exits 1. Debian 12 and 13 (and their derivatives);
# on a system without dpkg it checks the commands instead and names what is
# missing.
#
# KSRC=PATH (a kernel source the learner brings, see kernel/build.sh): no
# linux-source package is needed then.
set -u

# What each package is for:
#   gcc-riscv64-linux-gnu libc6-dev-riscv64-cross  cross compiler + static glibc for /init
#   qemu-system-misc                               qemu-system-riscv64, the machine
#   gdb-multiarch                                  proves what ran in the guest
#   cpio                                           packs the initramfs (newc)
#   linux-source xz-utils                          the distribution's kernel source
#                                                  tarball (linux-source-6.1 on Debian 12,
#                                                  -6.12 on Debian 13), and its unpacker
#   make gcc bc flex bison libssl-dev libelf-dev   what the kernel build needs
#   dpkg-dev                                       unpacks BusyBox's and Dropbear's Debian
#                                                  source packages
#   openssh-client                                 ssh and ssh-keygen: stage 09's check logs
#                                                  in to the guest's Dropbear from the host
#   bubblewrap                                     the sandbox of every grading build
#                                                  (lab-runner grade, docs/grading.md)
#   e2fsprogs                                      stage 07's disk: mke2fs -d makes it,
#                                                  debugfs reads it back
#
# A word "A|B" is one need with two ways to meet it: any installed package
# whose name matches one of the patterns meets it; when none does, A is
# installed. (An installed linux-source-6.1 meets the kernel source's need,
# as does libclang-rt-14-dev libFuzzer's: nothing is installed over them.)
packages="gcc-riscv64-linux-gnu libc6-dev-riscv64-cross qemu-system-misc gdb-multiarch cpio
linux-source|linux-source-[0-9]* xz-utils make gcc libc6-dev bc flex bison libssl-dev libelf-dev
dpkg-dev bubblewrap e2fsprogs openssh-client"
# For the tests only:
#   clang libclang-rt-dev  libFuzzer, for the fuzz targets (tests/fuzz/)
#   python3                validates the JSON and JUnit XML reports
#   perl                   TAP::Parser validates the TAP report
#   golang-go              the Go little shell (tests/integration/22-go-shell.sh)
#   procps                 pgrep: the suite proves no QEMU or gdb is left behind
#   qemu-utils             qemu-img: a qcow2 disk naming a host file as its backing
#                          file must reach the guest as raw bytes (27-disk.sh)
if [ "${1:-}" = --test ]; then
	packages="$packages clang libclang-rt-dev|libclang-rt-[0-9]*-dev python3 perl golang-go procps qemu-utils"
fi
# A kernel source of the learner's own: no Debian kernel source needed.
if [ -n "${KSRC:-}" ]; then
	packages=$(echo $packages | tr ' ' '\n' | grep -v '^linux-source' | tr '\n' ' ')
fi
count=$(echo $packages | wc -w)

# Not Debian: no dpkg to ask. Check the commands the lab runs instead.
if ! command -v dpkg-query >/dev/null 2>&1; then
	missing=
	for c in riscv64-linux-gnu-gcc:gcc-riscv64-linux-gnu qemu-system-riscv64:qemu-system-misc \
		gdb-multiarch:gdb-multiarch cpio:cpio xz:xz-utils make:make gcc:gcc bc:bc flex:flex \
		bison:bison; do
		command -v "${c%%:*}" >/dev/null 2>&1 || missing="$missing ${c%%:*} (Debian: ${c#*:})"
	done
	[ -n "${KSRC:-}" ] || missing="$missing a kernel source (give one with KSRC=PATH: a kernel.org tarball)"
	if [ -n "$missing" ]; then
		echo "setup: this is not Debian (no dpkg-query), and these are missing:$missing" >&2
		echo "setup: install your distribution's packages for them, then run make again" >&2
		exit 1
	fi
	echo "setup: not Debian (no dpkg-query), but the commands the lab runs are all there"
	exit 0
fi

# The installed packages that match a need, in one question to dpkg (it
# takes the patterns as they are).
# shellcheck disable=SC2046  # one word per pattern
installed=$(dpkg-query -W -f='${Status} ${Package}\n' $(echo $packages | tr '|' ' ') 2>/dev/null |
	sed -n 's/^install ok installed //p')
missing=
for need in $packages; do
	found=0
	for pattern in $(echo "$need" | tr '|' ' '); do
		# shellcheck disable=SC2254  # the pattern is meant to match
		for p in $installed; do
			case $p in $pattern) found=1; break ;; esac
		done
		[ $found = 1 ] && break
	done
	[ $found = 1 ] || missing="$missing ${need%%|*}"
done
missing=${missing# }
if [ -z "$missing" ]; then
	echo "setup: all $count packages are installed, nothing to do"
	exit 0
fi

line="apt-get install -y --no-install-recommends $missing"
if [ "$(id -u)" -eq 0 ]; then
	sudo=
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
	sudo="sudo"
else
	echo "setup: missing packages: $missing" >&2
	echo "setup: not root and no password-less sudo; run this as root, then again 'make start':" >&2
	echo "    sudo $line" >&2
	exit 1
fi

echo "setup: installing $missing"
log=${TMPDIR:-/tmp}/lab-setup.$$.log
export DEBIAN_FRONTEND=noninteractive
# Try without refreshing the package lists first (fast when they are fresh),
# then once more after 'apt-get update'.
if ! $sudo $line >"$log" 2>&1; then
	echo "setup: refreshing the package lists (apt-get update)"
	if ! { $sudo apt-get update && $sudo $line; } >>"$log" 2>&1; then
		echo "setup: installing failed; the last lines of $log:" >&2
		tail -n 15 "$log" >&2
		echo "setup: fix the cause (network? apt lock?) and run:" >&2
		echo "    ${sudo:+sudo }$line" >&2
		exit 1
	fi
fi
rm -f "$log"
echo "setup: installed $(echo $missing | wc -w) packages"
# The kernel source came as linux-source, which names this release's one.
case " $missing " in
*" linux-source "*)
	src=$(dpkg-query -W -f='${Depends}' linux-source 2>/dev/null |
		sed -n 's/^\(linux-source-[0-9][0-9.]*\).*/\1/p')
	[ -z "$src" ] || echo "setup: the kernel source is $src (/usr/src/$src.tar.xz)"
	;;
esac
exit 0
