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
