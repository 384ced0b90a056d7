/*
 * witness.c: see witness.h.
 */
#include "witness.h"
#include "elffile.h"
#include "textclean.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ the kernel */

int
witness_kernel_read(struct witness_kernel *k, const char *vmlinux, const int offsets[4],
		    char *err, size_t errlen)
{
	static const char *const names[] = {"wake_up_new_task", "do_execveat_common",
		"begin_new_exec", "do_exit", "release_task", "n_tty_write", "kernel_execve"};
	uint64_t *addrs[] = {&k->new_task, &k->execveat, &k->new_exec, &k->exit,
		&k->release, &k->tty_write, &k->arm};
	const unsigned char *data;
	size_t len;

	memset(k, 0, sizeof(*k));
	for (int i = 0; i < 4; i++)
		if (offsets[i] <= 0) {
			snprintf(err, errlen, "the kernel %s has no debug info, so the witness cannot "
				 "read its tasks (build the lab kernel: make kernel)", vmlinux);
			return -1;
		}
	k->pid_off = offsets[0];
	k->comm_off = offsets[1];
	k->tgid_off = offsets[2];
	k->filename_off = offsets[3];
	if (map_file(vmlinux, &data, &len) < 0) {
		snprintf(err, errlen, "cannot read %s: %s", vmlinux, strerror(errno));
		return -1;
	}
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (elf_symbol(data, len, names[i], addrs[i]) != ELF_SYM_FOUND) {
			snprintf(err, errlen, "the kernel %s has no function %s, which the witness "
				 "watches", vmlinux, names[i]);
			unmap_file(data, len);
			return -1;
		}
	/* Where system calls enter: optional (trace's counts need it). Linux
	 * 6.1 enters them at handle_syscall, in assembly. 6.12 enters them in
	 * C (do_trap_ecall_u), and a stop there hung the guest at the first
	 * execve in our tries: not used until that is understood. */
	if (elf_symbol(data, len, "handle_syscall", &k->syscall) == ELF_SYM_FOUND)
		k->syscall_in_regs = 1;
	else
		k->syscall = 0;
	unmap_file(data, len);
	return 0;
}

/*
 * One breakpoint's commands, set while the arming stop runs (so its
 * number goes into $lab_bN). Every stop counts towards the bound; at the
 * bound the witness's breakpoints are turned off and the guest goes on.
 * Strings are printed with `output`, which escapes them: a program cannot
 * forge a witness line with a newline in a path or in what it writes.
 */
static void
stop_commands(struct sb *s, int n, uint64_t addr, const char *body)
{
	sb_printf(s, "hbreak *0x%llx\nset $lab_b%d = $bpnum\ncommands\nsilent\n"
		  "set $lab_w = $lab_w + 1\nif $lab_w > %d\nprintf \"@@W full\\n\"\n"
		  "disable $lab_b1 $lab_b2 $lab_b3 $lab_b4 $lab_b5 $lab_b6 $lab_b7\nelse\n%send\n"
		  "continue\nend\n", (unsigned long long)addr, n, WITNESS_MAX_EVENTS, body);
}

/*
 * Why the witness waits for kernel_execve: every stop of the guest costs
 * far more than gdb's work in it, because QEMU (7.2, Debian 12's) throws
 * away all its translated code at each debug stop and translates it again
 * as the guest runs on (about 20 ms each here). The kernel creates a dozen
 * kernel threads while it boots; the witness skips them by setting its
 * breakpoints only when the kernel first runs a program (/init), from one
 * breakpoint on kernel_execve.
 */
