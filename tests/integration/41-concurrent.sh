# Two checks of the same folder at once share nothing: both pass, each in
# its own run folder with its own gdb socket.
. tests/integration/lib.sh
"$LAB_RUNNER" check --json --dir solutions/02-init-and-shell >"$SCRATCH/a" 2>"$SCRATCH/a.err" &
a=$!
"$LAB_RUNNER" check --json --dir solutions/02-init-and-shell >"$SCRATCH/b" 2>"$SCRATCH/b.err" &
b=$!
wait $a || { cat "$SCRATCH/a" "$SCRATCH/a.err"; fail "first check"; }
wait $b || { cat "$SCRATCH/b" "$SCRATCH/b.err"; fail "second check"; }
# The run folder is the one that holds the logs.
la=$(dirname "$(json "$SCRATCH/a" uart_log)")
lb=$(dirname "$(json "$SCRATCH/b" uart_log)")
echo "run folders: $la $lb"
[ "$la" != . ] && [ "$la" != "$lb" ] || fail "the two checks shared a run folder: $la"
[ "$(dirname "$(json "$SCRATCH/a" gdb_log)")" = "$la" ] || fail "the first check's logs are apart"
