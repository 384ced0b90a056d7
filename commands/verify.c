/*
 * verify.c: the lab author's check that the lab itself is sound (every
 * stage, or the ones named: verify 07 08): every check file parses, every stage has its page, starter, solution and at
 * least 3 hints, every solution passes its check and every starter fails
 * it. Blocks for all those checks (a few minutes); a signal stops it
 * (exit 130).
 */
#include <stdio.h>
#include <stdlib.h>

#include "commands.h"
#include "report.h"
#include "util.h"

int
cmd_verify(struct ctx *c, const struct args *a)
{
	int problems = 0, interrupted = 0;
	char err[1024];
	/* The stages named (verify 07 08), in catalogue order, each once. */
	char *want = xcalloc(c->cat.n, 1);
	size_t nwant = 0;
	for (size_t k = 0; k < a->stages.n; k++) {
		const struct stage *s = catalog_find(&c->cat, a->stages.v[k]);
		if (!s) {
			fprintf(stderr, "lab-runner: verify: no stage '%s' (./lab-runner list "
				"shows them)\n", a->stages.v[k]);
			free(want);
			return 2;
		}
		nwant += !want[s - c->cat.stages];
		want[s - c->cat.stages] = 1;
	}
	for (size_t i = 0; i < c->cat.n && !interrupted; i++) {
		const struct stage *s = &c->cat.stages[i];
		if (nwant && !want[i])
			continue;
		struct check chk;
		char *p = stage_path(&c->cat, s, PART_CHECK);
		if (check_parse(&chk, p, NULL, err, sizeof(err)) < 0) {
			printf("FAIL %s: %s\n", s->name, err);
			problems++;
			free(p);
			continue;
		}
		free(p);
		const enum stage_part parts[] = {PART_PAGE, PART_STARTER, PART_SOLUTION};
		for (size_t k = 0; k < 3; k++) {
			p = stage_path(&c->cat, s, parts[k]);
			if (!is_file(p) && !is_dir(p)) {
				printf("FAIL %s: %s is missing\n", s->name, p);
				problems++;
			}
			free(p);
		}
		int hints = hint_count(&c->cat, s);
		if (hints < 3) {
			printf("FAIL %s: %d hint(s); a stage needs at least 3\n", s->name, hints);
			problems++;
		}
		/* The solution passes; the starter does not. */
		const char *which[] = {"solution", "starter"};
		const enum stage_part which_part[] = {PART_SOLUTION, PART_STARTER};
		for (size_t k = 0; k < 2 && !interrupted; k++) {
			struct check_opts o = {0};
			struct result r;
			char *dir = stage_path(&c->cat, s, which_part[k]);
			o.cat = &c->cat;
			o.stage = s;
			o.dir = dir;
			/* A stage that builds its own kernel (06) is checked on it:
			 * --kernel chooses the kernel of the stages that boot the lab's. */
			o.kconfig = chk.kernel == KERNEL_LEARNER ? NULL : a->kconfig;
			o.sigfd = c->sigfd;
			/* A starter only has to fail: a few seconds tell, no need to
			 * wait out the stage's whole limit. */
			if (k == 1 && chk.timeout_s > 8)
				o.timeout_s = 8;
			long long t0 = now_ms();
			enum verdict v = engine_check(&o, &r);
			interrupted = r.interrupted;
			int good = k == 0 ? v == V_PASS : v == V_FAIL || v == V_TIMEOUT;
			const char *why = good ? "" : k == 0 ? r.headline
				: "the starter must fail its check";
			printf("%s %s %-8s %-7s %.1f s%s%s\n", good ? "ok  " : "FAIL", s->name,
			       which[k], verdict_name(v), (now_ms() - t0) / 1000.0,
			       good ? "" : ": ", why);
			if (!good) {
				problems++;
				if (c->verbose)
					report_text(stdout, &r, c->color, 1);
			}
			result_release(&r);
			free(dir);
		}
		check_release(&chk);
	}
	free(want);
	if (interrupted)
		return 130;
	printf("%s: %d problem(s) in %zu stage(s)\n", problems ? "verify FAILED" : "verify ok",
	       problems, nwant ? nwant : c->cat.n);
	return problems ? 1 : 0;
}