void
witness_script(const struct witness_kernel *k, int syscalls, struct sb *out)
{
	struct sb b, arm;
	/* The current task's PID and thread-group id ($tp: the task_struct). */
	char cur[96];

	snprintf(cur, sizeof(cur), "*(int *)($tp + %d), *(int *)($tp + %d)", k->pid_off,
		 k->tgid_off);
	sb_puts(out, "# The witness (engine/witness.h): what each process did, from the kernel.\n"
		     "set print elements unlimited\nset print repeats unlimited\n"
		     "set print null-stop off\nset charset ASCII\n"
		     "set $lab_w = 0\nset $lab_r1 = 0\nset $lab_r2 = 0\nset $lab_on = 0\n");
	sb_init(&b);
	sb_init(&arm);

	sb_printf(&b, "printf \"@@W new %%d %%d %%d %%d\\n\", %s, *(int *)($a0 + %d), "
		  "*(int *)($a0 + %d)\n", cur, k->pid_off, k->tgid_off);
	stop_commands(&arm, 1, k->new_task, b.buf);

	/* An exec asked for; where it returns to (its caller's $ra, the same
	 * for every exec through one system call) gets a breakpoint once, which
	 * prints the result. Two such places at most: execve and execveat. */
	const char *ret = "commands\nsilent\nprintf \"@@W ret %%d %%d %%ld\\n\", %s, $a0\n"
			  "continue\nend\n";
	sb_reset(&b);
	sb_printf(&b, "printf \"@@W try %%d %%d \", %s\noutput *(char **)$a1\nprintf \"\\n\"\n"
		  "if $lab_r1 == 0\nset $lab_r1 = $ra\nhbreak *$lab_r1\n", cur);
	sb_printf(&b, ret, cur);
	sb_puts(&b, "else\nif $ra != $lab_r1 && $lab_r2 == 0\nset $lab_r2 = $ra\nhbreak *$lab_r2\n");
	sb_printf(&b, ret, cur);
	sb_puts(&b, "end\nend\n");
	stop_commands(&arm, 2, k->execveat, b.buf);

	sb_reset(&b);
	sb_printf(&b, "printf \"@@W exec %%d %%d \", %s\noutput *(char **)($a0 + %d)\n"
		  "printf \"\\n\"\n", cur, k->filename_off);
	stop_commands(&arm, 3, k->new_exec, b.buf);

	sb_reset(&b);
	sb_printf(&b, "printf \"@@W exit %%d %%d %%ld\\n\", %s, $a0\n", cur);
	stop_commands(&arm, 4, k->exit, b.buf);

	sb_reset(&b);
	sb_printf(&b, "printf \"@@W reap %%d %%d %%d %%d\\n\", %s, *(int *)($a0 + %d), "
		  "*(int *)($a0 + %d)\n", cur, k->pid_off, k->tgid_off);
	stop_commands(&arm, 5, k->release, b.buf);

	/* n_tty_write(tty, file, buf, nr): nr bytes at buf, a kernel copy. */
	sb_reset(&b);
	sb_printf(&b, "set $lab_len = $a3 > 4096 ? 4096 : $a3\n"
		  "printf \"@@W write %%d %%d %%ld \", %s, $a3\n"
		  "if $lab_len > 0\noutput *(char *)$a2@$lab_len\nend\nprintf \"\\n\"\n", cur);
	stop_commands(&arm, 6, k->tty_write, b.buf);

	/* System calls (trace only: one stop each). 6.1 enters them in
	 * assembly, handle_syscall, with the user's registers still live (a7
	 * the number); at a C entry (regs in a0) they are in pt_regs, x_n at
	 * n * 8. */
	sb_puts(&arm, "set $lab_b7 = $lab_b6\n");
	if (syscalls && k->syscall) {
		sb_reset(&b);
		if (k->syscall_in_regs)
			sb_printf(&b, "printf \"@@W sys %%d %%d %%ld %%ld %%ld %%ld\\n\", %s, $a7, $a0, "
				  "$a1, $a2\n", cur);
		else
			sb_printf(&b, "printf \"@@W sys %%d %%d %%ld %%ld %%ld %%ld\\n\", %s, "
				  "*(long *)($a0 + 136), *(long *)($a0 + 80), *(long *)($a0 + 88), "
				  "*(long *)($a0 + 96)\n", cur);
		stop_commands(&arm, 7, k->syscall, b.buf);
	}

	/* The arming breakpoint: once, at the first program the kernel runs. */
	sb_printf(out, "hbreak *0x%llx\ncommands\nsilent\nif $lab_on == 0\nset $lab_on = 1\n"
		  "printf \"@@W on\\n\"\n%send\ncontinue\nend\n",
		  (unsigned long long)k->arm, arm.buf);
	sb_release(&arm);
	sb_release(&b);
}

/* ------------------------------------------------------------ the record */

