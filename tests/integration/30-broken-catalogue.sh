# The catalogue of broken submissions (tests/broken/*): each gets its verdict
# and a diagnosis a beginner can act on, within its time limit plus 2 s.
#
# Each entry's expect file, one fact a line:
#   stage NN-name     the stage it is checked as
#   verdict V         PASS, FAIL, TIMEOUT or ERROR
#   says TEXT         the report holds TEXT (as it is, any number of lines)
#   timeout S         checked with --timeout S (else the stage's own limit)
#   within S          the boot ends within S seconds (the report's "boot X s"):
#                     the output decided it, the stage's limit was not waited out
#   from solution     the entry holds only what differs from solutions/NN-name/:
#                     a copy of that folder is made, the entry's own files (but
#                     expect and change.patch) are copied over it, then its
#                     change.patch, if any, is applied with patch -p1
#
# change.patch is a unified diff against the solution's folder, with paths
# a/FILE and b/FILE (FILE relative to that folder), as made by
#   diff -u --label a/init.c --label b/init.c solutions/02-init-and-shell/init.c init.c
# or git diff. Prefer it to a whole copy of a file for a small change: the
# entry then follows the solution, and a patch that no longer applies fails
# the entry, saying so.
#   log_under BYTES   its uart.log stays under BYTES
#   build S           the build may take S seconds more than the usual few
#                     (stage 06 builds a kernel: minutes the first time)
. tests/integration/lib.sh
problems=0
# A stage-06 entry's kernel is built in a folder of its own,
# build/kernel/leaner-catalogue-NAME (LEANER_OUT, which its Makefile reads),
# so that it is compiled once (the kernel script's lock and its "up to
# date" make every later run cost seconds), and a fragment the kernel
# script refuses costs seconds from the first run on. Without the stock
# defconfig kernel (build/kernel/defconfig/.built), stage-06 entries are
# skipped, as test 23 is.
#
# BROKEN='GLOB...' checks only the entries whose name matches one of the
# globs (BROKEN='no-* rc-twice').
dirs=
set -f
for g in ${BROKEN:-*}; do dirs="$dirs tests/broken/$g/"; done
set +f
for dir in $dirs; do
	[ -d "$dir" ] || continue
	name=$(basename "$dir")
	stage=$(sed -n 's/^stage //p' "$dir/expect")
	verdict=$(sed -n 's/^verdict //p' "$dir/expect")
	limit=$(sed -n 's/^timeout //p' "$dir/expect")
	cap=$(sed -n 's/^log_under //p' "$dir/expect")
	within=$(sed -n 's/^within //p' "$dir/expect")
	if [ -z "$stage" ] || [ -z "$verdict" ]; then
		echo "FAIL $name: its expect file has no stage or no verdict line"
		problems=$((problems + 1))
		continue
	fi
	build=$(sed -n 's/^build //p' "$dir/expect")
	if [ "${stage#06}" != "$stage" ] && [ ! -e build/kernel/defconfig/.built ]; then
		# As test 23: no stock kernel, no stage-06 check (it would build one first).
		echo "skip $name: no stock defconfig kernel (make kernel KCONFIG=defconfig)"
		continue
	fi
	target=$dir
	if grep -qx 'from solution' "$dir/expect"; then
		target=$SCRATCH/$name.dir
		cp -r "solutions/$stage" "$target"
		(cd "$dir" && find . -type f ! -name expect ! -name change.patch \
			-exec cp --parents {} "$target" \;)
		if [ -f "$dir/change.patch" ] &&
		    ! patch -s -p1 -N -r - --no-backup-if-mismatch -d "$target" \
			<"$dir/change.patch" >"$SCRATCH/$name.patch.txt" 2>&1; then
			echo "FAIL $name: its change.patch does not apply to solutions/$stage"
			sed 's/^/    /' "$SCRATCH/$name.patch.txt"
			problems=$((problems + 1))
			continue
		fi
	fi
	args=
	[ -n "$limit" ] && args="--timeout $limit"
	export LEANER_OUT="$TOP/build/kernel/leaner-catalogue-$name"
	t0=$(ms)
	# shellcheck disable=SC2086
	run_check "$stage" --dir "$target" $args >"$SCRATCH/$name.txt"
	t1=$(ms)
	allowed=$(( (${limit:-20} + 2 + ${build:-0}) * 1000 + 3000 ))   # + build and gdb start-up
	# A stage that builds a kernel (06, 08) takes a minute or more before
	# the boot: its limit also has the build's time that the report names.
	built=$(sed -n 's/.*(build \([0-9]*\)\.[0-9] s, boot [0-9.]* s)$/\1/p' "$SCRATCH/$name.txt")
	if grep -q '^kernel *learner' "checks/$stage.check"; then
		allowed=$((allowed + ${built:-0} * 1000 + 1000))
	fi
	bad=
	grep -q "^$verdict  $stage" "$SCRATCH/$name.txt" || bad="$bad verdict (want $verdict)"
	sed -n 's/^says //p' "$dir/expect" >"$SCRATCH/says"
	while IFS= read -r text; do
		grep -qF -- "$text" "$SCRATCH/$name.txt" || bad="$bad says '$text'"
	done <"$SCRATCH/says"
	[ $((t1 - t0)) -le $allowed ] || bad="$bad took $((t1 - t0)) ms (limit $allowed)"
	# The boot's time in tenths of a second ("boot 2.7 s": 27; no leading 0).
	boot=$(sed -n 's/.*(build [0-9.]* s, boot \([0-9]*\)\.\([0-9]\) s)$/\1\2/p' \
		"$SCRATCH/$name.txt" | sed 's/^0*\(.\)/\1/')
	if [ -n "$within" ]; then
		if [ -z "$boot" ]; then
			bad="$bad no boot time in the report"
		elif [ "$boot" -gt $((within * 10)) ]; then
			bad="$bad the boot took $((boot / 10)).$((boot % 10)) s (within $within s)"
		fi
	fi
	if [ -n "$cap" ]; then
		# The learner's report above is the subject; where the log is, --json says.
		# shellcheck disable=SC2086
		check_json "$SCRATCH/$name.json" "$stage" --dir "$target" $args
		log=$(json "$SCRATCH/$name.json" uart_log)
		[ "$(json "$SCRATCH/$name.json" verdict)" = "$verdict" ] || bad="$bad --json verdict"
		size=$(stat -c %s "$log" 2>/dev/null) || bad="$bad no uart.log: '$log'"
		[ "${size:-0}" -lt "$cap" ] || bad="$bad uart.log is $size bytes"
		echo "$name: uart.log ${size:-?} bytes"
	fi
	if [ -n "$bad" ]; then
		echo "FAIL $name:$bad"
		sed 's/^/    /' "$SCRATCH/$name.txt"
		problems=$((problems + 1))
	else
		echo "ok   $name ($verdict, $((t1 - t0)) ms${boot:+, boot $((boot / 10)).$((boot % 10)) s})"
	fi
done
[ $problems -eq 0 ] || fail "$problems catalogue entries went wrong"
