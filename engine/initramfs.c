/*
 * initramfs.c: the newc reader, see initramfs.h.
 *
 * Design note.
 *
 * The kernel reads only the "newc" cpio format (cpio -H newc): headers of
 * fixed-width ASCII hex, so no byte order and no field-size surprises, and
 * 32-bit fields wide enough for today's inode, device and size numbers. The
 * older cpio formats (binary, odc) have 16-bit or octal fields and are
 * rejected by the kernel with a terse "no cpio magic"; we name them.
 *
 * The archive is one buffer. Parsing builds an array of entries whose names
 * and data point into that buffer, so there is one allocation for the bytes
 * and one for the array, and nothing to copy. Every read is checked against
 * the buffer's length first: a truncated or damaged archive is reported,
 * never read past. Like the kernel, the parser joins hard links (cpio puts
 * the data on one name only), skips NUL padding between entries, and goes
 * on after a TRAILER!!! when another archive follows ("cat a.cpio b.cpio").
 *
 * The path walk (initramfs_resolve) is the kernel's, replayed on the
 * entries: what /init, a #! line or PT_INTERP names is found the way
 * execve() will find it after unpacking.
 *
 * No global mutable state: all tables below are const.
 */
#include "initramfs.h"
#include "newc.h"
#include "mem.h"

#include <sys/stat.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LINKS	8	/* symlink hops we follow inside the archive */
#define PATH_BUF	1024	/* longest path we resolve */
#define SHOW_BUF	160	/* longest name or byte string we print */

/* The 13 header fields, in the order they appear after the magic. */
enum {
	F_INO, F_MODE, F_UID, F_GID, F_NLINK, F_MTIME, F_FILESIZE,
	F_DEVMAJOR, F_DEVMINOR, F_RDEVMAJOR, F_RDEVMINOR, F_NAMESIZE, F_CHECK
};

static const char *const field_name[NEWC_FIELDS] = {
	"ino", "mode", "uid", "gid", "nlink", "mtime", "filesize",
	"devmajor", "devminor", "rdevmajor", "rdevminor", "namesize", "check"
};

/*
 * Compressed archives. The kernel can unpack several of these when it was
 * configured to, but the lab reads the archive before booting and wants
 * it plain, so we name the compressor and say how to pack without it.
 */
static const struct {
	const char *magic;
	size_t len;
	const char *name;
} compressors[] = {
	{ "\x1f\x8b", 2, "gzip" },
	{ "\xfd" "7zXZ", 6, "xz" },	/* "\xfd7zXZ\0": the NUL is the 6th byte */
	{ "\x28\xb5\x2f\xfd", 4, "zstd" },
	{ "BZh", 3, "bzip2" },
	{ "\x02\x21\x4c\x18", 4, "lz4" },
	{ "\x04\x22\x4d\x18", 4, "lz4" },
	{ "\x89LZO", 4, "lzop" },
};

/* ------------------------------------------------------------------ */
/* Small helpers                                                        */
/* ------------------------------------------------------------------ */

/*
 * Write a formatted message to err (if there is room for it) and return
 * -1, so that error paths read "return fail(err, errlen, ...)".
 */
static int
fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/*
 * Contract: see initramfs.h. Names come from the archive and may hold
 * anything, including newlines that would break a one-line message.
 */
const char *
initramfs_show(char *dst, size_t dstlen, const void *src, size_t n)
{
	const unsigned char *p = src;
	char one[8];
	size_t o = 0, i, k;

	for (i = 0; i < n; i++) {
		if (p[i] == '\n')
			strcpy(one, "\\n");
		else if (p[i] == '\r')
			strcpy(one, "\\r");
		else if (p[i] == '\t')
			strcpy(one, "\\t");
		else if (p[i] == '\\')
			strcpy(one, "\\\\");
		else if (p[i] >= 0x20 && p[i] < 0x7f)
			snprintf(one, sizeof one, "%c", p[i]);
		else
			snprintf(one, sizeof one, "\\x%02x", p[i]);
		k = strlen(one);
		if (o + k + 4 > dstlen) {	/* keep room for "..." */
			memcpy(dst + o, "...", 3);
			o += 3;
			break;
		}
		memcpy(dst + o, one, k);
		o += k;
	}
	dst[o] = '\0';
	return dst;
}

