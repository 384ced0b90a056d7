# Stage 06, the learner's own kernel: the solution's kernel boots the
# stage-04 system and is compared with the stock defconfig (both rows, real
# numbers); a kernel that cannot boot the system fails, with the reason; a
# misspelled symbol stops the build, naming the line; a kernel no smaller
# than the stock one fails; a second check does not rebuild; the learner's
# folder is never written.
#
# Each variant keeps its kernel build folder (LEANER_OUT) across runs, so
# only the first run of the suite compiles (a few minutes each).
. tests/integration/lib.sh
[ -e build/busybox/busybox ] || skip "no BusyBox"
[ -e build/kernel/defconfig/.built ] || skip "no stock defconfig kernel (make kernel KCONFIG=defconfig)"
stage=06-leaner-kernel
K=$TOP/build/kernel

# 1. The solution: PASS, with both kernels measured (JSON, to read numbers).
export LEANER_OUT=$K/leaner-test-solution
out=$("$LAB_RUNNER" check $stage --dir solutions/$stage --json 2>"$SCRATCH/err")
rc=$?
printf '%s\n' "$out" >"$SCRATCH/solution.json"
[ $rc -eq 0 ] || { cat "$SCRATCH/err" "$SCRATCH/solution.json"; fail "the solution does not pass (exit $rc)"; }
python3 - "$SCRATCH/solution.json" <<'PY' || fail "the comparison is not what it should be"
import json, sys
r = json.load(open(sys.argv[1]))
c = r["compare"]
assert [k["kernel"] for k in c] == ["yours", "defconfig"], c
yours, stock = c
for k in c:
    assert k["boots"] == 5 and k["problem"] is None, k
    assert k["image_bytes"] > 1000000 and k["memory_bytes"] > 1000000, k
    assert 1000 < k["kernel_us_min"] <= k["kernel_us"] <= k["kernel_us_max"] < 10000000, k
    assert k["wall_ms"] > 0, k
assert yours["memory_bytes"] < stock["memory_bytes"], (yours, stock)
assert yours["image"].endswith("/src/Image") and stock["image"].endswith("/defconfig/arch/riscv/boot/Image")
assert any(i["kind"] == "compare" and i["ok"] for i in r["items"]), r["items"]
print("yours %d bytes in memory, defconfig %d; guest time to /init %d us against %d" %
      (yours["memory_bytes"], stock["memory_bytes"], yours["kernel_us"], stock["kernel_us"]))
PY
[ "$(ls -A solutions/$stage | tr '\n' ' ')" = "Makefile leaner.config " ] ||
	fail "the check wrote into solutions/$stage: $(ls -A solutions/$stage)"

# 2. Again: the kernel script has nothing to do, and says so; the text
#    report shows the table.
t0=$(ms)
run_check $stage --dir solutions/$stage
t1=$(ms)
[ $rc -eq 0 ] || fail "the second check does not pass"
# (the kernel line names the version it built: "kernel(leaner, 6.1.192): ...")
printf "%s" "$out" | grep -qE "^kernel\(leaner, [0-9]+\.[0-9]+[^)]*\): up to date \(leaner.config unchanged since the last build\)$" ||
	fail "the second build does not say it is up to date"
want "The same archive on each kernel (median of 5 boots):"
printf '%s' "$out" | grep -qE '^  yours +[0-9.]+ MiB +[0-9.]+ MiB +[0-9.]+ ms \([0-9.]+-[0-9.]+\) +[0-9.]+ s$' || fail "no row for yours"
printf '%s' "$out" | grep -qE '^  defconfig +[0-9.]+ MiB +[0-9.]+ MiB +[0-9.]+ ms \([0-9.]+-[0-9.]+\) +[0-9.]+ s$' || fail "no row for defconfig"
want "less in memory"
echo "second check: $((t1 - t0)) ms"

