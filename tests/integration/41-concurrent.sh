# Two checks of the same folder at once share nothing: both pass, each in
# its own run folder with its own gdb socket.
. tests/integration/lib.sh
"$LAB_RUNNER" check --dir solutions/02-init-and-shell >"$SCRATCH/a" 2>&1 &
a=$!
"$LAB_RUNNER" check --dir solutions/02-init-and-shell >"$SCRATCH/b" 2>&1 &
b=$!
wait $a || { cat "$SCRATCH/a"; fail "first check"; }
wait $b || { cat "$SCRATCH/b"; fail "second check"; }
la=$(sed -n 's/.*logs: \([^ ]*\)uart.log.*/\1/p' "$SCRATCH/a")
lb=$(sed -n 's/.*logs: \([^ ]*\)uart.log.*/\1/p' "$SCRATCH/b")
[ -n "$la" ] && [ "$la" != "$lb" ] || fail "the two checks shared a run folder: $la"
