/*
 * test_fs.c: unit tests for engine/fs.c, in a temporary folder of their
 * own (removed at the end).
 */
#include "fs.h"
#include "mem.h"
#include "strbuf.h"
#include "unit.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static char tmp[] = "/tmp/test_fs.XXXXXX";

/* A path in the temporary folder (the caller frees). */
static char *
at(const char *rel)
{
	return xasprintf("%s/%s", tmp, rel);
}

/* Write a file of n bytes of c under the temporary folder, and the
 * folders above it. */
static void
put(const char *rel, char c, size_t n)
{
	char *p = at(rel), *data = xmalloc(n);
	*strrchr(p, '/') = '\0';
	CHECK(mkdir_p(p, 0755) == 0);
	p[strlen(p)] = '/';
	memset(data, c, n);
	CHECK(write_file_atomic(p, data, n) == 0);
	free(data);
	free(p);
}

static int
exists(const char *rel)
{
	struct stat st;
	char *p = at(rel);
	int ok = lstat(p, &st) == 0;
	free(p);
	return ok;
}

/* Set a file's modification time, so that a change of contents alone can
 * be told from a change of time. */
static void
set_mtime(const char *rel, time_t t)
{
	struct timespec ts[2] = {{t, 0}, {t, 0}};
	char *p = at(rel);
	CHECK(utimensat(AT_FDCWD, p, ts, AT_SYMLINK_NOFOLLOW) == 0);
	free(p);
}

static unsigned long long
hash_of(const char *rel)
{
	unsigned long long h = 0;
	char *p = at(rel);
	CHECK(tree_hash(p, &h) == 0);
	free(p);
	return h;
}

TEST(whole_files_round_trip)
{
	char *p = at("rt.txt"), *data = NULL;
	size_t len = 0;

	CHECK(write_file_atomic(p, "hello\n", 6) == 0);
	CHECK(read_file(p, &data, &len) == 0);
	CHECK(len == 6);
	CHECK_STREQ(data, "hello\n");
	free(data);
	CHECK(write_file_atomic(p, "new", 3) == 0);    /* replaces it whole */
	CHECK(read_file(p, &data, NULL) == 0);
	CHECK_STREQ(data, "new");
	free(data);
	free(p);

	p = at("missing.txt");
	data = NULL;
	errno = 0;
	CHECK(read_file(p, &data, &len) == -1);
	CHECK(errno == ENOENT);
	CHECK(data == NULL);
	free(p);

	/* Into a folder that does not exist: -1, errno from open, no temporary left. */
	p = at("nofolder/x");
	errno = 0;
	CHECK(write_file_atomic(p, "x", 1) == -1);
	CHECK(errno == ENOENT);
	free(p);
}

TEST(read_file_head_reads_no_more_than_asked)
{
	char *p = at("head.txt"), *data = NULL;
	size_t len = 0;
	struct sb big;

	sb_init(&big);
	for (int i = 0; i < 20000; i++)
		sb_puts(&big, "0123456789");      /* 200,000 bytes: several reads */
	CHECK(write_file_atomic(p, big.buf, big.len) == 0);
	CHECK(read_file_head(p, &data, &len, 100000) == 0);
	CHECK(len == 100000);
	CHECK(data[len] == '\0' && !memcmp(data, big.buf, len));
	free(data);
	CHECK(read_file_head(p, &data, &len, 7) == 0);
	CHECK(len == 7);
	CHECK_STREQ(data, "0123456");
	free(data);
	CHECK(read_file_head(p, &data, &len, 0) == 0);   /* 0: the whole file */
	CHECK(len == big.len);
	free(data);
	sb_release(&big);
	free(p);
}

TEST(copy_file_copies_and_sets_mode)
{
	char *from = at("cf.src"), *to = at("cf.dst"), *data;
	struct stat st;

	CHECK(write_file_atomic(from, "abc", 3) == 0);
	CHECK(copy_file(from, to, 0600) == 0);
	CHECK(read_file(to, &data, NULL) == 0);
	CHECK_STREQ(data, "abc");
	free(data);
	CHECK(stat(to, &st) == 0 && (st.st_mode & 0777) == 0600);
	free(from);
	from = at("cf.none");
	errno = 0;
	CHECK(copy_file(from, to, 0644) == -1 && errno == ENOENT);
	free(from);
	free(to);
}

