# LAB_TIMEOUT_SCALE scales a stage's own time limit (not --timeout), the
# TIMEOUT names the scaled limit and how long the guest was silent, and a
# value that is not a number is an ERROR that says so.
. tests/integration/lib.sh
dir=tests/broken/no-prompt
# Stage 02's limit is 25 s: x 0.2 is 5 s.
t0=$(ms)
out=$(LAB_TIMEOUT_SCALE=0.2 "$LAB_RUNNER" check 02-init-and-shell --dir "$dir" 2>&1)
rc=$?
t1=$(ms)
printf '%s\n' "$out" | tail -n 3
[ $rc -eq 1 ] || fail "a TIMEOUT exits 1, not $rc"
want "TIMEOUT  02-init-and-shell: nothing decided the run within 5 s (the stage's 25 s x LAB_TIMEOUT_SCALE 0.2)"
want "its last line: \""
[ $((t1 - t0)) -lt 15000 ] || fail "the scaled limit was not used: $((t1 - t0)) ms"
# --timeout is the limit as given, not scaled.
out=$(LAB_TIMEOUT_SCALE=10 "$LAB_RUNNER" check 02-init-and-shell --dir "$dir" --timeout 3 2>&1)
want "nothing decided the run within 3 s (the limit set for this run, not the stage's)"
out=$(LAB_TIMEOUT_SCALE=fast "$LAB_RUNNER" check 02-init-and-shell --dir "$dir" 2>&1)
rc=$?
[ $rc -eq 2 ] || fail "a bad LAB_TIMEOUT_SCALE is an ERROR (exit 2), not $rc"
want "LAB_TIMEOUT_SCALE must be a number from 0.1 to 50, not 'fast'"
echo "LAB_TIMEOUT_SCALE scales the stage's limit"
