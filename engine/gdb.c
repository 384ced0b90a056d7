/*
 * gdb.c: see gdb.h.
 */
#include "gdb.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

int
gdb_task_offsets(const char *vmlinux, const char *cache_path, int off[OFF_N])
{
	struct stat vs, cs;
	char *text = NULL;

	for (int i = 0; i < OFF_N; i++)
		off[i] = -1;
	/* The cache is good while it is newer than the kernel it describes
	 * and holds all four numbers (an older lab wrote two). kernel/build.sh
	 * writes it for every kernel it builds. */
	if (stat(vmlinux, &vs) < 0)
		return -1;
	if (stat(cache_path, &cs) == 0 && cs.st_mtime >= vs.st_mtime &&
	    read_file(cache_path, &text, NULL) == 0) {
		int ok = sscanf(text, "%d %d %d %d", &off[0], &off[1], &off[2], &off[3]) == OFF_N;
		free(text);
		if (ok)
			return off[OFF_PID] > 0 ? 0 : -1;
	}
	/* No answer yet: ask gdb as the build does, with the one command file
	 * (kernel/task-offsets.gdb) of the lab that holds this vmlinux, the
	 * nearest folder above it that has one (build/kernel/lab/vmlinux: the
	 * third; a check's build/runs/STAGE.X/src/vmlinux: the fourth). */
	char *dir = xstrdup(vmlinux), *script = NULL;
	for (int up = 0; up < 8 && !script; up++) {
		char *slash = strrchr(dir, '/');
		if (slash)
			*slash = '\0';
		char *p = xasprintf("%s/kernel/task-offsets.gdb", !slash ? "." : *dir ? dir : "");
		if (is_file(p))
			script = p;
		else
			free(p);
		if (!slash)
			break;
	}
	free(dir);
	if (!script)
		return -1;
	char *argv[] = {"gdb-multiarch", "-q", "-nx", "-batch", "-x", script, (char *)vmlinux, NULL};
	char *log = xasprintf("%s.log.%d", cache_path, (int)getpid());
	int rc = run_succeeded(run_logged(argv, NULL, log, 60000, -1)) ? 0 : -1;
	free(script);
	if (rc == 0 && read_file(log, &text, NULL) == 0) {
		/* The answer is the last line that is four numbers. */
		for (char *l = text; l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
			int v[OFF_N];
			if (sscanf(l, "%d %d %d %d", &v[0], &v[1], &v[2], &v[3]) == OFF_N)
				memcpy(off, v, sizeof(v));
		}
		free(text);
	}
	unlink(log);
	free(log);
	if (off[OFF_PID] <= 0)
		return -1;     /* not cached: it may be a kernel being rebuilt */
	char line[96];
	int n = snprintf(line, sizeof(line), "%d %d %d %d\n", off[0], off[1], off[2], off[3]);
	write_file_atomic(cache_path, line, (size_t)n);
	return 0;
}

/* Send text to gdb and keep a copy in the script file. */
static int
send_text(struct gdb_session *g, const char *script_path, const char *text)
{
	size_t len = strlen(text);
	FILE *f = fopen(script_path, "ae");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
	while (len) {
		ssize_t w = write(g->in_fd, text, len);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		text += w;
		len -= (size_t)w;
	}
	return 0;
}

