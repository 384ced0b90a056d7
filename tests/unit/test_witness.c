/*
 * test_witness.c: the witness's record read from gdb's lines, and the
 * check's by/runs/witness lines judged on it, without QEMU. The lines are
 * the ones witness_script() makes gdb print (engine/witness.h); the UART is
 * fed to the matcher as in test_judge.c.
 */
#include "check.h"
#include "match.h"
#include "result.h"
#include "unit.h"
#include "witness.h"
#include "witness_rules.h"

#include <stdlib.h>

static void
feed(struct witness *w, const char *const *lines)
{
	witness_init(w);
	for (size_t i = 0; lines[i]; i++)
		witness_parse_line(w, lines[i]);
}

/* Stage 02 as the solution does it: init forks 18, which execs the shell. */
static const char *const good02[] = {
	"@@W new 0 0 1 1",
	"@@W new 0 0 2 2",
	"@@W new 2 2 3 3",        /* a kernel thread: left out */
	"@@W exec 1 1 0xffffffff8 \"/init\"",
	"@@W new 1 1 18 18",
	"@@W write 1 1 32 \"Hello from the original init! 1\\n\"",
	"@@W try 18 18 0xffffffd8 \"/little_shell\"",
	"@@W exec 18 18 0xffffffd8 \"/little_shell\"",
	"@@W ret 18 18 0",
	"(gdb) @@W write 18 18 20 \"Enter your command: \"",
	"@@W write 18 18 28 \"Your command is: ls\\n\"",
	"@@W write 18 18 20 \"Enter your command: \"",
	NULL,
};

TEST(record)
{
	struct witness w;
	feed(&w, good02);
	CHECK(w.armed);
	CHECK(w.nprocs == 2);
	const struct wproc *init = witness_proc(&w, 1), *sh = witness_proc(&w, 18);
	CHECK(init && sh);
	CHECK_STREQ(init->program, "/init");
	CHECK_STREQ(sh->program, "/little_shell");
	CHECK_STREQ(sh->born_of, "/init");
	CHECK(sh->parent == 1);
	CHECK(witness_proc(&w, 3) == NULL);   /* kernel threads are not in it */
	/* new (0 made 1), exec, new, write, exec, write x3: the try/ret pair of
	 * an exec that succeeded is no event of its own */
	CHECK(w.n == 8);
	CHECK(w.ev[0].kind == WE_NEW && w.ev[0].pid == 0 && w.ev[0].other == 1);
	CHECK(w.ev[4].kind == WE_EXEC && w.ev[4].tgid == 18);
	CHECK(w.ev[5].kind == WE_WRITE && w.ev[5].len == 20);
	CHECK(!memcmp(w.ev[6].text, "Your command is: ls\n", 21));
	witness_release(&w);
}

TEST(failed_exec_exit_reap)
{
	static const char *const lines[] = {
		"@@W exec 1 1 0x1 \"/init\"",
		"@@W new 1 1 18 18",
		"@@W try 18 18 0x2 \"/bin/little_shell\"",
		"@@W ret 18 18 -2",
		"@@W write 18 18 12 \"a\\tb\\\"c\\\\\\000\\303\\251\\n\"",
		"@@W exit 18 18 32512",
		"@@W reap 1 1 18 18",
		"@@W new 1 1 19 19",
		"@@W exit 19 19 9",
		"@@W reap 19 19 19 19",    /* freed by the kernel: no reap */
		"@@W new 19 19 20 19",     /* a thread */
		NULL,
	};
	struct witness w;
	char st[64];
	feed(&w, lines);
	CHECK(w.ev[2].kind == WE_EXEC_FAILED);
	CHECK(w.ev[2].value == 2);
	CHECK_STREQ(w.ev[2].text, "/bin/little_shell");
	CHECK(w.ev[3].len == 10);
	CHECK(!memcmp(w.ev[3].text, "a\tb\"c\\\0\303\251\n", 10));
	const struct wproc *p = witness_proc(&w, 18);
	CHECK(p->exited && p->reaper == 1);
	witness_status(p->status, st, sizeof st);
	CHECK_STREQ(st, "status 127");
	witness_status(9, st, sizeof st);
	CHECK_STREQ(st, "signal 9 (Killed)");
	CHECK(witness_proc(&w, 19)->reaper == 0);
	CHECK(w.nprocs == 3);      /* 1, 18, 19: the thread is no process */
	witness_release(&w);
}

TEST(bounded)
{
	struct witness w;
	witness_init(&w);
	for (int i = 0; i < WITNESS_MAX_EVENTS + 50; i++)
		witness_parse_line(&w, "@@W write 1 1 2 \"x\\n\"");
	CHECK(w.n == WITNESS_MAX_EVENTS);
	CHECK(w.cut);
	witness_release(&w);
	/* gdb says so itself when it turns the witness off */
	witness_init(&w);
	witness_parse_line(&w, "@@W full");
	CHECK(w.cut);
	witness_release(&w);
}

