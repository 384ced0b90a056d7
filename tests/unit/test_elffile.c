/*
 * test_elffile.c: unit tests for engine/elffile.c: what a file is built
 * for, symbols, the next instruction, the size in memory; and sizes for
 * people (compare.h's human_size, whose only test this has long been).
 *
 * ELF files are made here byte by byte; where riscv64-linux-gnu-gcc and
 * gcc are installed, their output is read too (else "# skip").
 */
#include "compare.h"
#include "cpio_fixtures.h"
#include "elffile.h"
#include "unit.h"

#include <elf.h>

/* A temporary folder for the compilers' output; removed at the end. */
static char tmpdir[64];

#define VADDR 0x10000

/* An ELF64 header with n PT_LOAD (or other) segments of the given sizes. */
static size_t
make_loads(unsigned char *buf, const uint32_t *types, const uint64_t *memsz, int n)
{
	Elf64_Ehdr eh;
	memset(&eh, 0, sizeof(eh));
	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_type = ET_EXEC;
	eh.e_machine = EM_RISCV;
	eh.e_phoff = sizeof(eh);
	eh.e_phentsize = sizeof(Elf64_Phdr);
	eh.e_phnum = (uint16_t)n;
	memcpy(buf, &eh, sizeof(eh));
	for (int i = 0; i < n; i++) {
		Elf64_Phdr ph;
		memset(&ph, 0, sizeof(ph));
		ph.p_type = types[i];
		ph.p_memsz = memsz[i];
		ph.p_filesz = memsz[i] / 2;
		memcpy(buf + sizeof(eh) + (size_t)i * sizeof(ph), &ph, sizeof(ph));
	}
	return sizeof(eh) + (size_t)n * sizeof(Elf64_Phdr);
}

/* Where make_symelf() puts things, for the tests to damage them. */
struct symelf {
	size_t len, code, strtab, shoff;
};

/*
 * A static 64-bit RISC-V program (little-endian, as the host is) in d (at
 * least 1024 bytes): one PT_LOAD of the whole file at VADDR, code "c.li
 * a0,0; ecall" (2 then 4 bytes), and a .symtab with main (the c.li),
 * _start (the ecall), asm_label (untyped, at the ecall), data_obj (an
 * object), undef (undefined) and zero (address 0).
 */
static struct symelf
make_symelf(unsigned char *d)
{
	static const char strtab[] = "\0main\0_start\0asm_label\0data_obj\0undef\0zero";
	static const struct {
		unsigned name, type, at, shndx;
	} syms[] = {
		{ 1, STT_FUNC, 0, 1 },		/* main */
		{ 6, STT_FUNC, 2, 1 },		/* _start */
		{ 13, STT_NOTYPE, 2, 1 },	/* asm_label */
		{ 23, STT_OBJECT, 2, 1 },	/* data_obj */
		{ 32, STT_FUNC, 2, SHN_UNDEF },	/* undef */
		{ 38, STT_FUNC, 0, 1 },		/* zero: value 0 below */
	};
	Elf64_Ehdr eh = {0};
	Elf64_Phdr ph = {0};
	Elf64_Shdr sh[3] = {{0}};
	struct symelf at;
	size_t off, symoff, i;

	memset(d, 0, 1024);
	at.code = sizeof eh + sizeof ph;
	memcpy(d + at.code, "\x01\x45\x73\x00\x00\x00", 6);
	at.strtab = at.code + 8;
	memcpy(d + at.strtab, strtab, sizeof strtab);
	symoff = (at.strtab + sizeof strtab + 7) & ~(size_t)7;
	off = symoff + sizeof(Elf64_Sym);	/* entry 0 is the null symbol */
	for (i = 0; i < sizeof syms / sizeof syms[0]; i++, off += sizeof(Elf64_Sym)) {
		Elf64_Sym sym = {0};
		sym.st_name = syms[i].name;
		sym.st_info = ELF64_ST_INFO(STB_GLOBAL, syms[i].type);
		sym.st_shndx = (Elf64_Section)syms[i].shndx;
		sym.st_value = syms[i].name == 38 ? 0 : VADDR + at.code + syms[i].at;
		memcpy(d + off, &sym, sizeof sym);
	}
	at.shoff = off;
	sh[1].sh_type = SHT_SYMTAB;
	sh[1].sh_offset = symoff;
	sh[1].sh_size = off - symoff;
	sh[1].sh_link = 2;
	sh[1].sh_entsize = sizeof(Elf64_Sym);
	sh[2].sh_type = SHT_STRTAB;
	sh[2].sh_offset = at.strtab;
	sh[2].sh_size = sizeof strtab;
	memcpy(d + at.shoff, sh, sizeof sh);
	at.len = at.shoff + sizeof sh;

	ph.p_type = PT_LOAD;
	ph.p_vaddr = VADDR;
	ph.p_filesz = ph.p_memsz = at.len;
	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_type = ET_EXEC;
	eh.e_machine = EM_RISCV;
	eh.e_phoff = sizeof eh;
	eh.e_shoff = at.shoff;
	eh.e_ehsize = sizeof eh;
	eh.e_phentsize = sizeof ph;
	eh.e_phnum = 1;
	eh.e_shentsize = sizeof sh[0];
	eh.e_shnum = 3;
	memcpy(d, &eh, sizeof eh);
	memcpy(d + sizeof eh, &ph, sizeof ph);
	return at;
}

