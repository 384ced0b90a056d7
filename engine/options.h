/*
 * options.h: one table-driven parser for every command's arguments, as
 * git's parse_options: a command declares the options and words it takes
 * in a const table, and the same table gives its usage line and its help.
 *
 *	struct args { const char *stage, *dir; int json; };
 *	static const struct option check_options[] = {
 *		OPT_WORD("stage", offsetof(struct args, stage), "STAGE", 0, "the stage"),
 *		OPT_STRING("dir", 0, offsetof(struct args, dir), "PATH", "check PATH"),
 *		OPT_FLAG("json", 0, offsetof(struct args, json), "one JSON object"),
 *		OPT_END,
 *	};
 *
 * A row stores its value at an offset into the caller's struct: an int
 * for a flag (set to 1) and for a whole number, a const char * into argv
 * for an option's value and for a word, a struct strv for OPTION_MANY words. What is not given is left as the
 * caller set it (its default). Options come in any order among the words;
 * `--name VALUE` and `--name=VALUE` are the same; a one-letter alias
 * (-y) takes no `=`; `--` ends the options (what follows is words);
 * `--help` and `-h` ask for help, unless the table has rows of that name;
 * a lone `-` is a word.
 *
 * Words fill the word rows in their order; a word more than there are
 * rows is an error (unless the last row is OPTION_MANY), and so is a missing OPTION_REQUIRED word (required
 * rows come before optional ones).
 *
 * Pure code: nothing printed, no state kept.
 */
#ifndef LAB_OPTIONS_H
#define LAB_OPTIONS_H

#include <stddef.h>

#include "util.h"

enum option_kind {
	OPTION_END,        /* ends a table */
	OPTION_FLAG,       /* --json: an int set to 1 */
	OPTION_STRING,     /* --dir PATH: a const char * */
	OPTION_INT,        /* --timeout S: an int in [lo, hi], by str_to_int() */
	OPTION_WORD,       /* STAGE, not an option: a const char * */
};

/* A row's flags. */
#define OPTION_REQUIRED 1u  /* a word that must be given */
#define OPTION_ONE_OF   2u  /* the value is one of arg's words, split at '|' */
#define OPTION_HIDDEN   4u  /* a second spelling (--no-colour): not in usage or help */
#define OPTION_MANY     8u  /* the last word row takes every word left, each pushed
			     * onto the struct strv at its offset (the caller
			     * releases it): "[STAGE...]" */

struct option {
	enum option_kind kind;
	const char *name;      /* "dir" for --dir; a word's name in messages ("stage") */
	char alias;            /* 'y' for -y as well; 0 for none */
	size_t to;             /* offset of the value in the caller's struct */
	const char *arg;       /* the value's name in usage: "PATH", "STAGE", "lab|defconfig" */
	int lo, hi;            /* OPTION_INT's range */
	unsigned flags;
	const char *help;      /* one line for the command's help */
};

#define OPT_FLAG(name, alias, to, help) \
	{OPTION_FLAG, name, alias, to, NULL, 0, 0, 0, help}
#define OPT_STRING(name, alias, to, arg, help) \
	{OPTION_STRING, name, alias, to, arg, 0, 0, 0, help}
#define OPT_CHOICE(name, alias, to, choices, help) \
	{OPTION_STRING, name, alias, to, choices, 0, 0, OPTION_ONE_OF, help}
#define OPT_INT(name, alias, to, arg, lo, hi, help) \
	{OPTION_INT, name, alias, to, arg, lo, hi, 0, help}
#define OPT_WORD(name, to, arg, flags, help) \
	{OPTION_WORD, name, 0, to, arg, 0, 0, flags, help}
#define OPT_END {OPTION_END, NULL, 0, 0, NULL, 0, 0, 0, NULL}

enum options_result {
	OPTIONS_OK,        /* every argument parsed into values */
	OPTIONS_HELP,      /* --help or -h: the caller shows the help */
	OPTIONS_ERROR,     /* a usage error: err names the argument at fault */
};

/*
 * Parse argv[1] to argv[argc - 1] (argv[0] is the command's name) by the
 * table opts (NULL: no options, no words) into values. On OPTIONS_ERROR
 * err holds one line that quotes the argument at fault: "unknown option
 * '--bogus'", "stray word 'lab'", "--dir needs a value: --dir PATH",
 * "--timeout takes a whole number from 1 to 600, not 'x'", ...
 */
enum options_result options_parse(const struct option *opts, int argc, char **argv,
				  void *values, char *err, size_t errlen);

/* The table as a usage line's arguments: "[STAGE] [--dir PATH] [--json]". */
void options_synopsis(struct sb *out, const struct option *opts);

/* The table as help: one line per row, "  --dir PATH   check PATH\n". */
void options_help(struct sb *out, const struct option *opts);

#endif
