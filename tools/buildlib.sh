# tools/buildlib.sh: what kernel/build.sh and busybox/build.sh do alike
# (sourced, POSIX sh). The sourcing script sets `top` (the lab's folder) and
# `lib_name` (kernel, busybox: the prefix of every message) first.
#
#   lib_die MESSAGE...              print "NAME: MESSAGE" on stderr, exit 1
#   lib_fragment_lines FILE         a fragment's settings: its CONFIG_X=v and
#                                   "# CONFIG_X is not set" lines, nothing else
#   lib_fragment_missing FRAG CFG   the settings of FRAG that do not stand in
#                                   CFG exactly, one "  line" each (Kconfig
#                                   drops a symbol without a word when it does
#                                   not exist or its dependencies are off).
#                                   CONFIG_X=n is what Kconfig writes as
#                                   "# CONFIG_X is not set": either stands
#   lib_kconfig_entry SRC SYM       where SRC's Kconfig defines SYM for riscv,
#                                   as FILE:LINE (the first), or nothing: no
#                                   such symbol (another architecture's does
#                                   not count)
#   lib_kconfig_depends SRC SYM     the "depends on" expressions of SYM's
#                                   entry, one a line
#   lib_fragment_why SRC FRAG CFG   for each setting of FRAG missing from CFG
#                                   (after Kconfig ran): "  line: why", the
#                                   symbol that does not exist, its
#                                   dependencies that are false and the
#                                   symbols that make them so
#                                   (tools/kconfig-why.awk), what selects
#                                   it; nothing for an "off" whose symbol is
#                                   off because its dependencies are
#   lib_kernel_needs CFG SHOWN      what every stage needs of a kernel and
#                                   the .config CFG lacks, as one sentence
#                                   (SHOWN: the fragment, to say where to fix
#                                   it); nothing when it has all
#   lib_progress NAME TOTAL OUT LOG CMD...
#                                   run CMD (a make), appending its output to
#                                   LOG, and show one live progress line
#                                   (tools/progress.awk); returns CMD's status.
#                                   The steps counted go to OUT/.steps.new
#   lib_keep_steps OUT TOTAL START  after a build that succeeded: a full
#                                   build's count becomes OUT/.steps, the next
#                                   first guess, and its seconds OUT/.build-seconds
#   lib_fail_tail WHAT LOG          "NAME: WHAT failed; the full log is LOG,
#                                   its last 30 lines:" and those lines
#   lib_build WHAT NAME TOTAL OUT LOG START CMD...
#                                   lib_progress NAME TOTAL OUT LOG CMD...;
#                                   when CMD fails, lib_fail_tail WHAT LOG and
#                                   exit 1, else lib_keep_steps OUT TOTAL START
#   lib_up_to_date BIN STAMP FILE...
#                                   true when BIN is executable, STAMP (written
#                                   when it was built) exists, and no FILE is
#                                   newer than STAMP: nothing to build
#   lib_need_cross                  exit with what to do when the riscv64
#                                   cross compiler or its static C library
#                                   (libc.a) is missing
#   lib_apt_source PKG              Debian's source package PKG (busybox,
#                                   dropbear) of this release, fetched with
#                                   apt-get through the lab's own folders under
#                                   build/apt/ (the system's apt sources are
#                                   only read) and unpacked, Debian's patches
#                                   applied, into build/src/PKG-VERSION/, once:
#                                   the stamp build/src/.PKG-unpacked names that
#                                   folder, and lib_src is set to its path.
#                                   Log: build/apt/fetch-PKG.log. A
#                                   second fetch waits for the first
#                                   (build/apt.lock)

lib_die() {
	echo "$lib_name: $*" >&2
	exit 1
}

lib_fragment_lines() {
	grep -E '^(CONFIG_[A-Za-z0-9_]+=|# CONFIG_[A-Za-z0-9_]+ is not set)' "$1"
}

