# lab-runner trace: the process tree and the console, each line marked with
# the process that wrote it, from the witness's record of a real boot.
. tests/integration/lib.sh
out=$(NO_COLOR=1 "$LAB_RUNNER" trace 02 --dir solutions/02-init-and-shell 2>&1)
rc=$?
printf '%s\n' "$out"
[ $rc -eq 0 ] || fail "trace 02 exited $rc"
printf '%s' "$out" | grep -qE '^  1 +/init ' || fail "no PID 1 running /init in the tree"
shell=$(printf '%s' "$out" | sed -n 's/^  `-- \([0-9][0-9]*\) *\/little_shell .*/\1/p' | head -n 1)
[ -n "$shell" ] || fail "no child of PID 1 running /little_shell in the tree"
n=$(printf '%s' "$out" | grep -cE "^  $shell little_shell +\| Your command is: ")
[ "$n" -eq 4 ] || fail "not every 'Your command is:' line is marked with the little shell's PID $shell ($n of 4)"
printf '%s' "$out" | grep -qE '^  1 init +\| Hello from the original init! 1$' || fail "init's line is not marked as PID 1's"
printf '%s' "$out" | grep -qE '^  kernel +\| \[ *[0-9.]+\] Run /init as init process$' || fail "the kernel's line is not the kernel's"

# 03: a child of the shell per external command, as JSON for tools.
"$LAB_RUNNER" trace 03 --dir solutions/03-little-shell --json >"$SCRATCH/t3.json" 2>"$SCRATCH/t3.err" ||
	{ cat "$SCRATCH/t3.err"; fail "trace 03 --json failed"; }
python3 - "$SCRATCH/t3.json" <<'PY' || fail "trace 03 does not show a child per external command"
import json, sys
r = json.load(open(sys.argv[1]))["record"]
procs = {p["pid"]: p for p in r["processes"]}
shell = [p for p in procs.values() if p["program"] == "/little_shell" and p["parent"] == 1][0]
kids = [p["program"] for p in procs.values() if p["parent"] == shell["pid"] and p["execs"]]
print("children of the shell that exec'd:", kids)
assert kids == ["/bin/mkdir", "/bin/mkdir", "/bin/ls", "/bin/false", "/bin/echo"], kids
assert all(p["reaper"] == shell["pid"] for p in procs.values() if p["parent"] == shell["pid"])
PY

# --syscalls: the system calls per process, then each; the shell's child
# made the execve that ran ls.
out=$(NO_COLOR=1 "$LAB_RUNNER" trace 03 --dir solutions/03-little-shell --syscalls 2>&1)
printf '%s\n' "$out" | sed -n '/^System calls/,$p' | head -20
printf '%s' "$out" | grep -qE '^  [0-9]+ +/bin/ls +[0-9]+:.* execve 1' ||
	fail "no system call count for ls with its execve"
printf '%s' "$out" | grep -qE '^  [0-9]+ +write\(1, ' || fail "no write(1, ...) in the list"
exit 0
