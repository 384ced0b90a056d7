/*
 * elffile.c: see elffile.h.
 *
 * Design note. Every reader here goes through the same two steps: the ELF
 * header, read field by field in the file's byte order into a struct ehdr
 * of host numbers, whatever the file's class; then, when a reader needs
 * them, the program headers, whose table is checked to lie inside the
 * file once, before any of them is read. The section headers and symbols
 * only elf_symbol() needs, so it checks and reads them itself. Nothing is
 * copied out of the file with memcpy into <elf.h>'s structs: those have
 * the host's byte order and one class, the file may have either.
 */
#include "elffile.h"

#include <elf.h>
#include <string.h>

#define BINPRM_BUF	256	/* the kernel reads a #! line from this many bytes */
#define SYM64_SIZE	24	/* sizeof(Elf64_Sym) */
#define SHDR64_SIZE	64	/* sizeof(Elf64_Shdr) */

/* The names of the machines a learner's program may have been built for. */
static const struct {
	int id;
	const char *name;
} machines[] = {
	{ EM_RISCV, "RISC-V" },
	{ EM_X86_64, "x86-64" },
	{ EM_386, "i386" },
	{ EM_AARCH64, "AArch64" },
	{ EM_ARM, "ARM" },
	{ EM_MIPS, "MIPS" },
	{ EM_PPC, "PowerPC" },
	{ EM_PPC64, "PowerPC64" },
	{ EM_S390, "s390" },
	{ 258, "LoongArch" },	/* EM_LOONGARCH, newer than some <elf.h> */
	{ EM_SPARC, "SPARC" },
	{ EM_SPARCV9, "SPARC64" },
};

/* An ELF header in host numbers, from a file of either class and byte order. */
struct ehdr {
	int is64, be;
	int named;		/* type and machine were read */
	unsigned type, machine;
	uint64_t phoff, shoff;
	size_t phentsize, phnum, shentsize, shnum;
};

/* A program header in host numbers. */
struct phdr {
	uint32_t type;
	uint64_t offset, vaddr, filesz, memsz;
};

static int
in_bounds(size_t size, uint64_t off, uint64_t len)
{
	return off <= size && len <= size - off;
}

/* A 1..8 byte unsigned number at p, in the file's byte order. */
static uint64_t
rd(const unsigned char *p, int size, int big_endian)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < size; i++)
		v |= (uint64_t)p[big_endian ? size - 1 - i : i] << (8 * i);
	return v;
}

/*
 * Read the ELF header of d[0..n) into *h. Returns ELF_READ_OK,
 * ELF_READ_NOT_ELF (no magic), or ELF_READ_DAMAGED (a class or byte order
 * that is neither, or the header cut short; h->named says whether type and
 * machine were read before the cut). The program headers are not looked
 * at: phdrs_fit() checks them.
 */
static enum elf_read
read_header(const unsigned char *d, size_t n, struct ehdr *h)
{
	memset(h, 0, sizeof *h);
	if (n < SELFMAG || memcmp(d, ELFMAG, SELFMAG) != 0)
		return ELF_READ_NOT_ELF;
	if (n < 20 || (d[EI_CLASS] != ELFCLASS32 && d[EI_CLASS] != ELFCLASS64) ||
	    (d[EI_DATA] != ELFDATA2LSB && d[EI_DATA] != ELFDATA2MSB))
		return ELF_READ_DAMAGED;
	h->is64 = d[EI_CLASS] == ELFCLASS64;
	h->be = d[EI_DATA] == ELFDATA2MSB;
	h->type = (unsigned)rd(d + 16, 2, h->be);
	h->machine = (unsigned)rd(d + 18, 2, h->be);
	h->named = 1;
	if (n < (h->is64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr)))
		return ELF_READ_DAMAGED;
	if (h->is64) {
		h->phoff = rd(d + 32, 8, h->be);
		h->shoff = rd(d + 40, 8, h->be);
		h->phentsize = (size_t)rd(d + 54, 2, h->be);
		h->phnum = (size_t)rd(d + 56, 2, h->be);
		h->shentsize = (size_t)rd(d + 58, 2, h->be);
		h->shnum = (size_t)rd(d + 60, 2, h->be);
	} else {
		h->phoff = rd(d + 28, 4, h->be);
		h->shoff = rd(d + 32, 4, h->be);
		h->phentsize = (size_t)rd(d + 42, 2, h->be);
		h->phnum = (size_t)rd(d + 44, 2, h->be);
		h->shentsize = (size_t)rd(d + 46, 2, h->be);
		h->shnum = (size_t)rd(d + 48, 2, h->be);
	}
	return ELF_READ_OK;
}

