#!/bin/sh
# tests/fuzz/build.sh: build the libFuzzer targets into build/fuzz/.
#
#   fuzz_check      check_parse_text + the UART matcher  (engine/check.c, checkline.c,
#                   pattern.c, match.c)
#   fuzz_initramfs  initramfs_parse/_resolve/_check + ELF readers
#                   (engine/initramfs.c, initcheck.c, elffile.c)
#
# Needs clang with the libFuzzer runtime (Debian: clang, libclang-rt-14-dev).
# CLANG=... picks the compiler (default: clang, else clang-14). ENGINE=DIR
# builds from a copy of engine/ (e.g. to try a fix in build/ first), and
# OUT=DIR puts the binaries elsewhere than build/fuzz/.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
if [ -z "${CLANG:-}" ]; then
	if command -v clang >/dev/null 2>&1; then CLANG=clang
	elif command -v clang-14 >/dev/null 2>&1; then CLANG=clang-14
	else echo "fuzz build: no clang (Debian package clang)" >&2; exit 2
	fi
fi
out=${OUT:-build/fuzz}
mkdir -p "$out"
flags="-std=c11 -D_GNU_SOURCE -g -O1 -fno-omit-frame-pointer
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
	-Wall -Wextra -I${ENGINE:-engine}"

# build NAME SOURCES...: link to a temporary name, then rename, so that a
# fuzzer already running from build/fuzz/ is never overwritten under it.
build() {
	name=$1
	shift
	# shellcheck disable=SC2086
	$CLANG $flags -o "$out/.$name.$$" "tests/fuzz/$name.c" "$@"
	mv -f "$out/.$name.$$" "$out/$name"
	echo "fuzz build: $out/$name"
}
e=${ENGINE:-engine}
build fuzz_check "$e/check.c" "$e/checkline.c" "$e/pattern.c" "$e/match.c" "$e/mem.c" "$e/strbuf.c" "$e/fs.c"
build fuzz_initramfs "$e/initramfs.c" "$e/initcheck.c" "$e/elffile.c" "$e/mem.c"
