#!/bin/sh
# tools/setup.sh [--test]: install the Debian packages the lab needs, and
# only those. --test adds what the test suite needs besides (make test).
#
# Idempotent: when everything is present it says so in one line and exits 0.
# Uses sudo only when not root. Never edits the system's apt sources. When it
# cannot install (no root and no sudo, no network), it prints the exact
# apt-get line to run and exits 1.
set -u

# What each package is for:
#   gcc-riscv64-linux-gnu libc6-dev-riscv64-cross  cross compiler + static glibc for /init
#   qemu-system-misc                               qemu-system-riscv64, the machine
#   gdb-multiarch                                  proves what ran in the guest
#   cpio                                           packs the initramfs (newc)
#   linux-source-6.1 xz-utils                      the kernel source tarball, and its unpacker
#   make gcc bc flex bison libssl-dev libelf-dev   what the kernel build needs
#   dpkg-dev                                       unpacks BusyBox's Debian source package
packages="gcc-riscv64-linux-gnu libc6-dev-riscv64-cross qemu-system-misc gdb-multiarch cpio
linux-source-6.1 xz-utils make gcc libc6-dev bc flex bison libssl-dev libelf-dev dpkg-dev"
# For the tests only:
#   clang libclang-rt-14-dev   libFuzzer, for the fuzz targets (tests/fuzz/)
#   python3                    validates the JSON and JUnit XML reports
#   perl                       TAP::Parser validates the TAP report
if [ "${1:-}" = --test ]; then
	packages="$packages clang libclang-rt-14-dev python3 perl"
fi

missing=
for p in $packages; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' ||
		missing="$missing $p"
done
missing=${missing# }
count=$(echo $packages | wc -w)
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
