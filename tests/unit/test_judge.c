/*
 * test_judge.c: the judge, without QEMU. A check is parsed from text, the
 * "UART" is text fed to the matcher, and the boot's end is set by hand:
 * the verdict, its headline and the items must follow.
 */
#include "catalog.h"
#include "judge.h"
#include "match.h"
#include "result.h"
#include "unit.h"

#include <stdlib.h>

struct fixture {
	struct check c;
	struct matcher m;
	struct boot_seen seen;
	struct boot_end end;
	struct result r;
};

static void
on_line(void *ctx, const char *line)
{
	boot_seen_line(ctx, line);
}

/* Parse check, feed uart, flush, and judge with end as given. */
static void
run(struct fixture *f, const char *check, const char *uart, struct boot_end end,
    const char *const *answers)
{
	char err[256] = "";
	char *values[4] = {0}, *paths[4] = {"a.txt", "a.txt", "a.txt", "a.txt"};

	memset(f, 0, sizeof(*f));
	CHECK(check_parse_text(&f->c, "t.check", check, "1a2b3c4d", err, sizeof err) == 0);
	CHECK_STREQ(err, "");
	matcher_init(&f->m, &f->c);
	f->m.on_line = on_line;
	f->m.ctx = &f->seen;
	matcher_feed(&f->m, uart, strlen(uart), NULL);
	matcher_flush(&f->m);
	f->end = end;
	for (size_t i = 0; answers && answers[i] && i < 4; i++)
		values[i] = (char *)answers[i];
	struct judge_input in = {
		.check = &f->c, .m = &f->m, .seen = &f->seen, .end = &f->end,
		.gdb_log = "gdb.log", .answer_values = values, .answer_paths = paths,
		.uart = uart, .uart_len = strlen(uart),
	};
	judge(&in, &f->r);
}

static void
done(struct fixture *f)
{
	result_release(&f->r);
	matcher_release(&f->m);
	boot_seen_release(&f->seen);
	check_release(&f->c);
}

static const struct boot_end exited = {.qemu_exited = 1};
static const struct boot_end timed_out = {.timed_out = 1};

#define HELLO "expect Run /init as init process\nexpect Hello world\nreject Failed to execute\n"

TEST(precedence)
{
	struct judge_facts f = {0};
	CHECK(judge_reason(&f) == JR_ALL_HELD);
	f.failed = 1;
	CHECK(judge_reason(&f) == JR_ENDED_EARLY);
	f.panicked = 1;
	CHECK(judge_reason(&f) == JR_PANICKED);
	f.timed_out = 1;
	CHECK(judge_reason(&f) == JR_TIMED_OUT);
	f.uart_complete = 1;
	CHECK(judge_reason(&f) == JR_OUTPUT_RIGHT);
	f.flood = 1;
	CHECK(judge_reason(&f) == JR_FLOOD);
	f.forbidden = 1;
	CHECK(judge_reason(&f) == JR_FORBIDDEN);
	f.qemu_refused = 1;
	CHECK(judge_reason(&f) == JR_QEMU_REFUSED);
	f.interrupted = 1;
	CHECK(judge_reason(&f) == JR_INTERRUPTED);
	/* An interrupt wins even over a run where everything held. */
	struct judge_facts g = {.interrupted = 1};
	CHECK(judge_reason(&g) == JR_INTERRUPTED);
}

TEST(everything_seen_passes)
{
	struct fixture f;
	run(&f, HELLO, "[    0.3] Run /init as init process\nHello world\n", exited, NULL);
	CHECK(f.r.verdict == V_PASS);
	CHECK(f.r.nitems == 2);
	CHECK(f.r.items[0].ok && f.r.items[0].kind == ITEM_EXPECT);
	CHECK(f.r.last_lines == NULL);
	done(&f);
}

