# make kernel when nothing changed is a no-op under 2 s; a fragment symbol
# that cannot be set fails the build and is named, while a symbol renamed
# between kernel versions is applied under this kernel's name; a KSRC that
# does not exist or is no kernel source is refused in one line naming it,
# with nothing built or remembered.
. tests/integration/lib.sh
t0=$(ms)
make --no-print-directory kernel >"$SCRATCH/noop.txt" 2>&1 || fail "make kernel failed"
t1=$(ms)
cat "$SCRATCH/noop.txt"
echo "no-op make kernel: $((t1 - t0)) ms"
[ $((t1 - t0)) -lt 2000 ] || fail "no-op make kernel took $((t1 - t0)) ms"
grep -q 'CC\|configuring' "$SCRATCH/noop.txt" && fail "the no-op build rebuilt something"

# A .config changed after configuring (make menuconfig writes it) is built as
# it is: the fragment is not applied over it again.
touch build/kernel/lab/.config
cp build/kernel/lab/.config "$SCRATCH/config.before"
make --no-print-directory kernel >"$SCRATCH/edited.txt" 2>&1 || { cat "$SCRATCH/edited.txt"; fail "make kernel after a .config edit"; }
cat "$SCRATCH/edited.txt"
grep -q 'configuring' "$SCRATCH/edited.txt" && fail "the edited .config was configured over"
grep -q 'Image ready' "$SCRATCH/edited.txt" || fail "an edited .config did not rebuild"
cmp -s build/kernel/lab/.config "$SCRATCH/config.before" || fail "the edited .config changed"

version=$(cat build/kernel/lab/kernel.version)
echo "the lab kernel is Linux $version"
case $version in [0-9]*.[0-9]*.*) ;; *) fail "build/kernel/lab/kernel.version says '$version'" ;; esac
grep -q "^VERSION = ${version%%.*}\$" build/kernel/lab/source/Makefile || fail "kernel.version is not the source's"

# The fragment names the virt board by the other version's name (6.1:
# SOC_VIRT, 6.12: ARCH_VIRT): it is applied renamed, and only the real
# misspelling is named.
if grep -qx 'CONFIG_SOC_VIRT=y' build/kernel/lab/.config; then other=ARCH_VIRT; else other=SOC_VIRT; fi
sed "s/^CONFIG_SOC_VIRT=y\$/CONFIG_$other=y/" kernel/lab.config >"$SCRATCH/frag.config"
grep -q "CONFIG_$other=y" "$SCRATCH/frag.config" || fail "kernel/lab.config has no CONFIG_SOC_VIRT=y line to rename"
echo "CONFIG_DOES_NOT_EXIST=y" >>"$SCRATCH/frag.config"
LAB_KERNEL_FRAGMENT=$SCRATCH/frag.config LAB_KERNEL_OUT=$SCRATCH/kout \
	kernel/build.sh lab >"$SCRATCH/bad.txt" 2>&1 && fail "a bad fragment built"
cat "$SCRATCH/bad.txt"
grep -q 'CONFIG_DOES_NOT_EXIST=y' "$SCRATCH/bad.txt" || fail "the bad symbol is not named"
grep -q 'Kconfig drops without a word' "$SCRATCH/bad.txt" || fail "no explanation"
[ -e "$SCRATCH/kout/arch/riscv/boot/Image" ] && fail "an Image was built anyway"
grep -q "not CONFIG_$other: " "$SCRATCH/bad.txt" || fail "the renamed CONFIG_$other was not applied renamed"
sed -n '/not in the final .config/,/Kconfig drops/p' "$SCRATCH/bad.txt" | grep -q "VIRT" &&
	fail "the renamed symbol is reported missing"

# KSRC: missing, not a tarball of a kernel, a folder with no kernel. Each is
# one line naming it; build/src gains nothing and the lab's source stays.
before=$(ls -a build/src | tr '\n' ' ')
remembered=$(cat build/kernel/source 2>/dev/null)
mkdir -p "$SCRATCH/notakernel/sub" && echo hello >"$SCRATCH/notakernel/sub/README"
tar -C "$SCRATCH/notakernel" -cJf "$SCRATCH/notakernel.tar.xz" sub
echo "not a tarball" >"$SCRATCH/junk.tar.xz"
for ksrc in "$SCRATCH/nowhere.tar.xz" "$SCRATCH/notakernel.tar.xz" "$SCRATCH/junk.tar.xz" "$SCRATCH/notakernel"; do
	KSRC=$ksrc LAB_KERNEL_OUT=$SCRATCH/kout2 kernel/build.sh lab >"$SCRATCH/out.txt" 2>"$SCRATCH/ksrc.txt" &&
		fail "KSRC=$ksrc built"
	cat "$SCRATCH/out.txt" "$SCRATCH/ksrc.txt"
	[ "$(wc -l <"$SCRATCH/ksrc.txt")" -eq 1 ] || fail "KSRC=$ksrc: not one line of error"
	grep -qF "'$ksrc'" "$SCRATCH/ksrc.txt" || fail "KSRC=$ksrc: the message does not name it"
	[ -e "$SCRATCH/kout2" ] && fail "KSRC=$ksrc: a build folder was made"
	[ "$(ls -a build/src | tr '\n' ' ')" = "$before" ] || fail "KSRC=$ksrc: build/src changed: $(ls -a build/src)"
done
make --no-print-directory kernel KSRC="$SCRATCH/nowhere" >"$SCRATCH/make.txt" 2>&1 && fail "make kernel KSRC=nowhere passed"
grep -F "KSRC '$SCRATCH/nowhere' does not exist" "$SCRATCH/make.txt" || fail "make kernel KSRC=nowhere: no message"
[ "$(cat build/kernel/source 2>/dev/null)" = "$remembered" ] || fail "a refused KSRC was remembered"
exit 0