void
witness_init(struct witness *w)
{
	memset(w, 0, sizeof(*w));
}

static int
in_list(const int *v, size_t n, int x)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == x)
			return 1;
	return 0;
}

static struct wproc *
proc_find(struct witness *w, int pid)
{
	/* The latest with that PID: PIDs are not reused in a lab's short boot,
	 * but a wrap would make the newest the one meant. */
	for (size_t i = w->nprocs; i-- > 0;)
		if (w->procs[i].pid == pid)
			return &w->procs[i];
	return NULL;
}

const struct wproc *
witness_proc(const struct witness *w, int pid)
{
	return proc_find((struct witness *)w, pid);
}

/* A program's name, kept for the record's life. */
static const char *
intern(struct witness *w, const char *s)
{
	for (size_t i = w->names.n; i-- > 0;)
		if (!strcmp(w->names.v[i], s))
			return w->names.v[i];
	strv_push(&w->names, s);
	return w->names.v[w->names.n - 1];
}

static struct wproc *
proc_add(struct witness *w, int pid, int parent, const char *program)
{
	w->procs = xrealloc(w->procs, (w->nprocs + 1) * sizeof(*w->procs));
	struct wproc *p = &w->procs[w->nprocs++];
	memset(p, 0, sizeof(*p));
	p->pid = pid;
	p->parent = parent;
	p->program = intern(w, program ? program : "?");
	p->born_of = p->program;
	p->born = w->n;
	p->died = SIZE_MAX;
	return p;
}

/* The process an event is about, made if the record began after its birth
 * (gdb attached while the kernel was already booting). */
static struct wproc *
proc_get(struct witness *w, int tgid)
{
	struct wproc *p = proc_find(w, tgid);
	return p ? p : proc_add(w, tgid, tgid == 1 ? 0 : -1, tgid == 1 ? "/init" : NULL);
}

/*
 * The string gdb's `output` printed: "..." with C escapes, maybe after an
 * address (0xffff... "/init"). Into out; returns -1 if there is none (gdb
 * could not read it: <error: Cannot access memory ...>).
 */
static int
parse_quoted(const char *s, struct sb *out)
{
	const char *q = strchr(s, '"');
	if (!q)
		return -1;
	for (q++; *q && *q != '"'; q++) {
		char c = *q;
		if (c == '\\' && q[1]) {
			q++;
			switch (*q) {
			case 'n': c = '\n'; break;
			case 't': c = '\t'; break;
			case 'r': c = '\r'; break;
			case 'a': c = '\a'; break;
			case 'b': c = '\b'; break;
			case 'f': c = '\f'; break;
			case 'v': c = '\v'; break;
			case 'e': c = 27; break;
			default:
				if (*q >= '0' && *q <= '7') {
					int v = 0;
					for (int i = 0; i < 3 && *q >= '0' && *q <= '7'; i++, q++)
						v = v * 8 + (*q - '0');
					q--;
					c = (char)v;
				} else {
					c = *q;
				}
			}
		}
		sb_add(out, &c, 1);
	}
	return 0;
}

static struct wevent *
event_add(struct witness *w, enum wevent_kind kind, int pid, int tgid)
{
	w->ev = xrealloc(w->ev, (w->n + 1) * sizeof(*w->ev));
	struct wevent *e = &w->ev[w->n++];
	memset(e, 0, sizeof(*e));
	e->kind = kind;
	e->pid = pid;
	e->tgid = tgid;
	const struct wproc *p = proc_find(w, tgid);
	e->program = p ? p->program : intern(w, "?");
	return e;
}

static void
try_set(struct witness *w, int pid, const char *path)
{
	for (size_t i = 0; i < w->ntries; i++)
		if (w->tries[i].pid == pid) {
			free(w->tries[i].path);
			w->tries[i].path = xstrdup(path);
			return;
		}
	w->tries = xrealloc(w->tries, (w->ntries + 1) * sizeof(*w->tries));
	w->tries[w->ntries].pid = pid;
	w->tries[w->ntries++].path = xstrdup(path);
}

static char *
try_take(struct witness *w, int pid)
{
	for (size_t i = 0; i < w->ntries; i++)
		if (w->tries[i].pid == pid) {
			char *p = w->tries[i].path;
			w->tries[i] = w->tries[--w->ntries];
			return p;
		}
	return NULL;
}

