/*
 * util.c: see util.h.
 */
#include "util.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void
oom(void)
{
	fputs("lab-runner: out of memory\n", stderr);
	exit(2);
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom();
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		oom();
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		oom();
	return p;
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
xasprintf(const char *fmt, ...)
{
	struct sb s;
	va_list ap;

	sb_init(&s);
	va_start(ap, fmt);
	sb_vprintf(&s, fmt, ap);
	va_end(ap);
	return sb_detach(&s);
}

void
sb_init(struct sb *s)
{
	s->cap = 64;
	s->len = 0;
	s->buf = xmalloc(s->cap);
	s->buf[0] = '\0';
}

static void
sb_grow(struct sb *s, size_t more)
{
	if (s->len + more + 1 <= s->cap)
		return;
	while (s->len + more + 1 > s->cap)
		s->cap *= 2;
	s->buf = xrealloc(s->buf, s->cap);
}

void
sb_add(struct sb *s, const char *data, size_t n)
{
	sb_grow(s, n);
	memcpy(s->buf + s->len, data, n);
	s->len += n;
	s->buf[s->len] = '\0';
}

void
sb_puts(struct sb *s, const char *str)
{
	sb_add(s, str, strlen(str));
}

void
sb_vprintf(struct sb *s, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	va_copy(cp, ap);
	n = vsnprintf(s->buf + s->len, s->cap - s->len, fmt, cp);
	va_end(cp);
	if (n < 0)
		return;
	if ((size_t)n >= s->cap - s->len) {
		sb_grow(s, (size_t)n);
		vsnprintf(s->buf + s->len, s->cap - s->len, fmt, ap);
	}
	s->len += (size_t)n;
}

void
sb_printf(struct sb *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sb_vprintf(s, fmt, ap);
	va_end(ap);
}

void
sb_reset(struct sb *s)
{
	s->len = 0;
	s->buf[0] = '\0';
}

char *
sb_detach(struct sb *s)
{
	char *p = s->buf;
	s->buf = NULL;
	s->len = s->cap = 0;
	return p;
}

void
sb_release(struct sb *s)
{
	free(s->buf);
	s->buf = NULL;
	s->len = s->cap = 0;
}

void
strv_push(struct strv *a, const char *s)
{
	if (a->n + 2 > a->cap) {
		a->cap = a->cap ? a->cap * 2 : 8;
		a->v = xrealloc(a->v, a->cap * sizeof(*a->v));
	}
	a->v[a->n++] = xstrdup(s);
	a->v[a->n] = NULL;
}

void
strv_pushf(struct strv *a, const char *fmt, ...)
{
	struct sb s;
	va_list ap;

	sb_init(&s);
	va_start(ap, fmt);
	sb_vprintf(&s, fmt, ap);
	va_end(ap);
	strv_push(a, s.buf);
	sb_release(&s);
}

void
strv_release(struct strv *a)
{
	for (size_t i = 0; i < a->n; i++)
		free(a->v[i]);
	free(a->v);
	a->v = NULL;
	a->n = a->cap = 0;
}

int
map_file(const char *path, const unsigned char **data, size_t *len)
{
	struct stat st;
	void *m = MAP_FAILED;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) == 0 && st.st_size > 0)
		m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);   /* the mapping stays */
	if (m == MAP_FAILED)
		return -1;
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

int
read_file(const char *path, char **data, size_t *len)
{
	struct sb s;
	char buf[65536];
	ssize_t r;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	sb_init(&s);
	while ((r = read(fd, buf, sizeof(buf))) != 0) {
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
	int rc = -1;

	if (fd < 0)
		goto out;
	if (write_all(fd, data, len) < 0 || fsync(fd) < 0) {
		close(fd);
		unlink(tmp);
		goto out;
	}
	if (close(fd) < 0 || rename(tmp, path) < 0) {
		unlink(tmp);
		goto out;
	}
	rc = 0;
out:
	free(tmp);
	return rc;
}

int
copy_file(const char *from, const char *to, mode_t mode)
{
	char *data;
	size_t len;
	int fd, rc;

	if (read_file(from, &data, &len) < 0)
		return -1;
	fd = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0) {
		free(data);
		return -1;
	}
	rc = write_all(fd, data, len);
	if (close(fd) < 0)
		rc = -1;
	free(data);
	return rc;
}

