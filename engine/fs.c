/*
 * fs.c: implements fs.h.
 */
#include "fs.h"
#include "mem.h"
#include "strbuf.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* How deep copy_tree and tree_hash go: a lab's folders are two or three. */
#define TREE_DEPTH_MAX 16

int
read_file(const char *path, char **data, size_t *len)
{
	return read_file_head(path, data, len, 0);
}

/* max 0: no bound (read_file). */
int
read_file_head(const char *path, char **data, size_t *len, size_t max)
{
	struct sb s;
	char buf[65536];
	ssize_t r;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	sb_init(&s);
	for (;;) {
		size_t want = sizeof(buf);
		if (max && max - s.len < want)
			want = max - s.len;
		if (want == 0 || (r = read(fd, buf, want)) == 0)
			break;
		if (r < 0) {
			if (errno == EINTR)
				continue;
			int e = errno;
			close(fd);
			sb_release(&s);
			errno = e;
			return -1;
		}
		sb_add(&s, buf, (size_t)r);
	}
	close(fd);
	if (len)
		*len = s.len;
	*data = s.buf;
	return 0;
}

int
map_file(const char *path, const unsigned char **data, size_t *len)
{
	struct stat st;
	void *m = MAP_FAILED;
	int e = EINVAL;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0)
		e = errno;
	else if (st.st_size > 0 && (m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE,
					      fd, 0)) == MAP_FAILED)
		e = errno;
	close(fd);   /* the mapping stays */
	if (m == MAP_FAILED) {
		errno = e;
		return -1;
	}
	*data = m;
	*len = (size_t)st.st_size;
	return 0;
}

void
unmap_file(const unsigned char *data, size_t len)
{
	if (data)
		munmap((void *)data, len);
}

static int
write_all(int fd, const char *data, size_t len)
{
	while (len) {
		ssize_t w = write(fd, data, len);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		data += w;
		len -= (size_t)w;
	}
	return 0;
}

int
write_file_atomic(const char *path, const char *data, size_t len)
{
	char *tmp = xasprintf("%s.tmp.%d", path, (int)getpid());
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	int rc = -1, e;

	if (fd < 0) {
		e = errno;
		goto out;
	}
	if (write_all(fd, data, len) < 0 || fsync(fd) < 0) {
		e = errno;
		close(fd);
		unlink(tmp);
		goto out;
	}
	if (close(fd) < 0 || rename(tmp, path) < 0) {
		e = errno;
		unlink(tmp);
		goto out;
	}
	rc = 0;
	e = 0;
out:
	free(tmp);
	if (rc < 0)
		errno = e;
	return rc;
}

int
copy_file(const char *from, const char *to, mode_t mode)
{
	char *data;
	size_t len;
	int fd, rc, e;

	if (read_file(from, &data, &len) < 0)
		return -1;
	fd = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0) {
		e = errno;
		free(data);
		errno = e;
		return -1;
	}
	rc = write_all(fd, data, len);
	e = errno;
	if (close(fd) < 0 && rc == 0) {
		rc = -1;
		e = errno;
	}
	free(data);
	errno = e;
	return rc;
}

/* mkdir, where a folder already there is success. */
static int
mkdir_one(const char *path, mode_t mode)
{
	if (mkdir(path, mode) == 0)
		return 0;
	if (errno != EEXIST)
		return -1;
	if (is_dir(path))
		return 0;
	errno = ENOTDIR;
	return -1;
}

int
mkdir_p(const char *path, mode_t mode)
{
	char *p = xstrdup(path);
	int rc = 0, e = 0;

	for (char *s = p + 1; *s && rc == 0; s++) {
		if (*s != '/' || s[-1] == '/')
			continue;
		*s = '\0';
		rc = mkdir_one(p, mode);
		*s = '/';
	}
	if (rc == 0)
		rc = mkdir_one(p, mode);
	e = errno;
	free(p);
	errno = e;
	return rc;
}

/* Remove name (in the folder dirfd) and, if it is a folder, what it holds.
 * Returns 0, or -1 with *first set to the first failure's errno. */
static int
remove_at(int dirfd, const char *name, int *first)
{
	struct stat st;
	struct dirent *e;
	DIR *d;
	int fd, rc = 0;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		if (errno == ENOENT)
			return 0;
		goto fail;
	}
	if (!S_ISDIR(st.st_mode)) {
		if (unlinkat(dirfd, name, 0) < 0 && errno != ENOENT)
			goto fail;
		return 0;
	}
	/* O_NOFOLLOW: a folder swapped for a link since fstatat is not entered. */
	fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		goto fail;
	d = fdopendir(fd);
	if (!d) {
		*first = *first ? *first : errno;
		close(fd);
		return -1;
	}
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") &&
		    remove_at(fd, e->d_name, first) < 0)
			rc = -1;
	closedir(d);
	if (unlinkat(dirfd, name, AT_REMOVEDIR) < 0)
		goto fail;
	return rc;
fail:
	*first = *first ? *first : errno;
	return -1;
}

int
remove_tree(const char *path)
{
	int first = 0;

	if (remove_at(AT_FDCWD, path, &first) == 0)
		return 0;
	errno = first;
	return -1;
}

int
is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int
is_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* What one copy_tree() carries down its folders. */
struct copy {
	size_t max;      /* the budget, as given */
	size_t left;     /* what is left of it */
	char *err;
	size_t errlen;
};

/* A size the way a person says it: "64 MiB", "8 KiB", "100 bytes". */
static void
size_words(char *out, size_t outlen, size_t n)
{
	if (n && n % (1024 * 1024) == 0)
		snprintf(out, outlen, "%zu MiB", n / (1024 * 1024));
	else if (n && n % 1024 == 0)
		snprintf(out, outlen, "%zu KiB", n / 1024);
	else
		snprintf(out, outlen, "%zu bytes", n);
}

