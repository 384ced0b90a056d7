/*
 * initcheck.c: see initcheck.h.
 *
 * Design note. The checks replay what the kernel does after unpacking:
 * look up /init (following symlinks inside the archive, as the path walk
 * will: initramfs_resolve), test its execute bit, load it as an ELF for
 * this machine or as a "#!" script (elffile.h), and load the dynamic
 * loader it names. Then the other programs, the order of folders and what
 * the learner's file list names. Each problem becomes one line of advice
 * that says what the kernel would do and what to change; the lines go
 * into the caller's buffer through problem(), which writes only whole ones.
 *
 * No global mutable state: all tables below are const.
 */
#include "initcheck.h"
#include "elffile.h"
#include "initramfs.h"
#include "newc.h"

#include <sys/stat.h>
#include <elf.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define PATH_BUF	1024	/* longest path we handle */
#define SHOW_BUF	160	/* longest name or byte string we print */

/* Folders where a learner may have put init instead of the top. */
static const char *const other_inits[] = {
	"sbin/init", "bin/init", "etc/init", "usr/sbin/init", "usr/bin/init",
};

/*
 * Top-level folders of a root file system. An archive holding only these
 * lacks init; one whose names all sit under "build/" or "home/ada/" was
 * packed from the wrong folder.
 */
static const char *const root_folders[] = {
	"bin", "sbin", "lib", "lib32", "lib64", "usr", "etc", "dev", "proc",
	"sys", "var", "run",
};

/* initramfs_show() for a C string. */
static const char *
showstr(char *dst, size_t dstlen, const char *s)
{
	return initramfs_show(dst, dstlen, s, strlen(s));
}

/* The problems found so far, and the caller's buffer they go to. */
struct report {
	char *out;
	size_t len, cap;
	int full;	/* a line did not fit: add no more, keep counting */
	int count;
};

/*
 * Count one problem and append it as a line to the report. Only whole
 * lines are written: a line cut in the middle could tell the learner a
 * wrong command. After the first line that does not fit, later (perhaps
 * shorter) ones are not written either, so the lines shown keep their order.
 */
static void
problem(struct report *r, const char *fmt, ...)
{
	va_list ap;
	size_t room;
	int n;

	r->count++;
	if (r->full)
		return;
	room = r->cap - r->len;
	va_start(ap, fmt);
	n = vsnprintf(r->out + r->len, room, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n + 2 > room) {
		r->out[r->len] = '\0';
		r->full = 1;
		return;
	}
	r->out[r->len + (size_t)n] = '\n';
	r->out[r->len + (size_t)n + 1] = '\0';
	r->len += (size_t)n + 1;
}

/* Is path the folder dir or a path inside it? */
static int
under(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	return strncmp(path, dir, n) == 0 &&
	    (path[n] == '\0' || path[n] == '/');
}

/*
 * Say what is wrong with an ELF file (machine, word size, missing dynamic
 * loader); label names it in the message ("/init", "/little_shell").
 */
static void
check_elf(struct report *r, const struct initramfs *a, const char *label,
	  const struct elf_info *info, int program)
{
	const struct cpio_entry *t;
	char miss[PATH_BUF], shown[SHOW_BUF], machine[32];

	if (info->machine != EM_RISCV) {
		/* The kernel refuses it with "Exec format error" (-8). */
		if (strcmp(info->machine_name, "unknown") == 0)
			snprintf(machine, sizeof machine, "machine %d",
			    info->machine);
		else
			snprintf(machine, sizeof machine, "%s",
			    info->machine_name);
		problem(r, "%s is built for %s, not RISC-V: %s", label, machine,
		    program ? "compile it with riscv64-linux-gnu-gcc" :
		    "use the RISC-V (riscv64) build of it");
		return;
	}
	if (!info->is_64) {
		problem(r, "%s is built for 32-bit RISC-V (rv32), but the lab's "
		    "kernel runs 64-bit RISC-V (rv64) programs: compile it "
		    "with riscv64-linux-gnu-gcc", label);
		return;
	}
	/* A dynamic program names its loader in PT_INTERP; the kernel
	 * loads that file first, and fails with ENOENT if it is absent. */
	if (info->interp[0] != '\0' &&
	    initramfs_resolve(a, info->interp, &t, miss, sizeof miss) != INITRAMFS_FOUND)
		problem(r, "%s is linked dynamically: it needs %s, which is not "
		    "in the archive; link it with -static", label,
		    showstr(shown, sizeof shown, info->interp));
}

