/*
 * test_answer.c: unit tests for engine/answer.c: an `answer` line judged
 * on a boot log, and what a learner is told for each slip.
 */
#include "answer.h"
#include "unit.h"

#include <stdlib.h>
#include <string.h>

static const char uart[] =
	"[    0.000000] Machine model: riscv-virtio,qemu\n"
	"[    0.053693] 10000000.serial: ttyS0 at MMIO 0x10000000 (irq = 1, base_baud = 230400) "
	"is a 16550A\n"
	"[    0.056683] Kernel panic - not syncing: VFS: Unable to mount root fs on "
	"unknown-block(0,0)\n";

/* answer_problem() on the log above with the pattern re (NULL: none). */
static char *
problem(const char *value, const char *re)
{
	struct pattern p;
	char err[128], *d;

	if (re && pattern_init(&p, re, err, sizeof(err)) < 0)
		return strdup("bad pattern");
	d = answer_problem(uart, strlen(uart), value, re ? &p : NULL);
	if (re)
		pattern_release(&p);
	return d;
}

TEST(right_answers_pass)
{
	CHECK(problem("riscv-virtio,qemu", "/^[a-z0-9-]+,[a-z0-9-]+$/") == NULL);
	CHECK(problem("0x10000000", "/^0x[0-9a-f]+$/") == NULL);
	CHECK(problem("VFS: Unable to mount root fs on unknown-block(0,0)", NULL) == NULL);
}

TEST(the_time_stamp_is_named)
{
	char *d = problem("[    0.056683] Kernel panic - not syncing: VFS: Unable to mount root fs "
			  "on unknown-block(0,0)", NULL);
	CHECK(d && strstr(d, "starts with the boot's time stamp, '[    0.056683]'"));
	CHECK(d && strstr(d, "leave it out and start at 'Kernel panic - not syncing: VFS:"));
	free(d);
	/* Another boot's stamp: not in this log at all, and still the stamp is the slip. */
	d = problem("[    0.070000] Machine model: riscv-virtio,qemu", NULL);
	CHECK(d && strstr(d, "time stamp") && !strstr(d, "copy it exactly"));
	free(d);
}

TEST(the_logs_spelling_is_offered)
{
	char *d = problem("10000000", "/^0x[0-9a-f]+$/");
	CHECK(d && strstr(d, "the log writes it '0x10000000': write it as the log does"));
	free(d);
	/* Part of a word, not the one asked for, and no word of the log fits. */
	d = problem("riscv-virtio", "/^[a-z0-9-]+,[a-z0-9-]+$/");
	CHECK(d && strstr(d, "the log writes it 'riscv-virtio,qemu'"));
	free(d);
	d = problem("ttyS0", "/^0x[0-9a-f]+$/");
	CHECK(d && strstr(d, "is not the part asked for"));
	free(d);
}

TEST(what_is_not_there_is_copied_again)
{
	char *d = problem("0x1000000", "/^0x[0-9a-f]+$/");   /* one zero short */
	CHECK(d && strstr(d, "does not appear in this boot's output: copy it exactly"));
	free(d);
}

int
main(void)
{
	RUN(right_answers_pass);
	RUN(the_time_stamp_is_named);
	RUN(the_logs_spelling_is_offered);
	RUN(what_is_not_there_is_copied_again);
	return unit_summary();
}