int
gdb_start(struct gdb_session *g, const char *transcript, const char *script_path,
	  const char *vmlinux, char *err, size_t errlen)
{
	char *argv[] = {"gdb-multiarch", "-q", "-nx", NULL};
	struct sb s;

	memset(g, 0, sizeof(*g));
	g->in_fd = g->out_fd = -1;
	sb_init(&g->partial);
	g->transcript = fopen(transcript, "we");
	if (!g->transcript) {
		snprintf(err, errlen, "cannot write %s: %s", transcript, strerror(errno));
		return -1;
	}
	g->pid = spawn(argv, NULL, &g->in_fd, &g->out_fd, 1, err, errlen);
	if (g->pid < 0)
		return -1;
	/* Writes to gdb block: it reads them as fast as it can. */
	fcntl(g->in_fd, F_SETFL, 0);
	sb_init(&s);
	sb_puts(&s, "# Sent to gdb-multiarch by lab-runner, from the check's gdb lines.\n"
		    "set pagination off\nset confirm off\nset width 0\nset height 0\n"
		    "set print frame-arguments none\n"
		    "# No OS ABI: gdb then steps over a breakpoint with the target's own\n"
		    "# single-step, instead of planting a breakpoint after the instruction\n"
		    "# (which goes wrong across an ecall into execve).\n"
		    "set osabi none\n");
	if (vmlinux)
		sb_printf(&s, "file %s\n", vmlinux);
	unlink(script_path);
	int rc = send_text(g, script_path, s.buf);
	sb_release(&s);
	if (rc < 0)
		snprintf(err, errlen, "gdb-multiarch stopped at once");
	return rc;
}

int
gdb_watch(struct gdb_session *g, const char *script_path, const struct gdb_bp *bps,
	  size_t n, const char *socket, int pid_off, int comm_off, const char *witness,
	  const char *file)
{
	struct sb s;
	sb_init(&s);
	if (file)
		sb_printf(&s, "file %s\n", file);
	sb_printf(&s, "target remote %s\n", socket);
	/* The witness's breakpoints first: they are then gdb's 1 to 6. */
	if (witness)
		sb_puts(&s, witness);
	for (size_t i = 0; i < n; i++) {
		const struct gdb_bp *b = &bps[i];
		if (b->problem)
			continue;
		if (b->kernel) {
			/* The process the kernel runs for is $tp's task. A backtrace
			 * only where the check asks for one: without debug info
			 * (defconfig) bt can fail ("PC not saved"), and an error ends
			 * the command list before its continue. */
			sb_printf(&s, "hbreak *0x%llx\ncommands\nsilent\n", (unsigned long long)b->addr);
			if (pid_off > 0)
				sb_printf(&s, "printf \"@@KHIT %zu pid=%%d satp=%%lx comm=\", "
					  "*(int *)($tp + %d), $satp\noutput (char *)($tp + %d)\n"
					  "printf \"\\n\"\n", i, pid_off, comm_off);
			else
				sb_printf(&s, "printf \"@@KHIT %zu pid=-1 satp=%%lx comm=?\\n\", $satp\n", i);
			sb_printf(&s, "%sprintf \"@@END\\n\"\ncontinue\nend\n",
				  b->want && b->want->bt ? "bt 30\n" : "");
		} else if (pid_off > 0) {
			/* Read the task in supervisor mode, then give the CPU back as it was. */
			sb_printf(&s, "hbreak *0x%llx\ncommands\nsilent\nset $lab_priv = $priv\nset $priv = 1\n"
				  "printf \"@@HIT %zu pid=%%d satp=%%lx comm=\", "
				  "*(int *)($sscratch + %d), $satp\noutput (char *)($sscratch + %d)\n"
				  "printf \"\\n\"\nset $priv = $lab_priv\ncontinue\nend\n",
				  (unsigned long long)b->addr, i, pid_off, comm_off);
		} else {
			sb_printf(&s, "hbreak *0x%llx\ncommands\nsilent\n"
				  "printf \"@@HIT %zu pid=-1 satp=%%lx comm=?\\n\", $satp\ncontinue\nend\n",
				  (unsigned long long)b->addr, i);
		}
	}
	/* The guest is stopped while gdb is attached and setting breakpoints:
	 * this marker says they are all in, before the guest goes on. */
	sb_puts(&s, "printf \"@@ARMED\\n\"\ncontinue\n");
	int rc = send_text(g, script_path, s.buf);
	sb_release(&s);
	/* End of commands: gdb quits once the guest has ended. */
	close(g->in_fd);
	g->in_fd = -1;
	return rc;
}