/* Compile a tiny C program with a real compiler, when there is one. */
static int
compile(const char *cc, const char *flags, unsigned char **buf, size_t *len)
{
	char cmd[512], src[128], bin[128];

	snprintf(src, sizeof src, "%s/p.c", tmpdir);
	snprintf(bin, sizeof bin, "%s/p", tmpdir);
	if (write_file(src, "int main(void) { return 0; }\n", 29) < 0)
		return -1;
	snprintf(cmd, sizeof cmd, "%s %s -o %s %s 2>/dev/null", cc, flags,
	    bin, src);
	if (system(cmd) != 0)
		return -1;
	*buf = slurp(bin, len);
	return *buf ? 0 : -1;
}

/* ------------------------------------------------------------------ */
/* What a file is                                                     */
/* ------------------------------------------------------------------ */

TEST(elf_machines_and_interp)
{
	static const struct {
		int id;
		const char *name;
	} m[] = {
		{ 243, "RISC-V" }, { 62, "x86-64" }, { 3, "i386" },
		{ 183, "AArch64" }, { 40, "ARM" }, { 8, "MIPS" },
		{ 20, "PowerPC" }, { 21, "PowerPC64" }, { 22, "s390" },
		{ 258, "LoongArch" }, { 4242, "unknown" },
	};
	unsigned char d[512];
	struct elf_info info;
	size_t i, n;
	int is64, be;

	for (i = 0; i < sizeof m / sizeof m[0]; i++)
		for (is64 = 0; is64 < 2; is64++)
			for (be = 0; be < 2; be++) {
				n = make_elf(d, is64, be, m[i].id, 3, LD_RISCV);
				CHECK(elf_inspect(d, n, &info) == ELF_READ_OK);
				CHECK(info.machine == m[i].id);
				CHECK(info.is_64 == is64);
				CHECK(info.is_exec && info.is_pie);
				CHECK_STREQ(info.machine_name, m[i].name);
				CHECK_STREQ(info.interp, LD_RISCV);
			}
	n = rv64_static(d);
	CHECK(elf_inspect(d, n, &info) == ELF_READ_OK);
	CHECK(info.is_exec && !info.is_pie && info.interp[0] == '\0');

	CHECK(elf_inspect((const unsigned char *)"#! /bin/sh -e\necho", 18,
	    &info) == ELF_READ_NOT_ELF);
	CHECK_STREQ(info.script_interp, "/bin/sh");
	CHECK(elf_inspect((const unsigned char *)"#!/bin/sh\r\n", 11,
	    &info) == ELF_READ_NOT_ELF);
	CHECK_STREQ(info.script_interp, "/bin/sh\r");
	CHECK(elf_inspect((const unsigned char *)"#!", 2, &info) == ELF_READ_NOT_ELF);
	CHECK_STREQ(info.script_interp, "");
	CHECK(elf_inspect((const unsigned char *)"hello", 5, &info) == ELF_READ_NOT_ELF);
	CHECK_STREQ(info.script_interp, "");
	CHECK(elf_inspect((const unsigned char *)"", 0, &info) == ELF_READ_NOT_ELF);

	/* Headers cut short or pointing outside: ELF, but nothing read. */
	n = make_elf(d, 1, 0, 243, 3, LD_RISCV);
	for (i = 0; i < n; i++)
		CHECK(elf_inspect(d, i, &info) ==
		    (i < 4 ? ELF_READ_NOT_ELF : ELF_READ_DAMAGED));
	wr(d + 32, 8, 0xffffffffffffff00u, 0);	/* e_phoff */
	CHECK(elf_inspect(d, n, &info) == ELF_READ_DAMAGED);
	CHECK(info.interp[0] == '\0');
}