lib_fragment_missing() {
	lib_fragment_lines "$1" | while IFS= read -r line; do
		want=$(echo "$line" | sed -E 's/^CONFIG_([A-Za-z0-9_]+)=n$/# CONFIG_\1 is not set/')
		grep -qxF "$want" "$2" || echo "  $line"
	done
}

# The Kconfig files a riscv build reads: all but the other architectures'.
_lib_kconfig_files() {
	for _d in "$1"/*; do
		[ "$_d" = "$1/arch" ] || echo "$_d"
	done | xargs grep -rlsE --include='Kconfig*' "^[[:space:]]*(menu)?config $2\$" \
		"$1/arch/Kconfig" "$1/arch/riscv"
}

lib_kconfig_entry() {
	_f=$(_lib_kconfig_files "$1" "$2" | head -n 1)
	[ -n "$_f" ] || return 0
	echo "$_f:$(grep -nE "^[[:space:]]*(menu)?config $2\$" "$_f" | head -n 1 | cut -d: -f1)"
}

lib_kconfig_depends() {
	_f=$(_lib_kconfig_files "$1" "$2" | head -n 1)
	[ -n "$_f" ] || return 0
	# From the entry's line to the next entry (or its help text).
	awk -v sym="$2" '
		$0 ~ "^[ \t]*(menu)?config " sym "$" { on = 1; next }
		on && /^[ \t]*(config|menuconfig|choice|endchoice|comment|menu|endmenu|if|endif|source)([ \t]|$)/ { exit }
		on && /^[ \t]*(help|---help---)[ \t]*$/ { exit }
		on && /^[ \t]*depends on / { sub(/^[ \t]*depends on[ \t]*/, ""); print }
	' "$_f"
}

# The value of SYM in CFG as a sentence's end: "=y", "=m", or "off".
_lib_value() {
	_v=$(sed -n "s/^CONFIG_$1=//p" "$2" | head -n 1)
	case $_v in "" | n) echo off ;; *) echo "=$_v" ;; esac
}

