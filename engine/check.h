/*
 * check.h: a stage's check file (checks/NN-name.check, the grammar in
 * docs/check-format.md), parsed into a struct check: what the guest must
 * print, what it must not, what gdb must see, and how it is built and
 * booted.
 *
 * Ownership: a check owns everything it points to; check_release() frees
 * it all. Parsing is pure apart from reading the file: no processes, no
 * global state.
 */
#ifndef LAB_CHECK_H
#define LAB_CHECK_H

#include "pattern.h"

#include <stddef.h>

enum step_kind {
	STEP_EXPECT,               /* a line to see */
	STEP_SEND,                 /* a line to type at the prompt */
	STEP_HOST,                 /* `host SECONDS COMMAND`: a command run on the host */
};

/* host lines in one check, at most. */
#define CHECK_HOSTS_MAX 16

struct step {
	enum step_kind kind;
	struct pattern pat;        /* STEP_EXPECT: what must appear */
	char *text;                /* STEP_SEND: the line to type; STEP_HOST: the command */
	int host_s;                /* STEP_HOST: its time limit in seconds */
	int host;                  /* STEP_EXPECT after a `host` line of its thread: matched
				    * in that command's output, not on the UART */
	const struct pattern *prompt; /* STEP_SEND: wait for this first (may be NULL) */
	int whole;                 /* STEP_EXPECT written `line`: the pattern is the whole line */
	char *once;                /* `once WHY`: the line must not appear again; what a
				    * repeat means (NULL: may repeat) */
	int line;                  /* in the check file */
};

struct thread {
	char *name;
	int ticks;                 /* `thread NAME ticks`: its lines come on the guest's clock */
	struct step *steps;
	size_t n;
	struct pattern *prompts;   /* owned prompts, referred to by steps */
	size_t nprompts;
};

struct gdb_expect {
	char *elf;                 /* "init", "little_shell" (in the archive), "vmlinux",
				    * or "./PATH" (a file of the build folder) */
	char *symbols;             /* "main|main.main" */
	int pid_is_1;              /* pid=1 */
	int pid_not_1;             /* pid!=1 */
	char *pid_not_sym;         /* pid!=SYMBOL */
	char *comm;                /* comm=NAME: every hit in a process of that name */
	int procs_min;             /* procs>=N, -1 if unset */
	int procs_exact;           /* procs=N, -1 if unset */
	int never;                 /* hits=0 */
	int hits_min;              /* hits>=N, -1 if unset */
	char **bt;                 /* bt=F1,F2 (NULL-terminated), or NULL */
	int line;
};

struct answer {
	char *file, *key;
	struct pattern *re;        /* may be NULL */
	int line;
};

/* Whom a witness rule is about: a process, told by the witness
 * (engine/witness.h). Every part given must hold; none given: anyone. */
struct wwho {
	int pid;                   /* pid=N; 0: any */
	int not_pid;               /* pid!=N; 0: none */
	char *program;             /* PROGRAM: a path, or a base name; NULL: any */
	char *child_of;            /* child-of=PROGRAM: created by a process running it */
};

enum wrule_kind {
	WR_BY,                     /* `by WHO [line]`: who wrote the text the line before matched */
	WR_RUNS,                   /* `runs PROGRAM|nothing`: what the line typed before ran */
	WR_EXEC,                   /* `witness exec PROGRAM [WHO]` */
	WR_EXIT,                   /* `witness exit WHO status=N` */
	WR_ORPHAN,                 /* `witness reaps-orphan WHO` */
};

struct wrule {
	enum wrule_kind kind;
	struct wwho who;
	int whole_line;            /* BY: `line`: a whole line of the writer's output */
	int anywhere;              /* BY: the anywhere pattern it follows, or -1 */
	size_t thread, step;       /* BY after an expect, RUNS after a send */
	char *program;             /* RUNS (NULL: nothing), EXEC */
	int status;                /* EXIT */
	char *text;                /* the directive as written, for the report */
	int line;
};

/* `ondisk PATH TEXT`: after the boot, file PATH of the disk image holds TEXT. */
struct disk_expect {
	char *path;                /* "/root/proof", a path inside the image */
	struct pattern pat;        /* what its contents must match */
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
	int forward_port;          /* forward tcp PORT: the guest's port a host port reaches; 0 */
	char *sshkey;              /* sshkey PATH: where the guest gets this run's public key */
	char *serve;               /* serve DIR: a folder of the lab whose files the
				    * responder serves (network responder); NULL: none */
	int exit_status;           /* -1: not checked */
	int real_clock;            /* clock real: no instruction counting */
	char *compare;             /* compare KCONFIG: time the stage's kernel against it */
	int compare_boots;         /*   boots=N, per kernel */
	int compare_smaller;       /*   smaller: the stage's kernel must take less memory */
	char *compare_initrd;      /*   initrd=FILE: the other kernel boots this archive of
				    *   the build folder (the stage's is built in); NULL:
				    *   both boot the stage's archive */
	char *disk;                /* disk FILE: a file of the build folder, the guest's
				    * /dev/vda; NULL: no disk */
	int disk_readonly;         /*   readonly: the guest cannot write it */
	int no_diagnose;           /* diagnose none: no built-in advice from kernel messages */
	char nonce[9];

	struct thread *threads;
	size_t nthreads;
	struct pattern *anywhere, *reject;
	size_t nanywhere, nreject;
	struct gdb_expect *gdb;
	size_t ngdb;
	struct answer *answers;
	size_t nanswers;
	struct disk_expect *ondisk;
	size_t nondisk;
	struct pattern *served;    /* `served NAME`: the responder served such a file */
	size_t nserved;
	struct wrule *wrules;      /* by, runs, witness: judged on the witness's record */
	size_t nwrules;
	char **sources;            /* NULL-terminated, may be NULL */
	int grading_make;          /* grading make: the lab's starter Makefile builds */
	struct compile_rule *compile;
	size_t ncompile;
};

/*
 * Parse a check file, replacing {nonce} with nonce (8 hex digits; may be
 * NULL for a syntax check, then "00000000"). Returns 0, or -1 with err
 * naming the file and line: "checks/01.check:7: unknown directive 'expekt'"
 * (then c holds nothing to release).
 */
int check_parse(struct check *c, const char *path, const char *nonce,
		char *err, size_t errlen);
/* The same from text held in memory (name is used in messages). */
int check_parse_text(struct check *c, const char *name, const char *text,
		     const char *nonce, char *err, size_t errlen);
void check_release(struct check *c);

/* 1 if a check of this stage runs the folder's make: it builds the archive
 * (initramfs build), the kernel (kernel learner) or the disk (disk FILE). */
int check_runs_make(const struct check *c);

/* 1 if a gdb line's ELF is a file of the build folder ("./rootfs/sbin/init")
 * rather than a program in the archive or vmlinux. */
int gdb_elf_in_build(const struct gdb_expect *g);

/*
 * The title a check file gives, read by the parser's own rules for a line
 * (blanks trimmed, a "quoted" value unquoted, {nonce} as 00000000) without
 * judging its other lines: a stage keeps its title in listings even while
 * another line of its check is wrong. Returns 0 with *title the title, or
 * NULL if the file has no title line (the caller frees); -1 with err filled
 * if the file cannot be read or its title line is malformed.
 */
int check_read_title(const char *path, char **title, char *err, size_t errlen);

#endif