/* Report a regular file that has no execute bit. */
static void
check_exec_bit(struct report *r, const char *label,
	       const struct cpio_entry *e)
{
	char shown[SHOW_BUF];

	/* PID 1 runs as root, and root may run a file if any x bit is set.
	 * Without one the kernel treats /init as absent. */
	if ((e->mode & 0111) == 0)
		problem(r, "%s is not executable (mode %04o): chmod +x %s "
		    "before packing", label, (unsigned)(e->mode & 07777),
		    showstr(shown, sizeof shown, e->name));
}

/*
 * The folder all names share, like "build" or "home/ada/stage2", found
 * when cpio was run from outside the folder; "" if there is none. It
 * starts as the folder of the first file, and shrinks to fit the other
 * names; folder entries above it ("home", "home/ada") do not count.
 */
static void
common_folder(const struct initramfs *a, char *pre, size_t prelen)
{
	const char *name, *slash;
	size_t i, plen;

	pre[0] = '\0';
	for (i = 0; i < a->n; i++) {
		slash = strrchr(a->entries[i].name, '/');
		if (slash && !S_ISDIR(a->entries[i].mode)) {
			plen = (size_t)(slash - a->entries[i].name);
			if (plen >= prelen)
				return;
			memcpy(pre, a->entries[i].name, plen);
			pre[plen] = '\0';
			break;
		}
	}
	for (i = 0; i < a->n && pre[0] != '\0'; i++) {
		name = a->entries[i].name;
		if (strcmp(name, ".") == 0 || name[0] == '\0')
			continue;
		if (S_ISDIR(a->entries[i].mode) && under(pre, name))
			continue;	/* a folder that is pre or above it */
		while (pre[0] != '\0' && !under(name, pre)) {
			slash = strrchr(pre, '/');	/* shorten pre */
			pre[slash ? (size_t)(slash - pre) : 0] = '\0';
		}
	}
}

/* Does path start with a folder every root file system has ("bin", "usr")? */
static int
root_folder(const char *path)
{
	size_t i;

	for (i = 0; i < sizeof root_folders / sizeof root_folders[0]; i++)
		if (under(path, root_folders[i]))
			return 1;
	return 0;
}

/*
 * There is no entry "init". Say so, with the most likely reason: a name
 * in the wrong case, every name under a folder prefix, or init in a
 * folder the kernel does not look in first. Returns 1 if the names have
 * a folder prefix (then the missing-folder check would only repeat it).
 */
static int
explain_no_init(struct report *r, const struct initramfs *a)
{
	char pre[PATH_BUF], shown[SHOW_BUF], path[PATH_BUF + 8];
	size_t i;

	for (i = 0; i < a->n; i++)
		if (strcasecmp(a->entries[i].name, "init") == 0) {
			problem(r, "the archive has no /init, but it has /%s: "
			    "names are case-sensitive; rename it to init",
			    showstr(shown, sizeof shown, a->entries[i].name));
			return 0;
		}
	common_folder(a, pre, sizeof pre);
	if (pre[0] != '\0' && !root_folder(pre)) {
		snprintf(path, sizeof path, "%s/init", pre);
		showstr(shown, sizeof shown, pre);
		if (initramfs_find(a, path))
			problem(r, "the archive has no /init, only /%s/init: "
			    "every name starts with the folder %s/, so cpio "
			    "was run from outside it; run cpio from inside %s "
			    "(cd there first)", shown, shown, shown);
		else
			problem(r, "the archive has no /init: every name starts "
			    "with the folder %s/, so cpio was run from outside "
			    "it; run cpio from inside %s (cd there first)",
			    shown, shown);
		return 1;
	}
	for (i = 0; i < sizeof other_inits / sizeof other_inits[0]; i++)
		if (initramfs_find(a, other_inits[i])) {
			problem(r, "the archive has no /init, only /%s: from an "
			    "initramfs the kernel runs /init first; add init "
			    "at the top of the archive (or a link init -> %s)",
			    other_inits[i], other_inits[i]);
			return 0;
		}
	problem(r, "the archive has no /init: the kernel runs /init first; "
	    "add init to file_list.txt");
	return 0;
}

/*
 * Check /init: present, a program (or a link to one), executable, built
 * for 64-bit RISC-V, static or with its loader present; or a script whose
 * interpreter is present. Returns the entry /init leads to (NULL if none)
 * and sets *prefixed as explain_no_init() returns.
 */
