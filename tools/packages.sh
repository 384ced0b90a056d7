#!/bin/sh
# tools/packages.sh: build the packages of packages/list into build/packages/,
# the folder the web responder serves to stage 10 (its check's `serve`).
#
# For each line NAME VERSION SOURCE: compile packages/SOURCE static for
# riscv64 as usr/bin/NAME, pack it as NAME-VERSION.tar.gz (owned by root,
# with fixed times: the same bytes at every build), and write
# "NAME VERSION SHA256 FILE" into build/packages/index. The package named
# broken is then tampered with: its program gets bytes added and is packed
# again. The new file is a good tar.gz that unpacks without a word, but the
# checksum in the index is the first file's: only a package manager that
# checks the sum before unpacking refuses it.
#
# Cached: nothing is done when build/packages/index is newer than this
# script and every file of packages/.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
lib_name=packages
# shellcheck source=buildlib.sh
. "$top/tools/buildlib.sh"
src=$top/packages
out=$top/build/packages
cc=riscv64-linux-gnu-gcc

if [ -e "$out/index" ] && [ -z "$(find "$src" "$0" -newer "$out/index" | head -n 1)" ]; then
	echo "packages: up to date, nothing to do (build/packages/index)"
	exit 0
fi
command -v "$cc" >/dev/null || lib_die "no cross compiler $cc: run 'make setup'"
tmp=$top/build/packages.new
rm -rf "$tmp"
mkdir -p "$tmp"
grep -v '^[[:space:]]*\(#\|$\)' "$src/list" | while read -r name version source _; do
	stage=$tmp/.stage-$name
	mkdir -p "$stage/usr/bin"
	"$cc" -static -Os -s -Wall -Wextra -o "$stage/usr/bin/$name" "$src/$source" ||
		lib_die "cannot compile packages/$source"
	file=$name-$version.tar.gz
	pack() {
		tar -C "$stage" --owner=0 --group=0 --numeric-owner --mtime=@0 --sort=name \
			-cf - usr | gzip -n -9 >"$tmp/$file"
	}
	pack
	echo "$name $version $(sha256sum "$tmp/$file" | cut -d' ' -f1) $file" >>"$tmp/index"
	if [ "$name" = broken ]; then
		echo "tampered with" >>"$stage/usr/bin/$name"
		pack
	fi
	rm -rf "$stage"
done
rm -rf "$out"
mv "$tmp" "$out"
echo "packages: $(grep -c . "$out/index") packages in build/packages/ (index, *.tar.gz)"
