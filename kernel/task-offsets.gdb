# kernel/task-offsets.gdb: where the kernel keeps what the runner reads of
# a task, from vmlinux's debug info, printed as four byte offsets on one
# line: task_struct's pid, comm (its name) and tgid (its process's PID),
# and linux_binprm's filename (the program an exec runs), e.g.
# "696 1168 700 96".
#
# The runner reads them at each gdb stop: in user mode ($sscratch holds the
# task there) to tell which process ran a program's breakpoint
# (engine/gdb.h), and in the kernel ($tp) for the witness
# (engine/witness.h). kernel/build.sh runs this once per kernel it builds
# and keeps the answer beside vmlinux, in vmlinux.task-offsets
# ("-1 -1 -1 -1": no debug info, as in defconfig); the runner runs it too,
# for a kernel with no such answer.
#
#   gdb-multiarch -q -nx -batch -x kernel/task-offsets.gdb vmlinux
printf "%d %d %d %d\n", &((struct task_struct *)0)->pid, &((struct task_struct *)0)->comm, &((struct task_struct *)0)->tgid, &((struct linux_binprm *)0)->filename
