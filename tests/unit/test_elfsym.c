/*
 * test_elfsym.c: a kernel's size in memory, read from ELF headers made
 * here byte by byte; sizes for people (compare.h).
 */
#include "compare.h"
#include "elfsym.h"
#include "unit.h"

#include <elf.h>
#include <stdlib.h>
#include <string.h>

/* An ELF64 header with n PT_LOAD (or other) segments of the given sizes. */
static size_t
make_elf(unsigned char *buf, const uint32_t *types, const uint64_t *memsz, int n)
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

TEST(loaded_size_sums_load_segments_in_memory)
{
	unsigned char buf[1024];
	uint32_t types[] = {PT_LOAD, PT_NOTE, PT_LOAD, PT_GNU_STACK};
	uint64_t sizes[] = {0x6ce8ea, 0x54, 0x15befd, 0};
	size_t n = make_elf(buf, types, sizes, 4);
	uint64_t bytes = 0;
	CHECK(elf_loaded_size(buf, n, &bytes) == 0);
	CHECK(bytes == 0x6ce8ea + 0x15befd);   /* memsz, bss included; not the note */
	/* The headers cut short, or not an ELF at all. */
	CHECK(elf_loaded_size(buf, n - 1, &bytes) < 0);
	CHECK(elf_loaded_size(buf, 10, &bytes) < 0);
	memcpy(buf, "\177ELG", 4);
	CHECK(elf_loaded_size(buf, n, &bytes) < 0);
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
	RUN(loaded_size_sums_load_segments_in_memory);
	RUN(human_sizes);
	return unit_summary();
}
