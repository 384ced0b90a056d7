/*
 * test_grade_jobs.c: the scheduler without QEMU. A job with a problem gets
 * its ERROR row without a child; the others run in children, here against a
 * lab with no check files (engine_check ends at once with an ERROR), at most
 * at_once at a time, and each row lands in its own cell; a signal on sigfd
 * kills what runs and says so.
 */
#include "grade_jobs.h"
#include "unit.h"

#include <stdlib.h>
#include <unistd.h>

struct fixture {
	char top[64];
	struct catalog cat;
	struct stage stages[3];
	struct grade_cell cell[3];
	struct grade_job job[3];
};

/* Three jobs of submission "alice" in a fresh folder; the second one has a problem. */
static void
fixture_init(struct fixture *x)
{
	static const char *const names[] = {"01-hello-init", "02-init-answers", "03-little-shell"};

	memset(x, 0, sizeof(*x));
	snprintf(x->top, sizeof(x->top), "/tmp/test_grade_jobs.XXXXXX");
	CHECK(mkdtemp(x->top) != NULL);
	x->cat.top = x->top;
	x->cat.stages = x->stages;
	x->cat.n = 3;
	for (int i = 0; i < 3; i++) {
		x->stages[i] = (struct stage){i + 1, (char *)names[i], (char *)names[i]};
		x->cell[i].base = xasprintf("%s/%s", x->top, names[i]);
		x->cell[i].verdict = V_ERROR;
		x->job[i] = (struct grade_job){
			.stage = &x->stages[i], .sub = "alice", .dir = x->top, .runs = x->top,
			.number = (size_t)i + 1, .max_points = 10 * (i + 1), .cell = &x->cell[i],
		};
	}
	x->job[1].problem = "no labs/02-init-answers folder in the submission";
}

static void
fixture_release(struct fixture *x)
{
	for (int i = 0; i < 3; i++) {
		free(x->cell[i].base);
		free(x->cell[i].headline);
	}
	CHECK(remove_tree(x->top) == 0);
}

TEST(every_job_gets_its_row)
{
	struct fixture x;
	char err[256] = "";
	fixture_init(&x);
	struct grade_jobs q = {.cat = &x.cat, .sigfd = -1, .at_once = 2, .job = x.job, .njobs = 3};

	CHECK(grade_jobs_run(&q, err, sizeof(err)) == GRADE_JOBS_DONE);
	CHECK_STREQ(err, "");
	for (int i = 0; i < 3; i++) {
		CHECK(x.cell[i].verdict == V_ERROR && x.cell[i].points == 0);
		CHECK(x.job[i].pid == 0);
	}
	CHECK_STREQ(x.cell[1].headline, "no labs/02-init-answers folder in the submission");
	CHECK(x.cell[1].max_points == 20);
	/* From the child: the engine's own words about the missing check file. */
	CHECK_CONTAINS(x.cell[0].headline, "checks/01-hello-init.check");
	CHECK_CONTAINS(x.cell[2].headline, "checks/03-little-shell.check");
	/* Each row where its cell says. */
	char *tap = NULL;
	char *path = xasprintf("%s.tap", x.cell[2].base);
	CHECK(read_file(path, &tap, NULL) == 0);
	CHECK(tap && !strncmp(tap, "not ok 3 - alice 03-little-shell\n", 33));
	free(tap);
	free(path);
	fixture_release(&x);
}

TEST(a_signal_stops_the_grading)
{
	struct fixture x;
	char err[256] = "";
	int fds[2];
	fixture_init(&x);
	CHECK(pipe(fds) == 0);
	CHECK(write(fds[1], "x", 1) == 1);         /* as if SIGINT had arrived */
	struct grade_jobs q = {.cat = &x.cat, .sigfd = fds[0], .at_once = 1, .job = x.job,
			       .njobs = 3};

	CHECK(grade_jobs_run(&q, err, sizeof(err)) == GRADE_JOBS_INTERRUPTED);
	CHECK_STREQ(err, "interrupted after 0 of 3 checks; no report was written");
	CHECK(x.job[0].pid == 0);                  /* killed and reaped */
	CHECK(grade_cell_read(&x.cell[2]) == 0);   /* never started */
	close(fds[0]);
	close(fds[1]);
	fixture_release(&x);
}

int
main(void)
{
	RUN(every_job_gets_its_row);
	RUN(a_signal_stops_the_grading);
	return unit_summary();
}
