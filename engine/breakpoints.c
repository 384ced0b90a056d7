/*
 * breakpoints.c: see breakpoints.h.
 */
#include "breakpoints.h"
#include "elffile.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* A kernel line: its address in vmlinux (mapped by the caller). A
 * learner's kernel (stage 06) may lack the code. */
static void
resolve_kernel(struct gdb_bp *b, const char *sym, const unsigned char *kdata, size_t klen,
	       const char *vmlinux_name)
{
	uint64_t addr;

	b->kernel = 1;
	b->symbol = xstrdup(sym);
	enum elf_sym rc = kdata ? elf_symbol(kdata, klen, b->symbol, &addr) : ELF_SYM_NOT_ELF;
	if (rc == ELF_SYM_FOUND)
		b->addr = addr;
	else if (rc == ELF_SYM_ABSENT)
		b->problem = xasprintf("the kernel that booted has no function %s: the code that "
				       "holds it was not built into this kernel (its configuration "
				       "left it out)", b->symbol);
	else
		b->problem = xasprintf("cannot read the symbols of the kernel that booted (%s), so "
				       "its %s could not be watched", vmlinux_name, b->symbol);
}

/* A user line: the first of the alternatives ("main|main.main") the
 * program (data, size; called name in messages) has, at its second
 * instruction (elf_next_insn() says why). */
static void
resolve_in(struct gdb_bp *b, const struct gdb_expect *g, const unsigned char *data, size_t size,
	   const char *name)
{
	char *alts = xstrdup(g->symbols), *save = NULL;
	char *first = strtok_r(alts, "|", &save);
	enum elf_sym rc = ELF_SYM_ABSENT;

	for (char *s = first; s; s = strtok_r(NULL, "|", &save)) {
		uint64_t addr, next;
		rc = elf_symbol(data, size, s, &addr);
		if (rc == ELF_SYM_FOUND) {
			b->symbol = xstrdup(s);
			b->addr = elf_next_insn(data, size, addr, &next) == 0 ? next : addr;
			break;
		}
		if (rc != ELF_SYM_ABSENT)
			break;
	}
	if (!b->symbol)
		b->symbol = xstrdup(first ? first : g->symbols);
	if (rc == ELF_SYM_ABSENT)
		b->problem = xasprintf("%s has no function %s: the program never calls it (or it "
				       "was not linked in)", name, b->symbol);
	else if (rc == ELF_SYM_NOT_ELF)
		b->problem = xasprintf("cannot read the symbols of %s (stripped, or not a 64-bit "
				       "RISC-V program): build it with -g and do not strip it", name);
	else if (rc == ELF_SYM_PIE)
		b->problem = xasprintf("%s is position independent (PIE), so gdb cannot know where "
				       "%s will be: link it with -static -no-pie", name, b->symbol);
	free(alts);
}

/* The first name of "a|b", for a line that cannot be set at all. */
static void
unresolved(struct gdb_bp *b, const struct gdb_expect *g, char *problem)
{
	size_t n = strcspn(g->symbols, "|");
	b->symbol = xstrndup(g->symbols, n);
	b->problem = problem;
}

/* A program in the archive (symlinks inside it followed: bin/sh -> busybox). */
static void
resolve_user(struct gdb_bp *b, const struct gdb_expect *g, const struct initramfs *archive)
{
	const struct cpio_entry *e = NULL;

	if (archive)
		initramfs_resolve(archive, g->elf, &e, NULL, 0);
	if (!e) {
		unresolved(b, g, xasprintf("the archive has no /%s, so its %.*s could not be "
					   "watched", g->elf, (int)strcspn(g->symbols, "|"),
					   g->symbols));
		return;
	}
	char *name = xasprintf("/%s", g->elf);
	resolve_in(b, g, e->data, e->size, name);
	free(name);
}

/* A program of the build folder ("./rootfs/sbin/init": on a disk, or in an
 * archive built into the kernel), a regular file really inside it. */
static void
resolve_built(struct gdb_bp *b, const struct gdb_expect *g, const char *build_dir)
{
	char *path = build_dir ? file_inside(build_dir, g->elf + 2) : NULL;
	const unsigned char *data = NULL;
	size_t size = 0;

	if (!path || map_file(path, &data, &size) < 0) {
		unresolved(b, g, xasprintf("the build left no program %s (a file of the folder, "
					   "not a link), so its %.*s could not be watched", g->elf,
					   (int)strcspn(g->symbols, "|"), g->symbols));
		free(path);
		return;
	}
	resolve_in(b, g, data, size, g->elf);
	unmap_file(data, size);
	free(path);
}

struct gdb_bp *
breakpoints_resolve(const struct check *c, const struct initramfs *archive, const char *vmlinux,
		    const char *build_dir, size_t *n)
{
	struct gdb_bp *bps = xcalloc(c->ngdb + 1, sizeof(*bps));
	/* The booted kernel's vmlinux, mapped once, at the first kernel line. */
	const unsigned char *kdata = NULL;
	size_t klen = 0;
	int kmapped = 0;

	for (size_t i = 0; i < c->ngdb; i++) {
		const struct gdb_expect *g = &c->gdb[i];
		bps[i].want = g;
		if (gdb_elf_in_build(g)) {
			resolve_built(&bps[i], g, build_dir);
			continue;
		}
		if (strcmp(g->elf, "vmlinux")) {
			resolve_user(&bps[i], g, archive);
			continue;
		}
		if (!kmapped++ && map_file(vmlinux, &kdata, &klen) < 0)
			kdata = NULL;
		char *alts = xstrdup(g->symbols), *save = NULL;
		char *first = strtok_r(alts, "|", &save);
		/* The first alternative the kernel has ("a|b"). */
		char *pick = NULL;
		for (char *s = first; s && kdata && !pick; s = strtok_r(NULL, "|", &save)) {
			uint64_t a;
			if (elf_symbol(kdata, klen, s, &a) == ELF_SYM_FOUND)
				pick = s;
		}
		resolve_kernel(&bps[i], pick ? pick : first ? first : g->symbols, kdata, klen, vmlinux);
		free(alts);
	}
	unmap_file(kdata, klen);
	*n = c->ngdb;
	return bps;
}

int
breakpoints_user_only(const struct gdb_bp *bps, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (bps[i].kernel)
			return 0;
	return 1;
}

void
breakpoints_release(struct gdb_bp *bps, size_t n)
{
	for (size_t i = 0; bps && i < n; i++) {
		free(bps[i].symbol);
		free(bps[i].problem);
	}
	free(bps);
}
