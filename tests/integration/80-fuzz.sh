# The libFuzzer targets (tests/fuzz/): the check-file parser with the UART
# matcher, and the newc reader/inspector with the ELF readers, each for
# FUZZ_SECONDS (default 20) under ASan, UBSan and LeakSanitizer, starting
# from their seed corpora (which hold the regression inputs of past finds).
# Skipped when clang or its libFuzzer runtime is missing (Debian packages
# clang and libclang-rt-14-dev). The long run: tests/fuzz/run.sh 600.
. tests/integration/lib.sh
secs=${FUZZ_SECONDS:-20}
cc=
for c in ${CLANG:-} clang clang-14; do
	command -v "$c" >/dev/null 2>&1 && { cc=$c; break; }
done
[ -n "$cc" ] || skip "no clang (Debian package clang)"
printf 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { (void)d; (void)n; return 0; }\n' \
	>"$SCRATCH/probe.c"
"$cc" -fsanitize=fuzzer,address,undefined -o "$SCRATCH/probe" "$SCRATCH/probe.c" >"$SCRATCH/probe.txt" 2>&1 ||
	skip "no libFuzzer runtime for $cc (Debian package libclang-rt-14-dev)"
CLANG=$cc sh tests/fuzz/build.sh || fail "tests/fuzz/build.sh failed"
# Under tests/run.sh, ASAN_OPTIONS sets exitcode=99 and no abort: fine for
# libFuzzer, which writes the crashing input first either way.
sh tests/fuzz/run.sh "$secs" || fail "a fuzz target crashed (crashing inputs listed above)"