/* The last entry named exactly name: a later entry replaces an earlier. */
static const struct cpio_entry *
find_exact(const struct initramfs *a, const char *name)
{
	size_t i;

	for (i = a->n; i > 0; i--)
		if (strcmp(a->entries[i - 1].name, name) == 0)
			return &a->entries[i - 1];
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Reading                                                              */
/* ------------------------------------------------------------------ */

/*
 * Parse 8 ASCII hex digits at p into *v. Returns 0, or -1 if one of them
 * is not a hex digit (strtoul would accept spaces, signs and "0x").
 */
static int
hex8(const unsigned char *p, uint32_t *v)
{
	uint32_t x = 0;
	int i, d;

	for (i = 0; i < 8; i++) {
		if (p[i] >= '0' && p[i] <= '9')
			d = p[i] - '0';
		else if (p[i] >= 'a' && p[i] <= 'f')
			d = p[i] - 'a' + 10;
		else if (p[i] >= 'A' && p[i] <= 'F')
			d = p[i] - 'A' + 10;
		else
			return -1;
		x = x << 4 | (uint32_t)d;
	}
	*v = x;
	return 0;
}

/*
 * Look at the first bytes. Returns 0 if they are a newc header (070701,
 * or 070702 which is newc with a checksum), else -1 with err saying what
 * the file is instead and how to make a newc archive. The kernel's own
 * message for all of these is "no cpio magic".
 */
static int
explain_format(const unsigned char *p, size_t len, char *err, size_t errlen)
{
	char shown[SHOW_BUF];
	size_t i;

	if (len == 0)
		return fail(err, errlen, "the archive is empty (0 bytes): cpio "
		    "packed no files; give it the names on its input, e.g. "
		    "cpio -o -H newc < file_list.txt > initramfs.cpio");
	if (len >= 6 && (memcmp(p, NEWC_MAGIC, 6) == 0 ||
	    memcmp(p, NEWC_MAGIC_CRC, 6) == 0))
		return 0;
	for (i = 0; i < sizeof compressors / sizeof compressors[0]; i++)
		if (len >= compressors[i].len &&
		    memcmp(p, compressors[i].magic, compressors[i].len) == 0)
			return fail(err, errlen, "the archive is compressed "
			    "with %s: the lab wants it uncompressed; pack it "
			    "with cpio -o -H newc and do not pipe it through %s",
			    compressors[i].name, compressors[i].name);
	if (len >= 262 && memcmp(p + 257, "ustar", 5) == 0)
		return fail(err, errlen, "this is a tar archive, not a cpio "
		    "archive: the kernel reads only cpio; pack it with "
		    "cpio -o -H newc instead of tar");
	if (len >= 6 && memcmp(p, "070707", 6) == 0)
		return fail(err, errlen, "this cpio archive is in the old "
		    "portable format (-H odc); the kernel reads only the newc "
		    "format: use -H newc, i.e. pack it with cpio -o -H newc");
	/* Binary cpio starts with the 16-bit number 070707 (0x71c7) in the
	 * byte order of the machine that wrote it. */
	if (len >= 2 && ((p[0] == 0xc7 && p[1] == 0x71) ||
	    (p[0] == 0x71 && p[1] == 0xc7)))
		return fail(err, errlen, "this is the old binary cpio format "
		    "(cpio -o without -H); the kernel reads only the newc "
		    "format: use -H newc, i.e. pack it with cpio -o -H newc");
	if (len >= 4 && memcmp(p, "\177ELF", 4) == 0)
		return fail(err, errlen, "this is a program (an ELF file), "
		    "not a cpio archive: put the program in an archive with "
		    "cpio -o -H newc");
	if (len >= 4 && memcmp(p, "PK\003\004", 4) == 0)
		return fail(err, errlen, "this is a zip archive, not a cpio "
		    "archive: pack it with cpio -o -H newc");
	/* A piece of a newc magic: the file was cut within 6 bytes. */
	if (len < 6 && memcmp(p, NEWC_MAGIC, len) == 0)
		return fail(err, errlen, "the archive is truncated: it has "
		    "only %zu bytes, less than one cpio header (110 bytes); "
		    "pack it again with cpio -o -H newc", len);
	return fail(err, errlen, "not a cpio archive (it starts with \"%s\"): "
	    "pack it with cpio -o -H newc", initramfs_show(shown, sizeof shown, p,
	    len < 16 ? len : 16));
}

/* What the parser remembers about an entry beyond struct cpio_entry. */
struct link_key {
	uint32_t ino, devmajor, devminor, nlink;
};

/*
 * Hard links in newc: cpio writes every name of a file with nlink > 1 and
 * the same (ino, dev), but puts the data only on the last one; the others
 * have filesize 0. The kernel links them together, so every name ends up
 * with the data. Do the same, so that checks see the program's bytes
 * whichever name they look at.
 */
static void
join_hard_links(struct initramfs *a, const struct link_key *k)
{
	struct cpio_entry *e, *d;
	size_t i, j;

	for (i = 0; i < a->n; i++) {
		e = &a->entries[i];
		if (!S_ISREG(e->mode) || e->size != 0 || k[i].nlink < 2)
			continue;
		for (j = 0; j < a->n; j++) {
			d = &a->entries[j];
			if (j != i && S_ISREG(d->mode) && d->size > 0 &&
			    k[j].ino == k[i].ino &&
			    k[j].devmajor == k[i].devmajor &&
			    k[j].devminor == k[i].devminor) {
				e->size = d->size;
				e->data = d->data;
				break;
			}
		}
	}
}

/*
 * The parse proper: walk the headers of a buffer already known to start
 * with a newc magic, filling a->entries. Returns 0 or -1 with err set.
 */
static int
parse_entries(struct initramfs *a, char *err, size_t errlen)
{
	const unsigned char *p = a->buf;
	size_t len = a->len, off = 0, cap = 0, nameoff, dataoff, end, idx, b;
	struct cpio_entry *e;
	struct link_key *keys = NULL;
	uint32_t f[NEWC_FIELDS], sum;
	char shown[SHOW_BUF], *name;
	const char *stripped;
	int i, crc, trailers = 0, rc = -1;

	for (idx = 1;; idx++) {
		/* Like the kernel, skip NUL bytes between entries: cpio pads
		 * the end to 512 bytes, and archives may be concatenated
		 * ("cat early.cpio main.cpio"); the kernel unpacks them all. */
		while (off < len && p[off] == '\0')
			off++;
		if (off == len && trailers > 0) {
			rc = 0;
			break;
		}
		if (off == len) {
			fail(err, errlen, "the archive is truncated: it ends "
			    "after entry %zu without the " NEWC_TRAILER " entry "
			    "that marks its end; pack it again with "
			    "cpio -o -H newc", idx - 1);
			goto out;
		}
		if (len - off >= 6 && memcmp(p + off, NEWC_MAGIC, 6) == 0)
			crc = 0;
		else if (len - off >= 6 && memcmp(p + off, NEWC_MAGIC_CRC, 6) == 0)
			crc = 1;
		else if (trailers > 0) {
			rc = 0;		/* not cpio after the end: ignored */
			break;
		} else
			crc = -1;
		if (len - off < NEWC_HDR) {
			fail(err, errlen, "the archive is truncated: it ends "
			    "inside the header of entry %zu (the file has %zu "
			    "bytes, the header needs %zu); pack it again with "
			    "cpio -o -H newc", idx, len, off + NEWC_HDR);
			goto out;
		}
		if (crc < 0) {
			fail(err, errlen, "the archive is damaged: entry %zu "
			    "(at byte %zu) does not start with the newc magic "
			    "070701 but with \"%s\"; pack it again with "
			    "cpio -o -H newc", idx, off,
			    initramfs_show(shown, sizeof shown, p + off, 6));
			goto out;
		}
		if (off % 4 != 0) {
			fail(err, errlen, "the archive is damaged: entry %zu "
			    "starts at byte %zu, not at a multiple of 4 as "
			    "newc requires; pack it again with cpio -o -H newc",
			    idx, off);
			goto out;
		}
		for (i = 0; i < NEWC_FIELDS; i++) {
			if (hex8(p + off + 6 + 8 * i, &f[i]) < 0) {
				fail(err, errlen, "the archive is damaged: the "
				    "%s field of entry %zu (at byte %zu) is not "
				    "8 hex digits but \"%s\"; pack it again "
				    "with cpio -o -H newc", field_name[i], idx,
				    off, initramfs_show(shown, sizeof shown,
				    p + off + 6 + 8 * i, 8));
				goto out;
			}
		}
		if (f[F_NAMESIZE] == 0) {
			fail(err, errlen, "the archive is damaged: entry %zu "
			    "(at byte %zu) has no name (namesize 0); pack it "
			    "again with cpio -o -H newc", idx, off);
			goto out;
		}
		/* namesize counts the name's NUL. Header and name together
		 * are padded to 4 bytes, so the data starts aligned. */
		nameoff = off + NEWC_HDR;
		if (f[F_NAMESIZE] > len - nameoff) {
			fail(err, errlen, "the archive is truncated: it ends "
			    "inside the name of entry %zu (the name needs %lu "
			    "bytes, %zu are left); pack it again with "
			    "cpio -o -H newc", idx,
			    (unsigned long)f[F_NAMESIZE], len - nameoff);
			goto out;
		}
		name = (char *)a->buf + nameoff;
		if (name[f[F_NAMESIZE] - 1] != '\0') {
			fail(err, errlen, "the archive is damaged: the name of "
			    "entry %zu (\"%s\") does not end in a NUL byte; "
			    "pack it again with cpio -o -H newc", idx,
			    initramfs_show(shown, sizeof shown, name, f[F_NAMESIZE]));
			goto out;
		}
		dataoff = newc_align4(nameoff + f[F_NAMESIZE]);
		if (strcmp(name, NEWC_TRAILER) == 0) {
			trailers++;
			if (dataoff > len || f[F_FILESIZE] > len - dataoff)
				off = len;
			else
				off = newc_align4(dataoff + f[F_FILESIZE]);
			if (off > len)
				off = len;
			continue;
		}
		if (dataoff > len || f[F_FILESIZE] > len - dataoff) {
			fail(err, errlen, "the archive is truncated: the data "
			    "of entry %zu (%s, %lu bytes) goes past the end of the "
			    "file; "
			    "pack it again with cpio -o -H newc", idx,
			    initramfs_show(shown, sizeof shown, name, strlen(name)),
			    (unsigned long)f[F_FILESIZE]);
			goto out;
		}
		end = dataoff + f[F_FILESIZE];
		if (crc) {
			/* 070702: check is the sum of the data bytes. */
			sum = 0;
			for (b = dataoff; b < end; b++)
				sum += p[b];
			if (S_ISREG(f[F_MODE]) && sum != f[F_CHECK]) {
				fail(err, errlen, "the archive is damaged: the "
				    "checksum of %s does not match its data "
				    "(crc format); pack it again with "
				    "cpio -o -H newc",
				    initramfs_show(shown, sizeof shown, name, strlen(name)));
				goto out;
			}
		}
		if (a->n == cap) {
			cap = cap ? 2 * cap : 16;
			a->entries = xrealloc(a->entries, cap * sizeof *a->entries);
			keys = xrealloc(keys, cap * sizeof *keys);
		}
		/* The name stays in the buffer. A name that is only "/" or
		 * "./" is the top folder: write "." over it in place. */
		stripped = newc_name(name);
		if (*stripped == '\0' && f[F_NAMESIZE] >= 2) {
			name[0] = '.';
			name[1] = '\0';
			stripped = name;
		}
		e = &a->entries[a->n];
		e->name = name + (stripped - name);
		e->mode = f[F_MODE];
		e->uid = f[F_UID];
		e->gid = f[F_GID];
		e->devmajor = f[F_RDEVMAJOR];
		e->devminor = f[F_RDEVMINOR];
		e->size = f[F_FILESIZE];
		e->data = p + dataoff;
		keys[a->n].ino = f[F_INO];
		keys[a->n].devmajor = f[F_DEVMAJOR];
		keys[a->n].devminor = f[F_DEVMINOR];
		keys[a->n].nlink = f[F_NLINK];
		a->n++;
		/* The next header starts 4-aligned after the data; if the
		 * file ends inside that padding, the loop reports it. */
		off = newc_align4(end);
		if (off > len)
			off = len;
	}
	join_hard_links(a, keys);
out:
	free(keys);
	return rc;
}

/*
 * Contract: see initramfs.h. On failure the archive is emptied and buf
 * freed here, so a caller may call initramfs_release() or not.
 */
int
initramfs_parse(struct initramfs *a, unsigned char *buf, size_t len,
		char *err, size_t errlen)
{
	memset(a, 0, sizeof *a);
	a->buf = buf;
	a->len = len;
	if (err && errlen > 0)
		err[0] = '\0';
	if (explain_format(buf, len, err, errlen) < 0 ||
	    parse_entries(a, err, errlen) < 0) {
		initramfs_release(a);
		return -1;
	}
	return 0;
}

/*
 * Contract: see initramfs.h. Reads in growing chunks rather than trusting
 * the file's size, so a pipe or /dev/stdin works too.
 */
int
initramfs_load(struct initramfs *a, const char *path, char *err, size_t errlen)
{
	unsigned char *buf = NULL;
	size_t len = 0, cap = 0, got;
	char why[512];
	FILE *f;
	int saved;

	memset(a, 0, sizeof *a);
	f = fopen(path, "rb");
	if (!f) {
		saved = errno;
		return fail(err, errlen, "cannot open %s: %s%s", path,
		    strerror(saved), saved == ENOENT ?
		    " (was it built? run make in the stage folder)" : "");
	}
	for (;;) {
		if (len == cap) {
			cap = cap ? 2 * cap : 65536;
			buf = xrealloc(buf, cap);
		}
		got = fread(buf + len, 1, cap - len, f);
		len += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		saved = errno;
		free(buf);
		fclose(f);
		return fail(err, errlen, "cannot read %s: %s", path,
		    strerror(saved));
	}
	fclose(f);
	if (initramfs_parse(a, buf, len, why, sizeof why) < 0)
		return fail(err, errlen, "%s: %s", path, why);
	return 0;
}

/* Contract: see initramfs.h. Safe on a zeroed or already released archive. */
void
initramfs_release(struct initramfs *a)
{
	free(a->entries);
	free(a->buf);
	memset(a, 0, sizeof *a);
}

/* Contract: see initramfs.h. "", "/" and "./" name the top folder ".". */
const struct cpio_entry *
initramfs_find(const struct initramfs *a, const char *name)
{
	const char *s = newc_name(name);

	return find_exact(a, *s ? s : ".");
}

/*
 * Contract: see initramfs.h. done is the folder reached so far, as the
 * archive names it ("" for the top); rest is what is left to walk. A link
 * puts its target in front of what was left after it, and an absolute
 * target empties done, so a relative one continues from the link's folder.
 */
enum initramfs_walk
initramfs_resolve(const struct initramfs *a, const char *path,
		  const struct cpio_entry **found, char *missing, size_t missinglen)
{
	char done[PATH_BUF], rest[PATH_BUF], cand[PATH_BUF], next[PATH_BUF];
	const struct cpio_entry *e;
	const char *p, *q, *slash, *nul;
	size_t clen, dlen, tlen;
	int links = 0, n;

	*found = NULL;
	if (missing && missinglen > 0)
		missing[0] = '\0';
	if (strlen(path) >= sizeof rest)
		return INITRAMFS_TOO_LONG;
	strcpy(rest, path);
	done[0] = '\0';
	p = rest;
	for (;;) {
		while (*p == '/')
			p++;
		if (*p == '\0')
			break;
		for (q = p; *q != '\0' && *q != '/'; q++)
			;
		clen = (size_t)(q - p);
		if (clen == 1 && p[0] == '.') {
			p = q;
			continue;
		}
		if (clen == 2 && p[0] == '.' && p[1] == '.') {
			slash = strrchr(done, '/');
			if (slash)
				done[slash - done] = '\0';
			else
				done[0] = '\0';
			p = q;
			continue;
		}
		dlen = strlen(done);
		n = snprintf(cand, sizeof cand, "%s%s%.*s", done,
		    dlen ? "/" : "", (int)clen, p);
		if (n < 0 || (size_t)n >= sizeof cand)
			return INITRAMFS_TOO_LONG;
		e = find_exact(a, cand);
		/* A link's target ends at its size, or at a NUL before. */
		tlen = 0;
		if (e && S_ISLNK(e->mode)) {
			nul = memchr(e->data, '\0', e->size);
			tlen = nul ? (size_t)(nul - (const char *)e->data) :
			    e->size;
		}
		if (!e || (S_ISLNK(e->mode) && tlen == 0) ||
		    (*q != '\0' && !S_ISDIR(e->mode) && !S_ISLNK(e->mode))) {
			if (missing)
				snprintf(missing, missinglen, "%s", cand);
			return INITRAMFS_MISSING;
		}
		if (S_ISLNK(e->mode)) {
			if (++links > MAX_LINKS)
				return INITRAMFS_LOOP;
			if (tlen >= sizeof next)
				return INITRAMFS_TOO_LONG;
			n = snprintf(next, sizeof next, "%.*s%s", (int)tlen,
			    (const char *)e->data, q);
			if (n < 0 || (size_t)n >= sizeof next)
				return INITRAMFS_TOO_LONG;
			if (e->data[0] == '/')
				done[0] = '\0';
			strcpy(rest, next);
			p = rest;
			continue;
		}
		strcpy(done, cand);
		p = q;
	}
	*found = done[0] ? find_exact(a, done) : NULL;
	return INITRAMFS_FOUND;
}