lib_fragment_why() {
	lib_fragment_missing "$2" "$3" | sed 's/^  //' | while IFS= read -r line; do
		sym=$(echo "$line" | sed -E 's/^(# )?CONFIG_([A-Za-z0-9_]+).*/\2/')
		entry=$(lib_kconfig_entry "$1" "$sym")
		if [ -z "$entry" ]; then
			echo "  $line: there is no symbol $sym in this kernel's Kconfig files (no 'config $sym' for riscv): a typo, or a symbol of another kernel version?"
			continue
		fi
		entry=${entry#"$1"/}
		case $line in
		"# "* | *=n)
			# Off, and absent from CFG: its dependencies are off, so is it.
			grep -qE "^CONFIG_$sym=" "$3" || continue
			on=$(grep -rlsE --include='Kconfig*' "^[[:space:]]*select $sym([[:space:]]|\$)" "$1" |
				xargs -r awk -v sym="$sym" '
					/^[ \t]*(menu)?config [A-Za-z0-9_]+[ \t]*$/ { cur = $2 }
					$1 == "select" && $2 == sym { print cur }' | sort -u |
				while read -r s; do
					[ "$(_lib_value "$s" "$3")" = off ] || printf ' CONFIG_%s' "$s"
				done)
			# Its prompt's condition: "bool "Enable TTY" if EXPERT".
			cond=$(awk -v sym="$sym" '
				$0 ~ "^[ \t]*(menu)?config " sym "$" { on = 1; next }
				on && /^[ \t]*(config|menuconfig|choice|endchoice|comment|menu|endmenu|if|endif|source|help)([ \t]|$)/ { exit }
				on && /^[ \t]*(bool|tristate|prompt)[ \t]+".*"[ \t]+if[ \t]/ { sub(/.*"[ \t]+if[ \t]+/, ""); print; exit }
			' "$1/${entry%:*}")
			condoff=
			[ -z "$cond" ] || condoff=$(echo "$cond" | awk -f "$top/tools/kconfig-why.awk" "$3" - | cut -f 2)
			if [ -n "$on" ]; then
				echo "  $line: Kconfig left it on ($entry): selected by symbols that are on:$on"
			elif [ -n "$condoff" ]; then
				echo "  $line: Kconfig left it on ($entry): it can be turned off only when $cond (its prompt says 'if $cond'), which is false in the final .config: $condoff"
			else
				echo "  $line: Kconfig left it on ($entry): something that is on selects it, or it has no prompt to turn it off; grep -rn 'select $sym' in the kernel source finds what selects it"
			fi
			;;
		*)
			# A value that is not y, m, n or a number is a string, and Kconfig
			# reads a string only in double quotes (stage 08's INITRAMFS_SOURCE).
			val=${line#*=}
			if ! printf '%s\n' "$val" | grep -qE '^("|[ymn]$|-?[0-9]+$|0x[0-9a-fA-F]+$)'; then
				echo "  $line: a value that is not y, m, n or a number is a string, written in double quotes: CONFIG_$sym=\"$val\""
				continue
			fi
			# Its "depends on" lines that are false, each with what makes it so.
			false=$(lib_kconfig_depends "$1" "$sym" | awk -f "$top/tools/kconfig-why.awk" "$3" - |
				awk -F '\t' '{ printf "%s%s, which is false: %s", (NR > 1 ? "; and on " : ""), $1, $2 }')
			if [ -n "$false" ]; then
				echo "  $line: Kconfig left it $(_lib_value "$sym" "$3") ($entry): it depends on $false"
			elif [ -n "$(lib_kconfig_depends "$1" "$sym")" ]; then
				echo "  $line: Kconfig left it $(_lib_value "$sym" "$3") ($entry): what it depends on holds; a menu or 'if' around its entry may be off, or it takes other values"
			else
				echo "  $line: Kconfig left it $(_lib_value "$sym" "$3") ($entry): a menu or 'if' around its entry may be off, or it takes other values"
			fi
			;;
		esac
	done
}

lib_kernel_needs() {
	grep -qx 'CONFIG_BLK_DEV_INITRD=y' "$1" ||
		echo "CONFIG_BLK_DEV_INITRD is off in the final .config: without it the kernel cannot unpack an initramfs, and the lab's whole system (/init, the shell, BusyBox) is in initramfs.cpio; keep it on in $2 (General setup, \"Initial RAM filesystem and RAM disk (initramfs/initrd) support\")"
}

lib_progress() {
	_name=$1 _total=$2 _out=$3 _log=$4
	shift 4
	# Debian's awk is mawk, which reads a pipe 4 KB at a time: the progress
	# line would jump a hundred files at once. -W interactive makes it read
	# by line. (gawk reads by line anyway and has no such option.)
	_awk=
	case $(awk -W version 2>&1 </dev/null) in mawk*) _awk="-W interactive" ;; esac
	_tty=0
	[ -t 1 ] && _tty=1
	_start=$(date +%s)
	# The pipe's status is awk's, which exits with make's: the last line
	# "__rc=N" carries it through tee.
	# shellcheck disable=SC2086  # $_awk is empty or two words
	{
		"$@" 2>&1
		echo "__rc=$?"
	} | tee -a "$_log" | awk $_awk -f "$top/tools/progress.awk" -v name="$_name" \
		-v total="$_total" -v start="$_start" -v tty="$_tty" -v steps="$_out/.steps.new"
}

lib_keep_steps() {
	# A small rebuild's count would make the next full build's line run
	# past 100%: only a count above half the total is kept.
	_steps=$(cat "$1/.steps.new" 2>/dev/null || echo 0)
	if [ "$_steps" -gt "$(($2 / 2))" ]; then
		mv "$1/.steps.new" "$1/.steps"
		echo $(($(date +%s) - $3)) >"$1/.build-seconds"   # for bench/run.sh
	else
		rm -f "$1/.steps.new"
	fi
}

lib_fail_tail() {
	echo "$lib_name: $1 failed; the full log is $2, its last 30 lines:" >&2
	grep -v '^__rc=' "$2" | tail -n 30 >&2
}

lib_build() {
	_what=$1 _bname=$2 _btotal=$3 _bout=$4 _blog=$5 _bstart=$6
	shift 6
	set +e
	lib_progress "$_bname" "$_btotal" "$_bout" "$_blog" "$@"
	_rc=$?
	set -e
	if [ $_rc -ne 0 ]; then
		lib_fail_tail "$_what" "$_blog"
		exit 1
	fi
	lib_keep_steps "$_bout" "$_btotal" "$_bstart"
}

# `-nt`, "newer than", is not in POSIX, but every sh the lab meets has it.
# shellcheck disable=SC3013
lib_up_to_date() {
	[ -x "$1" ] && [ -e "$2" ] || return 1
	_stamp=$2
	shift 2
	for _f in "$@"; do
		[ ! "$_f" -nt "$_stamp" ] || return 1
	done
}

lib_need_cross() {
	command -v riscv64-linux-gnu-gcc >/dev/null ||
		lib_die "no cross compiler riscv64-linux-gnu-gcc: run 'make setup'"
	[ -e "$(riscv64-linux-gnu-gcc -print-file-name=libc.a)" ] ||
		lib_die "no static C library for riscv64 (libc.a): run 'make setup' (it installs libc6-dev-riscv64-cross)"
}

# lib_apt_source PKG ------------------------------------------------------------
#
# `apt-get source` needs "deb-src" entries, and a stock system has only "deb"
# ones. Rather than edit /etc/apt (that belongs to the system, not to this
# lab), we give apt a private set of folders under build/apt/:
#
#   build/apt/sources.list       deb-src twins of /etc/apt/sources.list lines
#   build/apt/sources.list.d/    deb-src twins of /etc/apt/sources.list.d/*.sources
#   build/apt/state/lists/       the downloaded package lists (Sources files)
#   build/apt/cache/             apt's cache
#   build/apt/download/          PKG_*.dsc, *.orig.tar.*, *.debian.tar.xz
#
# and point apt at them with -o options. Everything else (proxy settings,
# keyrings, the dpkg status file /var/lib/dpkg/status) stays the system's, read
# only. The mirror, suites and keyring are copied from the system's own "deb"
# entries of this release (VERSION_CODENAME in /etc/os-release, e.g.
# bookworm, bookworm-updates, bookworm-security), so this works on whatever
# mirror the machine uses; third-party repositories are left out.
_lib_apt() {
	_a=$top/build/apt
	apt-get -q -c "$_a/apt.conf" \
		-o Dir::Etc::SourceList="$_a/sources.list" \
		-o Dir::Etc::SourceParts="$_a/sources.list.d" \
		-o Dir::State="$_a/state" \
		-o Dir::Cache="$_a/cache" \
		-o APT::Update::Error-Mode=any \
		"$@"
}

# Write build/apt/sources.list and build/apt/sources.list.d/lab.sources.
_lib_apt_sources() {
	aptdir=$top/build/apt
	# shellcheck disable=SC1091  # a system file, read at run time
	codename=$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}")
	[ -n "$codename" ] || lib_die "no VERSION_CODENAME in /etc/os-release: is this Debian?"
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
		lib_die "found no '$codename' entry in /etc/apt/sources.list or /etc/apt/sources.list.d/ to copy; is apt set up? ('make setup' uses it too)"
}

lib_apt_source() {
	_pkg=$1
	aptdir=$top/build/apt
	unpacked=$top/build/src/.$_pkg-unpacked
	lib_src=$top/build/src/$(cat "$unpacked" 2>/dev/null || true)
	[ -e "$unpacked" ] && [ -d "$lib_src" ] && return 0
	command -v apt-get >/dev/null || lib_die "no apt-get: this lab needs Debian (or a derivative)"
	command -v dpkg-source >/dev/null ||
		lib_die "no dpkg-source, which unpacks Debian source packages: run 'make setup' (it installs dpkg-dev)"
	mkdir -p "$aptdir" "$top/build/src"
	# One fetch at a time: two at once (make -j busybox dropbear) would
	# fight over apt's lists. The second one waits, then finds its work
	# maybe done.
	exec 7>"$top/build/apt.lock"
	if ! flock -n 7; then
		echo "$lib_name: another fetch of a Debian source package is running; waiting for it (the lock is build/apt.lock)"
		flock 7
	fi
	lib_src=$top/build/src/$(cat "$unpacked" 2>/dev/null || true)
	if [ -e "$unpacked" ] && [ -d "$lib_src" ]; then
		exec 7>&-
		return 0
	fi
	_start=$(date +%s)
	_log=$aptdir/fetch-$_pkg.log
	rm -f "$unpacked"
	mkdir -p "$aptdir/state/lists/partial" "$aptdir/cache/archives/partial" \
		"$aptdir/download"
	_lib_apt_sources
	# The -c file holds what -o cannot say: forget the hooks that
	# /etc/apt/apt.conf.d/ attaches to `apt-get update` (they refresh
	# system-wide caches such as PackageKit's, which our private update
	# must not touch).
	cat >"$aptdir/apt.conf" <<-'EOF'
		// Written by tools/buildlib.sh: no hooks for our private apt-get update.
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

	echo "$lib_name: fetching Debian's $_pkg source with apt-get (only build/apt/ is written, about 10 s)"
	rm -f "$aptdir/download/${_pkg}"_*
	if ! { _lib_apt update && (cd "$aptdir/download" && _lib_apt source --download-only "$_pkg"); } \
		>"$_log" 2>&1; then
		_said=$({ grep '^E:' "$_log"; grep -E '^(W|Err):' "$_log"; } | head -n 1)
		[ -n "$_said" ] && echo "$lib_name: apt-get said: $_said" >&2
		lib_die "apt-get could not download $_pkg's source (no network? no Debian mirror?); fix that, then run 'make setup' and this again (log: build/apt/fetch-$_pkg.log)"
	fi
	_dsc=$(ls "$aptdir/download/${_pkg}"_*.dsc)
	_version=$(sed -n 's/^Version: *//p' "$_dsc")   # e.g. 1:1.35.0-4+deb12u1
	_upstream=${_version#*:}                        # drop the epoch "1:"
	_upstream=${_upstream%-*}                       # drop Debian's revision "-4+deb12u1"
	_tree=$_pkg-$_upstream

	# dpkg-source checks the files against the .dsc and applies
	# debian/patches/*. It cannot check the .dsc's signature (that needs the
	# debian-keyring package) and warns; apt already verified the files
	# through the mirror's signed Release file. --no-copy keeps the tarballs
	# in build/apt/download/ instead of copying them next to the tree.
	rm -rf "$top/build/src/$_tree"
	dpkg-source --no-copy -x "$_dsc" "$top/build/src/$_tree" >>"$_log" 2>&1 ||
		lib_die "dpkg-source could not unpack $_dsc; see build/apt/fetch-$_pkg.log"
	_patches=$(grep -c '^dpkg-source: info: applying' "$_log" || true)
	# The stamp is written last: an interrupted fetch or unpack is redone.
	echo "$_tree" >"$unpacked"
	lib_src=$top/build/src/$_tree
	exec 7>&-
	echo "$lib_name: $_pkg $_version unpacked ($_patches Debian patches applied) in $(($(date +%s) - _start)) s: build/src/$_tree"
}
