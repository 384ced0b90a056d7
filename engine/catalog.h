/*
 * catalog.h: the stages of the lab, found on disk, and where each stage's
 * parts are.
 *
 * A stage is files, not code (docs/check-format.md):
 *   steps/NN-name/README.md   the workbook page
 *   steps/NN-name/hints/N.md  hints, revealed one at a time
 *   steps/NN-name/starter/    what `next` copies into labs/NN-name/
 *   solutions/NN-name/        the reference solution
 *   checks/NN-name.check      the expectation (check.h parses it)
 *
 * Ownership: a catalog owns its stages; catalog_release() frees them.
 * Loading reads folders and each check file's title line; no processes,
 * no global state.
 */
#ifndef LAB_CATALOG_H
#define LAB_CATALOG_H

#include <stddef.h>

/* Until the modules that use struct check include check.h themselves. */
#include "check.h"

struct stage {
	int number;        /* NN */
	char *name;        /* "01-hello-init" */
	char *title;       /* from the check file's title line, or the name */
};

struct catalog {
	char *top;         /* the repository's top folder */
	struct stage *stages;   /* sorted by number */
	size_t n;
};

/* Read steps/ and checks/ under top. Returns 0, or -1 with err filled and
 * nothing to release. */
int catalog_load(struct catalog *c, const char *top, char *err, size_t errlen);
void catalog_release(struct catalog *c);
/* Find by "3", "03", "03-little-shell" or "03-anything"; NULL if none. */
const struct stage *catalog_find(const struct catalog *c, const char *key);
/* The stage a folder belongs to, from the folder's last path component;
 * NULL if none. */
const struct stage *catalog_find_dir(const struct catalog *c, const char *dir);

/* The parts of a stage, each at its own path. */
enum stage_part {
	PART_CHECK,        /* checks/NN-name.check */
	PART_PAGE,         /* steps/NN-name/README.md */
	PART_HINTS,        /* steps/NN-name/hints */
	PART_STARTER,      /* steps/NN-name/starter */
	PART_SOLUTION,     /* solutions/NN-name */
	PART_LAB,          /* labs/NN-name, the learner's working folder */
};
/* The path of a part of stage s, under the catalog's top; the caller frees. */
char *stage_path(const struct catalog *c, const struct stage *s, enum stage_part part);

#endif
