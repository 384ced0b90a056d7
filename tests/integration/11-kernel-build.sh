# make kernel when nothing changed is a no-op under 2 s; a fragment symbol
# that cannot be set fails the build and is named.
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

cp kernel/lab.config "$SCRATCH/frag.config"
echo "CONFIG_DOES_NOT_EXIST=y" >>"$SCRATCH/frag.config"
LAB_KERNEL_FRAGMENT=$SCRATCH/frag.config LAB_KERNEL_OUT=$SCRATCH/kout \
	kernel/build.sh lab >"$SCRATCH/bad.txt" 2>&1 && fail "a bad fragment built"
cat "$SCRATCH/bad.txt"
grep -q 'CONFIG_DOES_NOT_EXIST=y' "$SCRATCH/bad.txt" || fail "the bad symbol is not named"
grep -q 'Kconfig drops without a word' "$SCRATCH/bad.txt" || fail "no explanation"
[ -e "$SCRATCH/kout/arch/riscv/boot/Image" ] && fail "an Image was built anyway"
exit 0
