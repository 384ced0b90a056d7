# The witness: each fake in tests/fakes/ shows every line its stage's check
# expects on the UART without doing the stage's work, and must fail, with
# the sentence its EXPECT names (what the kernel saw really happen).
. tests/integration/lib.sh
n=0
for dir in tests/fakes/*--*/; do
	name=$(basename "$dir")
	stage=${name%%--*}
	run_check "$stage" --dir "$dir"
	[ $rc -eq 1 ] || fail "$name: a fake must fail (exit 1), got exit $rc"
	printf '%s' "$out" | grep -qE -f "$dir/EXPECT" ||
		fail "$name: the report does not say: $(cat "$dir/EXPECT")"
	n=$((n + 1))
done
[ $n -ge 5 ] || fail "only $n fakes found in tests/fakes/"
echo "$n fakes, each failed with its cause"
