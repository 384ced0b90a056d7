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
#                                   not exist or its dependencies are off)
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
		grep -qxF "$line" "$2" || echo "  $line"
	done
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