/* Do all of h's program headers lie within n bytes? (None is fine.) */
static int
phdrs_fit(const struct ehdr *h, size_t n)
{
	size_t least = h->is64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr);

	if (h->phnum == 0)
		return 1;
	return h->phentsize >= least && h->phoff <= n &&
	    h->phnum <= (n - h->phoff) / h->phentsize;
}

/* The i-th program header; phdrs_fit() said it is there. */
static struct phdr
read_phdr(const unsigned char *d, const struct ehdr *h, size_t i)
{
	const unsigned char *p = d + h->phoff + i * h->phentsize;
	struct phdr ph;
	int be = h->be;

	ph.type = (uint32_t)rd(p, 4, be);
	if (h->is64) {
		ph.offset = rd(p + 8, 8, be);
		ph.vaddr = rd(p + 16, 8, be);
		ph.filesz = rd(p + 32, 8, be);
		ph.memsz = rd(p + 40, 8, be);
	} else {
		ph.offset = rd(p + 4, 4, be);
		ph.vaddr = rd(p + 8, 4, be);
		ph.filesz = rd(p + 16, 4, be);
		ph.memsz = rd(p + 20, 4, be);
	}
	return ph;
}

/*
 * The 64-bit ELF header whose program headers are all in the file, for
 * the readers that want one. Returns 0, or -1.
 */
static int
read_header64(const unsigned char *d, size_t n, struct ehdr *h)
{
	if (read_header(d, n, h) != ELF_READ_OK || !h->is64 || !phdrs_fit(h, n))
		return -1;
	return 0;
}

static const char *
machine_name(unsigned id)
{
	size_t i;

	for (i = 0; i < sizeof machines / sizeof machines[0]; i++)
		if ((unsigned)machines[i].id == id)
			return machines[i].name;
	return "unknown";
}

/*
 * The interpreter of a "#!" script, as the kernel's binfmt_script finds it:
 * the first line (within the first 256 bytes), spaces and tabs after "#!"
 * skipped, then everything up to a space, tab or end of line. A "\r" is
 * NOT a separator for the kernel, so a script saved with Windows line
 * endings asks for "/bin/sh\r"; we keep the "\r" to be able to say so.
 */
static void
script_interp(const unsigned char *d, size_t n, char *out, size_t outlen)
{
	size_t i = 2, k = 0;

	if (n > BINPRM_BUF)
		n = BINPRM_BUF;
	while (i < n && (d[i] == ' ' || d[i] == '\t'))
		i++;
	while (i < n && d[i] != ' ' && d[i] != '\t' && d[i] != '\n' &&
	    d[i] != '\0' && k + 1 < outlen)
		out[k++] = (char)d[i++];
	out[k] = '\0';
}

/* Contract: see elffile.h. An unknown e_machine is named "unknown". */
enum elf_read
elf_inspect(const unsigned char *data, size_t size, struct elf_info *info)
{
	struct ehdr h;
	struct phdr ph;
	enum elf_read st;
	size_t i, k;

	memset(info, 0, sizeof *info);
	info->machine_name = "";
	if (size >= 2 && data[0] == '#' && data[1] == '!') {
		script_interp(data, size, info->script_interp,
		    sizeof info->script_interp);
		return ELF_READ_NOT_ELF;
	}
	st = read_header(data, size, &h);
	if (h.named) {
		info->is_64 = h.is64;
		info->type = (int)h.type;
		info->machine = (int)h.machine;
		info->machine_name = machine_name(h.machine);
		info->is_exec = h.type == ET_EXEC || h.type == ET_DYN;
		info->is_pie = h.type == ET_DYN;
	}
	if (st != ELF_READ_OK)
		return st;
	if (!phdrs_fit(&h, size))
		return ELF_READ_DAMAGED;
	for (i = 0; i < h.phnum; i++) {
		ph = read_phdr(data, &h, i);
		if (ph.type != PT_INTERP)
			continue;
		if (!in_bounds(size, ph.offset, ph.filesz))
			return ELF_READ_DAMAGED;
		for (k = 0; k < ph.filesz && k + 1 < sizeof info->interp &&
		    data[ph.offset + k] != '\0'; k++)
			info->interp[k] = (char)data[ph.offset + k];
		info->interp[k] = '\0';
		break;
	}
	return ELF_READ_OK;
}

