/*
 * test_match.c: the UART matcher's truths and decisions, without QEMU. A
 * check is parsed from text and the "UART" is text fed in chunks of every
 * size: whole lines, text glued to a line, the prompt that comes back
 * before the answer, a `once` line twice, a guest error and then only
 * ticks.
 */
#include "catalog.h"
#include "match.h"
#include "unit.h"

#include <stdlib.h>

struct fx {
	struct check c;
	struct matcher m;
	struct strv sent;
};

static void
start(struct fx *f, const char *check)
{
	char err[256] = "";

	memset(f, 0, sizeof(*f));
	CHECK(check_parse_text(&f->c, "t.check", check, "1a2b3c4d", err, sizeof err) == 0);
	CHECK_STREQ(err, "");
	matcher_init(&f->m, &f->c);
}

/* Feed text in chunks of `chunk` bytes (0: at once). */
static void
feed(struct fx *f, const char *text, size_t chunk)
{
	size_t n = strlen(text);

	if (!chunk)
		chunk = n ? n : 1;
	for (size_t i = 0; i < n; i += chunk)
		matcher_feed(&f->m, text + i, i + chunk <= n ? chunk : n - i, &f->sent);
}

static void
stop(struct fx *f)
{
	matcher_release(&f->m);
	strv_release(&f->sent);
	check_release(&f->c);
}

TEST(a_line_step_wants_the_whole_line)
{
	for (size_t chunk = 0; chunk < 9; chunk++) {
		struct fx f;
		start(&f, "line Hello world\n");
		feed(&f, "Hello world", chunk);
		CHECK(!matcher_complete(&f.m));   /* the line has not ended yet */
		feed(&f, "\n", chunk);
		CHECK(matcher_complete(&f.m));
		CHECK(f.m.glued[0][0] == NULL);
		stop(&f);

		/* printf without \n: the kernel's panic glued to its end. */
		start(&f, "line Hello world\nexpect Kernel panic\n");
		feed(&f, "Hello world[    0.26] Kernel panic - not syncing\n", chunk);
		CHECK(f.m.pos[0] == 0);
		CHECK_STREQ(f.m.glued[0][0], "Hello world[    0.26] Kernel panic - not syncing");
		CHECK(f.m.decided.why == MD_NONE);
		stop(&f);

		/* Glued before it, then the right line after all. */
		start(&f, "line Hello world\n");
		feed(&f, "Starting...Hello world\nHello world\n", chunk);
		CHECK_STREQ(f.m.glued[0][0], "Starting...Hello world");
		CHECK(matcher_complete(&f.m));
		stop(&f);
	}
	/* An expect still finds its text anywhere in a line. */
	struct fx f;
	start(&f, "expect Hello world\n");
	feed(&f, "Hello world[    0.26] Kernel panic\n", 0);
	CHECK(matcher_complete(&f.m));
	stop(&f);
}

#define SHELL "prompt \"lsh> \"\nsend ls\nexpect d1a2b3c4d\nsend pwd\n"

TEST(the_prompt_before_the_answer_decides)
{
	for (size_t chunk = 0; chunk < 7; chunk++) {
		struct fx f;
		/* No waitpid: the prompt first, the program's output after it. */
		start(&f, SHELL);
		feed(&f, "lsh> ", chunk);
		CHECK(f.sent.n == 1 && !strcmp(f.sent.v[0], "ls"));
		feed(&f, "ls\r\nlsh> d1a2b3c4d\n", chunk);
		CHECK(f.m.decided.why == MD_PROMPT_FIRST);
		CHECK(f.m.decided.step == 1);
		CHECK_STREQ(f.m.decided.between, "");
		CHECK_STREQ(f.m.decided.late, "lsh> d1a2b3c4d");
		CHECK_STREQ(f.m.decided.line, "lsh> d1a2b3c4d");
		CHECK(f.sent.n == 1);            /* pwd is not typed */
		CHECK(!matcher_complete(&f.m));
		stop(&f);

		/* The shell said something else, then asked again. */
		start(&f, SHELL);
		feed(&f, "lsh> ls\nlsh: ls: command not found\nlsh> ", chunk);
		CHECK(f.m.decided.why == MD_PROMPT_FIRST);
		CHECK_STREQ(f.m.decided.between, "lsh: ls: command not found");
		CHECK(f.m.decided.late == NULL);
		stop(&f);

		/* The answer, then the prompt: all is well, pwd is typed. */
		start(&f, SHELL);
		feed(&f, "lsh> ", chunk);
		feed(&f, "ls\nd1a2b3c4d\nlsh> ", chunk);
		CHECK(f.m.decided.why == MD_NONE);
		CHECK(f.sent.n == 2 && !strcmp(f.sent.v[1], "pwd"));
		CHECK(matcher_complete(&f.m));
		stop(&f);
	}
}