TEST(map_file_maps_and_refuses_empty)
{
	char *p = at("map.txt");
	const unsigned char *data = NULL;
	size_t len = 0;

	CHECK(write_file_atomic(p, "mapped", 6) == 0);
	CHECK(map_file(p, &data, &len) == 0);
	CHECK(len == 6 && !memcmp(data, "mapped", 6));
	unmap_file(data, len);
	unmap_file(NULL, 0);
	CHECK(write_file_atomic(p, "", 0) == 0);
	errno = 0;
	CHECK(map_file(p, &data, &len) == -1 && errno == EINVAL);
	free(p);
}

TEST(mkdir_p_makes_every_level)
{
	char *p = at("mk/a//b/c/");

	CHECK(mkdir_p(p, 0755) == 0);
	CHECK(is_dir(p));
	CHECK(mkdir_p(p, 0755) == 0);      /* there already: success */
	free(p);
	put("mk/file", 'f', 1);
	p = at("mk/file/sub");
	errno = 0;
	CHECK(mkdir_p(p, 0755) == -1 && errno == ENOTDIR);
	free(p);
	p = at("mk/file");
	errno = 0;
	CHECK(mkdir_p(p, 0755) == -1 && errno == ENOTDIR);
	CHECK(is_file(p) && !is_dir(p));
	free(p);
}

TEST(copy_tree_keeps_files_modes_times_links)
{
	char err[512] = "", *from = at("ct"), *to = at("ct.copy"), *data;
	struct stat a, b;

	put("ct/a.c", 'a', 10);
	put("ct/sub/b.c", 'b', 20);
	char *x = at("ct/sub/b.c");
	chmod(x, 0755);
	free(x);
	set_mtime("ct/a.c", 1000000000);
	char *l = at("ct/link");
	CHECK(symlink("sub/b.c", l) == 0);
	free(l);

	CHECK(copy_tree(from, to, 1024, err, sizeof(err)) == 0);
	CHECK_STREQ(err, "");
	char *p = at("ct.copy/sub/b.c");
	CHECK(read_file(p, &data, NULL) == 0);
	CHECK(strlen(data) == 20);
	free(data);
	CHECK(stat(p, &b) == 0 && (b.st_mode & 0777) == 0755);
	free(p);
	char *pa = at("ct/a.c"), *pb = at("ct.copy/a.c");
	CHECK(stat(pa, &a) == 0 && stat(pb, &b) == 0);
	CHECK(a.st_mtim.tv_sec == b.st_mtim.tv_sec && a.st_mtim.tv_nsec == b.st_mtim.tv_nsec);
	free(pa);
	free(pb);
	char t[64] = "";
	p = at("ct.copy/link");
	CHECK(readlink(p, t, sizeof(t) - 1) == 7);
	CHECK_STREQ(t, "sub/b.c");
	free(p);
	/* The copy builds the same way: its digest is the original's. */
	CHECK(hash_of("ct") == hash_of("ct.copy"));
	free(from);
	free(to);
}

TEST(copy_tree_names_the_budget_it_was_given)
{
	char err[512] = "", *from = at("big"), *to;

	put("big/f", 'x', 3000);
	to = at("big.c1");
	CHECK(copy_tree(from, to, 2000, err, sizeof(err)) == -1);
	CHECK_CONTAINS(err, "over 2000 bytes");
	CHECK_CONTAINS(err, "too large to check");
	CHECK_CONTAINS(err, "/big'");
	free(to);
	to = at("big.c2");
	err[0] = '\0';
	CHECK(copy_tree(from, to, 2048, err, sizeof(err)) == -1);
	CHECK_CONTAINS(err, "over 2 KiB");
	free(to);
	/* The budget counts all the files together, not each alone. */
	put("big2/f1", 'x', 600);
	put("big2/f2", 'x', 600);
	free(from);
	from = at("big2");
	to = at("big2.c");
	err[0] = '\0';
	CHECK(copy_tree(from, to, 1000, err, sizeof(err)) == -1);
	CHECK_CONTAINS(err, "over 1000 bytes");
	free(to);
	to = at("big2.d");
	CHECK(copy_tree(from, to, 1200, err, sizeof(err)) == 0);
	free(to);
	free(from);
	/* A budget of nothing: even a small file does not fit. */
	put("big3/f", 'x', 10);
	from = at("big3");
	to = at("big3.c");
	CHECK(copy_tree(from, to, 0, err, sizeof(err)) == -1);
	CHECK_CONTAINS(err, "over 0 bytes");
	free(to);
	free(from);
}