int
witness_parse_line(struct witness *w, const char *line)
{
	const char *m = strstr(line, "@@W ");
	char kind[8];
	int pid, tgid, a, b, used = 0;
	long v, args[3];

	if (!m)
		return 0;
	m += 4;
	if (sscanf(m, "%7s%n", kind, &used) != 1)
		return 1;
	m += used;
	w->armed = 1;
	if (!strcmp(kind, "full")) {
		w->cut = 1;
		return 1;
	}
	if (!strcmp(kind, "on"))
		return 1;
	if (w->n >= WITNESS_MAX_EVENTS) {
		w->cut = 1;
		return 1;
	}
	if (sscanf(m, "%d %d%n", &pid, &tgid, &used) != 2)
		return 1;
	m += used;
	/* Kernel threads are not the learner's: left out, with their children.
	 * kthreadd, always PID 2, makes those the kernel starts later (ext4's
	 * and jbd2's when a disk is mounted). */
	if (!strcmp(kind, "new") && sscanf(m, "%d %d", &a, &b) == 2) {
		if ((pid == 0 && a != 1) || tgid == 2 || in_list(w->kthreads, w->nkthreads, tgid)) {
			w->kthreads = xrealloc(w->kthreads, (w->nkthreads + 1) * sizeof(int));
			w->kthreads[w->nkthreads++] = a;
			return 1;
		}
		if (pid)
			proc_get(w, tgid);
		struct wevent *e = event_add(w, WE_NEW, pid, tgid);
		e->other = a;
		e->other_tgid = b;
		if (b != tgid) {   /* a new process, not a thread of this one */
			struct wproc *parent = pid ? proc_get(w, tgid) : NULL;
			proc_add(w, b, tgid, parent ? parent->program : "?");
		}
		return 1;
	}
	if (pid == 0 || in_list(w->kthreads, w->nkthreads, tgid))
		return 1;
	struct sb text;
	sb_init(&text);
	if (!strcmp(kind, "try")) {
		if (parse_quoted(m, &text) == 0)
			try_set(w, pid, text.buf);
	} else if (!strcmp(kind, "ret") && sscanf(m, "%ld", &v) == 1) {
		char *path = try_take(w, pid);
		if (v < 0) {
			proc_get(w, tgid);
			struct wevent *e = event_add(w, WE_EXEC_FAILED, pid, tgid);
			e->value = -v;
			e->text = path ? path : xstrdup("?");
			path = NULL;
		}
		free(path);
	} else if (!strcmp(kind, "exec")) {
		if (parse_quoted(m, &text) < 0)
			sb_puts(&text, "?");
		struct wproc *p = proc_get(w, tgid);
		struct wevent *e = event_add(w, WE_EXEC, pid, tgid);
		e->text = xstrdup(text.buf);
		p->program = intern(w, text.buf);
		p->execs++;
	} else if (!strcmp(kind, "exit") && sscanf(m, "%ld", &v) == 1) {
		proc_get(w, tgid);
		struct wevent *e = event_add(w, WE_EXIT, pid, tgid);
		e->value = v;
		if (pid == tgid) {
			struct wproc *p = proc_get(w, tgid);
			p->exited = 1;
			p->status = v;
			p->died = w->n - 1;
		}
	} else if (!strcmp(kind, "reap") && sscanf(m, "%d %d", &a, &b) == 2) {
		/* A thread's own end, or a process freed by the kernel itself
		 * (its parent ignores SIGCHLD), is no reap by anyone. */
		if (a == b && b != tgid) {
			proc_get(w, tgid);
			struct wevent *e = event_add(w, WE_REAP, pid, tgid);
			e->other = a;
			e->other_tgid = b;
			proc_get(w, b)->reaper = tgid;
		}
	} else if (!strcmp(kind, "sys") && sscanf(m, "%ld %ld %ld %ld", &v, &args[0], &args[1],
						    &args[2]) == 4) {
		proc_get(w, tgid);
		struct wevent *e = event_add(w, WE_SYSCALL, pid, tgid);
		e->value = v;
		memcpy(e->args, args, sizeof(args));
	} else if (!strcmp(kind, "write") && sscanf(m, "%ld", &v) == 1) {
		proc_get(w, tgid);
		struct wevent *e = event_add(w, WE_WRITE, pid, tgid);
		e->value = v;
		w->bytes_seen += (unsigned long long)v;
		if (parse_quoted(m, &text) == 0 && w->bytes_kept < WITNESS_MAX_BYTES) {
			size_t keep = text.len;
			if (keep > WITNESS_MAX_BYTES - w->bytes_kept)
				keep = WITNESS_MAX_BYTES - w->bytes_kept;
			e->text = xmalloc(keep + 1);
			memcpy(e->text, text.buf, keep);
			e->text[keep] = '\0';
			e->len = keep;
			w->bytes_kept += keep;
		}
	}
	sb_release(&text);
	return 1;
}

