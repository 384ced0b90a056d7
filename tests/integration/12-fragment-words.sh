# The kernel fragment check says why a line did not make it, from the
# kernel's own Kconfig files: CONFIG_X=n stands (Kconfig writes it "# CONFIG_X
# is not set"); a misspelt symbol is named as not existing; a symbol whose
# dependencies are off names the dependency that is false and the symbol
# that makes it so; a kernel without BLK_DEV_INITRD is refused, naming it.
# One configure-only run of kernel/build.sh (it stops at the check, before
# any compiling), in a folder of the test's own.
. tests/integration/lib.sh
src=$(readlink -f build/kernel/lab/source 2>/dev/null)
[ -n "$src" ] && [ -f "$src/Makefile" ] || skip "no configured lab kernel: make kernel"
lib_name=kernel
# shellcheck source=../../tools/buildlib.sh
. tools/buildlib.sh

# What every stage needs: the lab's .config has it; without it, it is named.
[ -z "$(lib_kernel_needs build/kernel/lab/.config leaner.config)" ] || fail "the lab kernel lacks what the stages need"
sed 's/^CONFIG_BLK_DEV_INITRD=y$/# CONFIG_BLK_DEV_INITRD is not set/' build/kernel/lab/.config >"$SCRATCH/noinitrd.config"
said=$(lib_kernel_needs "$SCRATCH/noinitrd.config" leaner.config)
echo "$said"
echo "$said" | grep -q '^CONFIG_BLK_DEV_INITRD is off in the final .config: without it the kernel cannot unpack an initramfs' ||
	fail "a kernel without BLK_DEV_INITRD is not named"
echo "$said" | grep -q 'keep it on in leaner.config' || fail "it does not say where to fix it"

# A dependency expression judged on a .config (tools/kconfig-why.awk).
printf 'CONFIG_A=y\nCONFIG_M=m\n# CONFIG_B is not set\n' >"$SCRATCH/abc.config"
printf 'A && (!B || C)\nA && B\n!A || B\nM=y\nB || C\n' |
	awk -f tools/kconfig-why.awk "$SCRATCH/abc.config" - >"$SCRATCH/why.txt"
cat "$SCRATCH/why.txt"
printf 'A && B\tCONFIG_B is off\n!A || B\tCONFIG_A is y, CONFIG_B is off\nM=y\tCONFIG_M is m\nB || C\tCONFIG_B is off, CONFIG_C is off\n' |
	cmp -s - "$SCRATCH/why.txt" || fail "kconfig-why.awk judged the expressions wrong"

# The real thing: the lab's fragment with four more lines.
cp kernel/lab.config "$SCRATCH/frag.config"
printf 'CONFIG_MODULES=n\nCONFIG_E1000EE=y\nCONFIG_E1000E=y\n' >>"$SCRATCH/frag.config"
LAB_KERNEL_FRAGMENT=$SCRATCH/frag.config LAB_KERNEL_OUT=$SCRATCH/kout timeout 600 \
	kernel/build.sh lab >"$SCRATCH/out.txt" 2>&1 && fail "a bad fragment was accepted"
cat "$SCRATCH/out.txt"
[ -e "$SCRATCH/kout/arch/riscv/boot/Image" ] && fail "an Image was built anyway"
grep -q '^# CONFIG_MODULES is not set$' "$SCRATCH/kout/.config" || fail "CONFIG_MODULES=n was not applied"
grep -q 'CONFIG_MODULES' "$SCRATCH/out.txt" && fail "CONFIG_MODULES=n, which Kconfig applied, is reported"
grep -q "^  CONFIG_E1000EE=y: there is no symbol E1000EE in this kernel's Kconfig files" "$SCRATCH/out.txt" ||
	fail "the misspelt symbol is not named as not existing"
grep -q '^  CONFIG_E1000E=y: Kconfig left it off (drivers/net/ethernet/intel/Kconfig:[0-9]*): it depends on PCI .*, which is false: CONFIG_PCI is off$' \
	"$SCRATCH/out.txt" || fail "E1000E's dependency that is off is not named"
[ "$(grep -c '^  CONFIG_' "$SCRATCH/out.txt")" -eq 2 ] || fail "lines other than the two bad ones are reported"
exit 0