TEST(missing_line_after_qemu_ended)
{
	struct fixture f;
	run(&f, HELLO, "[    0.3] Run /init as init process\nHello, World!\n", exited, NULL);
	CHECK(f.r.verdict == V_FAIL);
	CHECK_CONTAINS(f.r.headline, "QEMU ended (exit status 0)");
	CHECK_CONTAINS(f.r.headline, "\"Hello world\" never appeared");
	CHECK_CONTAINS(f.r.items[1].detail, "the nearest line was: Hello, World!");
	CHECK(!f.r.items[1].ok);
	CHECK_STREQ(item_mark(&f.r.items[1]), "MISSING");
	CHECK_CONTAINS(f.r.last_lines, "Hello, World!");
	done(&f);
}

TEST(panic_and_timeout)
{
	struct fixture f;
	run(&f, HELLO, "Run /init as init process\n[ 0.4] Kernel panic - not syncing: Attempted to "
	    "kill init! exitcode=0x00000100\n", exited, NULL);
	CHECK(f.r.verdict == V_FAIL);
	CHECK_CONTAINS(f.r.headline, "the kernel panicked");
	/* init's exit code, decoded, is advice. */
	int said = 0;
	for (size_t i = 0; i < f.r.advice.n; i++)
		said |= strstr(f.r.advice.v[i], "exit status 1") != NULL;
	CHECK(said);
	done(&f);

	run(&f, HELLO, "Run /init as init process\nHello", timed_out, NULL);
	CHECK(f.r.verdict == V_TIMEOUT);
	CHECK_CONTAINS(f.r.headline, "within 30 s");
	done(&f);
}

TEST(forbidden_line_stops_and_later_lines_are_not_reached)
{
	struct fixture f;
	struct boot_end running = {0};
	run(&f, HELLO "exit 0\n", "Failed to execute /init (error -8)\n", running, NULL);
	CHECK(f.r.verdict == V_FAIL);
	CHECK_CONTAINS(f.r.headline, "this must not appear");
	const struct item *reject = NULL, *exit_item = NULL;
	for (size_t i = 0; i < f.r.nitems; i++) {
		if (f.r.items[i].kind == ITEM_REJECT)
			reject = &f.r.items[i];
		if (f.r.items[i].kind == ITEM_EXIT)
			exit_item = &f.r.items[i];
	}
	CHECK(reject && !reject->ok);
	CHECK_STREQ(reject ? item_mark(reject) : NULL, "FORBIDDEN");
	CHECK(exit_item && !exit_item->ok);
	CHECK_CONTAINS(exit_item ? exit_item->detail : NULL, "not reached");
	CHECK_CONTAINS(f.r.items[0].detail, "not reached");
	/* The kernel's own message is diagnosed. */
	int said = 0;
	for (size_t i = 0; i < f.r.advice.n; i++)
		said |= strstr(f.r.advice.v[i], "ENOEXEC") != NULL;
	CHECK(said);
	done(&f);
}

TEST(qemu_refusing_the_initrd_is_the_learners)
{
	struct fixture f;
	run(&f, HELLO, "qemu-system-riscv64: could not load initrd 'x'\n", exited, NULL);
	CHECK(f.r.verdict == V_FAIL);
	CHECK_CONTAINS(f.r.headline, "QEMU stopped before the machine started");
	done(&f);
	run(&f, HELLO, "qemu-system-riscv64: -m 9999: bad size\n", exited, NULL);
	CHECK(f.r.verdict == V_ERROR);
	done(&f);
}

TEST(interrupt_is_error)
{
	struct fixture f;
	struct boot_end stopped = {.interrupted = 1};
	run(&f, HELLO, "[ 0.3] Run /init as init process\nHello world\n", stopped, NULL);
	CHECK(f.r.verdict == V_ERROR && f.r.interrupted);
	CHECK_STREQ(f.r.headline, "interrupted");
	done(&f);
}

#define ANSWER "expect Machine model\nanswer a.txt \"UART address\" /^0x[0-9a-f]+$/\n"

