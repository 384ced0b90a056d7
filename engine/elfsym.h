/*
 * elfsym.h: look up a function's address in an ELF file's symbol table.
 *
 * The runner puts gdb's breakpoints at addresses, not names: the learner's
 * programs are static and built -no-pie, so the address in the file is the
 * address at run time, and gdb need not load each program's symbols.
 *
 * Pure code, 64-bit little-endian ELF (what riscv64 uses).
 */
#ifndef LAB_ELFSYM_H
#define LAB_ELFSYM_H

#include <stddef.h>
#include <stdint.h>

/*
 * Find name in .symtab (or .dynsym). Returns 0 with *addr set, -1 if the
 * symbol is absent, -2 if the file is not a 64-bit little-endian ELF or
 * has no symbol table (stripped), -3 if it is position independent
 * (ET_DYN: its run-time address is not known in advance).
 */
int elf_symbol(const unsigned char *data, size_t size, const char *name, uint64_t *addr);

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
