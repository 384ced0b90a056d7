#!/bin/sh
# busybox/build.sh: build BusyBox as one static riscv64 binary for the guest.
#
# Source:  the distribution's own `busybox` source package (1.35.0 in Debian
#          12, 1.37.0 in Debian 13, with Debian's patches), fetched once with
#          `apt-get source` and unpacked into build/src/busybox-VERSION/.
# Config:  `make defconfig` + busybox/lab.config (a fragment, see its header).
# Output:  build/busybox/ (BusyBox's O= folder), holding .config and the
#          binary build/busybox/busybox that goes into the initramfs.
# Log:     build/busybox/build.log (build/apt/fetch.log for the download);
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
aptdir=$top/build/apt           # apt's private lists, cache and download folder
unpacked=$top/build/src/.busybox-unpacked   # stamp: names the unpacked tree
out=$top/build/busybox
log=$out/build.log
jobs=${JOBS:-$(nproc)}

die() { lib_die "$@"; }

# 0. Nothing to do? The binary exists, the fragment is the one it was built
#    from, and neither .config nor the scripts changed since. This test runs
#    first and costs a few milliseconds. (`-nt`, "newer than", is not in
#    POSIX but every sh the lab meets has it: dash, bash, busybox ash.)
# shellcheck disable=SC3013
if [ -e "$unpacked" ] && [ -x "$out/busybox" ] && [ -e "$out/.built" ] &&
	cmp -s "$frag" "$out/.fragment-built" &&
	[ ! "$out/.config" -nt "$out/.built" ] && [ ! "$0" -nt "$out/.built" ] &&
	[ ! "$top/tools/buildlib.sh" -nt "$out/.built" ]; then
	echo "busybox: up to date, nothing to do (build/busybox/busybox)"
	exit 0
fi

# 1. Fetch and unpack the source, once. ---------------------------------------
#
# `apt-get source` needs "deb-src" entries, and a stock system has only "deb"
# ones. Rather than edit /etc/apt (that belongs to the system, not to this
# lab), we give apt a private set of folders under build/apt/:
#
#   build/apt/sources.list       deb-src twins of /etc/apt/sources.list lines
#   build/apt/sources.list.d/    deb-src twins of /etc/apt/sources.list.d/*.sources
#   build/apt/state/lists/       the downloaded package lists (Sources files)
#   build/apt/cache/             apt's cache
#   build/apt/download/          busybox_*.dsc, *.orig.tar.bz2, *.debian.tar.xz
#
# and point apt at them with -o options. Everything else (proxy settings,
# keyrings, the dpkg status file /var/lib/dpkg/status) stays the system's, read
# only. The mirror, suites and keyring are copied from the system's own "deb"
# entries of this release (VERSION_CODENAME in /etc/os-release, e.g.
# bookworm, bookworm-updates, bookworm-security), so this works on whatever
# mirror the machine uses; third-party repositories are left out.
lab_apt() {
	apt-get -q -c "$aptdir/apt.conf" \
		-o Dir::Etc::SourceList="$aptdir/sources.list" \
		-o Dir::Etc::SourceParts="$aptdir/sources.list.d" \
		-o Dir::State="$aptdir/state" \
		-o Dir::Cache="$aptdir/cache" \
		-o APT::Update::Error-Mode=any \
		"$@"
}