void
witness_release(struct witness *w)
{
	for (size_t i = 0; i < w->n; i++)
		free(w->ev[i].text);
	free(w->ev);
	free(w->procs);
	strv_release(&w->names);
	for (size_t i = 0; i < w->ntries; i++)
		free(w->tries[i].path);
	free(w->tries);
	free(w->kthreads);
	memset(w, 0, sizeof(*w));
}

/* ------------------------------------------------------------ questions */

int
witness_is_program(const struct wproc *p, const char *prog)
{
	if (!p)
		return 0;
	if (strchr(prog, '/'))
		return !strcmp(p->program, prog);
	const char *b = strrchr(p->program, '/');
	return !strcmp(b ? b + 1 : p->program, prog);
}

const char *
witness_name(const struct witness *w, int pid, char *buf, size_t len)
{
	const struct wproc *p = witness_proc(w, pid);
	snprintf(buf, len, "PID %d (%s)", pid, p ? p->program : "?");
	return buf;
}

void
witness_status(long status, char *buf, size_t len)
{
	int sig = (int)(status & 0x7f);
	if (sig) {
		const char *d = sigdescr_np(sig);
		snprintf(buf, len, "signal %d%s%s%s", sig, d ? " (" : "", d ? d : "", d ? ")" : "");
	} else {
		snprintf(buf, len, "status %ld", (status >> 8) & 0xff);
	}
}

/* ------------------------------------------------------------ the stream */

void
wstream_make(struct wstream *s, const struct witness *w)
{
	memset(s, 0, sizeof(*s));
	sb_init(&s->all);
	s->start = xcalloc(w->n + 1, sizeof(size_t));
	s->ev = xcalloc(w->n + 1, sizeof(size_t));
	for (size_t i = 0; i < w->n; i++) {
		const struct wevent *e = &w->ev[i];
		if (e->kind != WE_WRITE || !e->len)
			continue;
		s->start[s->n] = s->all.len;
		s->ev[s->n++] = i;
		sb_add(&s->all, e->text, e->len);
	}
}