TEST(copy_tree_reports_a_missing_folder)
{
	char err[512] = "", *from = at("nothere"), *to = at("nothere.c");

	CHECK(copy_tree(from, to, 1024, err, sizeof(err)) == -1);
	CHECK_CONTAINS(err, "cannot read folder '");
	CHECK_CONTAINS(err, "No such file or directory");
	free(from);
	free(to);
}

TEST(tree_hash_is_stable_and_sensitive)
{
	unsigned long long h0, h;

	put("th/a", 'a', 5);
	put("th/d/b", 'b', 5);
	set_mtime("th/a", 1500000000);
	set_mtime("th/d/b", 1500000000);
	h0 = hash_of("th");
	CHECK(hash_of("th") == h0);

	/* Same size, same time, other contents. */
	put("th/a", 'z', 5);
	set_mtime("th/a", 1500000000);
	h = hash_of("th");
	CHECK(h != h0);
	put("th/a", 'a', 5);
	set_mtime("th/a", 1500000000);
	CHECK(hash_of("th") == h0);     /* back as it was */

	set_mtime("th/d/b", 1500000001);   /* only the time */
	CHECK(hash_of("th") != h0);
	set_mtime("th/d/b", 1500000000);
	CHECK(hash_of("th") == h0);

	char *p = at("th/a"), *q = at("th/c");   /* only the name */
	CHECK(rename(p, q) == 0);
	CHECK(hash_of("th") != h0);
	CHECK(rename(q, p) == 0);
	CHECK(hash_of("th") == h0);
	CHECK(chmod(p, 0700) == 0);         /* only the mode */
	CHECK(hash_of("th") != h0);
	CHECK(chmod(p, 0644) == 0);
	free(p);
	free(q);

	put("th/d/new", 'n', 1);            /* a new file */
	CHECK(hash_of("th") != h0);

	unsigned long long none;
	char *m = at("th-missing");
	errno = 0;
	CHECK(tree_hash(m, &none) == -1 && errno == ENOENT);
	free(m);
}

TEST(remove_tree_never_follows_links)
{
	char *tree = at("rm"), *l;

	put("outside/keep.txt", 'k', 3);
	put("rm/sub/deep/f", 'f', 3);
	put("rm/g", 'g', 3);
	l = at("rm/sub/to-outside");
	CHECK(symlink("../../outside", l) == 0);
	free(l);
	l = at("rm/file-link");
	char *target = at("outside/keep.txt");
	CHECK(symlink(target, l) == 0);
	free(target);
	free(l);

	CHECK(remove_tree(tree) == 0);
	CHECK(!exists("rm"));
	CHECK(exists("outside/keep.txt"));

	/* A link given as the tree itself: the link goes, not what it names. */
	l = at("link-to-outside");
	char *o = at("outside");
	CHECK(symlink(o, l) == 0);
	CHECK(remove_tree(l) == 0);
	CHECK(!exists("link-to-outside"));
	CHECK(exists("outside/keep.txt"));
	free(o);
	free(l);

	CHECK(remove_tree(tree) == 0);     /* nothing there: success */
	put("single", 's', 1);
	l = at("single");
	CHECK(remove_tree(l) == 0);        /* a plain file */
	CHECK(!exists("single"));
	free(l);
	free(tree);
}

int
main(void)
{
	if (!mkdtemp(tmp)) {
		perror("mkdtemp");
		return 1;
	}
	RUN(whole_files_round_trip);
	RUN(read_file_head_reads_no_more_than_asked);
	RUN(copy_file_copies_and_sets_mode);
	RUN(map_file_maps_and_refuses_empty);
	RUN(mkdir_p_makes_every_level);
	RUN(copy_tree_keeps_files_modes_times_links);
	RUN(copy_tree_names_the_budget_it_was_given);
	RUN(copy_tree_reports_a_missing_folder);
	RUN(tree_hash_is_stable_and_sensitive);
	RUN(remove_tree_never_follows_links);
	int rc = unit_summary();
	CHECK(remove_tree(tmp) == 0);
	return rc;
}
