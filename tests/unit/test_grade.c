/*
 * test_grade.c: the arguments of `grade`. Every word that is not an option
 * names a submission; an unknown option, a folder that is not there, a bad
 * number or list is a usage error: exit 2, the bad word named, the usage
 * line printed, and nothing graded (no run folder is made).
 */
#include "grade.h"
#include "util.h"
#include "unit.h"

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#define USAGE_LINE "usage: ./lab-runner " GRADE_USAGE "\n"

struct fixture {
	char top[64];
	struct catalog cat;
	struct stage stages[2];
};

/* A lab of two stages in a fresh folder, with one submission folder "alice". */
static void
fixture_init(struct fixture *x)
{
	memset(x, 0, sizeof(*x));
	snprintf(x->top, sizeof(x->top), "/tmp/test_grade.XXXXXX");
	CHECK(mkdtemp(x->top) != NULL);
	x->cat.top = x->top;
	x->cat.stages = x->stages;
	x->cat.n = 2;
	x->stages[0] = (struct stage){1, "01-hello-init", "Hello, init"};
	x->stages[1] = (struct stage){2, "02-init-answers", "Answers"};
	char *alice = xasprintf("%s/alice", x->top);
	CHECK(mkdir_p(alice, 0755) == 0);
	free(alice);
}

/* grade_main with the words of args (split at spaces; "@" is the lab's folder),
 * its stderr into *out (caller frees). Returns its exit status. */
static int
grade(struct fixture *x, const char *args, char **out)
{
	char *words = xstrdup(args), *argv[16] = {"grade"}, *save = NULL;
	char *path = xasprintf("%s/stderr", x->top);
	struct strv own = {0};
	int argc = 1;

	for (char *w = strtok_r(words, " ", &save); w && argc < 15; w = strtok_r(NULL, " ", &save)) {
		if (w[0] == '@') {
			strv_pushf(&own, "%s%s", x->top, w + 1);
			argv[argc++] = own.v[own.n - 1];
		} else {
			argv[argc++] = w;
		}
	}
	fflush(stderr);
	int saved = dup(2), fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	dup2(fd, 2);
	close(fd);
	int rc = grade_main(&x->cat, argc, argv, -1, 0);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	if (read_file(path, out, NULL) < 0)
		*out = xstrdup("");
	unlink(path);
	free(path);
	strv_release(&own);
	free(words);
	return rc;
}

/* The run folder that grading makes: there must be none. */
static int
graded(const struct fixture *x)
{
	char *dir = xasprintf("%s/build", x->top);
	int made = is_dir(dir);
	free(dir);
	return made;
}

#define USAGE(args, says) do { \
	char *e_; \
	CHECK(grade(&x, args, &e_) == 2); \
	CHECK_CONTAINS(e_, "lab-runner: grade: " says "\n" USAGE_LINE); \
	free(e_); \
} while (0)

TEST(usage_errors_name_the_bad_word)
{
	struct fixture x;
	fixture_init(&x);
	unsetenv("LAB_RUNS_DIR");

	USAGE("@/alice --bogus", "unknown option '--bogus'");
	USAGE("@/alice -j 2", "unknown option '-j'");
	USAGE("@/alice --jobsx=2", "unknown option '--jobsx=2'");
	USAGE("@/alice stray", "no submission folder 'stray'");     /* a stray word */
	USAGE("stray @/alice", "no submission folder 'stray'");
	USAGE("", "name at least one SUBMISSION folder (it holds labs/NN-name/)");
	USAGE("--jobs 2", "name at least one SUBMISSION folder (it holds labs/NN-name/)");
	USAGE("@/alice --jobs 0", "--jobs '0': not a number of checks at once from 1 to 64");
	USAGE("@/alice --jobs=65", "--jobs '65': not a number of checks at once from 1 to 64");
	USAGE("@/alice --jobs +2", "--jobs '+2': not a number of checks at once from 1 to 64");
	USAGE("@/alice --jobs 2x", "--jobs '2x': not a number of checks at once from 1 to 64");
	USAGE("@/alice --jobs", "--jobs '': not a number of checks at once from 1 to 64");
	USAGE("@/alice --timeout 601", "--timeout '601': not a number of seconds from 1 to 600");
	USAGE("@/alice --stages 1,9", "no stage '9' (./lab-runner list shows them)");
	USAGE("@/alice --stages ,", "--stages names no stage");
	USAGE("@/alice --format text,yaml", "no format 'yaml': text, json, tap, junit or gradescope");
	USAGE("@/alice --format=", "--format names no format");
	USAGE("@/alice --format text,tap", "several formats need --out PREFIX (each report goes to "
	      "PREFIX.EXT)");
	USAGE("@/alice @/alice --format gradescope", "gradescope grades one submission per run: give "
	      "exactly one SUBMISSION, not 2");
	USAGE("@/alice --out", "--out needs a file name");
	CHECK(!graded(&x));
	CHECK(remove_tree(x.top) == 0);
}

int
main(void)
{
	RUN(usage_errors_name_the_bad_word);
	return unit_summary();
}