TEST(answers)
{
	struct fixture f;
	const char *uart = "Machine model: riscv-virtio,qemu\nserial@10000000: at 0x10000000\n";
	const char *right[] = {"0x10000000", NULL}, *part[] = {"10000000", NULL};
	const char *inside[] = {"0x1000000", NULL};

	run(&f, ANSWER, uart, exited, right);
	CHECK(f.r.verdict == V_PASS);
	done(&f);
	run(&f, ANSWER, uart, exited, NULL);
	CHECK(f.r.verdict == V_FAIL);
	CHECK_CONTAINS(f.r.headline, "the output is right, but no answer yet");
	CHECK_STREQ(item_mark(&f.r.items[1]), "FAILED");
	done(&f);
	/* A number inside a longer one is not the number. */
	run(&f, ANSWER, uart, exited, inside);
	CHECK_CONTAINS(f.r.items[1].detail, "does not appear");
	done(&f);
	/* Part of what the log writes: its spelling is offered (engine/answer.c). */
	run(&f, ANSWER, uart, exited, part);
	CHECK_CONTAINS(f.r.items[1].detail, "the log writes it '0x10000000'");
	done(&f);
}

TEST(answer_value_reads_the_key)
{
	char *v = answer_value("# notes\n  uart ADDRESS:  0x10000000 \r\nother: x\n", "UART address");
	CHECK_STREQ(v, "0x10000000");
	free(v);
	v = answer_value("UART address:\n", "UART address");
	CHECK_STREQ(v, "");
	free(v);
	CHECK(answer_value("UART addresses: 1\n", "UART address") == NULL);
}

TEST(seen_lines)
{
	struct boot_seen s = {0};
	CHECK(boot_seen_line(&s, "qemu-system-riscv64: initrd is too large") == 0);
	CHECK_STREQ(s.qemu_said, "initrd is too large");
	CHECK(s.qemu_said_initrd);
	CHECK(boot_seen_line(&s, "[    0.3] Run /init as init process") == 1);
	CHECK(s.saw_run_init && !s.user_output);
	boot_seen_line(&s, "[    0.4] a kernel line");
	CHECK(!s.user_output);
	boot_seen_line(&s, "Hello world");
	CHECK(s.user_output);
	boot_seen_release(&s);
	CHECK(s.qemu_said == NULL && !s.saw_run_init);
}

TEST(silent_init_gets_the_buffering_advice)
{
	struct fixture f;
	run(&f, HELLO, "[ 0.3] Run /init as init process\n", timed_out, NULL);
	int said = 0;
	for (size_t i = 0; i < f.r.advice.n; i++)
		said |= strstr(f.r.advice.v[i], "line-buffered") != NULL;
	CHECK(said);
	done(&f);
}

TEST(only_true_marks_for_lines_after_a_missing_one)
{
	struct fixture f;
	/* "zombies: 0" appeared, but the line before it did not: it was never
	 * looked for, and the report must not call it MISSING. */
	run(&f, "expect Run /init\nexpect inet 10.0.2.15/24\nexpect zombies: 0\n",
	    "Run /init as init process\ninet 10.0.2.16/24\nzombies: 0\n", exited, NULL);
	CHECK(f.r.verdict == V_FAIL);
	CHECK_STREQ(item_mark(&f.r.items[1]), "MISSING");
	CHECK_STREQ(item_mark(&f.r.items[2]), "UNCHECKED");
	CHECK_CONTAINS(f.r.items[2].detail, "not checked: an earlier line (\"inet 10.0.2.15/24\") was missing");
	CHECK_CONTAINS(f.r.items[2].detail, "it did appear");
	done(&f);
	/* A line that came before its turn is out of order, not missing. */
	run(&f, "expect first\nexpect second\n", "second\nfirst\n", exited, NULL);
	CHECK_STREQ(item_mark(&f.r.items[1]), "UNORDERED");
	CHECK_CONTAINS(f.r.items[1].detail, "appeared before \"first\"");
	done(&f);
}