int
mkdir_p(const char *path, mode_t mode)
{
	char *p = xstrdup(path);

	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, mode) < 0 && errno != EEXIST) {
			free(p);
			return -1;
		}
		*s = '/';
	}
	int rc = mkdir(p, mode) < 0 && errno != EEXIST ? -1 : 0;
	free(p);
	return rc;
}

int
remove_tree(const char *path)
{
	struct stat st;
	DIR *d;
	struct dirent *e;
	int rc = 0;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISDIR(st.st_mode))
		return unlink(path);
	d = opendir(path);
	if (!d)
		return -1;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		char *sub = xasprintf("%s/%s", path, e->d_name);
		if (remove_tree(sub) < 0)
			rc = -1;
		free(sub);
	}
	closedir(d);
	if (rmdir(path) < 0)
		rc = -1;
	return rc;
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

static int
copy_tree_rec(const char *from, const char *to, size_t *budget, int depth,
	      char *err, size_t errlen)
{
	DIR *d;
	struct dirent *e;
	int rc = 0;

	if (depth > 16) {
		snprintf(err, errlen, "%s: folders nested too deep", from);
		return -1;
	}
	if (mkdir_p(to, 0755) < 0) {
		snprintf(err, errlen, "cannot create %s: %s", to, strerror(errno));
		return -1;
	}
	d = opendir(from);
	if (!d) {
		snprintf(err, errlen, "cannot read folder %s: %s", from, strerror(errno));
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
			rc = copy_tree_rec(src, dst, budget, depth + 1, err, errlen);
		} else if (S_ISREG(st.st_mode)) {
			if ((size_t)st.st_size > *budget) {
				snprintf(err, errlen, "the folder is too large to check (over %zu MiB); "
					 "is there a big file in %s?", (size_t)64, from);
				rc = -1;
			} else {
				*budget -= (size_t)st.st_size;
				if (copy_file(src, dst, st.st_mode & 07777) < 0) {
					snprintf(err, errlen, "cannot copy %s: %s", src, strerror(errno));
					rc = -1;
				} else {
					/* Keep the times, so make in the copy rebuilds exactly
					 * what make in the original would. */
					struct timespec times[2] = {st.st_atim, st.st_mtim};
					utimensat(AT_FDCWD, dst, times, 0);
				}
			}
		} else if (S_ISLNK(st.st_mode)) {
			char target[4096];
			ssize_t n = readlink(src, target, sizeof(target) - 1);
			if (n >= 0) {
				target[n] = '\0';
				if (symlink(target, dst) < 0 && errno != EEXIST) {
					snprintf(err, errlen, "cannot copy link %s: %s", src, strerror(errno));
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
	size_t budget = max_bytes;
	return copy_tree_rec(from, to, &budget, 0, err, errlen);
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
	DIR *d = opendir(dir);
	struct dirent *e;
	int rc = 0;

	if (!d || depth > 16) {
		if (d)
			closedir(d);
		return -1;
	}
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
			long long meta[4] = {st.st_mode, isdir ? 0 : st.st_size, isdir ? 0 : st.st_mtim.tv_sec,
					     isdir ? 0 : st.st_mtim.tv_nsec};
			fnv(h, sub, strlen(sub) + 1);
			fnv(h, meta, sizeof(meta));
			if (S_ISDIR(st.st_mode)) {
				rc = tree_hash_rec(path, sub, h, depth + 1);
			} else if (S_ISREG(st.st_mode) || S_ISLNK(st.st_mode)) {
				char *data;
				size_t len;
				if (S_ISLNK(st.st_mode)) {
					char t[4096];
					ssize_t n = readlink(path, t, sizeof(t));
					if (n > 0)
						fnv(h, t, (size_t)n);
				} else if (read_file(path, &data, &len) == 0) {
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
	strv_release(&names);
	return rc;
}

int
tree_hash(const char *dir, unsigned long long *hash)
{
	*hash = 14695981039346656037ull;
	return tree_hash_rec(dir, "", hash, 0);
}

long long
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
make_nonce(char out[9])
{
	unsigned char r[4] = {0};
	if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r)) {
		/* No entropy source: fall back to time and pid, still unpredictable enough for a lab. */
		unsigned v = (unsigned)now_ms() ^ ((unsigned)getpid() << 16);
		memcpy(r, &v, sizeof(r));
	}
	snprintf(out, 9, "%02x%02x%02x%02x", r[0], r[1], r[2], r[3]);
}

int
have_program(const char *name)
{
	const char *path = getenv("PATH");
	if (strchr(name, '/'))
		return access(name, X_OK) == 0;
	if (!path)
		path = "/usr/bin:/bin";
	while (*path) {
		const char *end = strchr(path, ':');
		size_t n = end ? (size_t)(end - path) : strlen(path);
		char *p = xasprintf("%.*s/%s", (int)n, path, name);
		int ok = access(p, X_OK) == 0;
		free(p);
		if (ok)
			return 1;
		path += n + (end ? 1 : 0);
	}
	return 0;
}

pid_t
spawn(char *const argv[], const char *cwd, int *stdin_fd, int *stdout_fd,
      int own_group, char *err, size_t errlen)
{
	int in[2] = {-1, -1}, out[2] = {-1, -1}, status[2];
	pid_t parent = getpid(), pid;

	if ((stdin_fd && pipe2(in, O_CLOEXEC) < 0) ||
	    (stdout_fd && pipe2(out, O_CLOEXEC) < 0) ||
	    pipe2(status, O_CLOEXEC) < 0) {
		snprintf(err, errlen, "cannot make a pipe: %s", strerror(errno));
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		snprintf(err, errlen, "cannot start %s: %s", argv[0], strerror(errno));
		return -1;
	}
	if (pid == 0) {
		sigset_t none;
		int null = open("/dev/null", O_RDWR);
		/* Die with the runner, whatever kills it; and if it died
		 * before this line ran, go now. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(127);
		if (own_group)
			setpgid(0, 0);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		signal(SIGPIPE, SIG_DFL);
		dup2(stdin_fd ? in[0] : null, 0);
		dup2(stdout_fd ? out[1] : null, 1);
		dup2(stdout_fd ? out[1] : null, 2);
		if (cwd && chdir(cwd) < 0) {
			int e = errno;
			(void)!write(status[1], &e, sizeof(e));
			_exit(127);
		}
		execvp(argv[0], argv);
		int e = errno;
		(void)!write(status[1], &e, sizeof(e));
		_exit(127);
	}
	/* Wait until exec succeeded or failed: the status pipe closes on exec. */
	close(status[1]);
	int e = 0;
	ssize_t r;
	while ((r = read(status[0], &e, sizeof(e))) < 0 && errno == EINTR)
		;
	close(status[0]);
	if (stdin_fd)
		close(in[0]);
	if (stdout_fd)
		close(out[1]);
	if (r > 0) {
		waitpid(pid, NULL, 0);
		if (stdin_fd)
			close(in[1]);
		if (stdout_fd)
			close(out[0]);
		snprintf(err, errlen, "cannot run %s: %s", argv[0], strerror(e));
		return -1;
	}
	if (own_group)
		setpgid(pid, pid); /* also from this side: no race with kill_group() */
	if (stdin_fd) {
		fcntl(in[1], F_SETFL, O_NONBLOCK);
		*stdin_fd = in[1];
	}
	if (stdout_fd) {
		fcntl(out[0], F_SETFL, O_NONBLOCK);
		*stdout_fd = out[0];
	}
	return pid;
}

int
kill_group(pid_t pid)
{
	int st = 0;

	if (pid <= 0)
		return -1;
	/* The group first (what the child started), then the child itself in
	 * case it never got its own group. */
	kill(-pid, SIGKILL);
	kill(pid, SIGKILL);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	return st;
}

int
run_logged(char *const argv[], const char *cwd, const char *log_path,
	   long long timeout_ms, int sigfd)
{
	return run_logged_echo(argv, cwd, log_path, timeout_ms, sigfd, -1, NULL);
}

/* Copy to fd the whole lines of buf that start with prefix; the line still
 * unfinished at the end waits in line (len *n) for the next call. */
static void
echo_lines(int fd, const char *prefix, char *line, size_t cap, size_t *n, const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (*n < cap - 1)
			line[(*n)++] = buf[i];
		if (buf[i] != '\n')
			continue;
		if (!strncmp(line, prefix, strlen(prefix)))
			(void)!write(fd, line, *n);
		*n = 0;
	}
}

int
run_logged_echo(char *const argv[], const char *cwd, const char *log_path,
		long long timeout_ms, int sigfd, int echo_fd, const char *echo_prefix)
{
	char line[1024];
	size_t nline = 0;
	char err[256];
	int out = -1, logfd, st = 0;
	pid_t pid;
	long long deadline = now_ms() + timeout_ms;

	logfd = open(log_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (logfd < 0)
		return -1;
	pid = spawn(argv, cwd, NULL, &out, 1, err, sizeof(err));
	if (pid < 0) {
		(void)!write(logfd, err, strlen(err));
		close(logfd);
		return -1;
	}
	for (;;) {
		struct pollfd p[2] = {{out, POLLIN, 0}, {sigfd, POLLIN, 0}};
		long long left = deadline - now_ms();
		if (left <= 0) {
			kill_group(pid);
			close(out);
			close(logfd);
			return -2;
		}
		int n = poll(p, sigfd >= 0 ? 2 : 1, (int)(left > 1000 ? 1000 : left));
		if (n < 0 && errno != EINTR)
			break;
		if (sigfd >= 0 && (p[1].revents & POLLIN)) {
			kill_group(pid);
			close(out);
			close(logfd);
			return -3;
		}
		if (p[0].revents & (POLLIN | POLLHUP)) {
			char buf[8192];
			ssize_t r = read(out, buf, sizeof(buf));
			if (r > 0) {
				(void)!write(logfd, buf, (size_t)r);
				if (echo_fd >= 0)
					echo_lines(echo_fd, echo_prefix ? echo_prefix : "", line, sizeof(line),
						   &nline, buf, (size_t)r);
				continue;
			}
			if (r == 0)
				break;
			if (errno != EAGAIN && errno != EINTR)
				break;
		}
	}
	close(out);
	close(logfd);
	/* The child closed its output; reap it and anything left in its group. */
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	kill(-pid, SIGKILL);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int
unix_listen(const char *path, char *err, size_t errlen)
{
	struct sockaddr_un a;
	int fd;

	memset(&a, 0, sizeof(a));
	a.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(a.sun_path)) {
		snprintf(err, errlen, "the socket path %s is too long for a unix socket (move the lab "
			 "to a shorter path)", path);
		return -1;
	}
	strcpy(a.sun_path, path);
	unlink(path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(fd, 1) < 0) {
		snprintf(err, errlen, "cannot listen on %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

char *
tail_lines(const char *text, size_t len, int n)
{
	size_t i = len;
	int lines = 0;

	if (i && text[i - 1] == '\n')
		i--;
	while (i > 0) {
		if (text[i - 1] == '\n' && ++lines == n)
			break;
		i--;
	}
	return xstrndup(text + i, len - i);
}

int
str_to_int(const char *s, int lo, int hi, int *out)
{
	char *end;
	long v;

	if (!s || !*s || isspace((unsigned char)*s) || *s == '+')
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < lo || v > hi)
		return -1;
	*out = (int)v;
	return 0;
}