void
gdb_parse_line(struct gdb_session *g, const char *line)
{
	/* gdb reading a pipe prints "(gdb) " prompts, which may stand before
	 * our lines: look for the markers anywhere in the line. */
	if (strstr(line, "@@ARMED")) {
		g->armed = 1;
		return;
	}
	if (witness_parse_line(&g->w, line))
		return;
	/* gdb's own word that a breakpoint is in: only those can have hits. */
	const char *set = strstr(line, "Hardware assisted breakpoint ");
	unsigned long long at;
	int num;
	if (set && sscanf(set, "Hardware assisted breakpoint %d at 0x%llx", &num, &at) == 2) {
		g->set = xrealloc(g->set, (g->nset + 1) * sizeof(*g->set));
		g->set[g->nset++] = at;
		return;
	}
	/* "@@HIT n ..." in a program, "@@KHIT n ..." in the kernel (a backtrace
	 * may follow, up to "@@END"). */
	int kernel_hit = 0;
	const char *rest = NULL, *mark;
	if ((mark = strstr(line, "@@HIT ")))
		rest = mark + 6;
	else if ((mark = strstr(line, "@@KHIT ")))
		rest = mark + 7, kernel_hit = 1;
	else if ((mark = strstr(line, "@@END")))
		line = mark;
	if (rest) {
		struct gdb_hit h;
		memset(&h, 0, sizeof(h));
		h.pid = -1;
		char comm[17] = "";
		int pid = -1;
		unsigned long long satp = 0;
		size_t bp;
		int n = sscanf(rest, "%zu pid=%d satp=%llx", &bp, &pid, &satp);
		if (n < 1)
			return;
		/* The name as gdb's `output` printed it, quoted and escaped (0x... "sh"):
		 * a program may name itself anything, a newline and "@@HIT" too,
		 * and must not forge a line. */
		const char *q = strstr(rest, "comm=");
		q = q ? strchr(q, '"') : NULL;
		for (size_t k = 0; q && *++q && *q != '"' && k < sizeof(comm) - 1; k++) {
			if (*q == '\\' && q[1])
				q++;
			comm[k] = *q;
			comm[k + 1] = '\0';
		}
		h.bp = bp;
		if (n >= 2)
			h.pid = pid;
		h.satp = satp;
		snprintf(h.comm, sizeof(h.comm), "%s", comm);
		g->hits = xrealloc(g->hits, (g->nhits + 1) * sizeof(*g->hits));
		g->hits[g->nhits++] = h;
		/* A kernel hit is followed by its backtrace. */
		g->in_bt = kernel_hit;
		return;
	}
	/* An error stops gdb watching: remember the first. The end of the
	 * connection when QEMU exits is not one. */
	if (!g->error && (strstr(line, "Cannot access memory") || strstr(line, "Cannot insert") ||
			  strstr(line, "Couldn't") || strstr(line, "Could not") ||
			  strstr(line, "No symbol table") || strstr(line, "Ignoring packet error") ||
			  strstr(line, "PC not saved"))) {
		g->error = xstrdup(line);
		return;
	}
	if (!strncmp(line, "@@END", 5)) {
		g->in_bt = 0;
		return;
	}
	if (g->in_bt && g->nhits && line[0] == '#') {
		/* "#1  0xffff... in mount_root () at ..." or "#0  panic (...) at" */
		const char *f = strstr(line, " in ");
		if (f)
			f += 4;
		else {
			f = line + 1;
			while (*f && *f != ' ')
				f++;
			while (*f == ' ')
				f++;
		}
		size_t len = strcspn(f, " (");
		char *name = xstrndup(f, len);
		strv_push(&g->hits[g->nhits - 1].bt, name);
		free(name);
	}
}

int
gdb_read(struct gdb_session *g)
{
	char buf[4096];
	ssize_t r;

	while ((r = read(g->out_fd, buf, sizeof(buf))) > 0) {
		fwrite(buf, 1, (size_t)r, g->transcript);
		for (ssize_t i = 0; i < r; i++) {
			if (buf[i] == '\n') {
				gdb_parse_line(g, g->partial.buf);
				sb_reset(&g->partial);
			} else if (g->partial.len < 65536) {   /* a witness write: 4 KiB escaped */
				sb_add(&g->partial, &buf[i], 1);
			}
		}
	}
	fflush(g->transcript);
	if (r == 0)
		return 0;
	return errno == EAGAIN || errno == EINTR ? 1 : 0;
}

