# Checks interrupted at random moments leave no QEMU and no gdb behind:
# SIGINT and SIGTERM (the runner cleans up) and SIGKILL (the children die
# with it, by PR_SET_PDEATHSIG), 20 times each. N=... changes the count.
. tests/integration/lib.sh
n=${N:-20}
export LAB_RUNS_DIR=$SCRATCH/runs
mine() { pgrep -f "$1.*$SCRATCH/runs/" ; }
# ready PID: the runner has blocked SIGINT and SIGTERM (bits 2 and 15 of
# SigBlk), i.e. from here on they reach its signalfd. Before that the
# process is still the shell's fork, the dynamic loader or ASan starting up,
# and a SIGTERM there ends it with 143, as it would any program: nothing
# has been started yet, so there is nothing to clean up and nothing to test.
ready() {
	blk=$(sed -n 's/^SigBlk:[[:space:]]*//p' "/proc/$1/status" 2>/dev/null)
	[ -n "$blk" ] && [ $((0x$blk & 0x4002)) -eq $((0x4002)) ]
}
for sig in INT TERM KILL; do
	i=0
	while [ $i -lt "$n" ]; do
		i=$((i + 1))
		"$LAB_RUNNER" check --dir solutions/02-init-and-shell >"$SCRATCH/out" 2>&1 &
		pid=$!
		t=0
		until ready $pid; do
			t=$((t + 1))
			[ $t -le 1000 ] || fail "SIG$sig #$i: the runner never blocked its signals (10 s)"
			sleep 0.01
		done
		# a random moment after that: 0 to 1.5 s, i.e. during build, boot or typing
		sleep "$(awk -v s="$(od -An -N2 -tu2 /dev/urandom)" 'BEGIN{printf "%.2f", (s % 150) / 100}')"
		kill -"$sig" $pid 2>/dev/null
		wait $pid
		rc=$?
		# Give the kernel a moment to deliver the parent-death signals.
		for _ in 1 2 3 4 5 6 7 8 9 10; do
			left=$(mine qemu-system-riscv64; mine gdb-multiarch)
			[ -z "$left" ] && break
			sleep 0.1
		done
		if [ -n "$left" ]; then
			echo "after SIG$sig #$i (exit $rc), left running:"
			ps -o pid,ppid,cmd -p "$(echo $left | tr ' ' ',')"
			pkill -9 -f "$SCRATCH/runs/" 2>/dev/null
			fail "processes outlived the runner"
		fi
		case $sig in INT | TERM)
			# Cleaned up, not crashed: 130 when interrupted, or the verdict if it had finished.
			case $rc in 0 | 130) ;; *) cat "$SCRATCH/out"; fail "SIG$sig #$i: exit $rc" ;; esac ;;
		esac
	done
	echo "SIG$sig: $n interrupted checks, nothing left behind"
done
