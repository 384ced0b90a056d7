/*
 * sshkey.h: a key pair for one run, and the archive that gives the guest
 * its public key (a check's `sshkey PATH`).
 *
 * The key pair is made on the host for each run, in the run's folder, by
 * OpenSSH's ssh-keygen (Ed25519, no passphrase): the private key never
 * leaves the host, and a key of an earlier run opens nothing now. The
 * public key reaches the guest as a second newc archive appended to the
 * learner's: the kernel unpacks concatenated archives one after the other,
 * so the file lands in the guest's / with the folders leading to it, owned
 * by root, folders 0700 and the file 0600 (as sshd wants them: nobody else
 * may write them, or the key is refused).
 *
 * sshkey_segment() is pure; sshkey_make() runs ssh-keygen (blocks until it
 * ends, at most a few seconds); sshkey_initrd() writes a file. Each
 * returns 0, or -1 with one line in err; the caller frees what it gets.
 */
#ifndef LAB_SSHKEY_H
#define LAB_SSHKEY_H

#include <stddef.h>

/* The key's file name in the run folder (the public key: this plus ".pub"). */
#define SSHKEY_NAME "id_ed25519"

/*
 * Make DIR/id_ed25519 and DIR/id_ed25519.pub. *priv gets the private key's
 * path, *pub the public key's one line (both malloc'd). sigfd as
 * run_logged's (proc.h).
 */
int sshkey_make(const char *dir, int sigfd, char **priv, char **pub, char *err, size_t errlen);
/*
 * The newc archive holding the file path (absolute, e.g.
 * /root/.ssh/authorized_keys) with data as its content, mode 0600, and each
 * folder above it (root, root/.ssh) 0700, all owned by root. *buf is
 * malloc'd.
 */
int sshkey_segment(const char *path, const char *data, size_t len, unsigned char **buf,
		   size_t *blen, char *err, size_t errlen);
/*
 * Write out: the archive in, padded with zeros to a multiple of 4 bytes
 * (the kernel looks for the next archive's header there), then seg.
 */
int sshkey_initrd(const char *in, const unsigned char *seg, size_t seglen, const char *out,
		  char *err, size_t errlen);

#endif
