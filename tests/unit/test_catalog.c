/*
 * test_catalog.c: loading the stages from a lab folder (a temporary one,
 * made here), finding a stage, and the paths of its parts.
 */
#include "catalog.h"
#include "unit.h"
#include "util.h"

#include <stdlib.h>
#include <sys/stat.h>

/* A lab folder: stages 00, 03 and 10 (given out of order), and folders
 * steps/ holds that are not stages. */
static char *
make_lab(char *dir)
{
	static const char *const folders[] = {
		"steps", "checks", "steps/03-little-shell", "steps/00-kernel-alone",
		"steps/10-last", "steps/1-short", "steps/ab-letters", "steps/04_underscore",
	};
	static const char *const files[][2] = {
		{"checks/00-kernel-alone.check", "# the first\ntitle \"The kernel alone\"\n"},
		/* No title line: the name stands in for it. */
		{"checks/03-little-shell.check", "expect $\n"},
		/* A wrong line after the title does not hide the title. */
		{"checks/10-last.check", "  title  Last, with \\\"backslashes\\\" \r\nexpekt x\n"},
	};

	if (!mkdtemp(dir))
		return NULL;
	for (size_t i = 0; i < sizeof folders / sizeof folders[0]; i++) {
		char *p = xasprintf("%s/%s", dir, folders[i]);
		CHECK(mkdir(p, 0755) == 0);
		free(p);
	}
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		char *p = xasprintf("%s/%s", dir, files[i][0]);
		CHECK(write_file_atomic(p, files[i][1], strlen(files[i][1])) == 0);
		free(p);
	}
	return dir;
}

TEST(loads_stages_in_order_with_titles)
{
	char dir[] = "/tmp/lab-catalog-test.XXXXXX", err[256] = "";
	struct catalog c;

	CHECK(make_lab(dir) != NULL);
	CHECK(catalog_load(&c, dir, err, sizeof err) == 0);
	CHECK_STREQ(err, "");
	CHECK_STREQ(c.top, dir);
	CHECK(c.n == 3);
	if (c.n == 3) {
		CHECK(c.stages[0].number == 0 && c.stages[1].number == 3 && c.stages[2].number == 10);
		CHECK_STREQ(c.stages[0].name, "00-kernel-alone");
		/* Quoted in the file, as the parser reads it: no quotes. */
		CHECK_STREQ(c.stages[0].title, "The kernel alone");
		CHECK_STREQ(c.stages[1].title, "03-little-shell");
		CHECK_STREQ(c.stages[2].title, "Last, with \\\"backslashes\\\"");
	}
	catalog_release(&c);
	CHECK(c.n == 0 && c.stages == NULL && c.top == NULL);
	remove_tree(dir);
}

TEST(load_errors)
{
	char dir[] = "/tmp/lab-catalog-test.XXXXXX", err[256] = "";
	struct catalog c;

	CHECK(mkdtemp(dir) != NULL);
	CHECK(catalog_load(&c, dir, err, sizeof err) < 0);
	CHECK_CONTAINS(err, "cannot read ");
	CHECK_CONTAINS(err, "/steps: No such file or directory (run lab-runner from the lab's folder)");
	CHECK(c.top == NULL && c.stages == NULL);

	char *steps = xasprintf("%s/steps", dir);
	CHECK(mkdir(steps, 0755) == 0);
	free(steps);
	CHECK(catalog_load(&c, dir, err, sizeof err) < 0);
	CHECK_CONTAINS(err, "no stages under ");
	CHECK(c.top == NULL && c.stages == NULL && c.n == 0);
	remove_tree(dir);
}

TEST(finds_a_stage_by_number_name_or_folder)
{
	char dir[] = "/tmp/lab-catalog-test.XXXXXX", err[256] = "";
	struct catalog c;

	CHECK(make_lab(dir) != NULL);
	CHECK(catalog_load(&c, dir, err, sizeof err) == 0);
	const struct stage *three = catalog_find(&c, "03-little-shell");
	CHECK(three && three->number == 3);
	CHECK(catalog_find(&c, "3") == three);
	CHECK(catalog_find(&c, "03") == three);
	CHECK(catalog_find(&c, "03-anything") == three);
	CHECK(catalog_find(&c, "3-") == three);
	CHECK(catalog_find(&c, "10")->number == 10);
	CHECK(catalog_find(&c, "0")->number == 0);
	CHECK(catalog_find(&c, "4") == NULL);
	CHECK(catalog_find(&c, "3x") == NULL);
	CHECK(catalog_find(&c, " 3") == NULL);
	CHECK(catalog_find(&c, "+3") == NULL);
	CHECK(catalog_find(&c, "-3") == NULL);
	CHECK(catalog_find(&c, "little-shell") == NULL);
	CHECK(catalog_find(&c, "99999999999999999999") == NULL);
	CHECK(catalog_find(&c, "") == NULL);
	CHECK(catalog_find(&c, NULL) == NULL);

	CHECK(catalog_find_dir(&c, "/home/me/lab/labs/03-little-shell") == three);
	CHECK(catalog_find_dir(&c, "labs/03-little-shell//") == three);
	CHECK(catalog_find_dir(&c, "03-mine") == three);
	CHECK(catalog_find_dir(&c, "/home/me/lab/labs") == NULL);
	CHECK(catalog_find_dir(&c, "3") == NULL);   /* a folder is named NN-... */
	CHECK(catalog_find_dir(&c, "/") == NULL);
	catalog_release(&c);
	remove_tree(dir);
}

TEST(paths_of_a_stage)
{
	struct stage s = {3, "03-little-shell", "t"};
	struct catalog c = {"/lab", &s, 1};
	static const struct {
		enum stage_part part;
		const char *path;
	} want[] = {
		{PART_CHECK, "/lab/checks/03-little-shell.check"},
		{PART_PAGE, "/lab/steps/03-little-shell/README.md"},
		{PART_HINTS, "/lab/steps/03-little-shell/hints"},
		{PART_STARTER, "/lab/steps/03-little-shell/starter"},
		{PART_SOLUTION, "/lab/solutions/03-little-shell"},
		{PART_LAB, "/lab/labs/03-little-shell"},
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		char *p = stage_path(&c, &s, want[i].part);
		CHECK_STREQ(p, want[i].path);
		free(p);
	}
}

TEST(loads_the_lab)
{
	/* The lab's own stages (run from the top folder): every one has a title
	 * of its own, and it is the title the check parser reads. */
	struct catalog c;
	char err[256] = "";

	CHECK(catalog_load(&c, ".", err, sizeof err) == 0);
	CHECK(c.n >= 4);
	for (size_t i = 0; i < c.n; i++) {
		struct check chk;
		char *p = stage_path(&c, &c.stages[i], PART_CHECK);
		CHECK(strcmp(c.stages[i].title, c.stages[i].name) != 0);
		CHECK(check_parse(&chk, p, NULL, err, sizeof err) == 0);
		CHECK_STREQ(err, "");
		if (!err[0]) {
			CHECK_STREQ(c.stages[i].title, chk.title);
			check_release(&chk);
		}
		free(p);
	}
	catalog_release(&c);
}

int
main(void)
{
	RUN(loads_stages_in_order_with_titles);
	RUN(load_errors);
	RUN(finds_a_stage_by_number_name_or_folder);
	RUN(paths_of_a_stage);
	RUN(loads_the_lab);
	return unit_summary();
}
