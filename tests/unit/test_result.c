/*
 * test_result.c: verdict names, the item-kind table, and ownership.
 */
#include "result.h"
#include "unit.h"

TEST(names)
{
	CHECK_STREQ(verdict_name(V_PASS), "PASS");
	CHECK_STREQ(verdict_name(V_TIMEOUT), "TIMEOUT");
	CHECK_STREQ(item_kind_name(ITEM_COMPARE), "compare");
	CHECK_STREQ(item_kind_name(ITEM_ANYWHERE), "anywhere");
}

TEST(marks)
{
	struct item it = {0};
	static const struct {
		enum item_kind k;
		const char *mark;
	} want[] = {
		{ITEM_EXPECT, "MISSING"}, {ITEM_SEND, "MISSING"}, {ITEM_ANYWHERE, "MISSING"},
		{ITEM_REJECT, "FORBIDDEN"}, {ITEM_GDB, "FAILED"}, {ITEM_ANSWER, "FAILED"},
		{ITEM_EXIT, "FAILED"}, {ITEM_COMPARE, "FAILED"}, {ITEM_WITNESS, "FAILED"},
		{ITEM_HOST, "FAILED"},
		{ITEM_DISK, "FAILED"}, {ITEM_SERVED, "FAILED"},
	};
	CHECK(sizeof(want) / sizeof(want[0]) == ITEM_KINDS);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		it.kind = want[i].k;
		it.ok = 0;
		CHECK_STREQ(item_mark(&it), want[i].mark);
		it.ok = 1;
		CHECK_STREQ(item_mark(&it), "ok");
	}
}

TEST(details_shown)
{
	struct item it = {.ok = 1, .kind = ITEM_GDB, .detail = "main ran in PID 1"};
	CHECK(item_shows_detail(&it));
	it.kind = ITEM_EXPECT;
	CHECK(!item_shows_detail(&it));
	it.ok = 0;
	CHECK(item_shows_detail(&it));
	it.detail = NULL;
	CHECK(!item_shows_detail(&it));
}

TEST(set_add_release)
{
	struct result r = {0};
	CHECK(result_set(&r, V_FAIL, "%d lines", 3) == V_FAIL);
	CHECK_STREQ(r.headline, "3 lines");
	result_set(&r, V_PASS, "again");
	CHECK_STREQ(r.headline, "again");
	result_add_item(&r, 1, ITEM_EXPECT, "a", NULL);
	CHECK(result_first_failed(&r) == NULL);
	result_add_item(&r, 0, ITEM_EXIT, "b", "QEMU was still running");
	CHECK(result_first_failed(&r) == &r.items[1]);
	result_release(&r);
	CHECK(r.nitems == 0 && r.items == NULL && r.headline == NULL);
}

int
main(void)
{
	RUN(names);
	RUN(marks);
	RUN(details_shown);
	RUN(set_add_release);
	return unit_summary();
}
