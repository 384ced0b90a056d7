#!/bin/sh
# tools/gradescope.sh (make gradescope): the Gradescope autograder zip,
# safe by construction: build/autograder.zip holds setup.sh and
# run_autograder at its top and the lab under lab/, without anything that
# holds a working answer.
#
# The lab is what git has committed (git archive HEAD: nothing of labs/,
# build/ or a local edit), less:
#   solutions/   the reference solutions
#   tests/       the test suite (its fakes and synthetic submissions are
#                answers, or nearly)
#   bench/       it checks the solutions
# and then every file of the package is compared with every answer (a file
# of solutions/ that differs from the starter it grew from): a package
# that still holds one is not written. The kernel, BusyBox and Dropbear go
# in when they are built here (build/kernel/lab, build/busybox,
# build/dropbear), so the image needs no kernel source.
set -eu
export LC_ALL=C     # sort and join agree on the order
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
out=build/autograder
zipfile=build/autograder.zip
say() { echo "gradescope: $*"; }
die() { echo "gradescope: $*" >&2; exit 1; }

command -v git >/dev/null && git rev-parse --git-dir >/dev/null 2>&1 ||
	die "this is not a git checkout: the package is made from what git has committed"
rm -rf "$out" "$zipfile"
mkdir -p "$out"
git archive --prefix=lab/ HEAD | tar -x -C "$out"
rm -rf "$out/lab/solutions" "$out/lab/tests" "$out/lab/bench"
cp docs/run_autograder "$out/run_autograder"
cp docs/autograder-setup.sh "$out/setup.sh"
chmod 755 "$out/run_autograder" "$out/setup.sh"

# The built kernel, BusyBox and Dropbear, when there are.
for f in build/kernel/lab/arch/riscv/boot/Image build/kernel/lab/vmlinux \
	build/kernel/lab/kernel.version build/busybox/busybox build/dropbear/dropbearmulti; do
	[ -e "$f" ] || continue
	mkdir -p "$out/lab/$(dirname "$f")"
	cp "$f" "$out/lab/$f"
done

# Safe by construction: no answer anywhere in the package, by content.
answers=$(mktemp)
trap 'rm -f "$answers"' EXIT
git ls-files solutions | while read -r f; do
	rest=${f#solutions/}
	stage=${rest%%/*}
	starter=steps/$stage/starter/${rest#*/}
	if [ -f "$starter" ] && cmp -s "$f" "$starter"; then
		continue        # the same as the starter: no answer in it
	fi
	sha256sum <"$f" | cut -d' ' -f1
done | sort -u >"$answers"
found=$(cd "$out" && find . -type f -exec sha256sum {} + | sort -k1,1 |
	join -o 1.2 - "$answers" | head -n 5)
[ -z "$found" ] || die "the package still holds a reference solution's file: $found"

if command -v zip >/dev/null; then
	(cd "$out" && zip -q -r ../autograder.zip setup.sh run_autograder lab)
elif command -v python3 >/dev/null; then
	(cd "$out" && python3 -m zipfile -c ../autograder.zip setup.sh run_autograder lab)
else
	die "neither zip nor python3 is installed to write the zip (apt-get install zip)"
fi
say "wrote $zipfile ($(du -h "$zipfile" | cut -f1)): setup.sh, run_autograder, lab/ without solutions/, tests/, bench/"
[ -e "$out/lab/build/kernel/lab/arch/riscv/boot/Image" ] &&
	say "it brings the kernel built here: the image needs no kernel source" ||
	say "no kernel built here: setup.sh builds one (a Debian 12 or 13 image is needed)"