#    Two checks of the same folder at once share its kernel build folder
#    (the kernel script's lock): both pass.
"$LAB_RUNNER" check $stage --dir solutions/$stage >"$SCRATCH/c1" 2>&1 &
p1=$!
"$LAB_RUNNER" check $stage --dir solutions/$stage >"$SCRATCH/c2" 2>&1
rc2=$?
wait $p1
rc1=$?
[ $rc1 -eq 0 ] && [ $rc2 -eq 0 ] || { cat "$SCRATCH/c1" "$SCRATCH/c2"; fail "two checks at once: exit $rc1 and $rc2"; }

# 3. A misspelled symbol: the build stops before compiling, naming the line.
mkdir -p "$SCRATCH/typo"
cp solutions/$stage/Makefile "$SCRATCH/typo/"
printf '# CONFIG_USB_SUPORT is not set\n' >"$SCRATCH/typo/leaner.config"
export LEANER_OUT=$K/leaner-test-typo
run_check $stage --dir "$SCRATCH/typo"
[ $rc -eq 2 ] || fail "a fragment line Kconfig dropped must be a build ERROR (exit 2), got $rc"
want "# CONFIG_USB_SUPORT is not set"
want "leaner.config"

# A copy of the lab whose check forbids nothing, for what the forbidden
# driver lines would otherwise hide.
lab=$SCRATCH/lab
mkdir -p "$lab/checks" "$lab/steps" "$lab/solutions"
cp -r steps/$stage "$lab/steps/"
cp -r solutions/04-real-init "$lab/solutions/"   # stage 06 packs its init
grep -v '^reject\|^explain    the\|^explain    USB' checks/$stage.check >"$lab/checks/$stage.check"
ln -s "$TOP/build" "$lab/build"
ln -s "$TOP/kernel" "$lab/kernel"
ln -s "$TOP/tools" "$lab/tools"

# 4. A kernel no smaller than the stock one fails, even when all else holds:
#    the starter (an empty leaner.config).
export LEANER_OUT=$K/leaner-test-starter
LAB_TOP=$lab run_check $stage --dir "$lab/steps/$stage/starter"
[ $rc -eq 1 ] || fail "the stock kernel passed as a leaner one (exit $rc)"
want "FAILED    compare  your kernel takes less memory than defconfig's"
want "no smaller than the stock defconfig"

# 5. A kernel that cannot boot the system: no initramfs support. The kernel
#    script refuses it once configured (nothing compiled), naming the symbol and why the lab
#    needs it (an ERROR: nothing was booted, nothing compared).
mkdir -p "$SCRATCH/noinitrd"
cp solutions/$stage/Makefile "$SCRATCH/noinitrd/"
printf '# CONFIG_BLK_DEV_INITRD is not set\n' >"$SCRATCH/noinitrd/leaner.config"
export LEANER_OUT=$K/leaner-test-noinitrd
LAB_TOP=$lab run_check $stage --dir "$SCRATCH/noinitrd"
[ $rc -eq 2 ] || fail "a kernel without initramfs support must be refused (exit 2), got $rc"
want "ERROR  $stage"
want "CONFIG_BLK_DEV_INITRD is off in the final .config"
want "keep it on in leaner.config"
printf '%s' "$out" | grep -q "VFS: Unable to mount root fs" && fail "booted a kernel it refused"
printf '%s' "$out" | grep -q "The same archive on each kernel" && fail "compared a kernel that never reached /init"

# 6. A kernel line holds only when the function really ran in the kernel
#    that was built: one that is there but never runs (the solution powers
#    off, it never restarts) and one that no kernel has both fail; a line
#    that runs passes, with the process it ran for.
cp checks/$stage.check "$lab/checks/$stage.check"
printf 'gdb        vmlinux  machine_restart\ngdb        vmlinux  no_such_function_in_linux\n' \
	>>"$lab/checks/$stage.check"
export LEANER_OUT=$K/leaner-test-solution
LAB_TOP=$lab run_check $stage --dir solutions/$stage
[ $rc -eq 1 ] || fail "a kernel line on a function that never ran passed (exit $rc)"
want "FAILED    gdb      vmlinux machine_restart"
want "machine_restart in the kernel never ran"
want "FAILED    gdb      vmlinux no_such_function_in_linux"
want "the kernel that booted has no function no_such_function_in_linux"
want "unpack_to_rootfs in the kernel ran"
exit 0
