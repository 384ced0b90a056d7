/*
 * elffile.h: what an ELF file says about itself: what it is built for and
 * which loader it needs (for the pre-boot checks), where a function is
 * (for gdb's breakpoints), and how much memory it takes (for stage 06).
 *
 * The runner puts gdb's breakpoints at addresses, not names: the learner's
 * programs are static and built -no-pie, so the address in the file is the
 * address at run time, and gdb need not load each program's symbols.
 *
 * Pure code, no state. The file is the learner's and may be anything:
 * every offset read from it is checked against its size first.
 * elf_inspect() reads either class and byte order (to name what a file is
 * built for); the other readers want a 64-bit ELF, what riscv64 uses.
 */
#ifndef LAB_ELFFILE_H
#define LAB_ELFFILE_H

#include <stddef.h>
#include <stdint.h>

/* What elf_inspect() found. */
enum elf_read {
	ELF_READ_OK,           /* an ELF file, headers whole */
	ELF_READ_NOT_ELF,      /* no ELF magic (maybe a #! script) */
	ELF_READ_DAMAGED,      /* ELF magic, but headers cut short or pointing outside */
};

struct elf_info {
	int is_64;
	int type;                 /* e_type: ET_REL 1, ET_EXEC 2, ET_DYN 3 */
	int machine;              /* e_machine, EM_RISCV is 243 */
	const char *machine_name; /* "RISC-V", "x86-64", "AArch64", ..., "unknown" */
	int is_exec;              /* ET_EXEC or ET_DYN */
	int is_pie;               /* ET_DYN */
	char interp[256];         /* PT_INTERP, empty for a static binary */
	char script_interp[256];  /* for "#!" scripts */
};

/*
 * What the file in data is, for diagnoses: *info is filled from its
 * headers. ELF_READ_DAMAGED keeps the fields read before the damage (so a
 * cut file still names its machine); ELF_READ_NOT_ELF sets script_interp
 * for a "#!" script (what the kernel's binfmt_script would run, a "\r"
 * included), else leaves it empty.
 */
enum elf_read elf_inspect(const unsigned char *data, size_t size, struct elf_info *info);

/* How elf_symbol() ended. */
enum elf_sym {
	ELF_SYM_FOUND,         /* *addr is the symbol's address */
	ELF_SYM_ABSENT,        /* a symbol table, without that name */
	ELF_SYM_NOT_ELF,       /* not a 64-bit ELF, or no symbol table (stripped) */
	ELF_SYM_PIE,           /* ET_DYN: its run-time address is not known in advance */
};

/* Find the function name in .symtab (or .dynsym). */
enum elf_sym elf_symbol(const unsigned char *data, size_t size, const char *name,
			uint64_t *addr);

/*
 * The address of the instruction after the one at addr (RISC-V: 2 bytes
 * for a compressed instruction, else 4), read from the PT_LOAD segment
 * that holds addr. Returns 0, or -1 if addr is in no segment.
 *
 * Why: a new process's pages are mapped on first touch. A breakpoint on a
 * function's first instruction can fire before its page is mapped, and gdb
 * then fails to read the code it must step over. By the function's second
 * instruction, the page is there.
 */
int elf_next_insn(const unsigned char *data, size_t size, uint64_t addr, uint64_t *next);

/*
 * The bytes a program (or the kernel's vmlinux) takes in memory: the sum of
 * its PT_LOAD segments' sizes in memory (code, read-only data, data, bss).
 * The program headers sit near the file's start: data may be just its
 * first few KiB. Returns 0, or -1 if that is not a 64-bit ELF's start.
 *
 * Why not the Image's size: the riscv kernel places code, read-only data
 * and data each on a 2 MiB boundary (so that each can have its own page
 * permissions), so its Image grows and shrinks in 2 MiB steps.
 */
int elf_loaded_size(const unsigned char *data, size_t size, uint64_t *bytes);

#endif
