# kernel/task-offsets.gdb: where a task_struct keeps the task's PID and its
# name (comm), read from vmlinux's debug info, printed as "PID COMM", two
# byte offsets on one line (e.g. "696 1168").
#
# The runner reads, at each gdb stop in user mode, the current task's PID
# and name at these offsets ($sscratch holds the task there), to tell which
# process ran a program's breakpoint (engine/gdb.h). kernel/build.sh runs
# this once per kernel it builds and keeps the answer beside vmlinux, in
# vmlinux.task-offsets ("-1 -1": no debug info, as in defconfig); the
# runner runs it too, for a kernel with no such answer.
#
#   gdb-multiarch -q -nx -batch -x kernel/task-offsets.gdb vmlinux
printf "%d %d\n", &((struct task_struct *)0)->pid, &((struct task_struct *)0)->comm