TEST(a_send_after_a_missing_line_names_that_line)
{
	struct fixture f;
	run(&f, "expect Welcome\nprompt \"$ \"\nsend ls\nexpect Your command is: ls\n",
	    "Hello\n$ ", exited, NULL);
	CHECK_STREQ(item_mark(&f.r.items[1]), "UNCHECKED");
	CHECK_CONTAINS(f.r.items[1].detail, "not typed: an earlier line (\"Welcome\") was missing");
	done(&f);
	run(&f, "expect Welcome\nprompt \"$ \"\nsend ls\n", "Welcome\n", exited, NULL);
	CHECK_STREQ(item_mark(&f.r.items[1]), "MISSING");
	CHECK_CONTAINS(f.r.items[1].detail, "did not appear after \"Welcome\"");
	done(&f);
}

static int
advised(const struct result *r, const char *text)
{
	for (size_t i = 0; i < r->advice.n; i++)
		if (strstr(r->advice.v[i], text))
			return 1;
	return 0;
}

TEST(decided_runs_fail_and_say_why)
{
	struct fixture f;
	const char *shell = "prompt \"lsh> \"\nsend ls\nexpect d1a2b3c4d\nsend pwd\nexpect /work\n";

	/* The prompt came back with another answer. */
	run(&f, shell, "lsh> ls\nlsh: ls: command not found\nlsh> ", timed_out, NULL);
	CHECK(f.r.verdict == V_FAIL);
	CHECK_CONTAINS(f.r.headline, "expected \"d1a2b3c4d\" after \"ls\" was typed");
	CHECK_CONTAINS(f.r.headline, "the console showed \"lsh: ls: command not found\"");
	CHECK_STREQ(item_mark(&f.r.items[1]), "MISSING");
	CHECK_CONTAINS(f.r.items[1].detail, "the prompt \"lsh> \" came back without it");
	CHECK_STREQ(item_mark(&f.r.items[2]), "UNCHECKED");
	CHECK_CONTAINS(f.r.items[2].detail, "not typed: an earlier line (\"d1a2b3c4d\")");
	CHECK(f.r.guest_errors.n == 1);
	done(&f);

	/* The prompt first, the answer after it: out of order, not missing. */
	run(&f, shell, "lsh> ls\nlsh> d1a2b3c4d\n", timed_out, NULL);
	CHECK(f.r.verdict == V_FAIL);
	CHECK_STREQ(item_mark(&f.r.items[1]), "UNORDERED");
	CHECK_CONTAINS(f.r.items[1].detail, "it came only after the prompt \"lsh> \"");
	CHECK_CONTAINS(f.r.headline, "the prompt came first, the line after it: lsh> d1a2b3c4d");
	done(&f);

	/* A once line twice; the other thread was cut short, not MISSING. */
	run(&f, "expect Run /init\nprompt \"$ \"\nsend ls\nthread init\nexpect tick 1\n"
	    "once a copy of init prints too\nexpect tick 2\n",
	    "Run /init as init process\ntick 1\ntick 1\n", timed_out, NULL);
	CHECK(f.r.verdict == V_FAIL);
	CHECK_CONTAINS(f.r.headline, "\"tick 1\" appeared again, and it must appear once: a copy");
	CHECK_STREQ(item_mark(&f.r.items[1]), "UNCHECKED");
	CHECK_CONTAINS(f.r.items[1].detail, "not reached: the output had decided the run");
	CHECK_STREQ(item_mark(&f.r.items[2]), "REPEATED");
	CHECK_STREQ(item_mark(&f.r.items[3]), "UNCHECKED");
	/* The once line's WHY is the advice, under "What this means". */
	CHECK(f.r.advice.n >= 1);
	CHECK_STREQ(f.r.advice.v[0], "a copy of init prints too");
	done(&f);

	/* An error line, then only ticks. */
	run(&f, "expect Run /init\nprompt \"$ \"\nsend ls\nthread init ticks\nexpect tick 1\n"
	    "expect tick 2\nexpect tick 3\n",
	    "Run /init as init process\ninit: cannot run /bin/sh: No such file or directory\n"
	    "tick 1\ntick 2\ntick 3\n", timed_out, NULL);
	CHECK(f.r.verdict == V_FAIL);
	CHECK_CONTAINS(f.r.headline, "the guest printed an error, \"init: cannot run /bin/sh: No "
		       "such file or directory\", and after it only thread init went on");
	CHECK_CONTAINS(f.r.items[1].detail, "not typed: the prompt \"$ \" did not appear");
	done(&f);
}

