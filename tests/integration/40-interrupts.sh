# Checks interrupted at random moments leave no QEMU and no gdb behind:
# SIGINT and SIGTERM (the runner cleans up) and SIGKILL (the children die
# with it, by PR_SET_PDEATHSIG), 20 times each. N=... changes the count.
. tests/integration/lib.sh
n=${N:-20}
export LAB_RUNS_DIR=$SCRATCH/runs
mine() { pgrep -f "$1.*$SCRATCH/runs/" ; }
for sig in INT TERM KILL; do
	i=0
	while [ $i -lt "$n" ]; do
		i=$((i + 1))
		"$LAB_RUNNER" check --dir solutions/02-init-and-shell >"$SCRATCH/out" 2>&1 &
		pid=$!
		# a random moment: 0 to 1.5 s, i.e. during build, boot or typing
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
