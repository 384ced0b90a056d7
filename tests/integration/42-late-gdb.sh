# When every breakpoint is in user space, the kernel boots while gdb is still
# starting. A gdb that attaches only after /init started may have missed a
# breakpoint: the runner must notice and check again, paused (-S), and still
# pass. A slow gdb (a wrapper that waits 1.5 s) forces that path.
. tests/integration/lib.sh
mkdir -p "$SCRATCH/bin"
cat >"$SCRATCH/bin/gdb-multiarch" <<WRAP
#!/bin/sh
sleep 1.5
exec $(command -v gdb-multiarch) "\$@"
WRAP
chmod +x "$SCRATCH/bin/gdb-multiarch"
out=$(PATH=$SCRATCH/bin:$PATH LAB_TIMING=1 "$LAB_RUNNER" check --dir solutions/01-hello-init 2>&1)
rc=$?
printf '%s\n' "$out"
[ $rc -eq 0 ] || fail "a late gdb made the check fail"
want "gdb attached after /init started: booting again, paused"
want "main of /init ran in PID 1"
# And with gdb on time, no second boot.
out=$(LAB_TIMING=1 "$LAB_RUNNER" check --dir solutions/01-hello-init 2>&1)
printf '%s\n' "$out"
want "gdb's breakpoints are in"
printf '%s' "$out" | grep -q "booting again" && fail "a second boot although gdb was on time"
exit 0
