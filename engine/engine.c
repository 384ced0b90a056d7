/*
 * engine.c: see engine.h. This file is the order of the phases; each
 * phase's work is in its own module (build, initramfs, breakpoints, boot,
 * judge, compare).
 *
 * The shape follows xv6's exec(): prepare everything first (the run
 * folder, the build, the archive, the breakpoints, gdb), and only then
 * start QEMU; one cleanup path at the end stops whatever was started.
 */
#include "engine.h"
#include "boot.h"
#include "breakpoints.h"
#include "build.h"
#include "disk.h"
#include "initcheck.h"
#include "initramfs.h"
#include "judge.h"
#include "rundir.h"
#include "sshkey.h"
#include "timing.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

/* Everything one check needs, in one place (no globals: two checks in one
 * process, as `grade --jobs` does in its children, never share anything). */
struct run {
	const struct check_opts *o;
	struct result *r;
	struct check check;
	int have_check;
	struct rundir dir;
	char *top;             /* the lab (o->cat->top) */
	char *learner;         /* the folder checked, or NULL */
	char *cpio, *kernel, *vmlinux;
	char *ssh_key;          /* the run's private key (sshkey), or NULL */
	char *disk;             /* the disk image (disk.h), or NULL */
	struct initramfs archive;
	int have_archive;
	struct gdb_bp *bps;
	int witness;            /* the witness watches this run */
	size_t nbp;
	struct phase_clock clock;
	char *limit_note;       /* how LAB_TIMEOUT_SCALE changed the limit, or NULL */
	int kernel_lock;        /* a shared lock on the lab kernel's build, or -1 */
};

void
lab_kernel(const char *top, const char *kconfig, char **image, char **vmlinux)
{
	*image = xasprintf("%s/build/kernel/%s/arch/riscv/boot/Image", top, kconfig);
	*vmlinux = xasprintf("%s/build/kernel/%s/vmlinux", top, kconfig);
}

char *
engine_grading_problem(const struct check *c, const char *stage)
{
	if (c->kernel == KERNEL_LEARNER)
		return xasprintf("%s builds a kernel from each submission (minutes each): it cannot "
				 "be graded (docs/grading.md); check one folder with ./lab-runner "
				 "check %s --dir DIR", stage, stage);
	if (c->build && !c->ncompile && !c->grading_make)
		return xasprintf("checks/%s.check has no compile lines: this stage cannot be graded "
				 "(docs/grading.md)", stage);
	return NULL;
}

/* ----------------------------------------------------------- 2. inspect */

