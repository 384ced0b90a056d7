# The catalogue of broken submissions (tests/broken/*): each gets its verdict
# and a diagnosis a beginner can act on, within its time limit plus 2 s.
. tests/integration/lib.sh
problems=0
for dir in tests/broken/*/; do
	name=$(basename "$dir")
	stage=$(sed -n 's/^stage //p' "$dir/expect")
	verdict=$(sed -n 's/^verdict //p' "$dir/expect")
	limit=$(sed -n 's/^timeout //p' "$dir/expect")
	cap=$(sed -n 's/^log_under //p' "$dir/expect")
	args=
	[ -n "$limit" ] && args="--timeout $limit"
	t0=$(ms)
	# shellcheck disable=SC2086
	run_check "$stage" --dir "$dir" $args >"$SCRATCH/$name.txt"
	t1=$(ms)
	allowed=$(( (${limit:-20} + 2) * 1000 + 3000 ))   # + build and gdb start-up
	bad=
	grep -q "^$verdict  $stage" "$SCRATCH/$name.txt" || bad="$bad verdict (want $verdict)"
	sed -n 's/^says //p' "$dir/expect" >"$SCRATCH/says"
	while IFS= read -r text; do
		grep -qF -- "$text" "$SCRATCH/$name.txt" || bad="$bad says '$text'"
	done <"$SCRATCH/says"
	[ $((t1 - t0)) -le $allowed ] || bad="$bad took $((t1 - t0)) ms (limit $allowed)"
	if [ -n "$cap" ]; then
		# The learner's report above is the subject; where the log is, --json says.
		# shellcheck disable=SC2086
		check_json "$SCRATCH/$name.json" "$stage" --dir "$dir" $args
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
		echo "ok   $name ($verdict, $((t1 - t0)) ms)"
	fi
done
[ $problems -eq 0 ] || fail "$problems catalogue entries went wrong"
