/*
 * compare.c: see compare.h.
 */
#include "compare.h"
#include "elffile.h"
#include "qemu.h"
#include "util.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_BOOTS 15
#define RUN_INIT  "Run /init as init process"

/* The kernel's timestamp at the start of a line, in microseconds, or -1. */
static long
stamp_us(const char *line)
{
	const char *p = strchr(line, '[');
	char *end;
	if (!p || p - line > 8)
		return -1;
	double s = strtod(p + 1, &end);
	if (end == p + 1 || *end != ']')
		return -1;
	return (long)(s * 1e6 + 0.5);
}

/*
 * One boot, up to "Run /init". Returns 0 with the two times, 1 when the
 * boot fell short (why in `why`), -1 when interrupted.
 */
static int
one_boot(const struct compare_job *j, const struct kernel_timing *k, long long *wall_ms,
	 long *kernel_us, char *why, size_t whylen)
{
	struct qemu q;
	struct qemu_opts qo = {0};
	struct sb acc;
	char buf[8192];
	int rc = 1;

	qo.kernel = k->image;
	qo.initrd = k->initrd;
	qo.append = j->append;
	qo.memory_mb = j->memory_mb;
	qo.real_clock = 0;   /* count instructions: the guest's clock is the kernel's work */
	long long t0 = now_ms(), deadline = t0 + (long long)j->timeout_s * 1000;
	if (qemu_start(&q, &qo, why, whylen) < 0)
		return 1;
	sb_init(&acc);
	snprintf(why, whylen, "no '%s' within %d s", RUN_INIT, j->timeout_s);
	for (;;) {
		struct pollfd p[2] = {{q.out_fd, POLLIN, 0}, {j->sigfd, POLLIN, 0}};
		long long left = deadline - now_ms();
		if (left <= 0)
			break;
		if (poll(p, 2, (int)left) < 0 && errno != EINTR)
			break;
		if (p[1].revents & POLLIN) {
			rc = -1;
			break;
		}
		if (!(p[0].revents & (POLLIN | POLLHUP)))
			continue;
		ssize_t n = read(q.out_fd, buf, sizeof(buf));
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (n <= 0) {
			/* -no-reboot, panic=-1: a panic ends QEMU. Say the panic's line. */
			char *panic = strstr(acc.buf ? acc.buf : "", "Kernel panic");
			if (panic)
				snprintf(why, whylen, "the boot ended before '%s': %.*s", RUN_INIT,
					 (int)strcspn(panic, "\r\n"), panic);
			else
				snprintf(why, whylen, "QEMU ended before '%s'", RUN_INIT);
			break;
		}
		long long t = now_ms();
		sb_add(&acc, buf, (size_t)n);
		char *hit = strstr(acc.buf, RUN_INIT);
		if (hit) {
			char *bol = hit;
			while (bol > acc.buf && bol[-1] != '\n')
				bol--;
			*wall_ms = t - t0;
			*kernel_us = stamp_us(bol);
			rc = 0;
			break;
		}
		/* Keep only the unfinished last line for the next read (all of it
		 * once a panic began: its line names the reason). */
		char *nl = strrchr(acc.buf, '\n');
		if (nl && !strstr(acc.buf, "Kernel panic")) {
			size_t keep = acc.len - (size_t)(nl + 1 - acc.buf);
			memmove(acc.buf, nl + 1, keep);
			acc.len = keep;
			acc.buf[keep] = '\0';
		}
	}
	qemu_stop(&q, 0);
	sb_release(&acc);
	return rc;
}

/* The size in memory of the kernel whose ELF is path, or -1. */
static long long
memory_size(const char *path)
{
	const unsigned char *data;
	size_t len;
	uint64_t bytes;
	if (!path || map_file(path, &data, &len) < 0)
		return -1;
	int rc = elf_loaded_size(data, len, &bytes);
	unmap_file(data, len);
	return rc < 0 ? -1 : (long long)bytes;
}

static int
cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;
	return x < y ? -1 : x > y;
}

static int
cmp_l(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;
	return x < y ? -1 : x > y;
}

int
compare_boot_times(const struct compare_job *j, struct kernel_timing *t, int n)
{
	int boots = j->boots < 1 ? 1 : j->boots > MAX_BOOTS ? MAX_BOOTS : j->boots;
	long long wall[8][MAX_BOOTS];
	long kus[8][MAX_BOOTS];
	int nk[8] = {0};
	char why[512];

	if (n > 8)
		n = 8;
	for (int k = 0; k < n; k++) {
		struct stat st;
		t[k].image_bytes = stat(t[k].image, &st) == 0 ? (long long)st.st_size : -1;
		t[k].memory_bytes = memory_size(t[k].vmlinux);
		t[k].boots = 0;
		t[k].kernel_us = t[k].kernel_us_min = t[k].kernel_us_max = -1;
		t[k].wall_ms = 0;
	}
	for (int b = 0; b < boots; b++)
		for (int k = 0; k < n; k++) {
			if (t[k].problem)
				continue;   /* it fell short once: it will again */
			long long w;
			long us;
			int rc = one_boot(j, &t[k], &w, &us, why, sizeof(why));
			if (rc < 0)
				return -1;
			if (rc > 0) {
				t[k].problem = xstrdup(why);
				continue;
			}
			wall[k][t[k].boots] = w;
			kus[k][t[k].boots] = us;
			t[k].boots++;
			nk[k] += us >= 0;
		}
	for (int k = 0; k < n; k++) {
		int m = t[k].boots;
		if (!m)
			continue;
		qsort(wall[k], (size_t)m, sizeof(long long), cmp_ll);
		t[k].wall_ms = wall[k][m / 2];
		if (nk[k] == m) {
			qsort(kus[k], (size_t)m, sizeof(long), cmp_l);
			t[k].kernel_us = kus[k][m / 2];
			t[k].kernel_us_min = kus[k][0];
			t[k].kernel_us_max = kus[k][m - 1];
		}
	}
	return 0;
}

void
kernel_timing_release(struct kernel_timing *t)
{
	free(t->label);
	free(t->image);
	free(t->vmlinux);
	free(t->problem);
	memset(t, 0, sizeof(*t));
}

void
human_size(long long bytes, char *buf, int len)
{
	if (bytes < 0)
		snprintf(buf, (size_t)len, "?");
	else if (bytes >= 1024 * 1024)
		snprintf(buf, (size_t)len, "%.1f MiB", bytes / 1048576.0);
	else
		snprintf(buf, (size_t)len, "%lld KiB", bytes / 1024);
}
