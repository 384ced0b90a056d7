/*
 * catalog.c: implements catalog.h: the stages found under steps/, and the
 * paths of their parts.
 */
#include "catalog.h"
#include "check.h"
#include "util.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int
stage_cmp(const void *a, const void *b)
{
	const struct stage *x = a, *y = b;
	return x->number - y->number;
}

int
catalog_load(struct catalog *c, const char *top, char *err, size_t errlen)
{
	char *steps = xasprintf("%s/steps", top);
	DIR *d = opendir(steps);
	struct dirent *e;
	size_t cap = 0;

	memset(c, 0, sizeof(*c));
	if (!d) {
		snprintf(err, errlen, "cannot read %s: %s (run lab-runner from the lab's folder)",
			 steps, strerror(errno));
		free(steps);
		return -1;
	}
	c->top = xstrdup(top);
	while ((e = readdir(d))) {
		/* A stage folder is named NN-something. */
		if (!isdigit((unsigned char)e->d_name[0]) || !isdigit((unsigned char)e->d_name[1]) ||
		    e->d_name[2] != '-')
			continue;
		if (c->n == cap) {
			cap = cap ? cap * 2 : 8;
			c->stages = xrealloc(c->stages, cap * sizeof(*c->stages));
		}
		struct stage *s = &c->stages[c->n++];
		char msg[256];
		s->number = atoi(e->d_name);
		s->name = xstrdup(e->d_name);
		/* A check file that cannot be read, or has no title, is reported
		 * by the commands that parse it; a listing shows the name. */
		char *check = stage_path(c, s, PART_CHECK);
		if (check_read_title(check, &s->title, msg, sizeof(msg)) < 0 || !s->title)
			s->title = xstrdup(s->name);
		free(check);
	}
	closedir(d);
	free(steps);
	if (c->n == 0) {
		snprintf(err, errlen, "no stages under %s/steps", top);
		catalog_release(c);
		return -1;
	}
	qsort(c->stages, c->n, sizeof(*c->stages), stage_cmp);
	return 0;
}

void
catalog_release(struct catalog *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->stages[i].name);
		free(c->stages[i].title);
	}
	free(c->stages);
	free(c->top);
	memset(c, 0, sizeof(*c));
}

const struct stage *
catalog_find(const struct catalog *c, const char *key)
{
	char *digits;
	int n, rc;

	if (!key || !*key)
		return NULL;
	for (size_t i = 0; i < c->n; i++)
		if (!strcmp(c->stages[i].name, key))
			return &c->stages[i];
	/* "3", "03", or "03-" and anything: the number before the dash. */
	digits = xstrndup(key, strcspn(key, "-"));
	rc = str_to_int(digits, 0, INT_MAX, &n);
	free(digits);
	if (rc < 0)
		return NULL;
	for (size_t i = 0; i < c->n; i++)
		if (c->stages[i].number == n)
			return &c->stages[i];
	return NULL;
}

const struct stage *
catalog_find_dir(const struct catalog *c, const char *dir)
{
	size_t len = strlen(dir);
	while (len > 1 && dir[len - 1] == '/')
		len--;
	const char *base = dir + len;
	while (base > dir && base[-1] != '/')
		base--;
	char *name = xstrndup(base, (size_t)(dir + len - base));
	const struct stage *s = NULL;
	if (isdigit((unsigned char)name[0]) && isdigit((unsigned char)name[1]))
		s = catalog_find(c, name);
	free(name);
	return s;
}

char *
stage_path(const struct catalog *c, const struct stage *s, enum stage_part part)
{
	switch (part) {
	case PART_CHECK:
		return xasprintf("%s/checks/%s.check", c->top, s->name);
	case PART_PAGE:
		return xasprintf("%s/steps/%s/README.md", c->top, s->name);
	case PART_HINTS:
		return xasprintf("%s/steps/%s/hints", c->top, s->name);
	case PART_STARTER:
		return xasprintf("%s/steps/%s/starter", c->top, s->name);
	case PART_SOLUTION:
		return xasprintf("%s/solutions/%s", c->top, s->name);
	case PART_LAB:
		return xasprintf("%s/labs/%s", c->top, s->name);
	}
	/* Not a stage_part: a caller's bug (-Wswitch names a part left out above). */
	abort();
}