static const struct cpio_entry *
check_init(struct report *r, const struct initramfs *a, int *prefixed)
{
	const struct cpio_entry *e, *t, *it;
	char label[SHOW_BUF + 32], shown[SHOW_BUF], miss[PATH_BUF];
	char shown2[SHOW_BUF];
	struct elf_info info;
	enum initramfs_walk res;

	*prefixed = 0;
	e = initramfs_find(a, "init");
	if (!e) {
		*prefixed = explain_no_init(r, a);
		return NULL;
	}
	t = e;
	strcpy(label, "/init");
	if (S_ISLNK(e->mode)) {
		initramfs_show(shown, sizeof shown, e->data, e->size);
		res = initramfs_resolve(a, "init", &t, miss, sizeof miss);
		if (res == INITRAMFS_MISSING) {
			problem(r, "/init is a link to %s, but /%s is not in the "
			    "archive: add it, or make init a link to a file "
			    "that is", shown, showstr(shown2, sizeof shown2,
			    miss));
			return NULL;
		}
		if (res != INITRAMFS_FOUND) {
			problem(r, "/init is a link to %s that %s: make init "
			    "the program itself, or a link straight to it",
			    shown, res == INITRAMFS_LOOP ? "goes round in a loop "
			    "(more than 8 links)" : "leads to a path too long "
			    "to follow");
			return NULL;
		}
		if (t)
			snprintf(label, sizeof label, "/init (a link to /%s)",
			    showstr(shown, sizeof shown, t->name));
	}
	if (!t || S_ISDIR(t->mode)) {
		problem(r, "%s is a folder, not a program: the kernel runs the "
		    "file /init; pack your compiled program as init at the "
		    "top of the archive", label);
		return NULL;
	}
	if (!S_ISREG(t->mode)) {
		problem(r, "%s is a device or other special file, not a "
		    "program: pack your compiled program as init", label);
		return t;
	}
	check_exec_bit(r, label, t);
	if (t->size == 0) {
		problem(r, "%s is empty (0 bytes): pack the compiled program, "
		    "e.g. build it before running cpio", label);
		return t;
	}
	switch (elf_inspect(t->data, t->size, &info)) {
	case ELF_READ_DAMAGED:
		problem(r, "%s is a damaged ELF file (it ends inside its "
		    "headers): build it again and pack it again", label);
		return t;
	case ELF_READ_OK:
		if (info.type == ET_REL)
			problem(r, "%s is an object file (.o), not a linked "
			    "program: link it, e.g. riscv64-linux-gnu-gcc "
			    "-static -o init init.c", label);
		else if (!info.is_exec)
			problem(r, "%s is an ELF file but not a program (ELF "
			    "type %d): pack the compiled program as init",
			    label, info.type);
		else
			check_elf(r, a, label, &info, 1);
		return t;
	default:	/* not ELF: a script, or not a program at all */
		break;
	}
	if (t->size >= 2 && t->data[0] == '#' && t->data[1] == '!') {
		showstr(shown, sizeof shown, info.script_interp);
		if (info.script_interp[0] == '\0')
			problem(r, "%s starts with #! but names no interpreter: "
			    "write its path on the first line, e.g. #!/bin/sh",
			    label);
		else if (strchr(info.script_interp, '\r'))
			problem(r, "%s has Windows line endings, so the kernel "
			    "looks for an interpreter named \"%s\": convert "
			    "the file with dos2unix before packing", label,
			    shown);
		else if ((res = initramfs_resolve(a, info.script_interp, &it, miss,
		    sizeof miss)) != INITRAMFS_FOUND) {
			showstr(shown2, sizeof shown2, miss);
			if (res != INITRAMFS_MISSING)
				problem(r, "%s is a script for %s, which is a "
				    "link that %s: make it a link straight to "
				    "the interpreter", label, shown,
				    res == INITRAMFS_LOOP ? "goes round in a loop" :
				    "leads to a path too long to follow");
			else if (under(newc_name(info.script_interp), miss))
				problem(r, "%s is a script for %s, which is not "
				    "in the archive: add %s to the archive, or "
				    "make init a compiled program", label,
				    shown, shown);
			else
				problem(r, "%s is a script for %s, but /%s, "
				    "where that leads, is not in the archive: "
				    "add it to the archive", label, shown,
				    shown2);
		}
		return t;
	}
	if (t->size >= 8 && memcmp(t->data, "#include", 8) == 0)
		problem(r, "%s is C source code, not a program: compile it, "
		    "e.g. riscv64-linux-gnu-gcc -static -o init init.c, and "
		    "pack the result", label);
	else
		problem(r, "%s is not a program (it starts with \"%s\"): pack "
		    "the compiled program (from riscv64-linux-gnu-gcc) as init",
		    label, initramfs_show(shown, sizeof shown, t->data,
		    t->size < 16 ? t->size : 16));
	return t;
}