size_t
wstream_write_at(const struct wstream *s, size_t off)
{
	size_t lo = 0, hi = s->n;
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;
		if (s->start[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

void
wstream_release(struct wstream *s)
{
	sb_release(&s->all);
	free(s->start);
	free(s->ev);
}

/* ------------------------------------------------------------ saving */

/* A write's bytes as one line, escaped like C. */
static void
escaped(struct sb *s, const char *t, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)t[i];
		if (c == '\n')
			sb_puts(s, "\\n");
		else if (c == '\\' || c == '"')
			sb_printf(s, "\\%c", c);
		else if (c < 32 || c >= 127)
			sb_printf(s, "\\%03o", c);
		else
			sb_add(s, (char *)&c, 1);
	}
}

static void
log_text(const struct witness *w, struct sb *s)
{
	char st[96];
	sb_puts(s, "# witness.log: what each process did, as the kernel saw it (engine/witness.h)\n"
		   "#   PID  what\n");
	for (size_t i = 0; i < w->n; i++) {
		const struct wevent *e = &w->ev[i];
		sb_printf(s, "%6d  ", e->pid);
		switch (e->kind) {
		case WE_NEW:
			if (e->other_tgid == e->tgid)
				sb_printf(s, "thread  %d (of process %d)\n", e->other, e->tgid);
			else
				sb_printf(s, "fork    -> %d\n", e->other_tgid);
			break;
		case WE_EXEC:
			sb_printf(s, "exec    %s\n", e->text);
			break;
		case WE_EXEC_FAILED: {
			const char *name = strerrorname_np((int)e->value);
			sb_printf(s, "exec    %s FAILED: %s (%s)\n", e->text, name ? name : "?",
				  strerror((int)e->value));
			break;
		}
		case WE_EXIT:
			witness_status(e->value, st, sizeof(st));
			sb_printf(s, "exit    %s%s\n", st, e->pid != e->tgid ? " (a thread)" : "");
			break;
		case WE_REAP:
			sb_printf(s, "reap    %d\n", e->other_tgid);
			break;
		case WE_SYSCALL:
			sb_printf(s, "syscall %ld (%ld, %ld, %ld)\n", e->value, e->args[0], e->args[1],
				  e->args[2]);
			break;
		case WE_WRITE:
			sb_printf(s, "write   %ld \"", e->value);
			escaped(s, e->text ? e->text : "", e->len);
			sb_puts(s, e->len < (size_t)e->value ? "\"...\n" : "\"\n");
			break;
		}
	}
	if (w->cut)
		sb_printf(s, "# the record stops here: %d events, the witness's bound\n",
			  WITNESS_MAX_EVENTS);
}

void
witness_json(const struct witness *w, FILE *f)
{
	static const char *const kinds[] = {"new", "exec", "exec_failed", "exit", "reap", "write",
		"syscall"};
	fprintf(f, "{\"cut\": %s, \"processes\": [", w->cut ? "true" : "false");
	for (size_t i = 0; i < w->nprocs; i++) {
		const struct wproc *p = &w->procs[i];
		fprintf(f, "%s{\"pid\": %d, \"parent\": %d, \"program\": ", i ? ", " : "", p->pid,
			p->parent);
		json_string(f, p->program);
		fprintf(f, ", \"execs\": %d, \"exited\": %s, \"status\": %ld, \"reaper\": %d}",
			p->execs, p->exited ? "true" : "false", p->status, p->reaper);
	}
	fputs("], \"events\": [", f);
	for (size_t i = 0; i < w->n; i++) {
		const struct wevent *e = &w->ev[i];
		fprintf(f, "%s{\"kind\": \"%s\", \"pid\": %d, \"tgid\": %d", i ? ", " : "",
			kinds[e->kind], e->pid, e->tgid);
		if (e->kind == WE_NEW || e->kind == WE_REAP)
			fprintf(f, ", \"other\": %d, \"other_tgid\": %d", e->other, e->other_tgid);
		if (e->kind == WE_EXIT || e->kind == WE_EXEC_FAILED || e->kind == WE_WRITE ||
		    e->kind == WE_SYSCALL)
			fprintf(f, ", \"value\": %ld", e->value);
		if (e->kind == WE_SYSCALL)
			fprintf(f, ", \"args\": [%ld, %ld, %ld]", e->args[0], e->args[1], e->args[2]);
		if (e->text) {
			/* (A NUL the program wrote ends the JSON string there.) */
			fputs(", \"text\": ", f);
			json_string(f, e->text);
		}
		fputs("}", f);
	}
	fputs("]}", f);
}

int
witness_save(const struct witness *w, const char *log_path, const char *json_path,
	     char *err, size_t errlen)
{
	struct sb s;
	int rc = 0;

	sb_init(&s);
	log_text(w, &s);
	if (write_file_atomic(log_path, s.buf, s.len) < 0) {
		snprintf(err, errlen, "cannot write %s: %s", log_path, strerror(errno));
		rc = -1;
	}
	sb_release(&s);
	FILE *f = rc == 0 ? fopen(json_path, "we") : NULL;
	if (rc == 0 && !f) {
		snprintf(err, errlen, "cannot write %s: %s", json_path, strerror(errno));
		rc = -1;
	}
	if (f) {
		witness_json(w, f);
		fputs("\n", f);
		if (fclose(f) != 0) {
			snprintf(err, errlen, "cannot write %s: %s", json_path, strerror(errno));
			rc = -1;
		}
	}
	return rc;
}