TEST(elf_real_compilers)
{
	struct elf_info info;
	unsigned char *buf;
	size_t len;

	if (!have("riscv64-linux-gnu-gcc") || !have("gcc")) {
		printf("# skip: riscv64-linux-gnu-gcc or gcc not installed\n");
		return;
	}
	if (compile("riscv64-linux-gnu-gcc", "-static", &buf, &len) == 0) {
		CHECK(elf_inspect(buf, len, &info) == ELF_READ_OK);
		CHECK(info.machine == 243 && info.is_64);
		CHECK_STREQ(info.interp, "");
		free(buf);
	} else
		CHECK(!"riscv64-linux-gnu-gcc -static works");
	if (compile("riscv64-linux-gnu-gcc", "", &buf, &len) == 0) {
		CHECK(elf_inspect(buf, len, &info) == ELF_READ_OK);
		CHECK_STREQ(info.interp, LD_RISCV);
		free(buf);
	} else
		CHECK(!"riscv64-linux-gnu-gcc works");
	if (compile("gcc", "", &buf, &len) == 0) {
		CHECK(elf_inspect(buf, len, &info) == ELF_READ_OK);
		CHECK_STREQ(info.machine_name, "x86-64");
		free(buf);
	}
}

/* ------------------------------------------------------------------ */
/* Symbols, instructions, sizes                                       */
/* ------------------------------------------------------------------ */

TEST(symbols_found_and_absent)
{
	unsigned char d[1024];
	struct symelf at = make_symelf(d);
	uint64_t addr = 0;

	CHECK(elf_symbol(d, at.len, "main", &addr) == ELF_SYM_FOUND);
	CHECK(addr == VADDR + at.code);
	CHECK(elf_symbol(d, at.len, "_start", &addr) == ELF_SYM_FOUND);
	CHECK(addr == VADDR + at.code + 2);
	CHECK(elf_symbol(d, at.len, "asm_label", &addr) == ELF_SYM_FOUND);
	/* Not functions, not defined, no address, or only a prefix. */
	CHECK(elf_symbol(d, at.len, "data_obj", &addr) == ELF_SYM_ABSENT);
	CHECK(elf_symbol(d, at.len, "undef", &addr) == ELF_SYM_ABSENT);
	CHECK(elf_symbol(d, at.len, "zero", &addr) == ELF_SYM_ABSENT);
	CHECK(elf_symbol(d, at.len, "mai", &addr) == ELF_SYM_ABSENT);
	CHECK(elf_symbol(d, at.len, "mainx", &addr) == ELF_SYM_ABSENT);
	CHECK(elf_symbol(d, at.len, "", &addr) == ELF_SYM_ABSENT);
	/* A string table cut inside "main\0": its name does not end in it. */
	wr(d + at.shoff + 2 * 64 + 32, 8, 5, 0);	/* .strtab's sh_size */
	CHECK(elf_symbol(d, at.len, "main", &addr) == ELF_SYM_ABSENT);
}

TEST(symbols_of_what_is_not_a_plain_program)
{
	unsigned char d[1024];
	struct symelf at = make_symelf(d);
	uint64_t addr;

	CHECK(elf_symbol(d, 63, "main", &addr) == ELF_SYM_NOT_ELF);
	CHECK(elf_symbol(d, at.len - 1, "main", &addr) == ELF_SYM_NOT_ELF);
	CHECK(elf_symbol((const unsigned char *)"hello", 5, "main", &addr) ==
	    ELF_SYM_NOT_ELF);
	wr(d + 60, 2, 0, 0);				/* stripped: e_shnum 0 */
	CHECK(elf_symbol(d, at.len, "main", &addr) == ELF_SYM_NOT_ELF);
	at = make_symelf(d);
	wr(d + at.shoff + 2 * 64 + 24, 8, 1u << 30, 0);	/* .strtab outside */
	CHECK(elf_symbol(d, at.len, "main", &addr) == ELF_SYM_NOT_ELF);
	at = make_symelf(d);
	wr(d + 16, 2, ET_DYN, 0);
	CHECK(elf_symbol(d, at.len, "main", &addr) == ELF_SYM_PIE);
	at = make_symelf(d);
	d[EI_CLASS] = ELFCLASS32;
	CHECK(elf_symbol(d, at.len, "main", &addr) == ELF_SYM_NOT_ELF);
}

