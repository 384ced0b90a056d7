/*
 * gen_seeds.c: writes the hand-made seeds of corpus-initramfs/ with the
 * engine's own cpio writer and hand-crafted minimal ELF files (a few
 * hundred bytes each: an ELF header, one PT_LOAD, a symbol table with
 * main). Run once; the outputs are committed, so this is only needed to
 * make them again:
 *
 *	cc -std=c11 -D_GNU_SOURCE -Iengine -o build/fuzz/gen_seeds \
 *	    tests/fuzz/gen_seeds.c engine/cpio_writer.c engine/mem.c
 *	build/fuzz/gen_seeds tests/fuzz/corpus-initramfs
 */
#include "cpio_writer.h"

#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VADDR 0x10000

/*
 * A static RISC-V program of about 400 bytes: header, PT_LOAD of the whole
 * file at VADDR, 8 bytes of code (c.li a0,0 then ecall; main is the first),
 * .strtab, .symtab (main, _start) and their section headers. With interp,
 * a PT_INTERP naming it is added (a dynamic program). machine and class
 * vary the rest.
 */
static size_t
make_elf(unsigned char *d, size_t cap, int machine, const char *interp)
{
	Elf64_Ehdr eh = {0};
	Elf64_Phdr ph[2] = {{0}};
	Elf64_Shdr sh[3] = {{0}};
	Elf64_Sym sym[3] = {{0}};
	static const char strtab[] = "\0main\0_start";
	size_t nph = interp ? 2 : 1, off = 0, code, str, syms, interp_off = 0, shoff, ilen;

	memset(d, 0, cap);
	off = sizeof eh + nph * sizeof ph[0];
	code = off;
	d[code] = 0x01, d[code + 1] = 0x45;                    /* c.li a0,0 */
	d[code + 2] = 0x73, d[code + 3] = 0, d[code + 4] = 0, d[code + 5] = 0; /* ecall */
	off += 8;
	if (interp) {
		interp_off = off;
		ilen = strlen(interp) + 1;
		memcpy(d + off, interp, ilen);
		off += ilen;
	}
	str = off;
	memcpy(d + str, strtab, sizeof strtab);
	off = (str + sizeof strtab + 7) & ~(size_t)7;
	syms = off;
	sym[1].st_name = 1;
	sym[1].st_info = ELF64_ST_INFO(STB_GLOBAL, STT_FUNC);
	sym[1].st_shndx = 1;
	sym[1].st_value = VADDR + code;
	sym[2].st_name = 6;
	sym[2].st_info = ELF64_ST_INFO(STB_GLOBAL, STT_FUNC);
	sym[2].st_shndx = 1;
	sym[2].st_value = VADDR + code + 2;
	memcpy(d + syms, sym, sizeof sym);
	off += sizeof sym;
	shoff = off;
	sh[1].sh_type = SHT_SYMTAB;
	sh[1].sh_offset = syms;
	sh[1].sh_size = sizeof sym;
	sh[1].sh_link = 2;
	sh[1].sh_info = 1;
	sh[1].sh_entsize = sizeof(Elf64_Sym);
	sh[2].sh_type = SHT_STRTAB;
	sh[2].sh_offset = str;
	sh[2].sh_size = sizeof strtab;
	memcpy(d + shoff, sh, sizeof sh);
	off += sizeof sh;

	ph[0].p_type = PT_LOAD;
	ph[0].p_flags = PF_R | PF_X;
	ph[0].p_offset = 0;
	ph[0].p_vaddr = ph[0].p_paddr = VADDR;
	ph[0].p_filesz = ph[0].p_memsz = off;
	ph[0].p_align = 0x1000;
	if (interp) {
		ph[1].p_type = PT_INTERP;
		ph[1].p_offset = interp_off;
		ph[1].p_filesz = ph[1].p_memsz = strlen(interp) + 1;
	}
	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	eh.e_type = ET_EXEC;
	eh.e_machine = (Elf64_Half)machine;
	eh.e_version = EV_CURRENT;
	eh.e_entry = VADDR + code;
	eh.e_phoff = sizeof eh;
	eh.e_shoff = shoff;
	eh.e_ehsize = sizeof eh;
	eh.e_phentsize = sizeof ph[0];
	eh.e_phnum = (Elf64_Half)nph;
	eh.e_shentsize = sizeof sh[0];
	eh.e_shnum = 3;
	memcpy(d, &eh, sizeof eh);
	memcpy(d + sizeof eh, ph, nph * sizeof ph[0]);
	return off;
}

static int
save(const char *dir, const char *name, struct cpio_writer *w)
{
	unsigned char *buf;
	size_t len;
	char path[512];
	FILE *f;

	if (cpio_writer_finish(w, &buf, &len) < 0)
		return -1;
	snprintf(path, sizeof path, "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(buf, 1, len, f) != len || fclose(f) != 0) {
		perror(path);
		exit(1);
	}
	free(buf);
	printf("%s: %zu bytes\n", path, len);
	return 0;
}

int
main(int argc, char **argv)
{
	unsigned char elf[1024];
	size_t n;
	struct cpio_writer w;
	const char *dir = argc > 1 ? argv[1] : ".";
	static const char script[] = "#!/bin/sh\r\necho hi\r\n";

	/* A stage-03 style tree: init and little_shell, folders, a link, a node. */
	cpio_writer_init(&w);
	n = make_elf(elf, sizeof elf, EM_RISCV, NULL);
	cpio_add_dir(&w, "bin", 0755);
	cpio_add_dir(&w, "dev", 0755);
	cpio_add_node(&w, "dev/console", 0600, 'c', 5, 1);
	cpio_add_file(&w, "init", 0755, elf, n);
	cpio_add_file(&w, "little_shell", 0755, elf, n);
	cpio_add_symlink(&w, "bin/sh", "/little_shell");
	save(dir, "writer-stage03.cpio", &w);

	/* init is a link to a dynamic program whose loader is missing. */
	cpio_writer_init(&w);
	n = make_elf(elf, sizeof elf, EM_RISCV, "/lib/ld-linux-riscv64-lp64d.so.1");
	cpio_add_dir(&w, "sbin", 0755);
	cpio_add_file(&w, "sbin/init", 0644, elf, n);
	cpio_add_symlink(&w, "init", "sbin/../sbin/./init");
	save(dir, "writer-dynamic-link.cpio", &w);

	/* Built for x86-64, files listed before their folder. */
	cpio_writer_init(&w);
	n = make_elf(elf, sizeof elf, EM_X86_64, NULL);
	cpio_add_file(&w, "init", 0755, elf, n);
	cpio_add_file(&w, "usr/bin/tool", 0755, elf, n);
	cpio_add_dir(&w, "usr", 0755);
	save(dir, "writer-x86-order.cpio", &w);

	/* A script with Windows line endings, and a link loop. */
	cpio_writer_init(&w);
	cpio_add_file(&w, "init", 0755, script, sizeof script - 1);
	cpio_add_symlink(&w, "bin", "bin");
	cpio_add_symlink(&w, "loop", "bin/loop");
	save(dir, "writer-script.cpio", &w);

	/* Everything under a folder prefix, as when cpio ran from outside. */
	cpio_writer_init(&w);
	n = make_elf(elf, sizeof elf, EM_RISCV, NULL);
	cpio_add_dir(&w, "home", 0755);
	cpio_add_dir(&w, "home/ada", 0755);
	cpio_add_file(&w, "home/ada/init", 0755, elf, n);
	save(dir, "writer-prefix.cpio", &w);
	return 0;
}
