/*
 * fuzz_initramfs.c: libFuzzer target for the newc reader and its path walk
 * (engine/initramfs.c), the /init inspection (engine/initcheck.c) and the
 * ELF reader (engine/elffile.c).
 *
 * The input is the archive. It is copied into a buffer of exactly its size
 * (so that AddressSanitizer sees any read past the end), which
 * initramfs_parse() owns from then on. When it parses: look up and walk to
 * a few paths, run initramfs_check() with a small list of required names
 * (into a roomy and a tiny report buffer), and run elf_inspect(),
 * elf_symbol(), elf_next_insn() and elf_loaded_size() on every entry's
 * data. When it does not, the ELF readers get the raw input, so they are
 * fuzzed directly too.
 *
 * Build and run: tests/fuzz/build.sh, tests/fuzz/run.sh SECONDS.
 */
#include "elffile.h"
#include "initcheck.h"
#include "initramfs.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
elves(const unsigned char *d, size_t n)
{
	struct elf_info info;
	uint64_t addr, next, bytes;
	static const char *const syms[] = {"main", "main.main", "fork", "_start", ""};

	if (elf_inspect(d, n, &info) != ELF_READ_NOT_ELF) {
		if (!memchr(info.interp, '\0', sizeof info.interp) || !info.machine_name)
			abort();
	} else if (!memchr(info.script_interp, '\0', sizeof info.script_interp)) {
		abort();
	}
	for (size_t i = 0; i < sizeof syms / sizeof syms[0]; i++)
		if (elf_symbol(d, n, syms[i], &addr) == ELF_SYM_FOUND) {
			(void)elf_next_insn(d, n, addr, &next);
			(void)elf_next_insn(d, n, addr + 1, &next);
		}
	/* Addresses that are not symbols: the edges of the address space. */
	(void)elf_next_insn(d, n, 0, &next);
	(void)elf_next_insn(d, n, 0x10000, &next);
	(void)elf_next_insn(d, n, UINT64_MAX, &next);
	(void)elf_next_insn(d, n, UINT64_MAX - 1, &next);
	(void)elf_loaded_size(d, n, &bytes);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const required[] = {
		"init", "/little_shell", "./bin/sh", "bin/", "/", "", "dev/console", NULL
	};
	static const char *const walks[] = {
		"init", "/bin/sh", "bin/../lib/ld-linux-riscv64-lp64d.so.1", "./", "..", NULL
	};
	const struct cpio_entry *found;
	struct initramfs a;
	char err[512], out[4096], tiny[48], miss[64];
	unsigned char *buf = malloc(size ? size : 1);

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	memset(err, 'x', sizeof err);
	if (initramfs_parse(&a, buf, size, err, sizeof err) != 0) {
		/* buf is freed already; the explanation is one C string. */
		if (!memchr(err, '\0', sizeof err) || !err[0] || strchr(err, '\n') ||
		    a.buf || a.entries)
			abort();
		elves(data, size);
		return 0;
	}
	(void)initramfs_find(&a, "init");
	(void)initramfs_find(&a, "/init");
	(void)initramfs_find(&a, "./");
	for (size_t i = 0; walks[i]; i++) {
		enum initramfs_walk w = initramfs_resolve(&a, walks[i], &found, miss, sizeof miss);
		if ((w != INITRAMFS_FOUND && found) || !memchr(miss, '\0', sizeof miss) ||
		    (found && (found < a.entries || found >= a.entries + a.n)))
			abort();
	}
	out[0] = '\0';
	int problems = initramfs_check(&a, required, out, sizeof out);
	if (problems < 0 || !memchr(out, '\0', sizeof out))
		abort();
	tiny[0] = '\0';
	(void)initramfs_check(&a, NULL, tiny, sizeof tiny);
	if (!memchr(tiny, '\0', sizeof tiny))
		abort();
	for (size_t i = 0; i < a.n; i++) {
		const struct cpio_entry *e = &a.entries[i];
		if (!e->name || (e->size && (e->data < a.buf || e->data + e->size > a.buf + a.len)))
			abort();
		elves(e->data, e->size);
	}
	initramfs_release(&a);
	return 0;
}
