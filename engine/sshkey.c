/*
 * sshkey.c: see sshkey.h.
 */
#include "sshkey.h"
#include "cpio_writer.h"
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEYGEN_MS 20000   /* ssh-keygen makes an Ed25519 key in milliseconds */

int
sshkey_make(const char *dir, int sigfd, char **priv, char **pub, char *err, size_t errlen)
{
	char *path = xasprintf("%s/" SSHKEY_NAME, dir);
	char *pubpath = xasprintf("%s.pub", path);
	char *log = xasprintf("%s/ssh-keygen.log", dir);
	char *argv[] = {"ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "lab-runner",
			"-f", path, NULL};
	char *text = NULL;
	int rc = -1;

	*priv = *pub = NULL;
	if (!have_program("ssh-keygen")) {
		snprintf(err, errlen, "ssh-keygen is not installed (OpenSSH's client): run "
			 "'make setup'");
		goto out;
	}
	remove(path);
	remove(pubpath);
	struct run_outcome o = run_logged(argv, NULL, log, KEYGEN_MS, sigfd);
	if (!run_succeeded(o)) {
		snprintf(err, errlen, "ssh-keygen could not make this run's key pair (see %s)",
			 log);
		goto out;
	}
	if (read_file_head(pubpath, &text, NULL, 4096) < 0 || !*text) {
		snprintf(err, errlen, "cannot read '%s': %s", pubpath, strerror(errno));
		goto out;
	}
	text[strcspn(text, "\n")] = 0;
	*pub = text;
	text = NULL;
	*priv = path;
	path = NULL;
	rc = 0;
out:
	free(text);
	free(path);
	free(pubpath);
	free(log);
	return rc;
}

int
sshkey_segment(const char *path, const char *data, size_t len, unsigned char **buf,
	       size_t *blen, char *err, size_t errlen)
{
	struct cpio_writer w;
	char *p;
	int rc = 0;

	*buf = NULL;
	*blen = 0;
	if (path[0] != '/' || !path[1]) {
		snprintf(err, errlen, "'%s' is not an absolute path of a file", path);
		return -1;
	}
	cpio_writer_init(&w);
	p = xstrdup(path + 1);
	/* Each folder on the way, top first: "root", then "root/.ssh". */
	for (char *slash = strchr(p, '/'); slash && rc == 0; slash = strchr(slash + 1, '/')) {
		*slash = 0;
		rc = cpio_add_dir(&w, p, 0700);
		*slash = '/';
	}
	if (rc == 0)
		rc = cpio_add_file(&w, p, 0600, data, len);
	if (rc < 0) {
		snprintf(err, errlen, "'%s' cannot be stored in a newc archive", path);
		cpio_writer_release(&w);
	} else {
		cpio_writer_finish(&w, buf, blen);
	}
	free(p);
	return rc;
}

int
sshkey_initrd(const char *in, const unsigned char *seg, size_t seglen, const char *out,
	      char *err, size_t errlen)
{
	char *data = NULL;
	size_t len = 0;

	if (read_file(in, &data, &len) < 0) {
		snprintf(err, errlen, "cannot read '%s': %s", in, strerror(errno));
		return -1;
	}
	size_t padded = (len + 3) & ~(size_t)3;
	data = xrealloc(data, padded + seglen + 1);
	memset(data + len, 0, padded - len);
	memcpy(data + padded, seg, seglen);
	if (write_file_atomic(out, data, padded + seglen) < 0) {
		snprintf(err, errlen, "cannot write '%s': %s", out, strerror(errno));
		free(data);
		return -1;
	}
	free(data);
	return 0;
}