/* Copy one regular file of the tree, its mode and times kept. */
static int
copy_one(struct copy *c, const char *src, const char *dst, const struct stat *st,
	 const char *folder)
{
	char budget[32];

	if ((size_t)st->st_size > c->left) {
		size_words(budget, sizeof(budget), c->max);
		snprintf(c->err, c->errlen, "the folder is too large to check (over %s); "
			 "is there a big file in '%s'?", budget, folder);
		return -1;
	}
	c->left -= (size_t)st->st_size;
	if (copy_file(src, dst, st->st_mode & 07777) < 0) {
		snprintf(c->err, c->errlen, "cannot copy '%s': %s", src, strerror(errno));
		return -1;
	}
	/* Keep the times, so make in the copy rebuilds exactly what make in the
	 * original would. */
	struct timespec times[2] = {st->st_atim, st->st_mtim};
	utimensat(AT_FDCWD, dst, times, 0);
	return 0;
}

static int
copy_tree_rec(struct copy *c, const char *from, const char *to, int depth)
{
	DIR *d;
	struct dirent *e;
	int rc = 0;

	if (depth > TREE_DEPTH_MAX) {
		snprintf(c->err, c->errlen, "cannot copy '%s': folders nested over %d deep", from,
			 TREE_DEPTH_MAX);
		return -1;
	}
	if (mkdir_p(to, 0755) < 0) {
		snprintf(c->err, c->errlen, "cannot create '%s': %s", to, strerror(errno));
		return -1;
	}
	d = opendir(from);
	if (!d) {
		snprintf(c->err, c->errlen, "cannot read folder '%s': %s", from, strerror(errno));
		return -1;
	}
	while (rc == 0 && (e = readdir(d))) {
		struct stat st;
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		char *src = xasprintf("%s/%s", from, e->d_name);
		char *dst = xasprintf("%s/%s", to, e->d_name);
		if (lstat(src, &st) < 0) {
			/* vanished while we copied: nothing to copy */
		} else if (S_ISDIR(st.st_mode)) {
			rc = copy_tree_rec(c, src, dst, depth + 1);
		} else if (S_ISREG(st.st_mode)) {
			rc = copy_one(c, src, dst, &st, from);
		} else if (S_ISLNK(st.st_mode)) {
			char target[4096];
			ssize_t n = readlink(src, target, sizeof(target) - 1);
			if (n >= 0) {
				target[n] = '\0';
				if (symlink(target, dst) < 0 && errno != EEXIST) {
					snprintf(c->err, c->errlen, "cannot copy link '%s': %s",
						 src, strerror(errno));
					rc = -1;
				}
			}
		}
		free(src);
		free(dst);
	}
	closedir(d);
	return rc;
}

int
copy_tree(const char *from, const char *to, size_t max_bytes, char *err, size_t errlen)
{
	struct copy c = {max_bytes, max_bytes, err, errlen};
	return copy_tree_rec(&c, from, to, 0);
}

static void
fnv(unsigned long long *h, const void *data, size_t n)
{
	const unsigned char *p = data;
	for (size_t i = 0; i < n; i++) {
		*h ^= p[i];
		*h *= 1099511628211ull;
	}
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
tree_hash_rec(const char *dir, const char *rel, unsigned long long *h, int depth)
{
	struct strv names = {0};
	struct dirent *e;
	DIR *d;
	int rc = 0;

	if (depth > TREE_DEPTH_MAX) {
		errno = ELOOP;
		return -1;
	}
	d = opendir(dir);
	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			strv_push(&names, e->d_name);
	closedir(d);
	if (names.n)
		qsort(names.v, names.n, sizeof(char *), name_cmp);
	for (size_t i = 0; i < names.n && rc == 0; i++) {
		char *path = xasprintf("%s/%s", dir, names.v[i]);
		char *sub = xasprintf("%s/%s", rel, names.v[i]);
		struct stat st;
		if (lstat(path, &st) == 0) {
			/* A folder's own size and time say nothing make uses (and a
			 * copy gets new ones): only a file's count. */
			int isdir = S_ISDIR(st.st_mode);
			long long meta[4] = {st.st_mode, isdir ? 0 : st.st_size,
					     isdir ? 0 : st.st_mtim.tv_sec,
					     isdir ? 0 : st.st_mtim.tv_nsec};
			fnv(h, sub, strlen(sub) + 1);
			fnv(h, meta, sizeof(meta));
			if (isdir) {
				rc = tree_hash_rec(path, sub, h, depth + 1);
			} else if (S_ISLNK(st.st_mode)) {
				char t[4096];
				ssize_t n = readlink(path, t, sizeof(t));
				if (n > 0)
					fnv(h, t, (size_t)n);
			} else if (S_ISREG(st.st_mode)) {
				char *data;
				size_t len;
				if (read_file(path, &data, &len) == 0) {
					fnv(h, data, len);
					free(data);
				} else {
					rc = -1;
				}
			}
		}
		free(path);
		free(sub);
	}
	int e2 = errno;
	strv_release(&names);
	errno = e2;
	return rc;
}

int
tree_hash(const char *dir, unsigned long long *hash)
{
	*hash = 14695981039346656037ull;
	return tree_hash_rec(dir, "", hash, 0);
}

char *
file_inside(const char *dir, const char *rel)
{
	char *path = xasprintf("%s/%s", dir, rel);
	char real[PATH_MAX], top[PATH_MAX];
	struct stat st;

	if (lstat(path, &st) == 0 && S_ISREG(st.st_mode) && realpath(path, real) &&
	    realpath(dir, top) && !strncmp(real, top, strlen(top)) && real[strlen(top)] == '/')
		return path;
	free(path);
	return NULL;
}
