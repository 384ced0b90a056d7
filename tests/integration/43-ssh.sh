# Stage 09's ssh, twice at once: both checks pass, each with a host port of
# its own; every port QEMU listened on was on 127.0.0.1; when the checks
# have ended, nothing listens on those ports and no ssh or QEMU of theirs
# is left. Then a check interrupted (SIGINT, SIGTERM, SIGKILL) while its ssh
# runs leaves no ssh, no QEMU and no listening port either.
. tests/integration/lib.sh
stage=09-ssh-in
missing=$(missing_build "$stage")
[ -z "$missing" ] || skip "no $missing yet (make dropbear)"
command -v ssh >/dev/null || skip "no ssh (OpenSSH's client: make setup)"
command -v ss >/dev/null || skip "no ss (iproute2)"

"$LAB_RUNNER" check "$stage" --json --dir "solutions/$stage" >"$SCRATCH/a" 2>"$SCRATCH/a.err" &
a=$!
"$LAB_RUNNER" check "$stage" --json --dir "solutions/$stage" >"$SCRATCH/b" 2>"$SCRATCH/b.err" &
b=$!
# While they run: every TCP socket a QEMU listens on, with its address.
while kill -0 $a 2>/dev/null || kill -0 $b 2>/dev/null; do
	ss -Hltnp 2>/dev/null | grep 'qemu-system' >>"$SCRATCH/listening"
	sleep 0.1
done
wait $a || { cat "$SCRATCH/a" "$SCRATCH/a.err"; fail "the first check"; }
wait $b || { cat "$SCRATCH/b" "$SCRATCH/b.err"; fail "the second check"; }
for r in a b; do
	[ "$(json "$SCRATCH/$r" verdict)" = PASS ] || { cat "$SCRATCH/$r"; fail "check $r did not pass"; }
done
pa=$(json "$SCRATCH/a" forward_port)
pb=$(json "$SCRATCH/b" forward_port)
echo "host ports: $pa $pb"
[ "$pa" -gt 0 ] && [ "$pb" -gt 0 ] || fail "a check had no forwarded port ($pa, $pb)"
[ "$pa" != "$pb" ] || fail "the two checks had the same host port $pa"

# QEMU listened on each port, on 127.0.0.1 and nowhere else.
for p in $pa $pb; do
	grep -q "127\.0\.0\.1:$p " "$SCRATCH/listening" ||
		fail "no QEMU was seen listening on 127.0.0.1:$p while the checks ran"
done
if grep -v '127\.0\.0\.1:' "$SCRATCH/listening" | grep -q .; then
	grep -v '127\.0\.0\.1:' "$SCRATCH/listening" | head -3
	fail "a QEMU listened on an address other than 127.0.0.1"
fi

# Afterwards: nothing listens on either port, and no process of either run
# (its ssh names the run's key, its QEMU the run's archive) is left.
for p in $pa $pb; do
	if ss -Hltn "sport = :$p" | grep -q .; then
		ss -Hltnp "sport = :$p"
		fail "something still listens on port $p after the check"
	fi
done
for r in a b; do
	dir=$(json "$SCRATCH/$r" run_dir)
	[ -n "$dir" ] && [ -s "$dir/host-1.log" ] || fail "run $r: no host command output in '$dir'"
	grep -q "^ssh-ok-" "$dir/host-1.log" || fail "run $r: the ssh's output has no answer"
	if pgrep -af -- "$dir" | grep -v pgrep; then
		fail "a process of run $r ($dir) is left"
	fi
done
echo "ok: two checks at once, ports $pa and $pb on 127.0.0.1 only, nothing left"

export LAB_RUNS_DIR=$SCRATCH/runs
for sig in INT TERM KILL; do
	rm -rf "$SCRATCH/runs"
	"$LAB_RUNNER" check "$stage" --dir "solutions/$stage" >"$SCRATCH/$sig.out" 2>&1 &
	pid=$!
	# The moment the host command starts: its log appears in the run folder.
	t=0
	until ls "$SCRATCH"/runs/"$stage".*/host-1.log >/dev/null 2>&1; do
		t=$((t + 1))
		[ $t -le 600 ] || { cat "$SCRATCH/$sig.out"; fail "SIG$sig: the ssh never started (60 s)"; }
		kill -0 $pid 2>/dev/null || { cat "$SCRATCH/$sig.out"; fail "SIG$sig: the check ended first"; }
		sleep 0.1
	done
	dir=$(ls -d "$SCRATCH"/runs/"$stage".*)
	port=$(pgrep -af -- "$dir" | sed -n 's/.*hostfwd=tcp:127\.0\.0\.1:\([0-9]*\)-:22.*/\1/p' | head -n 1)
	was=$(pgrep -f -- "ssh .*$dir" | head -n 1)
	kill -"$sig" $pid
	wait $pid
	# SIGKILL: QEMU and the host command's shell die with the runner
	# (PR_SET_PDEATHSIG); the ssh it started ends when QEMU closes its
	# connection. Give them a moment.
	for _ in $(seq 1 50); do
		pgrep -f -- "$dir" >/dev/null || break
		sleep 0.1
	done
	if pgrep -af -- "$dir" | grep -v pgrep; then
		fail "SIG$sig during the ssh: a process of the run is left"
	fi
	[ -n "$port" ] || fail "SIG$sig: no QEMU with a hostfwd seen in $dir"
	if ss -Hltn "sport = :$port" | grep -q .; then
		fail "SIG$sig during the ssh: port $port still listens"
	fi
	echo "ok: SIG$sig while the ssh ran${was:+ (ssh was PID $was)}: nothing left, port $port closed"
done

# Grading: the host commands are the lab's, so grade runs them too; the
# reference passes and the starter fails, with Dropbear read from the lab
# inside the build's sandbox; nothing of either is left afterwards.
rm -rf "$SCRATCH/runs"
class=$SCRATCH/class
mkdir -p "$class/perfect/labs" "$class/starter-only/labs"
cp -r "solutions/$stage" "$class/perfect/labs/"
cp -r "steps/$stage/starter" "$class/starter-only/labs/$stage"
"$LAB_RUNNER" grade "$class/perfect" "$class/starter-only" --stages 9 --jobs 2 \
	--format json --out "$SCRATCH/g.json" 2>"$SCRATCH/g.err" || { cat "$SCRATCH/g.err"; fail "grade"; }
python3 - "$SCRATCH/g.json" <<'PY' || fail "the grade rows are not as expected"
import json, sys
rows = {r["submission"]: r for r in json.load(open(sys.argv[1]))}
assert rows["perfect"]["verdict"] == "PASS", rows["perfect"]
assert rows["starter-only"]["verdict"] == "FAIL", rows["starter-only"]
assert "dropbear was not started" in rows["starter-only"]["headline"], rows["starter-only"]
print("grade rows as expected")
PY
if pgrep -af -- "$SCRATCH/runs" | grep -v pgrep; then
	fail "a process of the grading runs is left"
fi
echo "ok: grade passes the solution and fails the starter, nothing left"