struct fixture {
	struct check c;
	struct matcher m;
	struct witness w;
	struct result r;
};

static int
run(struct fixture *f, const char *check, const char *uart, const char *const *lines)
{
	char err[256] = "";
	memset(f, 0, sizeof(*f));
	CHECK(check_parse_text(&f->c, "t.check", check, "1a2b3c4d", err, sizeof err) == 0);
	CHECK_STREQ(err, "");
	matcher_init(&f->m, &f->c);
	matcher_feed(&f->m, uart, strlen(uart), NULL);
	matcher_flush(&f->m);
	feed(&f->w, lines);
	return witness_judge(&f->c, &f->m, &f->w, NULL, &f->r);
}

static void
done(struct fixture *f)
{
	result_release(&f->r);
	matcher_release(&f->m);
	witness_release(&f->w);
	check_release(&f->c);
}

static const char check02[] =
	"prompt \"Enter your command: \"\n"
	"send ls\n"
	"expect Your command is: ls\n"
	"by little_shell child-of=init pid!=1\n"
	"thread init\n"
	"expect Hello from the original init! 1\n"
	"by pid=1 line\n"
	"witness exec /little_shell child-of=init\n";
static const char uart02[] =
	"Hello from the original init! 1\r\nEnter your command: ls\r\n"
	"Your command is: ls\r\nEnter your command: ";

TEST(by_holds)
{
	struct fixture f;
	CHECK(run(&f, check02, uart02, good02) == 0);
	CHECK(f.r.nitems == 3);
	CHECK_STREQ(f.r.items[0].detail, "written by PID 18 (/little_shell)");
	CHECK_STREQ(f.r.items[1].detail, "written by PID 1 (/init)");
	CHECK(f.r.items[2].ok);
	done(&f);
}

TEST(by_names_the_real_writer)
{
	/* PID 1 answers itself; the shell it started writes nothing. */
	static const char *const fake[] = {
		"@@W exec 1 1 0x1 \"/init\"",
		"@@W new 1 1 18 18",
		"@@W exec 18 18 0x2 \"/little_shell\"",
		"@@W write 1 1 32 \"Hello from the original init! 1\\n\"",
		"@@W write 1 1 20 \"Enter your command: \"",
		"@@W write 1 1 28 \"Your command is: ls\\n\"",
		"@@W write 1 1 20 \"Enter your command: \"",
		NULL,
	};
	struct fixture f;
	CHECK(run(&f, check02, uart02, fake) == 1);
	CHECK(!f.r.items[0].ok);
	CHECK_STREQ(f.r.items[0].detail, "\"Your command is: ls\" was written by PID 1 (/init), not "
		    "by little_shell (a process other than PID 1, a child of init)");
	CHECK(f.r.items[1].ok);
	done(&f);
}

TEST(by_line_and_echo)
{
	static const char check[] = "expect Hello world\nby pid=1 line\n"
		"expect typed\nby pid=1\n";
	static const char *const nonl[] = {
		"@@W exec 1 1 0x1 \"/init\"",
		"@@W write 1 1 11 \"Hello world\"",
		NULL,
	};
	struct fixture f;
	CHECK(run(&f, check, "Hello world[ 0.2] Kernel panic\r\ntyped\r\n", nonl) == 1);
	CHECK_STREQ(f.r.items[0].detail, "\"Hello world\" was written by PID 1 (/init), but not "
		    "as a whole line: no newline came after it");
	/* Only the terminal's echo showed "typed": nobody wrote it. */
	CHECK(strstr(f.r.items[1].detail, "no process wrote it") != NULL);
	/* The right writer, not a whole line: one advice says what a line is. */
	CHECK(f.r.advice.n == 1);
	CHECK(f.r.advice.n == 1 && strstr(f.r.advice.v[0], "must be written whole") != NULL);
	done(&f);
}

static const char check03[] =
	"prompt \"lsh> \"\n"
	"send ls\nruns ls\n"
	"send cd /\nruns nothing\n";
static const char uart03[] = "lsh> ls\r\nfile\r\nlsh> cd /\r\nlsh> ";

TEST(runs_holds)
{
	static const char *const good[] = {
		"@@W exec 18 18 0x1 \"/little_shell\"",
		"@@W write 18 18 5 \"lsh> \"",
		"@@W new 18 18 21 21",
		"@@W exec 21 21 0x1 \"/bin/ls\"",
		"@@W write 21 21 5 \"file\\n\"",
		"@@W exit 21 21 0",
		"@@W reap 18 18 21 21",
		"@@W write 18 18 5 \"lsh> \"",
		"@@W write 18 18 5 \"lsh> \"",
		NULL,
	};
	struct fixture f;
	CHECK(run(&f, check03, uart03, good) == 0);
	CHECK(strstr(f.r.items[0].detail, "PID 21 (/bin/ls), a child of the shell") != NULL);
	CHECK(f.r.items[1].ok);
	done(&f);
}

