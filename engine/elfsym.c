/*
 * elfsym.c: see elfsym.h. Every offset read from the file is checked
 * against its size first: the file is the learner's, and may be anything.
 */
#include "elfsym.h"

#include <elf.h>
#include <string.h>

static int
in_bounds(size_t size, uint64_t off, uint64_t len)
{
	return off <= size && len <= size - off;
}

int
elf_symbol(const unsigned char *data, size_t size, const char *name, uint64_t *addr)
{
	Elf64_Ehdr eh;
	int found_table = 0;

	if (size < sizeof(eh) || memcmp(data, ELFMAG, SELFMAG) != 0 ||
	    data[EI_CLASS] != ELFCLASS64 || data[EI_DATA] != ELFDATA2LSB)
		return -2;
	memcpy(&eh, data, sizeof(eh));
	if (eh.e_type == ET_DYN)
		return -3;
	if (eh.e_shentsize != sizeof(Elf64_Shdr) ||
	    !in_bounds(size, eh.e_shoff, (uint64_t)eh.e_shnum * sizeof(Elf64_Shdr)))
		return -2;
	for (unsigned i = 0; i < eh.e_shnum; i++) {
		Elf64_Shdr sh, strh;
		memcpy(&sh, data + eh.e_shoff + (uint64_t)i * sizeof(sh), sizeof(sh));
		if (sh.sh_type != SHT_SYMTAB && sh.sh_type != SHT_DYNSYM)
			continue;
		if (sh.sh_link >= eh.e_shnum || sh.sh_entsize != sizeof(Elf64_Sym) ||
		    !in_bounds(size, sh.sh_offset, sh.sh_size))
			continue;
		memcpy(&strh, data + eh.e_shoff + (uint64_t)sh.sh_link * sizeof(strh), sizeof(strh));
		if (!in_bounds(size, strh.sh_offset, strh.sh_size))
			continue;
		found_table = 1;
		const char *strtab = (const char *)data + strh.sh_offset;
		for (uint64_t off = 0; off + sizeof(Elf64_Sym) <= sh.sh_size; off += sizeof(Elf64_Sym)) {
			Elf64_Sym sym;
			memcpy(&sym, data + sh.sh_offset + off, sizeof(sym));
			if (sym.st_name >= strh.sh_size || sym.st_value == 0 || sym.st_shndx == SHN_UNDEF)
				continue;
			int type = ELF64_ST_TYPE(sym.st_info);
			if (type != STT_FUNC && type != STT_GNU_IFUNC && type != STT_NOTYPE)
				continue;
			/* strnlen bounds the name by what is left of the table. */
			const char *s = strtab + sym.st_name;
			size_t max = strh.sh_size - sym.st_name;
			if (strnlen(s, max) == strlen(name) && memcmp(s, name, strlen(name)) == 0 &&
			    (strlen(name) < max)) {
				*addr = sym.st_value;
				return 0;
			}
		}
	}
	return found_table ? -1 : -2;
}

/* Read the ELF header into eh, if data starts a 64-bit ELF whose program
 * headers are all within size. Returns 0, or -1. */
static int
program_headers(const unsigned char *data, size_t size, Elf64_Ehdr *eh)
{
	if (size < sizeof(*eh) || memcmp(data, ELFMAG, SELFMAG) != 0 || data[EI_CLASS] != ELFCLASS64)
		return -1;
	memcpy(eh, data, sizeof(*eh));
	if (eh->e_phentsize != sizeof(Elf64_Phdr) ||
	    !in_bounds(size, eh->e_phoff, (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr)))
		return -1;
	return 0;
}

/* The i-th program header (program_headers() checked it is there). */
static Elf64_Phdr
program_header(const unsigned char *data, const Elf64_Ehdr *eh, unsigned i)
{
	Elf64_Phdr ph;
	memcpy(&ph, data + eh->e_phoff + (uint64_t)i * sizeof(ph), sizeof(ph));
	return ph;
}

int
elf_next_insn(const unsigned char *data, size_t size, uint64_t addr, uint64_t *next)
{
	Elf64_Ehdr eh;

	if (program_headers(data, size, &eh) < 0)
		return -1;
	for (unsigned i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr ph = program_header(data, &eh, i);
		if (ph.p_type != PT_LOAD || addr < ph.p_vaddr || addr - ph.p_vaddr + 2 > ph.p_filesz)
			continue;
		uint64_t off = ph.p_offset + (addr - ph.p_vaddr);
		if (!in_bounds(size, off, 2))
			return -1;
		/* RISC-V: the two low bits 11 mean a 32-bit instruction. */
		*next = addr + ((data[off] & 3) == 3 ? 4 : 2);
		return 0;
	}
	return -1;
}

int
elf_loaded_size(const unsigned char *data, size_t size, uint64_t *bytes)
{
	Elf64_Ehdr eh;

	if (program_headers(data, size, &eh) < 0)
		return -1;
	*bytes = 0;
	for (unsigned i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr ph = program_header(data, &eh, i);
		if (ph.p_type == PT_LOAD)
			*bytes += ph.p_memsz;
	}
	return 0;
}