/*
 * Every other regular file that is an ELF: the right machine, and its
 * loader present. skip is /init's file, already checked.
 */
static void
check_other_elves(struct report *r, const struct initramfs *a,
		  const struct cpio_entry *skip)
{
	const struct cpio_entry *e;
	char label[SHOW_BUF + 1];
	struct elf_info info;
	size_t i;
	enum elf_read st;
	int program;

	for (i = 0; i < a->n; i++) {
		e = &a->entries[i];
		if (e == skip || !S_ISREG(e->mode) || e->size == 0)
			continue;
		st = elf_inspect(e->data, e->size, &info);
		if (st == ELF_READ_NOT_ELF || initramfs_find(a, e->name) != e)
			continue;	/* not ELF, or replaced by a later entry */
		label[0] = '/';
		showstr(label + 1, sizeof label - 1, e->name);
		if (st == ELF_READ_DAMAGED) {
			problem(r, "%s is a damaged ELF file (it ends inside "
			    "its headers): build it again and pack it again",
			    label);
			continue;
		}
		/* A program is what someone execs; a shared library or the
		 * loader need not be executable and are "used", not built. */
		program = info.type == ET_EXEC || info.interp[0] != '\0';
		if (program)
			check_exec_bit(r, label, e);
		check_elf(r, a, label, &info, program);
	}
}

/*
 * The kernel unpacks entries in order and does not create folders by
 * itself: "bin/busybox" before (or without) "bin" is silently dropped.
 * Report each such folder once.
 */
static void
check_folders(struct report *r, const struct initramfs *a)
{
	const struct cpio_entry *d;
	char dir[PATH_BUF], shown[SHOW_BUF], shown2[SHOW_BUF];
	const char *name, *slash, *prev = "";
	size_t i, j, len;
	int seen;

	for (i = 0; i < a->n; i++, prev = name) {
		name = a->entries[i].name;
		slash = strrchr(name, '/');
		if (!slash || (size_t)(slash - name) >= sizeof dir)
			continue;
		len = (size_t)(slash - name);
		/* Same folder as the entry before: already decided. This
		 * keeps the usual "find" order linear, not quadratic. */
		if (strncmp(prev, name, len + 1) == 0 &&
		    !strchr(prev + len + 1, '/'))
			continue;
		memcpy(dir, name, len);
		dir[len] = '\0';
		for (j = 0, seen = 0; j < i && !seen; j++) {
			d = &a->entries[j];
			/* The folder itself, or an earlier name in it. */
			seen = (strcmp(d->name, dir) == 0 &&
			    (S_ISDIR(d->mode) || S_ISLNK(d->mode))) ||
			    (strncmp(d->name, dir, len) == 0 &&
			    d->name[len] == '/' &&
			    !strchr(d->name + len + 1, '/'));
		}
		if (seen)
			continue;
		showstr(shown, sizeof shown, name);
		showstr(shown2, sizeof shown2, dir);
		problem(r, "/%s will not be unpacked: its folder /%s %s, and "
		    "the kernel does not create folders by itself; list %s "
		    "before %s in file_list.txt", shown, shown2,
		    initramfs_find(a, dir) ? "comes after it in the archive" :
		    "is not in the archive", shown2, shown);
	}
}

/*
 * Contract: see initcheck.h. The checks, in order: /init, every other ELF,
 * folders listed before their contents, then extra_required. Only whole
 * lines are written to out; the count includes the lines that did not fit.
 */
int
initramfs_check(const struct initramfs *a, const char *const *extra_required,
		char *out, size_t outlen)
{
	const struct cpio_entry *init;
	struct report r;
	char shown[SHOW_BUF];
	const char *name;
	int prefixed;
	size_t i;

	memset(&r, 0, sizeof r);
	r.out = out;
	r.cap = outlen;
	if (!out || outlen == 0)
		r.full = 1;
	else {
		r.len = strnlen(out, outlen);
		r.full = r.len == outlen;	/* no NUL: do not touch it */
	}
	init = check_init(&r, a, &prefixed);
	check_other_elves(&r, a, init);
	if (!prefixed)
		check_folders(&r, a);
	for (i = 0; extra_required && extra_required[i]; i++) {
		name = newc_name(extra_required[i]);
		if (*name == '\0' || strcmp(name, ".") == 0 ||
		    strcmp(name, "init") == 0)	/* reported above */
			continue;
		if (!initramfs_find(a, name))
			problem(&r, "/%s is missing from the archive: build "
			    "it, make sure file_list.txt names it, and pack "
			    "again", showstr(shown, sizeof shown, name));
	}
	return r.count;
}
