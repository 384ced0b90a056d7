# tools/progress.awk: one live progress line for a kbuild-style build
# (kernel/, busybox/ and dropbear/build.sh pipe make's output through it).
#
#   awk -f tools/progress.awk -v name=kernel(lab) -v total=N -v start=EPOCH \
#       -v tty=0|1 -v steps=FILE
#
# Each line like "  CC      path" is a step, and so is a compiler's own
# command line with -c (a plain Makefile's, e.g. Dropbear's). On a terminal (tty=1) the line
# is rewritten in place; in a log it is printed at most every 30 s. total=0
# means the count is not known ahead (a small rebuild): no "/total" is shown. The
# input's last line "__rc=N" is make's exit status, which becomes awk's.
# The number of steps goes to FILE, the total of the next full build.
function show(final,   t, line) {
	t = systime() - start
	line = sprintf("%s: %-7s %d%s files  %d:%02d", name, what, n,
		known ? "/" total : "", t / 60, t % 60)
	if (tty) { printf "\r%s\033[K%s", line, final ? "\n" : ""; fflush() }
	else if (final || t - last >= 30) { print line; fflush(); last = t }
}
BEGIN { known = total > 0 }
/^__rc=/ { rc = substr($0, 6); next }
/^  [A-Z]+ / { what = $1; n++; if (known && n > total) total = n; show(0); next }
/^[^ \t]*(gcc|cc|clang) (.* )?-c / { what = "CC"; n++; if (known && n > total) total = n; show(0) }
END { if (n) show(1); print n + 0 > steps; exit rc }
