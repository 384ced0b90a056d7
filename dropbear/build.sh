#!/bin/sh
# dropbear/build.sh: build Dropbear, a small SSH server, as one static
# riscv64 binary for the guest (stage 09).
#
# Source:  the distribution's own `dropbear` source package (2022.83 in
#          Debian 12, with Debian's patches), fetched once with `apt-get
#          source` through the lab's own apt folders (tools/buildlib.sh,
#          lib_apt_source: the system's apt sources are not touched) and
#          unpacked into build/src/dropbear-VERSION/.
# Config:  configure for riscv64-linux-gnu, static, without zlib and
#          without the login records (lastlog, utmp, wtmp: files the guest
#          does not have, and the login() calls that write them), plus
#          dropbear/localoptions.h (key logins only, no agent or X11
#          forwarding; see its header).
# Output:  build/dropbear/ (the build folder), holding the binary
#          build/dropbear/dropbearmulti: `dropbear` (the server) and
#          `dropbearkey` (makes keys) in one program, which looks at the name
#          it was started by (argv[0]) as BusyBox does.
# Log:     build/dropbear/build.log (build/apt/fetch-dropbear.log for the
#          download); on failure its path and last 30 lines.
#
# Run it again when nothing changed and it says so in one line. A changed
# dropbear/localoptions.h or script configures and builds again.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
lib_name=dropbear
# shellcheck source=../tools/buildlib.sh
. "$top/tools/buildlib.sh"
# The two programs of the one binary, and what it is built from.
programs="dropbear dropbearkey"
opts=$top/dropbear/localoptions.h
out=$top/build/dropbear
log=$out/build.log

# 0. Nothing to do? The binary exists and nothing it was built from
#    changed since.
if [ -e "$top/build/src/.dropbear-unpacked" ] && lib_up_to_date "$out/dropbearmulti" "$out/.built" "$opts" "$0" \
	"$top/tools/buildlib.sh" "$top/tools/progress.awk"; then
	echo "dropbear: up to date, nothing to do (build/dropbear/dropbearmulti)"
	exit 0
fi

# 1. Fetch and unpack Debian's source package, once (tools/buildlib.sh:
#    apt-get with the lab's own folders under build/apt/, never the
#    system's apt sources).
lib_apt_source dropbear
src=$lib_src

# 2. Configure, in build/dropbear/ (the source tree stays as unpacked).
lib_need_cross
command -v make >/dev/null || lib_die "no make: run 'make setup'"

mkdir -p "$out"
rm -f "$out/.built"
start=$(date +%s)
# shellcheck disable=SC3013
if [ ! -e "$out/Makefile" ] || [ "$0" -nt "$out/Makefile" ] ||
	[ "$top/tools/buildlib.sh" -nt "$out/Makefile" ]; then
	echo "dropbear: configuring for riscv64, static (./configure --host=riscv64-linux-gnu --enable-static ...)"
	# --enable-bundled-libtom: Dropbear's own copy of its crypto libraries
	# (the machine's, if any, are not riscv64 ones).
	if ! (cd "$out" && "$src/configure" --host=riscv64-linux-gnu --enable-static \
		--enable-bundled-libtom --disable-zlib --disable-pam --disable-lastlog \
		--disable-utmp --disable-utmpx --disable-wtmp --disable-wtmpx \
		--disable-pututline --disable-pututxline --disable-loginfunc) >"$log" 2>&1; then
		lib_fail_tail "configure" "$log"
		exit 1
	fi
else
	: >"$log"
fi
# A changed localoptions.h rebuilds everything: every object includes it
# (Dropbear's Makefile knows).
cmp -s "$opts" "$out/localoptions.h" || cp "$opts" "$out/localoptions.h"

# 3. Build, with one live progress line (tools/progress.awk counts the
#    compiler's command lines). MULTI=1: one binary for both programs.
total=$(cat "$out/.steps" 2>/dev/null || echo 620)
lib_build "the build" "dropbear(${src##*/dropbear-})" "$total" "$out" "$log" "$start" \
	make -C "$out" -j"${JOBS:-$(nproc)}" MULTI=1 PROGRAMS="$programs" dropbearmulti
touch "$out/.built"
echo "dropbear: $(du -h "$out/dropbearmulti" | cut -f1) static riscv64 binary ($programs) ready in $(($(date +%s) - start)) s: build/dropbear/dropbearmulti"