TEST(a_once_line_twice_decides)
{
	const char *chk = "thread init\nexpect Hello! 1\nonce a second process prints init's lines\n"
		"expect Hello! 2\nexpect Hello! 3\n";
	for (size_t chunk = 0; chunk < 5; chunk++) {
		struct fx f;
		start(&f, chk);
		feed(&f, "Hello! 1\nHello! 1\n", chunk);
		CHECK(f.m.decided.why == MD_REPEATED);
		CHECK(f.m.decided.thread == 1 && f.m.decided.step == 0);
		stop(&f);
		/* "Hello! 10" is not "Hello! 1" again; a prompt glued before it is. */
		start(&f, chk);
		feed(&f, "Hello! 1\nHello! 2\nHello! 3\nHello! 10\n", chunk);
		CHECK(f.m.decided.why == MD_NONE);
		CHECK(matcher_complete(&f.m));
		stop(&f);
		start(&f, chk);
		feed(&f, "Hello! 1\nEnter your command: Hello! 1\n", chunk);
		CHECK(f.m.decided.why == MD_REPEATED);
		stop(&f);
	}
}

TEST(a_once_line_before_its_turn_decides)
{
	struct fx f;
	start(&f, "expect one\nexpect two\nonce it is printed once\n");
	feed(&f, "two\n", 0);
	CHECK(f.m.decided.why == MD_OUT_OF_ORDER);
	CHECK(f.m.decided.step == 0 && f.m.decided.later == 1);
	stop(&f);
	/* Without once, a line may still come again in its turn. */
	start(&f, "expect one\nexpect two\n");
	feed(&f, "two\none\ntwo\n", 0);
	CHECK(f.m.decided.why == MD_NONE);
	CHECK(matcher_complete(&f.m));
	stop(&f);
	/* A thread that types decides nothing this way. */
	start(&f, "prompt \"$ \"\nsend x\nexpect one\nexpect two\nonce w\n");
	feed(&f, "two\n", 0);
	CHECK(f.m.decided.why == MD_NONE);
	stop(&f);
}

#define STALL "expect Run /init\nprompt \"Enter your command: \"\nsend ls\n" \
	"expect Your command is: ls\nthread init%s\nexpect tick 1\nexpect tick 2\nexpect tick 3\n"

TEST(an_error_then_only_ticks_decides)
{
	char chk[512];
	snprintf(chk, sizeof chk, STALL, " ticks");
	for (size_t chunk = 0; chunk < 6; chunk++) {
		struct fx f;
		start(&f, chk);
		feed(&f, "Run /init as init process\ntick 1\n"
		     "init: cannot run /bin/little_shell: No such file or directory\ntick 2\n", chunk);
		CHECK(f.m.decided.why == MD_NONE);   /* one tick since: not yet */
		feed(&f, "tick 3\n", chunk);
		CHECK(f.m.decided.why == MD_STALLED);
		CHECK(f.m.decided.thread == 0 && f.m.decided.step == 1);
		CHECK_STREQ(f.m.decided.between,
			    "init: cannot run /bin/little_shell: No such file or directory");
		CHECK(f.m.errors.n == 1);
		stop(&f);
		/* Ticks without an error: nothing decided (a slow shell may come). */
		start(&f, chk);
		feed(&f, "Run /init as init process\ntick 1\ntick 2\ntick 3\n", chunk);
		CHECK(f.m.decided.why == MD_NONE);
		stop(&f);
	}
	/* Without `ticks`, no thread is the guest's clock: nothing decided. */
	snprintf(chk, sizeof chk, STALL, "");
	struct fx f;
	start(&f, chk);
	feed(&f, "Run /init as init process\ninit: exec: No such file or directory\n"
	     "tick 1\ntick 2\ntick 3\n", 0);
	CHECK(f.m.decided.why == MD_NONE);
	stop(&f);
}

