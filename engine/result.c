/*
 * result.c: see result.h.
 */
#include "result.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

const char *
verdict_name(enum verdict v)
{
	static const char *const names[] = {"PASS", "FAIL", "TIMEOUT", "ERROR"};
	return names[v];
}

/* One row per kind: adding a kind is adding a row (and an enum name). */
static const struct {
	const char *name;
	const char *mark;      /* when the item did not hold */
	int detail_when_ok;    /* its detail tells what was found */
} kinds[ITEM_KINDS] = {
	[ITEM_EXPECT] = {"expect", "MISSING", 0},
	[ITEM_SEND] = {"send", "MISSING", 0},
	[ITEM_ANYWHERE] = {"anywhere", "MISSING", 0},
	[ITEM_REJECT] = {"reject", "FORBIDDEN", 0},
	[ITEM_GDB] = {"gdb", "FAILED", 1},
	[ITEM_ANSWER] = {"answer", "FAILED", 1},
	[ITEM_EXIT] = {"exit", "FAILED", 0},
	[ITEM_COMPARE] = {"compare", "FAILED", 0},
	[ITEM_WITNESS] = {"witness", "FAILED", 1},
	[ITEM_HOST] = {"host", "FAILED", 1},
	[ITEM_DISK] = {"disk", "FAILED", 1},
	[ITEM_SERVED] = {"served", "FAILED", 1},
};

const char *
item_kind_name(enum item_kind k)
{
	return kinds[k].name;
}

const char *
item_mark(const struct item *it)
{
	if (it->ok)
		return "ok";
	if (it->miss == MISS_UNORDERED)
		return "UNORDERED";
	if (it->miss == MISS_UNCHECKED)
		return "UNCHECKED";
	if (it->miss == MISS_GLUED)
		return "GLUED";
	if (it->miss == MISS_REPEATED)
		return "REPEATED";
	return kinds[it->kind].mark;
}

int
item_shows_detail(const struct item *it)
{
	return it->detail && (!it->ok || kinds[it->kind].detail_when_ok);
}

enum verdict
result_set(struct result *r, enum verdict v, const char *fmt, ...)
{
	struct sb s;
	va_list ap;

	sb_init(&s);
	va_start(ap, fmt);
	sb_vprintf(&s, fmt, ap);
	va_end(ap);
	free(r->headline);
	r->headline = sb_detach(&s);
	r->verdict = v;
	return v;
}

struct item *
result_add_item(struct result *r, int ok, enum item_kind kind, const char *text, const char *detail)
{
	r->items = xrealloc(r->items, (r->nitems + 1) * sizeof(*r->items));
	struct item *it = &r->items[r->nitems++];
	it->ok = ok;
	it->kind = kind;
	it->text = xstrdup(text);
	it->detail = detail ? xstrdup(detail) : NULL;
	it->miss = MISS_PLAIN;
	return it;
}

const struct item *
result_first_failed(const struct result *r)
{
	for (size_t i = 0; i < r->nitems; i++)
		if (!r->items[i].ok)
			return &r->items[i];
	return NULL;
}

void
result_release(struct result *r)
{
	for (size_t i = 0; i < r->nitems; i++) {
		free(r->items[i].text);
		free(r->items[i].detail);
	}
	free(r->items);
	strv_release(&r->advice);
	strv_release(&r->guest_errors);
	strv_release(&r->commands);
	free(r->stage);
	free(r->title);
	free(r->headline);
	free(r->build_errors);
	free(r->last_lines);
	free(r->run_dir);
	free(r->uart_log);
	free(r->qemu_log);
	free(r->gdb_log);
	free(r->witness_log);
	free(r->witness_json);
	free(r->build_log);
	free(r->kernel_path);
	free(r->vmlinux_path);
	free(r->initrd_path);
	free(r->ssh_key);
	free(r->disk_path);
	free(r->init_elf);
	for (int i = 0; i < r->ncompare; i++)
		kernel_timing_release(&r->compare[i]);
	memset(r, 0, sizeof(*r));
}