TEST(next_instruction)
{
	unsigned char d[1024];
	struct symelf at = make_symelf(d);
	uint64_t next = 0;

	CHECK(elf_next_insn(d, at.len, VADDR + at.code, &next) == 0);
	CHECK(next == VADDR + at.code + 2);		/* compressed */
	CHECK(elf_next_insn(d, at.len, VADDR + at.code + 2, &next) == 0);
	CHECK(next == VADDR + at.code + 6);		/* 32-bit */
	CHECK(elf_next_insn(d, at.len, VADDR - 2, &next) == -1);
	CHECK(elf_next_insn(d, at.len, VADDR + at.len - 1, &next) == -1);
	CHECK(elf_next_insn(d, at.len, VADDR + at.len - 2, &next) == 0);
	CHECK(elf_next_insn(d, at.len, UINT64_MAX, &next) == -1);
	CHECK(elf_next_insn(d, at.len, UINT64_MAX - 1, &next) == -1);
	CHECK(elf_next_insn(d, 100, VADDR + at.code, &next) == -1);
	/* A segment whose file offset wraps around. */
	wr(d + 64 + 8, 8, UINT64_MAX - 1, 0);		/* p_offset */
	CHECK(elf_next_insn(d, at.len, VADDR + at.code, &next) == -1);
}

TEST(loaded_size_sums_load_segments_in_memory)
{
	unsigned char buf[1024];
	uint32_t types[] = {PT_LOAD, PT_NOTE, PT_LOAD, PT_GNU_STACK};
	uint64_t sizes[] = {0x6ce8ea, 0x54, 0x15befd, 0};
	size_t n = make_loads(buf, types, sizes, 4);
	uint64_t bytes = 0;
	CHECK(elf_loaded_size(buf, n, &bytes) == 0);
	CHECK(bytes == 0x6ce8ea + 0x15befd);   /* memsz, bss included; not the note */
	/* The headers cut short, or not an ELF at all. */
	CHECK(elf_loaded_size(buf, n - 1, &bytes) < 0);
	CHECK(elf_loaded_size(buf, 10, &bytes) < 0);
	memcpy(buf, "\177ELG", 4);
	CHECK(elf_loaded_size(buf, n, &bytes) < 0);
}

TEST(loaded_size_reads_the_files_byte_order)
{
	unsigned char d[512];
	size_t n = make_elf(d, 1, 1, 21, 2, NULL);	/* big-endian PowerPC64 */
	uint64_t bytes = 0;

	wr(d + 64 + 40, 8, 0x123456, 1);		/* p_memsz */
	CHECK(elf_loaded_size(d, n, &bytes) == 0);
	CHECK(bytes == 0x123456);
	n = make_elf(d, 0, 0, 243, 2, NULL);		/* 32-bit */
	CHECK(elf_loaded_size(d, n, &bytes) < 0);
}

TEST(human_sizes)
{
	char b[32];
	human_size(19850752, b, sizeof(b));
	CHECK_STREQ(b, "18.9 MiB");
	human_size(906240, b, sizeof(b));
	CHECK_STREQ(b, "885 KiB");
	human_size(-1, b, sizeof(b));
	CHECK_STREQ(b, "?");
}

int
main(void)
{
	int rc;

	if (tmpdir_make(tmpdir, "test_elffile") < 0)
		return 1;
	RUN(elf_machines_and_interp);
	RUN(elf_real_compilers);
	RUN(symbols_found_and_absent);
	RUN(symbols_of_what_is_not_a_plain_program);
	RUN(next_instruction);
	RUN(loaded_size_sums_load_segments_in_memory);
	RUN(loaded_size_reads_the_files_byte_order);
	RUN(human_sizes);
	rc = unit_summary();
	tmpdir_remove(tmpdir);
	return rc;
}