TEST(guest_error_lines)
{
	CHECK(guest_error_line("init: cannot run /bin/little_shell: No such file or directory"));
	CHECK(guest_error_line("execl: Exec format error"));
	CHECK(guest_error_line("lsh: ls: command not found"));
	CHECK(guest_error_line("sh: foo: not found"));
	CHECK(guest_error_line("udhcpc: read error: Network is down"));
	CHECK(!guest_error_line("[    0.31] VFS: Cannot open root device: No such file or directory"));
	CHECK(!guest_error_line("Hello from the original init! 1"));
	CHECK(!guest_error_line("No such file or directory"));
	CHECK(!guest_error_line(""));

	/* Kept: the first MATCH_ERRORS distinct ones, then counted. */
	struct fx f;
	start(&f, "expect never\n");
	feed(&f, "init: a\ninit: a\n", 0);
	CHECK(f.m.errors.n == 1);
	for (int i = 0; i < MATCH_ERRORS + 3; i++) {
		char l[64];
		snprintf(l, sizeof l, "lsh: x%d: command not found\n", i);
		feed(&f, l, 0);
	}
	CHECK(f.m.errors.n == MATCH_ERRORS);
	CHECK(f.m.errors_more == 4);
	stop(&f);
}

TEST(the_nearest_line)
{
	struct fx f;
	start(&f, "expect Hello world\n");
	feed(&f, "something else\nHello, World!\nHelo world\n", 0);
	CHECK_STREQ(f.m.near[0], "Helo world");   /* distance 1 beats 3 */
	stop(&f);
	start(&f, "thread out\nexpect /^zombies: 0$/\n");
	feed(&f, "zombies: 1\n", 0);
	CHECK_STREQ(f.m.near[1], "zombies: 1");
	stop(&f);
	start(&f, "expect Hello world\n");
	feed(&f, "Goodbye moon\n", 0);
	CHECK(f.m.near[0] == NULL);
	stop(&f);
}

TEST(plain_text_and_distance)
{
	struct pattern p;
	char err[128], *s;

	CHECK(pattern_init(&p, "/^zombies: 0$/", err, sizeof err) == 0);
	CHECK_STREQ((s = pattern_plain(&p)), "zombies: 0");
	free(s);
	pattern_release(&p);
	CHECK(pattern_init(&p, "/^\\/init$/", err, sizeof err) == 0);
	CHECK_STREQ((s = pattern_plain(&p)), "/init");
	free(s);
	pattern_release(&p);
	CHECK(pattern_init(&p, "/a.*b/", err, sizeof err) == 0);
	CHECK(pattern_plain(&p) == NULL);
	pattern_release(&p);

	CHECK(edit_distance("Hello world", "hello world", 5) == 0);
	CHECK(edit_distance("Hello world", "Hello, World!", 5) == 2);
	CHECK(edit_distance("abc", "abcdefgh", 2) == 3);   /* over the limit */
	CHECK(edit_distance("", "ab", 5) == 2);
}

TEST(last_line)
{
	struct fx f;
	start(&f, "expect never\n");
	CHECK_STREQ(matcher_last_line(&f.m), "");
	feed(&f, "one\ntwo\n\n", 0);
	CHECK_STREQ(matcher_last_line(&f.m), "two");
	feed(&f, "Enter your command: ", 0);
	CHECK_STREQ(matcher_last_line(&f.m), "Enter your command: ");
	stop(&f);
}

int
main(void)
{
	RUN(a_line_step_wants_the_whole_line);
	RUN(the_prompt_before_the_answer_decides);
	RUN(a_once_line_twice_decides);
	RUN(a_once_line_before_its_turn_decides);
	RUN(an_error_then_only_ticks_decides);
	RUN(guest_error_lines);
	RUN(the_nearest_line);
	RUN(plain_text_and_distance);
	RUN(last_line);
	return unit_summary();
}