/* What the kernel would trip on in the archive, as advice. */
static void
inspect(struct run *x)
{
	char err[512];
	struct result *r = x->r;

	if (initramfs_load(&x->archive, x->cpio, err, sizeof(err)) < 0) {
		strv_pushf(&r->advice, "%s", err);
		return;
	}
	x->have_archive = 1;
	/* What the learner's file list names must be in the archive. */
	struct strv want = {0};
	char *list = xasprintf("%s/file_list.txt", x->dir.src), *text;
	if (read_file(list, &text, NULL) == 0) {
		char *save = NULL;
		for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
			while (*l == ' ' || *l == '\t')
				l++;
			size_t n = strcspn(l, " \t\r");
			if (n && l[0] != '#') {
				l[n] = '\0';
				strv_push(&want, l);
			}
		}
		free(text);
	}
	free(list);
	size_t cap = 4096;
	char *out = xcalloc(1, cap);
	if (initramfs_check(&x->archive, (const char *const *)want.v, out, cap) > 0) {
		char *save = NULL;
		for (char *l = strtok_r(out, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
			strv_push(&r->advice, l);
	}
	free(out);
	strv_release(&want);
}

/* ----------------------------------------------------------- 6. compare */

/*
 * Boot the archive on the stage's kernel and on the lab's kernel named by
 * `compare`, and time both (compare.h). With `smaller`, a stage kernel
 * that takes no less memory than the lab's fails: removing nothing is not
 * the exercise.
 */
static void
compare_kernels(struct run *x)
{
	struct result *r = x->r;
	struct check *c = &x->check;
	struct compare_job j = {c->append, c->memory_mb, c->compare_boots, 30, x->o->sigfd};
	char a[32], b[32];
	/* The stage's kernel boots what the check booted; the other one the
	 * same archive, or, where the stage's is built into its Image, the
	 * same system packed as a file (compare ... initrd=FILE). */
	char *other = c->compare_initrd ? file_inside(x->dir.src, c->compare_initrd) : NULL;

	if (c->compare_initrd && !other) {
		strv_pushf(&r->advice, "no %s in the folder after make, to boot on the %s kernel: "
			   "the comparison was left out", c->compare_initrd, c->compare);
		return;
	}

	r->ncompare = 2;
	r->compare_boots = c->compare_boots;
	r->compare[0].label = xstrdup("yours");
	r->compare[0].image = xstrdup(x->kernel);
	r->compare[0].vmlinux = xstrdup(x->vmlinux);
	r->compare[0].initrd = c->build || x->o->initramfs ? x->cpio : NULL;
	r->compare[1].label = xstrdup(c->compare);
	r->compare[1].initrd = other ? other : r->compare[0].initrd;
	r->compare_builtin = !r->compare[0].initrd;
	lab_kernel(x->top, c->compare, &r->compare[1].image, &r->compare[1].vmlinux);
	if (!is_file(r->compare[1].image)) {
		r->ncompare = 1;
		kernel_timing_release(&r->compare[1]);
		strv_pushf(&r->advice, "no %s kernel to compare with: 'make kernel KCONFIG=%s' builds it",
			   c->compare, c->compare);
	}
	int rc = compare_boot_times(&j, r->compare, r->ncompare);
	r->compare[0].initrd = r->compare[1].initrd = NULL;   /* not the result's */
	free(other);
	if (rc < 0) {
		r->interrupted = 1;
		result_set(r, V_ERROR, "interrupted");
		return;
	}
	if (r->ncompare < 2 || !c->compare_smaller)
		return;
	/* In memory, not the Image: the Image moves in 2 MiB steps (elffile.h). */
	long long mine = r->compare[0].memory_bytes, theirs = r->compare[1].memory_bytes;
	int ok = mine > 0 && theirs > 0 && mine < theirs;
	human_size(mine, a, sizeof(a));
	human_size(theirs, b, sizeof(b));
	char *want = xasprintf("your kernel takes less memory than %s's (code, data, bss)", c->compare);
	char *got = xasprintf("%s against %s", a, b);
	result_add_item(r, ok, ITEM_COMPARE, want, got);
	free(want);
	free(got);
	if (!ok && r->verdict == V_PASS) {
		result_set(r, V_FAIL, "your kernel boots, but it is no smaller than the stock %s (%s): "
			    "turn off drivers for hardware the virt board does not have", c->compare, a);
		strv_pushf(&r->advice, "the boot log of the stock kernel names what it sets up: every "
			   "driver for a device QEMU's virt board lacks is weight to remove");
	}
}

static const char *
kernel_config(const struct run *x)
{
	if (x->o->kconfig)
		return x->o->kconfig;
	return x->check.kernel == KERNEL_DEFCONFIG ? "defconfig" : "lab";
}


/* -------------------------------------------------------------- phases */

/* Read the check, with a fresh nonce. Returns 0, or -1 with the verdict set. */
/*
 * The stage's time limit times LAB_TIMEOUT_SCALE, when it is set: a slower
 * or busier machine (a CI runner, a shared classroom server) gives every
 * stage the same room in proportion, and so every `host` command's limit.
 * An explicit --timeout is not scaled.
 * Returns 0, or -1 with err filled when the value is not a number from
 * 0.1 to 50.
 */
static int
scale_timeout(struct run *x, char *err, size_t errlen)
{
	const char *v = getenv("LAB_TIMEOUT_SCALE");
	char *end;
	double k;
	int base = x->check.timeout_s;

	if (!v || !*v)
		return 0;
	errno = 0;
	k = strtod(v, &end);
	if (errno || *end || !(k >= 0.1 && k <= 50)) {
		snprintf(err, errlen, "LAB_TIMEOUT_SCALE must be a number from 0.1 to 50, not '%s'",
			 v);
		return -1;
	}
	x->check.timeout_s = (int)(base * k + 0.999);
	if (x->check.timeout_s < 1)
		x->check.timeout_s = 1;
	/* The host commands' own limits (`host SECONDS`) in proportion too. */
	for (size_t t = 0; t < x->check.nthreads; t++)
		for (size_t i = 0; i < x->check.threads[t].n; i++) {
			struct step *st = &x->check.threads[t].steps[i];
			int scaled = (int)(st->host_s * k + 0.999);
			if (st->kind == STEP_HOST)
				st->host_s = scaled >= 1 ? scaled : 1;
		}
	x->limit_note = xasprintf("the stage's %d s x LAB_TIMEOUT_SCALE %s", base, v);
	return 0;
}

static int
read_check(struct run *x)
{
	const struct check_opts *o = x->o;
	struct result *r = x->r;
	char err[1024], nonce[9];

	make_nonce(nonce);
	char *path = stage_path(o->cat, o->stage, PART_CHECK);
	int rc = check_parse(&x->check, path, nonce, err, sizeof(err));
	free(path);
	if (rc < 0) {
		result_set(r, V_ERROR, "%s", err);
		return -1;
	}
	x->have_check = 1;
	if (o->timeout_s > 0) {
		x->check.timeout_s = o->timeout_s;
		x->limit_note = xstrdup("the limit set for this run, not the stage's");
	} else if (scale_timeout(x, err, sizeof(err)) < 0) {
		result_set(r, V_ERROR, "%s", err);
		return -1;
	}
	r->max_points = x->check.points;
	r->network = x->check.network;
	memcpy(r->nonce, x->check.nonce, sizeof(r->nonce));
	free(r->title);
	r->title = xstrdup(x->check.title);
	return 0;
}

/* The run's own folder: nothing is shared with another run. */
static int
make_run_folder(struct run *x)
{
	struct result *r = x->r;
	char err[1024];
	char *root = x->o->runs_root ? xstrdup(x->o->runs_root)
		: xasprintf("%s/build/runs", x->top);
	int rc = rundir_make(&x->dir, root, x->o->stage->name, err, sizeof(err));

	free(root);
	if (rc < 0) {
		result_set(r, V_ERROR, "%s", err);
		return -1;
	}
	r->run_dir = xstrdup(x->dir.path);
	r->uart_log = xstrdup(x->dir.uart_log);
	r->qemu_log = xstrdup(x->dir.qemu_log);
	r->gdb_log = xstrdup(x->dir.gdb_log);
	r->build_log = xstrdup(x->dir.build_log);
	return 0;
}

/*
 * A lab kernel being built (kernel/build.sh holds build/kernel/CONFIG.lock
 * for the whole build) is waited for, saying so, and kept while the check
 * runs (a shared lock: a build that starts meanwhile waits for the check,
 * and says so). Returns 0, or -1 with the verdict set when interrupted.
 */
static int
wait_for_kernel_build(struct run *x, const char *cfg)
{
	char *path = xasprintf("%s/build/kernel/%s.lock", x->top, cfg);
	int fd = open(path, O_RDONLY | O_CLOEXEC), said = 0;

	free(path);
	if (fd < 0)
		return 0;   /* never built here: nothing to wait for */
	x->kernel_lock = fd;
	while (flock(fd, LOCK_SH | LOCK_NB) < 0) {
		struct pollfd p = {x->o->sigfd, POLLIN, 0};
		if (errno != EWOULDBLOCK)
			return 0;
		if (!said++ && x->o->echo_build)
			fprintf(stderr, "kernel: build/kernel/%s is being built (make kernel, make start, "
				"or a stage-06 check): waiting for it to end (the lock is "
				"build/kernel/%s.lock)\n", cfg, cfg);
		if (poll(&p, 1, 200) > 0) {
			x->r->interrupted = 1;
			result_set(x->r, V_ERROR, "interrupted");
			return -1;
		}
	}
	return 0;
}

/* The kernel: the lab's, or the one the learner's Makefile builds (it is
 * there once the build has run). Then the tools. Returns 0, or -1 with
 * the verdict set. */
static int
pick_kernel(struct run *x)
{
	const struct check_opts *o = x->o;
	const struct check *c = &x->check;
	struct result *r = x->r;
	const char *cfg = kernel_config(x);

	if (c->kernel == KERNEL_LEARNER && !o->kconfig) {
		if (o->grading) {
			char *why = engine_grading_problem(c, o->stage->name);
			result_set(r, V_ERROR, "%s", why);
			free(why);
			return -1;
		}
		if (o->initramfs || !check_runs_make(c)) {
			result_set(r, V_ERROR, "this stage boots the kernel its folder's Makefile builds: "
				   "check it with --dir (or add --kernel lab|defconfig to boot %s on "
				   "a kernel of the lab)", o->initramfs ? o->initramfs : "it");
			return -1;
		}
		x->kernel = xasprintf("%s/Image", x->dir.src);
		x->vmlinux = xasprintf("%s/vmlinux", x->dir.src);
	} else {
		lab_kernel(x->top, cfg, &x->kernel, &x->vmlinux);
		if (wait_for_kernel_build(x, cfg) < 0)
			return -1;
		if (!is_file(x->kernel)) {
			result_set(r, V_ERROR, "no kernel at %s: build it with 'make kernel%s'",
				   x->kernel, strcmp(cfg, "lab") ? " KCONFIG=defconfig" : "");
			return -1;
		}
	}
	if (c->serve) {
		char *dir = xasprintf("%s/%s", x->top, c->serve);
		int there = is_dir(dir);
		free(dir);
		if (!there) {
			result_set(r, V_ERROR, "%s, the folder this stage's web responder serves, is "
				   "missing: run 'make start' in the lab's folder (it builds it)",
				   c->serve);
			return -1;
		}
	}
	if ((c->ngdb || x->witness) && !have_program("gdb-multiarch")) {
		result_set(r, V_ERROR, "gdb-multiarch is not installed: run 'make setup'");
		return -1;
	}
	if (!have_program("qemu-system-riscv64")) {
		result_set(r, V_ERROR, "qemu-system-riscv64 is not installed: run 'make setup'");
		return -1;
	}
	return 0;
}

/* 1. build (or take the archive given). Returns 0, or -1 with the verdict set. */
static int
build(struct run *x)
{
	const struct check_opts *o = x->o;
	struct result *r = x->r;

	if (o->initramfs && x->check.disk) {
		result_set(r, V_ERROR, "this stage boots a disk its folder's Makefile builds: check "
			   "it with --dir, not --initramfs");
		return -1;
	}
	if (!check_runs_make(&x->check) || o->initramfs) {
		if (o->initramfs && !is_file(o->initramfs)) {
			result_set(r, V_ERROR, "no such archive: %s", o->initramfs);
			return -1;
		}
		return 0;
	}
	if (!x->learner || !is_dir(x->learner)) {
		result_set(r, V_ERROR, "there is no folder %s to check%s",
			   x->learner ? x->learner : "(none)",
			   x->learner ? ": './lab-runner next' creates it from the starter" : "");
		return -1;
	}
	struct build_job job = {
		.cat = o->cat, .stage = o->stage, .check = &x->check, .top = x->top,
		.dir = x->learner, .src = x->dir.src, .cpio = x->cpio, .grading = o->grading,
		.unsandboxed = o->unsandboxed,
		.sigfd = o->sigfd, .echo_fd = o->echo_build ? STDERR_FILENO : -1,
	};
	long long b0 = now_ms();
	phase_mark(&x->clock, "build");
	int rc = build_initramfs(&job, r);
	r->ms_build = now_ms() - b0;
	if (rc == 0 && x->check.disk) {
		char err[512];
		x->disk = disk_find(x->dir.src, x->check.disk, err, sizeof(err));
		if (!x->disk) {
			result_set(r, V_ERROR, "%s", err);
			return -1;
		}
		r->disk_path = xstrdup(x->disk);
	}
	return rc;
}

/*
 * A check's sshkey: this run's key pair, made now, and the archive booted
 * becomes the learner's with a second archive appended that holds the
 * public key (sshkey.h). x->cpio then names that one. Returns 0, or -1
 * with the verdict set (ERROR: the lab's set-up).
 */
static int
add_key(struct run *x)
{
	const struct check *c = &x->check;
	char err[1024], *pub = NULL, *line, *out;
	unsigned char *seg = NULL;
	size_t seglen = 0;
	int rc = -1;

	phase_mark(&x->clock, "ssh-keygen, the key in the archive");
	if (sshkey_make(x->dir.path, x->o->sigfd, &x->ssh_key, &pub, err, sizeof(err)) < 0) {
		result_set(x->r, V_ERROR, "%s", err);
		return -1;
	}
	line = xasprintf("%s\n", pub);
	out = xasprintf("%s/initramfs+key.cpio", x->dir.path);
	if (sshkey_segment(c->sshkey, line, strlen(line), &seg, &seglen, err, sizeof(err)) < 0 ||
	    sshkey_initrd(x->cpio, seg, seglen, out, err, sizeof(err)) < 0) {
		result_set(x->r, V_ERROR, "%s", err);
	} else {
		free(x->cpio);
		x->cpio = out;
		out = NULL;
		x->r->ssh_key = xstrdup(x->ssh_key);
		rc = 0;
	}
	free(seg);
	free(out);
	free(line);
	free(pub);
	return rc;
}

/* For run and debug: /init as a file of its own, for gdb's symbols. */
static void
write_init_elf(struct run *x)
{
	const struct cpio_entry *e = x->have_archive ? initramfs_find(&x->archive, "init") : NULL;

	if (e && e->size > 4 && !memcmp(e->data, "\177ELF", 4)) {
		x->r->init_elf = xasprintf("%s/init.elf", x->dir.path);
		write_file_atomic(x->r->init_elf, (const char *)e->data, e->size);
	}
}

/* The learner's answers (check `answer` lines), read for the judge. When
 * grading, only a plain file of the submission's own is read, and only its
 * first ANSWERS_MAX bytes (the answers are a few short lines). */
#define ANSWERS_MAX (64 * 1024)
static void
read_answers(const struct run *x, char **values, char **paths)
{
	const struct check *c = &x->check;

	for (size_t i = 0; i < c->nanswers; i++) {
		char *text = NULL;
		struct stat st;
		paths[i] = xasprintf("%s/%s", x->learner ? x->learner : ".", c->answers[i].file);
		int readable = x->learner && (!x->o->grading ||
			(lstat(paths[i], &st) == 0 && S_ISREG(st.st_mode)));
		if (readable && read_file_head(paths[i], &text, NULL, ANSWERS_MAX) == 0)
			values[i] = answer_value(text, c->answers[i].key);
		free(text);
	}
}

/* The files `ondisk` names, read out of the disk after the boot: each
 * one's text, or why it could not be read. Read only once QEMU has
 * stopped (its writes are in the image), and only if the guest ran. */
static void
read_disk(const struct run *x, const struct boot *b, char **text, char **why)
{
	const struct check *c = &x->check;

	for (size_t i = 0; i < c->nondisk; i++) {
		char err[512];
		if (!x->disk || !b->seen.saw_run_init) {
			why[i] = xstrdup("not read: the guest never started /init");
			continue;
		}
		char *log = xasprintf("%s/debugfs.log", x->dir.path);
		struct disk_read_job j = {
			.image = x->disk, .path = c->ondisk[i].path, .log = log, .top = x->top,
			.sandboxed = x->o->grading && !x->o->unsandboxed, .sigfd = x->o->sigfd,
		};
		if (disk_read(&j, &text[i], err, sizeof(err)) != 0)
			why[i] = xstrdup(err);
		free(log);
	}
}

/* 5. judge what the boot showed. */
static void
judge_boot(struct run *x, struct boot *b)
{
	const struct check *c = &x->check;
	char **values = xcalloc(c->nanswers + 1, sizeof(*values));
	char **paths = xcalloc(c->nanswers + 1, sizeof(*paths));
	char *uart = NULL;
	size_t uart_len = 0;

	char **disk_text = xcalloc(c->nondisk + 1, sizeof(*disk_text));
	char **disk_why = xcalloc(c->nondisk + 1, sizeof(*disk_why));

	if (c->nanswers && read_file(x->dir.uart_log, &uart, &uart_len) < 0)
		uart = NULL, uart_len = 0;
	read_answers(x, values, paths);
	read_disk(x, b, disk_text, disk_why);
	/* The names the web responder served (tools/responder.sh writes them). */
	char *served = NULL;
	if (c->nserved) {
		char *path = xasprintf("%s/served", x->dir.path);
		if (read_file_head(path, &served, NULL, 64 * 1024) < 0)
			served = NULL;
		free(path);
	}
	/* The witness's record: saved for the learner, judged if it is whole. */
	const char *unavailable = b->witness_error;
	char *why = NULL;
	if (x->witness && !unavailable && !b->g.armed)
		unavailable = "gdb never attached, so the witness saw nothing";
	else if (x->witness && !unavailable && b->g.error)
		unavailable = why = xasprintf("gdb stopped watching early (%s)", b->g.error);
	if (x->witness && !b->witness_error) {
		char err[512];
		if (witness_save(&b->g.w, x->dir.witness_log, x->dir.witness_json, err,
				 sizeof(err)) == 0) {
			x->r->witness_log = xstrdup(x->dir.witness_log);
			x->r->witness_json = xstrdup(x->dir.witness_json);
		}
	}
	struct judge_input in = {
		.check = c, .m = &b->m, .seen = &b->seen, .end = &b->end,
		.witness = x->witness ? &b->g.w : NULL, .witness_unavailable = unavailable,
		.bps = x->bps, .nbp = x->nbp, .hits = b->g.hits, .nhits = b->g.nhits,
		.have_pids = b->have_pids, .gdb_error = b->g.error, .gdb_log = x->dir.gdb_log,
		.set = b->g.set, .nset = b->g.nset,
		.answer_values = values, .answer_paths = paths, .limit_note = x->limit_note,
		.uart = uart ? uart : "", .uart_len = uart_len,
		.hosts = b->hosts, .nhosts = b->nhosts,
		.disk_text = disk_text, .disk_why = disk_why, .served = served ? served : "",
	};
	judge(&in, x->r);
	for (size_t i = 0; i < c->nondisk; i++) {
		free(disk_text[i]);
		free(disk_why[i]);
	}
	free(disk_text);
	free(disk_why);
	free(served);
	for (size_t i = 0; i < c->nanswers; i++) {
		free(values[i]);
		free(paths[i]);
	}
	free(values);
	free(paths);
	free(uart);
	free(why);
}

/* 3-5. boot, drive, judge. With breakpoints in user space only, the
 * kernel boots while gdb finishes starting; if gdb was late, once more,
 * paused, from a clean slate. Returns 1 if the kernel reached /init. */
static int
boot_and_judge(struct run *x, struct boot *b, const struct boot_job *job)
{
	struct result *r = x->r;
	char err[1024];
	int early = (x->nbp > 0 || x->witness) && breakpoints_user_only(x->bps, x->nbp);

	r->verdict = V_ERROR;
	if (boot_run(b, job, early, r) < 0)
		return 0;
	if (b->end.late) {
		phase_mark(&x->clock, "gdb attached after /init started: booting again, paused");
		boot_release(b);
		boot_init(b, job);
		if (boot_start_gdb(b, job, err, sizeof(err)) < 0) {
			result_set(r, V_ERROR, "%s", err);
			return 0;
		}
		if (boot_run(b, job, 0, r) < 0)
			return 0;
	}
	matcher_flush(&b->m);
	r->forward_port = b->host_port;
	phase_mark(&x->clock, "the verdict is known; QEMU and gdb stopped");
	judge_boot(x, b);
	return b->seen.saw_run_init && !b->end.interrupted;
}

enum verdict
engine_check(const struct check_opts *o, struct result *r)
{
	struct run x;
	struct boot b;
	int booted = 0, reached_init = 0;
	char err[1024];

	memset(r, 0, sizeof(*r));
	memset(&x, 0, sizeof(x));
	x.o = o;
	x.r = r;
	x.top = o->cat->top;
	x.kernel_lock = -1;
	phase_clock_start(&x.clock);
	r->stage = xstrdup(o->stage->name);
	r->title = xstrdup(o->stage->title);

	if (read_check(&x) < 0 || make_run_folder(&x) < 0)
		goto out;
	struct check *c = &x.check;
	x.learner = o->dir ? xstrdup(o->dir) : NULL;
	x.cpio = o->initramfs ? xstrdup(o->initramfs) : xasprintf("%s/initramfs.cpio", x.dir.src);
	x.witness = o->witness || c->nwrules > 0;
	if (pick_kernel(&x) < 0)
		goto out;
	struct boot_job job = {
		.witness = x.witness, .syscalls = o->syscalls,
		.check = c, .kernel = x.kernel, .vmlinux = x.vmlinux,
		.initrd = c->build || o->initramfs ? x.cpio : NULL, .lab_top = x.top,
		.dir = &x.dir, .grading = o->grading, .sigfd = o->sigfd, .clock = &x.clock,
	};
	boot_init(&b, &job);
	booted = 1;
	/* gdb starts now, so that its start-up overlaps the build and QEMU's. */
	if ((c->ngdb || x.witness) && !o->prepare_only &&
	    boot_start_gdb(&b, &job, err, sizeof(err)) < 0) {
		result_set(r, V_ERROR, "%s", err);
		goto out;
	}
	if (build(&x) < 0)
		goto out;
	if (c->build || o->initramfs) {
		inspect(&x);
		r->initrd_path = xstrdup(x.cpio);
		struct stat st;
		if (stat(x.cpio, &st) == 0 &&
		    (long long)st.st_size > (long long)c->memory_mb * 1024 * 1024 / 2)
			strv_pushf(&r->advice, "the initramfs is %lld MiB but the guest has %d MiB of "
				   "memory: the kernel needs room to unpack it",
				   (long long)st.st_size >> 20, c->memory_mb);
	}
	if (c->sshkey && add_key(&x) < 0)
		goto out;
	if (c->sshkey) {
		job.initrd = x.cpio;
		job.ssh_key = x.ssh_key;
		free(r->initrd_path);
		r->initrd_path = xstrdup(x.cpio);
	}
	x.bps = breakpoints_resolve(c, x.have_archive ? &x.archive : NULL, x.vmlinux,
				    x.dir.src, &x.nbp);
	job.bps = x.bps;
	job.disk = x.disk;
	job.nbp = x.nbp;
	r->kernel_path = xstrdup(x.kernel);
	r->vmlinux_path = xstrdup(x.vmlinux);
	if (o->prepare_only) {
		write_init_elf(&x);
		result_set(r, V_PASS, "ready to boot");
		goto out;
	}
	reached_init = boot_and_judge(&x, &b, &job);
	/* 6. compare: only a kernel that reached /init has a time to show. */
	if (c->compare && reached_init && r->verdict != V_ERROR) {
		phase_mark(&x.clock, "compare");
		compare_kernels(&x);
	}
out:
	if (r->verdict == V_PASS && !o->prepare_only)
		r->points = r->max_points;
	struct rusage ru;
	if (getrusage(RUSAGE_SELF, &ru) == 0)
		r->maxrss_kb = ru.ru_maxrss;
	if (getrusage(RUSAGE_CHILDREN, &ru) == 0)
		r->children_maxrss_kb = ru.ru_maxrss;
	if (booted)
		boot_release(&b);
	if (x.have_archive)
		initramfs_release(&x.archive);
	breakpoints_release(x.bps, x.nbp);
	rundir_release(&x.dir);
	if (x.kernel_lock >= 0)
		close(x.kernel_lock);
	free(x.learner);
	free(x.limit_note);
	free(x.cpio);
	free(x.ssh_key);
	free(x.kernel);
	free(x.vmlinux);
	free(x.disk);
	if (x.have_check)
		check_release(&x.check);
	return r->verdict;
}