TEST(a_glued_line_is_named_as_the_cause)
{
	struct fixture f;
	run(&f, "expect Run /init\nline Hello world\n"
	    "expect Kernel panic - not syncing: Attempted to kill init! exitcode=0x00000000\n",
	    "[ 0.2] Run /init as init process\nHello world[    0.26] Kernel panic - not syncing: "
	    "Attempted to kill init! exitcode=0x00000000\n", exited, NULL);
	CHECK(f.r.verdict == V_FAIL);
	CHECK_STREQ(item_mark(&f.r.items[1]), "GLUED");
	CHECK_CONTAINS(f.r.items[1].detail, "the line appeared with text glued to it: Hello world[");
	CHECK_CONTAINS(f.r.headline, "\"Hello world\" appeared with text glued to it");
	CHECK_STREQ(item_mark(&f.r.items[2]), "UNCHECKED");
	CHECK(!advised(&f.r, "must never exit"));
	done(&f);
}

TEST(init_exit_status_in_a_stage_where_init_ends)
{
	struct fixture f;
	run(&f, "expect Run /init\n"
	    "expect Kernel panic - not syncing: Attempted to kill init! exitcode=0x00000000\n",
	    "Run /init as init process\n[ 0.4] Kernel panic - not syncing: Attempted to kill init! "
	    "exitcode=0x00000100\n", exited, NULL);
	CHECK(f.r.verdict == V_FAIL);
	CHECK(advised(&f.r, "init ended with exit status 1"));
	CHECK(advised(&f.r, "this stage expects it to end with exitcode=0x00000000, exit status 0"));
	CHECK(!advised(&f.r, "must never exit"));
	done(&f);
	/* Where init must never end, that is what it is told. */
	run(&f, "expect Run /init\nexpect tick\n",
	    "Run /init as init process\n[ 0.4] Kernel panic - not syncing: Attempted to kill init! "
	    "exitcode=0x00000100\n", exited, NULL);
	CHECK(advised(&f.r, "PID 1 must never exit"));
	done(&f);
}

TEST(a_timeout_says_how_long_the_guest_was_silent)
{
	struct fixture f;
	struct boot_end quiet = {.timed_out = 1, .silent_ms = 12300};
	run(&f, HELLO, "Run /init as init process\nworking\n", quiet, NULL);
	CHECK(f.r.verdict == V_TIMEOUT);
	CHECK_CONTAINS(f.r.headline, "printed nothing for the last 12.3 s, its last line: "
		       "\"working\"");
	done(&f);
	struct boot_end busy = {.timed_out = 1, .silent_ms = 10};
	run(&f, HELLO, "Run /init as init process\nspam\nspam\n", busy, NULL);
	CHECK_CONTAINS(f.r.headline, "was still printing, its last line: \"spam\"");
	done(&f);
}

int
main(void)
{
	RUN(precedence);
	RUN(everything_seen_passes);
	RUN(missing_line_after_qemu_ended);
	RUN(panic_and_timeout);
	RUN(forbidden_line_stops_and_later_lines_are_not_reached);
	RUN(qemu_refusing_the_initrd_is_the_learners);
	RUN(interrupt_is_error);
	RUN(answers);
	RUN(answer_value_reads_the_key);
	RUN(seen_lines);
	RUN(silent_init_gets_the_buffering_advice);
	RUN(only_true_marks_for_lines_after_a_missing_one);
	RUN(a_send_after_a_missing_line_names_that_line);
	RUN(decided_runs_fail_and_say_why);
	RUN(a_glued_line_is_named_as_the_cause);
	RUN(init_exit_status_in_a_stage_where_init_ends);
	RUN(a_timeout_says_how_long_the_guest_was_silent);
	return unit_summary();
}