TEST(runs_catches_fakes)
{
	/* The shell prints the listing itself; its decoy child's exec fails. */
	static const char *const decoy[] = {
		"@@W exec 18 18 0x1 \"/little_shell\"",
		"@@W write 18 18 5 \"lsh> \"",
		"@@W new 18 18 21 21",
		"@@W try 21 21 0x1 \"/nope\"",
		"@@W ret 21 21 -2",
		"@@W exit 21 21 0",
		"@@W reap 18 18 21 21",
		"@@W write 18 18 5 \"file\\n\"",
		"@@W write 18 18 5 \"lsh> \"",
		"@@W new 18 18 22 22",            /* cd run as a program */
		"@@W exec 22 22 0x1 \"/bin/cd\"",
		"@@W exit 22 22 0",
		"@@W reap 18 18 22 22",
		"@@W write 18 18 5 \"lsh> \"",
		NULL,
	};
	struct fixture f;
	CHECK(run(&f, check03, uart03, decoy) == 1);
	CHECK_STREQ(f.r.items[0].detail, "the shell's child PID 21 tried to exec /nope, which "
		    "failed: ENOENT (No such file or directory)");
	CHECK_STREQ(f.r.items[1].detail, "\"cd /\" must be a built-in, done by the shell itself, "
		    "but PID 22 (/bin/cd) exec'd /bin/cd");
	done(&f);

	/* No wait: the prompt comes back before ls ends. */
	static const char *const nowait[] = {
		"@@W exec 18 18 0x1 \"/little_shell\"",
		"@@W write 18 18 5 \"lsh> \"",
		"@@W new 18 18 21 21",
		"@@W exec 21 21 0x1 \"/bin/ls\"",
		"@@W write 18 18 5 \"lsh> \"",
		"@@W write 21 21 5 \"file\\n\"",
		"@@W exit 21 21 0",
		"@@W write 18 18 5 \"lsh> \"",
		NULL,
	};
	CHECK(run(&f, check03, "lsh> ls\r\nlsh> file\r\ncd /\r\nlsh> ", nowait) == 1);
	CHECK(strstr(f.r.items[0].detail, "the prompt came back while PID 21 (/bin/ls) was still "
		     "running") != NULL);
	done(&f);

	/* No fork: the shell becomes ls; init starts a new shell. */
	static const char *const nofork[] = {
		"@@W exec 18 18 0x1 \"/little_shell\"",
		"@@W write 18 18 5 \"lsh> \"",
		"@@W exec 18 18 0x1 \"/bin/ls\"",
		"@@W write 18 18 5 \"file\\n\"",
		"@@W exit 18 18 0",
		"@@W new 1 1 22 22",
		"@@W exec 22 22 0x1 \"/little_shell\"",
		"@@W write 22 22 5 \"lsh> \"",
		"@@W write 22 22 5 \"lsh> \"",
		NULL,
	};
	CHECK(run(&f, check03, uart03, nofork) == 1);
	CHECK(strstr(f.r.items[0].detail, "exec /bin/ls itself, with no fork") != NULL);
	CHECK(f.r.advice.n == 1);
	CHECK(f.r.advice.n == 1 && strstr(f.r.advice.v[0], "without fork: exec replaces") != NULL);
	done(&f);
}

TEST(exit_and_orphans)
{
	static const char check[] = "witness exit pid=1 status=0\nwitness reaps-orphan pid=1\n";
	static const char *const lines[] = {
		"@@W exec 1 1 0x1 \"/init\"",
		"@@W new 1 1 18 18",
		"@@W new 18 18 19 19",
		"@@W exit 18 18 0",
		"@@W reap 1 1 18 18",
		"@@W exit 19 19 0",
		"@@W reap 1 1 19 19",            /* 19 was 18's: an orphan */
		"@@W exit 1 1 256",
		NULL,
	};
	struct fixture f;
	CHECK(run(&f, check, "", lines) == 1);
	CHECK_STREQ(f.r.items[0].detail, "PID 1 (/init) ended with status 1, not status 0");
	CHECK_STREQ(f.r.items[1].detail, "PID 1 (/init) reaped PID 19 (/init), an orphan (PID 18 "
		    "created it)");
	done(&f);
}