# Write build/apt/sources.list and build/apt/sources.list.d/lab.sources.
write_sources() {
	# shellcheck disable=SC1091  # a system file, read at run time
	codename=$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}")
	[ -n "$codename" ] || die "no VERSION_CODENAME in /etc/os-release: is this Debian?"
	mkdir -p "$aptdir/sources.list.d"

	# One-line format: "deb [options] URI SUITE COMPONENT...". Keep the lines
	# whose suite is this release, turned into "deb-src".
	list=
	[ -r /etc/apt/sources.list ] && list=/etc/apt/sources.list
	for f in /etc/apt/sources.list.d/*.list; do
		[ -r "$f" ] && list="$list $f"
	done
	# shellcheck disable=SC2086  # $list is a list of file names
	awk -v c="$codename" '
		/^[ \t]*#/ || $1 != "deb" { next }
		{
			line = $0; opts = ""
			if (match(line, /\[[^]]*\]/)) {
				opts = substr(line, RSTART, RLENGTH) " "
				line = substr(line, 1, RSTART - 1) substr(line, RSTART + RLENGTH)
			}
			n = split(line, f)
			if (f[3] != c && index(f[3], c "-") != 1 && index(f[3], c "/") != 1) next
			out = "deb-src " opts f[2] " " f[3]
			for (i = 4; i <= n; i++) out = out " " f[i]
			if (!seen[out]++) print out
		}' ${list:-/dev/null} >"$aptdir/sources.list"

	# deb822 format (*.sources): paragraphs of "Field: value" lines. Keep the
	# enabled paragraphs of Types "deb", with Types set to "deb-src" and
	# Suites cut down to this release's; every other field (URIs,
	# Components, Signed-By, ...) is copied as it is.
	set -- /etc/apt/sources.list.d/*.sources
	[ -r "$1" ] || set -- /dev/null
	awk -v c="$codename" '
		BEGIN { RS = ""; FS = "\n" }
		{
			deb = 0; enabled = 1; suites = ""; body = ""; field = ""
			for (i = 1; i <= NF; i++) {
				line = $i
				if (line ~ /^#/) continue
				if (line ~ /^[ \t]/) {          # continuation of a field
					if (field != "types" && field != "suites" && field != "enabled")
						body = body "\n" line
					continue
				}
				field = tolower(substr(line, 1, index(line, ":") - 1))
				value = substr(line, index(line, ":") + 1)
				if (field == "types") { deb = (" " value " ") ~ /[ \t]deb[ \t]/ }
				else if (field == "enabled") { enabled = (value !~ /[Nn][Oo]/) }
				else if (field == "suites") {
					n = split(value, s, /[ \t]+/)
					for (j = 1; j <= n; j++)
						if (s[j] == c || index(s[j], c "-") == 1 || index(s[j], c "/") == 1)
							suites = suites " " s[j]
				}
				else body = body "\n" line
			}
			if (deb && enabled && suites != "")
				printf "Types: deb-src\nSuites:%s%s\n\n", suites, body
		}' "$@" >"$aptdir/sources.list.d/lab.sources"

	[ -s "$aptdir/sources.list" ] || [ -s "$aptdir/sources.list.d/lab.sources" ] ||
		die "found no '$codename' entry in /etc/apt/sources.list or /etc/apt/sources.list.d/ to copy; is apt set up? ('make setup' uses it too)"
}

if [ ! -e "$unpacked" ] || [ ! -d "$top/build/src/$(cat "$unpacked")" ]; then
	command -v apt-get >/dev/null || die "no apt-get: this lab needs Debian (or a derivative)"
	command -v dpkg-source >/dev/null ||
		die "no dpkg-source, which unpacks Debian source packages: run 'make setup' (it installs dpkg-dev)"
	start=$(date +%s)
	rm -f "$unpacked"
	mkdir -p "$aptdir/state/lists/partial" "$aptdir/cache/archives/partial" \
		"$aptdir/download" "$top/build/src"
	write_sources
	# The -c file holds what -o cannot say: forget the hooks that
	# /etc/apt/apt.conf.d/ attaches to `apt-get update` (they refresh
	# system-wide caches such as PackageKit's, which our private update
	# must not touch).
	cat >"$aptdir/apt.conf" <<-'EOF'
		// Written by busybox/build.sh: no hooks for our private apt-get update.
		#clear APT::Update::Pre-Invoke;
		#clear APT::Update::Post-Invoke;
		#clear APT::Update::Post-Invoke-Success;
	EOF
	# As root, apt downloads as the unprivileged user _apt, which must be
	# able to write the download folder (else it warns and downloads as root).
	if [ "$(id -u)" -eq 0 ] && id _apt >/dev/null 2>&1; then
		chown _apt "$aptdir/download" "$aptdir/state/lists/partial" \
			"$aptdir/cache/archives/partial"
	fi

	echo "busybox: fetching Debian's busybox source with apt-get (only build/apt/ is written, about 10 s)"
	rm -f "$aptdir/download"/busybox_*
	if ! { lab_apt update && (cd "$aptdir/download" && lab_apt source --download-only busybox); } \
		>"$aptdir/fetch.log" 2>&1; then
		said=$({ grep '^E:' "$aptdir/fetch.log"; grep -E '^(W|Err):' "$aptdir/fetch.log"; } | head -n 1)
		[ -n "$said" ] && echo "busybox: apt-get said: $said" >&2
		die "apt-get could not download BusyBox's source (no network? no Debian mirror?); fix that, then run 'make setup' and this again (log: build/apt/fetch.log)"
	fi
	dsc=$(ls "$aptdir/download"/busybox_*.dsc)
	version=$(sed -n 's/^Version: *//p' "$dsc")   # e.g. 1:1.35.0-4+deb12u1
	upstream=${version#*:}                         # drop the epoch "1:"
	upstream=${upstream%-*}                        # drop Debian's revision "-4+deb12u1"
	tree=busybox-$upstream

	# dpkg-source checks the files against the .dsc and applies
	# debian/patches/*. It cannot check the .dsc's signature (that needs the
	# debian-keyring package) and warns; apt already verified the files
	# through the mirror's signed Release file. --no-copy keeps the tarballs
	# in build/apt/download/ instead of copying them next to the tree.
	rm -rf "$top/build/src/$tree"
	dpkg-source --no-copy -x "$dsc" "$top/build/src/$tree" >>"$aptdir/fetch.log" 2>&1 ||
		die "dpkg-source could not unpack $dsc; see build/apt/fetch.log"
	patches=$(grep -c '^dpkg-source: info: applying' "$aptdir/fetch.log" || true)
	# The stamp is written last: an interrupted fetch or unpack is redone.
	echo "$tree" >"$unpacked"
	echo "busybox: busybox $version unpacked ($patches Debian patches applied) in $(($(date +%s) - start)) s: build/src/$tree"
fi
src=$top/build/src/$(cat "$unpacked")

# 2. Configure. ---------------------------------------------------------------
command -v riscv64-linux-gnu-gcc >/dev/null ||
	die "no cross compiler riscv64-linux-gnu-gcc: run 'make setup'"
[ -e "$(riscv64-linux-gnu-gcc -print-file-name=libc.a)" ] ||
	die "no static C library for riscv64 (libc.a): run 'make setup' (it installs libc6-dev-riscv64-cross)"
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
set +e
lib_progress "busybox(${src##*/busybox-})" "$total" "$out" "$log" bbmake -j"$jobs" busybox
rc=$?
set -e
if [ $rc -ne 0 ]; then
	lib_fail_tail "the build" "$log"
	exit 1
fi
lib_keep_steps "$out" "$total" "$start"
cp "$frag" "$out/.fragment-built"
touch "$out/.built"
echo "busybox: $(du -h "$out/busybox" | cut -f1) static riscv64 binary ready in $(($(date +%s) - start)) s: build/busybox/busybox"
