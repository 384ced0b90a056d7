#!/bin/sh
# tests/distro/debian13.sh: the README's two commands, `make start` then
# `make test`, in a fresh minimal Debian 13 (trixie), as a new learner runs
# them (make test-debian13).
#
# As root on a Debian host (it installs debootstrap if need be):
#   1. debootstrap --variant=minbase trixie into build/distro/trixie/root,
#      from the mirror the host's own apt sources name (read at run time);
#   2. apt-get install git make there, as the learner does, and clone this
#      repository's HEAD (commit first: the work tree is not copied);
#   3. inside, as root: make start (it must open stage 00's page), then
#      make test (its last line must say 0 failed).
# Each phase's time is printed; the whole log is build/distro/trixie.log.
#
#   SUITE=bookworm   the same on a fresh Debian 12
#   KEEP=1           keep the system afterwards (build/distro/SUITE/root; the
#                    next run starts afresh anyway)
#
# Every mount made under the system is undone and every process left inside
# it ended when the script exits, whatever the exit.
set -eu

suite=${SUITE:-trixie}
top=$(cd -P "$(dirname "$0")/../.." && pwd)
work=$top/build/distro/$suite
root=$work/root
log=$top/build/distro/$suite.log
name=riscv-microdistro-lab

say() { echo "debian-test($suite): $*"; }
die() { echo "debian-test($suite): $*" >&2; exit 1; }
ms() { date +%s%3N; }
secs() { awk -v a="$1" -v b="$(ms)" 'BEGIN { printf "%d s", (b - a) / 1000 }'; }

[ "$(id -u)" -eq 0 ] || die "needs root (debootstrap, chroot, mounts): run it as root"
command -v apt-get >/dev/null || die "needs a Debian host (apt-get, debootstrap)"
git -C "$top" rev-parse --verify -q HEAD >/dev/null || die "$top is not a git clone with a commit"
if [ -n "$(git -C "$top" status --porcelain --untracked-files=no)" ]; then
	say "note: the work tree has uncommitted changes; the test clones HEAD, without them"
fi

# The host's Debian mirror: the first "deb" entry (one-line or deb822) whose
# suite is the host's release, as apt itself uses it.
mirror() {
	# shellcheck disable=SC1091
	codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
	{
		cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
			awk -v c="$codename" '$1 == "deb" {
				sub(/\[[^]]*\] */, ""); if ($3 == c) { print $2; exit } }'
		cat /etc/apt/sources.list.d/*.sources 2>/dev/null |
			awk -v c="$codename" 'BEGIN { RS = ""; FS = "\n" } {
				deb = 0; ok = 0; uri = ""
				for (i = 1; i <= NF; i++) {
					if ($i ~ /^Types:/ && (" " $i " ") ~ /[ \t]deb[ \t]/) deb = 1
					if ($i ~ /^Suites:/ && (" " $i " ") ~ (" " c " ")) ok = 1
					if ($i ~ /^URIs:/) { split($i, u, /[ \t]+/); uri = u[2] }
				}
				if (deb && ok && uri != "") { print uri; exit }
			}'
	} | head -n 1
}

cleanup() {
	rc=$?
	set +e
	if [ -d "$root" ]; then
		# Processes whose root is the system (a QEMU a test left, a gpg-agent).
		for p in /proc/[0-9]*; do
			[ "$(readlink "$p/root" 2>/dev/null)" = "$root" ] && kill -9 "${p#/proc/}" 2>/dev/null
		done
		sleep 1
		# The mounts under it, deepest first.
		awk -v r="$root" '$2 == r || index($2, r "/") == 1 { print $2 }' /proc/mounts |
			sort -r | while read -r m; do umount "$m" || umount -l "$m"; done
		if awk -v r="$root" '$2 == r || index($2, r "/") == 1 { f = 1 } END { exit !f }' /proc/mounts; then
			echo "debian-test($suite): some mounts under $root are still there" >&2
			rc=1
		elif [ "${KEEP:-0}" != 1 ]; then
			rm -rf "$root"
		fi
	fi
	exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

t_all=$(ms)
mkdir -p "$work"
: >"$log"
url=${MIRROR:-$(mirror)}
[ -n "$url" ] || die "found no Debian mirror in /etc/apt/sources.list*: give one with MIRROR=URL"
if ! command -v debootstrap >/dev/null; then
	say "installing debootstrap"
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends debootstrap >>"$log" 2>&1 ||
		die "cannot install debootstrap (see $log)"
fi

# 1. A minimal system. The downloaded packages are kept in build/distro/
#    SUITE/cache for the next run.
t=$(ms)
rm -rf "$root"
mkdir -p "$root" "$work/cache"
say "debootstrap --variant=minbase $suite (from the host's mirror)"
debootstrap --variant=minbase --cache-dir="$work/cache" "$suite" "$root" "$url" >>"$log" 2>&1 ||
	die "debootstrap failed; the end of $log: $(tail -n 3 "$log" | tr '\n' ' ')"
say "debootstrap: $(secs "$t")"

mount -t proc proc "$root/proc"
mount -t sysfs sys "$root/sys"
mount --bind /dev "$root/dev"
mount --bind /dev/pts "$root/dev/pts"
if mountpoint -q /dev/shm; then mount --bind /dev/shm "$root/dev/shm"; fi
# apt's downloads are kept too, for the next run (the system itself is not).
mkdir -p "$work/cache/apt"
mount --bind "$work/cache/apt" "$root/var/cache/apt/archives"
cp /etc/resolv.conf "$root/etc/resolv.conf"

# in_system CMD: run a shell command inside, as root in a login-like
# environment (nothing of the host's environment comes in).
in_system() {
	chroot "$root" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		/bin/sh -c "$1" </dev/null
}
in_system '. /etc/os-release; echo "$PRETTY_NAME"' | sed "s/^/debian-test($suite): system: /"

# 2. What the learner installs first, and the clone.
t=$(ms)
in_system 'apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q git make' \
	>>"$log" 2>&1 || die "apt-get install git make failed (see $log)"
git clone -q "$top" "$root/root/$name"
say "git, make and the clone ($(git -C "$top" log -1 --format=%h)): $(secs "$t")"

# 3. The README's two commands.
t=$(ms)
say "make start"
in_system "cd /root/$name && make start" >"$work/start.txt" 2>&1 || {
	tail -n 30 "$work/start.txt"
	die "make start failed (all of it: $work/start.txt)"
}
cat "$work/start.txt" >>"$log"
grep -E '^(setup|kernel|busybox)[(:]' "$work/start.txt" | grep -v ' files  ' | sed 's/^/    /'
grep -q '^# Stage 00: the kernel alone' "$work/start.txt" ||
	die "make start did not show stage 00's page (see $work/start.txt)"
say "make start: $(secs "$t")"

t=$(ms)
say "make test"
rc=0
in_system "cd /root/$name && make test" >"$work/test.txt" 2>&1 || rc=$?
cat "$work/test.txt" >>"$log"
grep -E '^(not ok|ok .*SKIP|[0-9]+ passed)' "$work/test.txt" | sed 's/^/    /'
last=$(tail -n 1 "$work/test.txt")
case $last in
*" passed, 0 failed"*) [ $rc -eq 0 ] || die "make test said '$last' but exited $rc" ;;
*) tail -n 30 "$work/test.txt"; die "make test did not pass (exit $rc; all of it: $work/test.txt)" ;;
esac
say "make test: $(secs "$t") ($last)"
say "passed in $(secs "$t_all") in all"