TEST(unavailable)
{
	struct fixture f;
	memset(&f, 0, sizeof f);
	char err[128];
	CHECK(check_parse_text(&f.c, "t.check", check02, NULL, err, sizeof err) == 0);
	matcher_init(&f.m, &f.c);
	witness_init(&f.w);
	CHECK(witness_judge(&f.c, &f.m, &f.w, "no debug info", &f.r) == 1);
	CHECK(f.r.items[0].miss == MISS_UNCHECKED);
	CHECK_STREQ(f.r.items[0].detail, "not judged: no debug info");
	done(&f);
}

/* The record of lines gives n pieces of advice, the first holding text. */
static int
first_advice_says(const char *const *lines, size_t n, const char *text)
{
	struct witness w;
	struct strv adv = {0};
	feed(&w, lines);
	witness_advise(&w, &adv);
	int ok = adv.n == n && strstr(adv.v[0], text) != NULL;
	strv_release(&adv);
	witness_release(&w);
	return ok;
}

TEST(advice)
{
	static const char *const lines[] = {
		"@@W exec 1 1 0x1 \"/init\"",
		"@@W new 1 1 18 18",
		"@@W try 18 18 0x2 \"/bin/little_shell\"",
		"@@W ret 18 18 -2",
		"@@W exit 18 18 32512",
		NULL,
	};
	struct witness w;
	struct strv adv = {0};
	feed(&w, lines);
	witness_advise(&w, &adv);
	CHECK(adv.n == 2);
	CHECK_STREQ(adv.v[0], "the kernel saw PID 18 (/init), a child of PID 1 (/init) try to exec "
		    "/bin/little_shell, which failed: ENOENT (No such file or directory): is the path "
		    "right, and is the file in the archive?");
	CHECK_STREQ(adv.v[1], "PID 18 (/init) ended but was never reaped: it stays a zombie until "
		    "its parent, PID 1 (/init), waits for it (wait or waitpid)");
	strv_release(&adv);
	witness_release(&w);

	/* An orphan never reaped: init's to collect, not its dead parent's. */
	static const char *const orphan[] = {
		"@@W exec 1 1 0x1 \"/init\"",
		"@@W new 1 1 22 22",
		"@@W new 22 22 23 23",
		"@@W exit 22 22 0",
		"@@W reap 1 1 22 22",
		"@@W exit 23 23 0",
		NULL,
	};
	CHECK(first_advice_says(orphan, 1, "ended too, so it became PID 1's, and stays a zombie "
				"until init waits for it"));

	/* A path with the line's end on it: shown as \n, and named. */
	static const char *const nl[] = {
		"@@W exec 18 18 0x1 \"/little_shell\"",
		"@@W new 18 18 21 21",
		"@@W try 21 21 0x2 \"/bin/ls\\n\"",
		"@@W ret 21 21 -2",
		NULL,
	};
	CHECK(first_advice_says(nl, 1, "try to exec /bin/ls\\n, which failed: ENOENT"));
	CHECK(first_advice_says(nl, 1, "the path ends in the line's end"));
}

/* A process killed by SIGTERM (an init shutting down: "Sent SIGTERM to all
 * processes") and never reaped is not called a zombie: the machine went off. */
TEST(no_zombie_claim_for_a_process_killed_at_shutdown)
{
	static const char *const lines[] = {
		"@@W exec 1 1 0x1 \"/init\"",
		"@@W new 1 1 27 27",
		"@@W exec 27 27 0x1 \"/bin/poweroff\"",
		"@@W exit 27 27 15",
		NULL,
	};
	struct witness w;
	struct strv adv = {0};
	feed(&w, lines);
	witness_advise(&w, &adv);
	CHECK(adv.n == 0);
	strv_release(&adv);
	witness_release(&w);
}

TEST(parse_errors)
{
	static const char *const bad[] = {
		"by pid=1\n",                                  /* nothing before */
		"send x\nby pid=1\n",                          /* by after a send */
		"expect x\nruns ls\n",                         /* runs after an expect */
		"send x\nruns ls -l\n",
		"expect x\nby a=b\n",
		"expect x\nby ls sh\n",                        /* two programs */
		"witness exit pid=1\n",                        /* no status */
		"witness exec\n",
		"witness fly pid=1\n",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct check c;
		char err[256] = "";
		CHECK(check_parse_text(&c, "t.check", bad[i], NULL, err, sizeof err) < 0);
		CHECK(!strncmp(err, "t.check:", 8));
	}
}

int
main(void)
{
	RUN(record);
	RUN(failed_exec_exit_reap);
	RUN(bounded);
	RUN(by_holds);
	RUN(by_names_the_real_writer);
	RUN(by_line_and_echo);
	RUN(runs_holds);
	RUN(runs_catches_fakes);
	RUN(exit_and_orphans);
	RUN(unavailable);
	RUN(advice);
	RUN(no_zombie_claim_for_a_process_killed_at_shutdown);
	RUN(parse_errors);
	return unit_summary();
}
