# The witness: each fake in tests/fakes/ shows every line its stage's check
# expects on the UART without doing the stage's work, and must fail, with
# the sentence its EXPECT names (what the kernel saw really happen).
. tests/integration/lib.sh
n=0
for fake in tests/fakes/*--*/; do
	name=$(basename "$fake")
	stage=${name%%--*}
	# The fake holds only what differs from the solution (its FROM says so).
	grep -qx solution "$fake/FROM" || fail "$name: its FROM names no base"
	dir=$SCRATCH/$name
	cp -r "solutions/$stage" "$dir"
	(cd "$fake" && find . -type f ! -name FROM ! -name EXPECT -exec cp --parents {} "$dir" \;)
	run_check "$stage" --dir "$dir"
	[ $rc -eq 1 ] || fail "$name: a fake must fail (exit 1), got exit $rc"
	printf '%s' "$out" | grep -qE -f "$fake/EXPECT" ||
		fail "$name: the report does not say: $(cat "$fake/EXPECT")"
	n=$((n + 1))
done
[ $n -ge 5 ] || fail "only $n fakes found in tests/fakes/"
echo "$n fakes, each failed with its cause"