void
gdb_stop(struct gdb_session *g)
{
	if (g->pid > 0) {
		/* Whatever gdb still had to say is in the pipe: read it first. */
		if (g->out_fd >= 0)
			gdb_read(g);
		kill_group(g->pid);
		g->pid = 0;
	}
	if (g->out_fd >= 0) {
		close(g->out_fd);
		g->out_fd = -1;
	}
	if (g->in_fd >= 0) {
		close(g->in_fd);
		g->in_fd = -1;
	}
}

void
gdb_release(struct gdb_session *g)
{
	gdb_stop(g);
	if (g->transcript)
		fclose(g->transcript);
	for (size_t i = 0; i < g->nhits; i++)
		strv_release(&g->hits[i].bt);
	free(g->hits);
	free(g->set);
	free(g->error);
	witness_release(&g->w);
	sb_release(&g->partial);
	memset(g, 0, sizeof(*g));
	g->in_fd = g->out_fd = -1;
}

/* The name a process gets from exec: the file's base name, at most 15 bytes. */
static void
comm_of(const char *elf, char out[17])
{
	const char *b = strrchr(elf, '/');
	snprintf(out, 16, "%s", b ? b + 1 : elf);
}

/* Does hit h belong to breakpoint i, i.e. ran in the program it watches? */
static int
hit_counts(const struct gdb_bp *b, const struct gdb_hit *h, int have_pids)
{
	char comm[17];
	if (b->kernel || !have_pids)
		return 1;
	comm_of(b->want->elf, comm);
	return strcmp(h->comm, comm) == 0;
}

static int
pid_in(const int *pids, size_t n, int pid)
{
	for (size_t i = 0; i < n; i++)
		if (pids[i] == pid)
			return 1;
	return 0;
}