/*
 * Contract: see elffile.h. Only functions (and untyped symbols, which
 * hand-written assembly has) with an address count; a table that points
 * outside the file is skipped as if it were not there.
 */
enum elf_sym
elf_symbol(const unsigned char *data, size_t size, const char *name, uint64_t *addr)
{
	const unsigned char *sh, *str, *sym;
	uint64_t shoff, shsize, link, stroff, strsize, off, nameoff, value;
	size_t i, len = strlen(name);
	const char *s;
	int found_table = 0, type, be;
	struct ehdr h;

	if (read_header(data, size, &h) != ELF_READ_OK || !h.is64)
		return ELF_SYM_NOT_ELF;
	if (h.type == ET_DYN)
		return ELF_SYM_PIE;
	if (h.shentsize != SHDR64_SIZE || !in_bounds(size, h.shoff, (uint64_t)h.shnum * SHDR64_SIZE))
		return ELF_SYM_NOT_ELF;
	be = h.be;
	for (i = 0; i < h.shnum; i++) {
		sh = data + h.shoff + i * SHDR64_SIZE;
		type = (int)rd(sh + 4, 4, be);
		if (type != SHT_SYMTAB && type != SHT_DYNSYM)
			continue;
		shoff = rd(sh + 24, 8, be);
		shsize = rd(sh + 32, 8, be);
		link = rd(sh + 40, 4, be);
		if (link >= h.shnum || rd(sh + 56, 8, be) != SYM64_SIZE ||
		    !in_bounds(size, shoff, shsize))
			continue;
		str = data + h.shoff + link * SHDR64_SIZE;
		stroff = rd(str + 24, 8, be);
		strsize = rd(str + 32, 8, be);
		if (!in_bounds(size, stroff, strsize))
			continue;
		found_table = 1;
		for (off = 0; off + SYM64_SIZE <= shsize; off += SYM64_SIZE) {
			sym = data + shoff + off;
			nameoff = rd(sym, 4, be);
			value = rd(sym + 8, 8, be);
			type = ELF64_ST_TYPE(sym[4]);
			if (nameoff >= strsize || value == 0 || rd(sym + 6, 2, be) == SHN_UNDEF)
				continue;
			if (type != STT_FUNC && type != STT_GNU_IFUNC && type != STT_NOTYPE)
				continue;
			/* The name must end, with its NUL, inside the table. */
			s = (const char *)data + stroff + nameoff;
			if (len < strsize - nameoff && memcmp(s, name, len) == 0 && s[len] == '\0') {
				*addr = value;
				return ELF_SYM_FOUND;
			}
		}
	}
	return found_table ? ELF_SYM_ABSENT : ELF_SYM_NOT_ELF;
}

/* Contract: see elffile.h. */
int
elf_next_insn(const unsigned char *data, size_t size, uint64_t addr, uint64_t *next)
{
	struct ehdr h;
	struct phdr ph;
	uint64_t off;
	size_t i;

	if (read_header64(data, size, &h) < 0)
		return -1;
	for (i = 0; i < h.phnum; i++) {
		ph = read_phdr(data, &h, i);
		if (ph.type != PT_LOAD || addr < ph.vaddr || addr - ph.vaddr >= ph.filesz ||
		    ph.filesz - (addr - ph.vaddr) < 2)
			continue;
		off = ph.offset + (addr - ph.vaddr);
		if (off < ph.offset || !in_bounds(size, off, 2))
			return -1;
		/* RISC-V: the two low bits 11 mean a 32-bit instruction. */
		*next = addr + ((data[off] & 3) == 3 ? 4 : 2);
		return 0;
	}
	return -1;
}

/* Contract: see elffile.h. */
int
elf_loaded_size(const unsigned char *data, size_t size, uint64_t *bytes)
{
	struct ehdr h;
	struct phdr ph;
	size_t i;

	if (read_header64(data, size, &h) < 0)
		return -1;
	*bytes = 0;
	for (i = 0; i < h.phnum; i++) {
		ph = read_phdr(data, &h, i);
		if (ph.type == PT_LOAD)
			*bytes += ph.memsz;
	}
	return 0;
}
