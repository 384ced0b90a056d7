/*
 * catalog.h: the stages of the lab and what each one's check expects.
 *
 * A stage is files, not code (docs/check-format.md):
 *   steps/NN-name/README.md   the workbook page
 *   steps/NN-name/hints/N.md  hints, revealed one at a time
 *   steps/NN-name/starter/    what `next` copies into labs/NN-name/
 *   solutions/NN-name/        the reference solution
 *   checks/NN-name.check      the expectation, parsed into struct check
 *
 * Ownership: a catalog owns its stages; a check owns everything it points
 * to. Release each with its _release function. Parsing is pure: no
 * processes, no global state.
 */
#ifndef LAB_CATALOG_H
#define LAB_CATALOG_H

#include <regex.h>
#include <stddef.h>

struct stage {
	int number;        /* NN */
	char *name;        /* "01-hello-init" */
	char *title;       /* from the check file, or the name */
};

struct catalog {
	char *top;         /* the repository's top folder */
	struct stage *stages;
	size_t n;
};

/* Read steps/ and checks/ under top. Returns 0, or -1 with err filled. */
int catalog_load(struct catalog *c, const char *top, char *err, size_t errlen);
void catalog_release(struct catalog *c);
/* Find by "3", "03", "03-little-shell" or "03-anything"; NULL if none. */
const struct stage *catalog_find(const struct catalog *c, const char *key);
/* The stage a folder belongs to, from the folder's last path component. */
const struct stage *catalog_find_dir(const struct catalog *c, const char *dir);
/* Paths of a stage's parts; the caller frees. what: "check", "page",
 * "hints", "starter", "solution", "lab". */
char *stage_path(const struct catalog *c, const struct stage *s, const char *what);

/* A text to look for in the UART output: literal, or /regex/. */
struct pattern {
	char *text;        /* as written, after {nonce} substitution */
	int is_regex;
	regex_t re;
	char *why;         /* `explain`: what it means when this fails, or NULL */
};
int pattern_find(const struct pattern *p, const char *line, size_t from,
		 size_t *start, size_t *end);

enum step_kind { STEP_EXPECT, STEP_SEND };

struct step {
	enum step_kind kind;
	struct pattern pat;        /* STEP_EXPECT: what must appear */
	char *text;                /* STEP_SEND: the line to type */
	const struct pattern *prompt; /* STEP_SEND: wait for this first (may be NULL) */
	int line;                  /* in the check file */
};

struct thread {
	char *name;
	struct step *steps;
	size_t n;
	struct pattern *prompts;   /* owned prompts, referred to by steps */
	size_t nprompts;
};

struct gdb_expect {
	char *elf;                 /* "init", "little_shell", or "vmlinux" */
	char *symbols;             /* "main|main.main" */
	int pid_is_1;              /* pid=1 */
	int pid_not_1;             /* pid!=1 */
	char *pid_not_sym;         /* pid!=SYMBOL */
	int procs_min;             /* procs>=N, -1 if unset */
	int procs_exact;           /* procs=N, -1 if unset */
	int never;                 /* hits=0 */
	char **bt;                 /* bt=F1,F2 (NULL-terminated), or NULL */
	int line;
};

struct answer {
	char *file, *key;
	struct pattern *re;        /* may be NULL */
	int line;
};

struct compile_rule {
	char *output;              /* "init" */
	char **sources;            /* NULL-terminated */
};

enum kernel_kind { KERNEL_LAB, KERNEL_DEFCONFIG, KERNEL_LEARNER };

struct check {
	char *path;
	char *title;
	enum kernel_kind kernel;
	int build;                 /* initramfs build (1) or none (0) */
	int timeout_s, points, memory_mb, network;
	char *append;
	int exit_status;           /* -1: not checked */
	int real_clock;            /* clock real: no instruction counting */
	char *compare;             /* compare KCONFIG: time the stage's kernel against it */
	int compare_boots;         /*   boots=N, per kernel */
	int compare_smaller;       /*   smaller: the stage's kernel must take less memory */
	char nonce[9];

	struct thread *threads;
	size_t nthreads;
	struct pattern *anywhere, *reject;
	size_t nanywhere, nreject;
	struct gdb_expect *gdb;
	size_t ngdb;
	struct answer *answers;
	size_t nanswers;
	char **sources;            /* NULL-terminated, may be NULL */
	int grading_make;          /* grading make: the lab's starter Makefile builds */
	struct compile_rule *compile;
	size_t ncompile;
};

/*
 * Parse a check file, replacing {nonce} with nonce (8 hex digits; may be
 * NULL for a syntax check, then "00000000"). Returns 0, or -1 with err
 * naming the file and line: "checks/01.check:7: unknown directive 'expekt'".
 */
int check_parse(struct check *c, const char *path, const char *nonce,
		char *err, size_t errlen);
/* The same from text held in memory (name is used in messages). */
int check_parse_text(struct check *c, const char *name, const char *text,
		     const char *nonce, char *err, size_t errlen);
void check_release(struct check *c);

#endif