int
gdb_judge(const struct gdb_bp *bps, size_t nbp, size_t which,
	  const struct gdb_hit *hits, size_t nhits, int have_pids,
	  const unsigned long long *set, size_t nset, char *msg, size_t msglen)
{
	const struct gdb_bp *b = &bps[which];
	const struct gdb_expect *w = b->want;
	int *pids = xcalloc(nhits + 1, sizeof(int));
	size_t npids = 0, count = 0;
	int in_pid1 = 0, not_pid1 = 0, ok = 0;
	const struct gdb_hit *first = NULL;

	if (b->problem) {
		snprintf(msg, msglen, "%s", b->problem);
		/* A function that is not there never ran: what hits=0 wants. */
		ok = w->never && strstr(b->problem, "has no function") != NULL;
		goto out;
	}
	for (size_t i = 0; i < nhits; i++) {
		if (hits[i].bp != which || !hit_counts(b, &hits[i], have_pids))
			continue;
		if (!first)
			first = &hits[i];
		count++;
		if (hits[i].pid == 1)
			in_pid1 = 1;
		else
			not_pid1 = 1;
		if (!pid_in(pids, npids, hits[i].pid))
			pids[npids++] = hits[i].pid;
	}
	/* "fork of /init", "virtnet_open in the kernel" */
	char what[256];
	if (b->kernel)
		snprintf(what, sizeof(what), "%s in the kernel", b->symbol);
	else
		snprintf(what, sizeof(what), "%s of %s%s", b->symbol,
			 gdb_elf_in_build(w) ? "" : "/", w->elf);
	int was_set = 0;
	for (size_t i = 0; i < nset; i++)
		was_set |= set[i] == b->addr;
	if (!was_set && !w->never) {
		snprintf(msg, msglen, "gdb could not put a breakpoint on %s (at 0x%llx): its "
			 "transcript, gdb.log, says why", what, (unsigned long long)b->addr);
		goto out;
	}
	if (w->never) {
		ok = count == 0;
		if (ok)
			snprintf(msg, msglen, "%s never ran, as expected", what);
		else
			snprintf(msg, msglen, "%s ran %zu time(s), but it must not", what, count);
		goto out;
	}
	if (count == 0) {
		snprintf(msg, msglen, "%s never ran", what);
		goto out;
	}
	if (have_pids && w->comm) {
		for (size_t i = 0; i < nhits; i++)
			if (hits[i].bp == which && hit_counts(b, &hits[i], have_pids) &&
			    strcmp(hits[i].comm, w->comm)) {
				snprintf(msg, msglen, "%s ran %s PID %d (%s), not in a process running "
					 "%s", what, b->kernel ? "for" : "in", hits[i].pid, hits[i].comm,
					 w->comm);
				goto out;
			}
	}
	if (have_pids && w->pid_is_1 && not_pid1) {
		snprintf(msg, msglen, "%s ran %s a process other than PID 1: it must run %s init "
			 "itself", what, b->kernel ? "for" : "in", b->kernel ? "for" : "in");
		goto out;
	}
	if (have_pids && w->pid_not_1 && in_pid1) {
		snprintf(msg, msglen, "%s ran %s PID 1: it should run in a new process "
			 "(fork first, then exec in the child)", what, b->kernel ? "for" : "in");
		goto out;
	}
	if (have_pids && w->pid_not_sym) {
		/* The processes that hit the other symbol of the same program. */
		for (size_t j = 0; j < nbp; j++) {
			if (!bps[j].want || strcmp(bps[j].want->elf, w->elf) ||
			    strcmp(bps[j].want->symbols, w->pid_not_sym))
				continue;
			for (size_t i = 0; i < nhits; i++)
				if (hits[i].bp == j && hit_counts(&bps[j], &hits[i], have_pids) &&
				    pid_in(pids, npids, hits[i].pid)) {
					snprintf(msg, msglen, "%s ran in the same process as its %s "
						 "(PID %d): it should run in a child process (fork first)",
						 what, bps[j].symbol, hits[i].pid);
					goto out;
				}
		}
	}
	if (w->hits_min >= 0 && count < (size_t)w->hits_min) {
		snprintf(msg, msglen, "%s ran %zu time(s); expected at least %d", what, count,
			 w->hits_min);
		goto out;
	}
	if (have_pids && w->procs_min >= 0 && (int)npids < w->procs_min) {
		snprintf(msg, msglen, "%s ran in %zu process(es); expected at least %d",
			 what, npids, w->procs_min);
		goto out;
	}
	if (have_pids && w->procs_exact >= 0 && (int)npids != w->procs_exact) {
		snprintf(msg, msglen, "%s ran in %zu process(es); expected exactly %d",
			 what, npids, w->procs_exact);
		goto out;
	}
	for (size_t k = 0; w->bt && w->bt[k]; k++) {
		int seen = 0;
		for (size_t f = 0; f < first->bt.n; f++)
			if (!strcmp(first->bt.v[f], w->bt[k]))
				seen = 1;
		if (!seen) {
			snprintf(msg, msglen, "%s was reached, but not from %s", b->symbol, w->bt[k]);
			goto out;
		}
	}
	ok = 1;
	if (b->kernel && first->bt.n) {
		struct sb s;
		sb_init(&s);
		sb_printf(&s, "%s reached, called from", b->symbol);
		for (size_t f = 1; f < first->bt.n && f < 6; f++)
			sb_printf(&s, "%s %s", f > 1 ? " <-" : "", first->bt.v[f]);
		snprintf(msg, msglen, "%s", s.buf);
		sb_release(&s);
	} else if (!have_pids) {
		snprintf(msg, msglen, "%s ran %zu time(s) (this kernel has no debug info: "
			 "processes not told apart)", what, count);
	} else if (npids == 1) {
		snprintf(msg, msglen, "%s ran %s PID %d", what, b->kernel ? "for" : "in", pids[0]);
	} else {
		snprintf(msg, msglen, "%s ran %s %zu processes", what, b->kernel ? "for" : "in", npids);
	}
out:
	free(pids);
	return ok;
}
