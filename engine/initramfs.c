/*
 * initramfs.c: read, check and write newc cpio archives (the initramfs).
 *
 * Design note.
 *
 * The kernel unpacks the initramfs into an empty root file system, then
 * runs /init. When that goes wrong the learner sees "Kernel panic - not
 * syncing: No working init found" and little else. So this file reads the
 * archive the way the kernel's init/initramfs.c does, and says in one line
 * per problem what the kernel would trip over and how to fix it.
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
 * The checks replay what the kernel does next: look up /init (following
 * symlinks inside the archive, as the path walk will), test its execute
 * bit, load it as an ELF for this machine or as a "#!" script, and load
 * the dynamic loader it names. A problem becomes one line of advice.
 *
 * The writer is a small gen_init_cpio (usr/gen_init_cpio.c in the kernel):
 * owner 0:0, fixed mtime, entries in the order given, inodes from 721, and
 * the trailer padded to 512 bytes as GNU cpio and gen_init_cpio do, so that
 * the same inputs always give the same bytes.
 *
 * No global mutable state: all tables below are const.
 */
#include "initramfs.h"

#include <sys/stat.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define NEWC_HDR	110	/* "070701" and 13 fields of 8 hex digits */
#define NEWC_FIELDS	13
#define TRAILER		"TRAILER!!!"
#define WRITER_INO	721	/* where gen_init_cpio starts counting */
#define WRITER_MTIME	0	/* fixed, so the archive is reproducible */
#define MAX_LINKS	8	/* symlink hops we follow inside the archive */
#define PATH_BUF	1024	/* longest path we resolve */
#define SHOW_BUF	160	/* longest name or byte string we print */
#define BINPRM_BUF	256	/* the kernel reads a #! line from this many bytes */

#define EM_RISCV	243
#define ET_REL		1
#define ET_EXEC		2
#define ET_DYN		3
#define PT_INTERP	3

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

static const struct {
	int id;
	const char *name;
} machines[] = {
	{ 243, "RISC-V" },
	{ 62, "x86-64" },
	{ 3, "i386" },
	{ 183, "AArch64" },
	{ 40, "ARM" },
	{ 8, "MIPS" },
	{ 20, "PowerPC" },
	{ 21, "PowerPC64" },
	{ 22, "s390" },
	{ 258, "LoongArch" },
	{ 2, "SPARC" },
	{ 43, "SPARC64" },
};

/* Folders where a learner may have put init instead of the top. */
static const char *const other_inits[] = {
	"sbin/init", "bin/init", "etc/init", "usr/sbin/init", "usr/bin/init",
};

/*
 * Top-level folders of a root file system. An archive holding only these
 * lacks init; one whose names all sit under "build/" or "home/ada/" was
 * packed from the wrong folder.
 */
static const char *const root_folders[] = {
	"bin", "sbin", "lib", "lib32", "lib64", "usr", "etc", "dev", "proc",
	"sys", "var", "run",
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

	if (err != NULL && errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/*
 * Round up to a multiple of 4. newc aligns every header and every file's
 * data to 4 bytes, a leftover of the machines it was designed on, which
 * could not read a 32-bit word from an odd address. The kernel relies on
 * it: it rejects an archive whose next header is not 4-aligned.
 */
static size_t
align4(size_t n)
{
	return (n + 3) & ~(size_t)3;
}

/*
 * Print n bytes of src into dst (dstlen >= 4) so that any byte is visible
 * on a terminal: printable ASCII as is, \n \r \t by name, others as \xNN.
 * Names come from the archive and may hold anything, including newlines
 * that would break our one-line-per-problem output. Too long ends in "...".
 */
static const char *
show(char *dst, size_t dstlen, const void *src, size_t n)
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

/* show() for a C string. */
static const char *
showstr(char *dst, size_t dstlen, const char *s)
{
	return show(dst, dstlen, s, strlen(s));
}

/*
 * The name as the kernel will see it after unpacking into "/": without a
 * leading "./" or "/". cpio run as "find . | cpio" stores "./init", and
 * "find /abs/dir" stores "/abs/dir/init"; both mean the same file to us.
 * Returns a pointer into s; a name that is only slashes and "./" gives "".
 */
static const char *
strip_name(const char *s)
{
	for (;;) {
		if (s[0] == '/')
			s++;
		else if (s[0] == '.' && s[1] == '/')
			s += 2;
		else
			return s;
	}
}

/* The last entry named exactly name: a later entry replaces an earlier. */
static const struct cpio_entry *
find_exact(const initramfs_t *a, const char *name)
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
	if (len >= 6 && (memcmp(p, "070701", 6) == 0 ||
	    memcmp(p, "070702", 6) == 0))
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
	if (len < 6 && memcmp(p, "070701", len) == 0)
		return fail(err, errlen, "the archive is truncated: it has "
		    "only %zu bytes, less than one cpio header (110 bytes); "
		    "pack it again with cpio -o -H newc", len);
	return fail(err, errlen, "not a cpio archive (it starts with \"%s\"): "
	    "pack it with cpio -o -H newc", show(shown, sizeof shown, p,
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
join_hard_links(initramfs_t *a, const struct link_key *k)
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
parse_entries(initramfs_t *a, char *err, size_t errlen)
{
	const unsigned char *p = a->buf;
	size_t len = a->len, off = 0, cap = 0, nameoff, dataoff, end, idx, b;
	struct cpio_entry *e, *ne;
	struct link_key *keys = NULL, *nk;
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
			    "after entry %zu without the " TRAILER " entry "
			    "that marks its end; pack it again with "
			    "cpio -o -H newc", idx - 1);
			goto out;
		}
		if (len - off >= 6 && memcmp(p + off, "070701", 6) == 0)
			crc = 0;
		else if (len - off >= 6 && memcmp(p + off, "070702", 6) == 0)
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
			    show(shown, sizeof shown, p + off, 6));
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
				    off, show(shown, sizeof shown,
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
			    show(shown, sizeof shown, name, f[F_NAMESIZE]));
			goto out;
		}
		dataoff = align4(nameoff + f[F_NAMESIZE]);
		if (strcmp(name, TRAILER) == 0) {
			trailers++;
			if (dataoff > len || f[F_FILESIZE] > len - dataoff)
				off = len;
			else
				off = align4(dataoff + f[F_FILESIZE]);
			if (off > len)
				off = len;
			continue;
		}
		if (dataoff > len || f[F_FILESIZE] > len - dataoff) {
			fail(err, errlen, "the archive is truncated: the data "
			    "of entry %zu (%s, %lu bytes) goes past the end of the "
			    "file; "
			    "pack it again with cpio -o -H newc", idx,
			    showstr(shown, sizeof shown, name),
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
				    showstr(shown, sizeof shown, name));
				goto out;
			}
		}
		if (a->n == cap) {
			cap = cap ? 2 * cap : 16;
			ne = realloc(a->entries, cap * sizeof *ne);
			if (ne == NULL)
				goto nomem;
			a->entries = ne;
			nk = realloc(keys, cap * sizeof *nk);
			if (nk == NULL)
				goto nomem;
			keys = nk;
		}
		/* The name stays in the buffer. A name that is only "/" or
		 * "./" is the top folder: write "." over it in place. */
		stripped = strip_name(name);
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
		off = align4(end);
		if (off > len)
			off = len;
	}
	join_hard_links(a, keys);
	goto out;
nomem:
	fail(err, errlen, "out of memory while reading the archive");
out:
	free(keys);
	return rc;
}

/*
 * Contract: see initramfs.h. On failure the archive is emptied and buf
 * freed here, so a caller may call initramfs_release() or not.
 */
int
initramfs_parse(initramfs_t *a, unsigned char *buf, size_t len,
		char *err, size_t errlen)
{
	memset(a, 0, sizeof *a);
	a->buf = buf;
	a->len = len;
	if (err != NULL && errlen > 0)
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
initramfs_load(initramfs_t *a, const char *path, char *err, size_t errlen)
{
	unsigned char *buf = NULL, *nb;
	size_t len = 0, cap = 0, got;
	char why[512];
	FILE *f;
	int saved;

	memset(a, 0, sizeof *a);
	f = fopen(path, "rb");
	if (f == NULL) {
		saved = errno;
		return fail(err, errlen, "cannot open %s: %s%s", path,
		    strerror(saved), saved == ENOENT ?
		    " (was it built? run make in the stage folder)" : "");
	}
	for (;;) {
		if (len == cap) {
			cap = cap ? 2 * cap : 65536;
			nb = realloc(buf, cap);
			if (nb == NULL) {
				free(buf);
				fclose(f);
				return fail(err, errlen, "%s: out of memory "
				    "while reading it", path);
			}
			buf = nb;
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
initramfs_release(initramfs_t *a)
{
	free(a->entries);
	free(a->buf);
	memset(a, 0, sizeof *a);
}

/* Contract: see initramfs.h. "", "/" and "./" name the top folder ".". */
const struct cpio_entry *
initramfs_find(const initramfs_t *a, const char *name)
{
	const char *s = strip_name(name);

	return find_exact(a, *s ? s : ".");
}

/* ------------------------------------------------------------------ */
/* ELF                                                                  */
/* ------------------------------------------------------------------ */

enum { ELF_OK, ELF_NOT, ELF_DAMAGED };

/* A 1..8 byte unsigned number at p, in the file's byte order. */
static uint64_t
rd(const unsigned char *p, int size, int big_endian)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < size; i++)
		v |= (uint64_t)p[big_endian ? size - 1 - i : i] << (8 * i);
	return v;
}

static const char *
machine_name(int id)
{
	size_t i;

	for (i = 0; i < sizeof machines / sizeof machines[0]; i++)
		if (machines[i].id == id)
			return machines[i].name;
	return "unknown";
}

/*
 * The interpreter of a "#!" script, as the kernel's binfmt_script finds it:
 * the first line (within the first 256 bytes), spaces and tabs after "#!"
 * skipped, then everything up to a space, tab or end of line. A "\r" is
 * NOT a separator for the kernel, so a script saved with Windows line
 * endings asks for "/bin/sh\r"; we keep the "\r" to be able to say so.
 */
static void
script_interp(const unsigned char *d, size_t n, char *out, size_t outlen)
{
	size_t i = 2, k = 0;

	if (n > BINPRM_BUF)
		n = BINPRM_BUF;
	while (i < n && (d[i] == ' ' || d[i] == '\t'))
		i++;
	while (i < n && d[i] != ' ' && d[i] != '\t' && d[i] != '\n' &&
	    d[i] != '\0' && k + 1 < outlen)
		out[k++] = (char)d[i++];
	out[k] = '\0';
}

/*
 * Read the ELF header and program headers of d[0..n). Returns ELF_OK,
 * ELF_NOT (not ELF; a #! script's interpreter is filled in), or
 * ELF_DAMAGED (ELF magic, but the headers are cut short or inconsistent;
 * the fields read so far are filled in). *type gets e_type.
 */
static int
elf_read(const unsigned char *d, size_t n, struct elf_info *info, int *type)
{
	uint64_t phoff, off, filesz, ph;
	size_t phentsize, phnum, i, k;
	int be, is64;

	memset(info, 0, sizeof *info);
	info->machine_name = "";
	*type = 0;
	if (n >= 2 && d[0] == '#' && d[1] == '!') {
		script_interp(d, n, info->script_interp,
		    sizeof info->script_interp);
		return ELF_NOT;
	}
	if (n < 4 || memcmp(d, "\177ELF", 4) != 0)
		return ELF_NOT;
	if (n < 20 || (d[4] != 1 && d[4] != 2) || (d[5] != 1 && d[5] != 2))
		return ELF_DAMAGED;
	is64 = d[4] == 2;
	be = d[5] == 2;
	info->is_64 = is64;
	*type = (int)rd(d + 16, 2, be);
	info->machine = (int)rd(d + 18, 2, be);
	info->machine_name = machine_name(info->machine);
	info->is_exec = *type == ET_EXEC || *type == ET_DYN;
	info->is_pie = *type == ET_DYN;
	if (n < (is64 ? 64u : 52u))
		return ELF_DAMAGED;
	if (is64) {
		phoff = rd(d + 32, 8, be);
		phentsize = (size_t)rd(d + 54, 2, be);
		phnum = (size_t)rd(d + 56, 2, be);
	} else {
		phoff = rd(d + 28, 4, be);
		phentsize = (size_t)rd(d + 42, 2, be);
		phnum = (size_t)rd(d + 44, 2, be);
	}
	if (phnum == 0)
		return ELF_OK;
	if (phentsize < (is64 ? 56u : 32u) || phoff > n ||
	    phnum > (n - phoff) / phentsize)
		return ELF_DAMAGED;
	for (i = 0; i < phnum; i++) {
		ph = phoff + i * phentsize;
		if (rd(d + ph, 4, be) != PT_INTERP)
			continue;
		off = is64 ? rd(d + ph + 8, 8, be) : rd(d + ph + 4, 4, be);
		filesz = is64 ? rd(d + ph + 32, 8, be) : rd(d + ph + 16, 4, be);
		if (off > n || filesz > n - off)
			return ELF_DAMAGED;
		for (k = 0; k < filesz && k + 1 < sizeof info->interp &&
		    d[off + k] != '\0'; k++)
			info->interp[k] = (char)d[off + k];
		info->interp[k] = '\0';
		break;
	}
	return ELF_OK;
}

/* Contract: see initramfs.h. An unknown e_machine is named "unknown". */
int
elf_inspect(const unsigned char *data, size_t size, struct elf_info *info)
{
	int type;

	return elf_read(data, size, info, &type) == ELF_NOT ? -1 : 0;
}

/* ------------------------------------------------------------------ */
/* Checking                                                             */
/* ------------------------------------------------------------------ */

/* The problems found so far, and the caller's buffer they go to. */
struct report {
	char *out;
	size_t len, cap;
	int full;	/* a line did not fit: add no more, keep counting */
	int count;
};

/*
 * Count one problem and append it as a line to the report. Only whole
 * lines are written: a line cut in the middle could tell the learner a
 * wrong command. After the first line that does not fit, later (perhaps
 * shorter) ones are not written either, so the lines shown keep their order.
 */
static void
problem(struct report *r, const char *fmt, ...)
{
	va_list ap;
	size_t room;
	int n;

	r->count++;
	if (r->full)
		return;
	room = r->cap - r->len;
	va_start(ap, fmt);
	n = vsnprintf(r->out + r->len, room, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n + 2 > room) {
		r->out[r->len] = '\0';
		r->full = 1;
		return;
	}
	r->out[r->len + (size_t)n] = '\n';
	r->out[r->len + (size_t)n + 1] = '\0';
	r->len += (size_t)n + 1;
}

enum { RES_OK, RES_MISSING, RES_LOOP, RES_TOOLONG };

/*
 * Find path in the archive the way the kernel's path walk will after
 * unpacking: component by component, a symlink replaced by its target
 * (relative to the link's folder, or to the top if it starts with "/"),
 * at most MAX_LINKS times. Returns RES_OK with *found the entry (NULL for
 * the top folder itself); RES_MISSING with missing set to the first path
 * that is not in the archive; RES_LOOP; or RES_TOOLONG.
 */
static int
resolve(const initramfs_t *a, const char *path,
	const struct cpio_entry **found, char *missing, size_t missinglen)
{
	char done[PATH_BUF], rest[PATH_BUF], cand[PATH_BUF], next[PATH_BUF];
	const struct cpio_entry *e;
	const char *p, *q, *slash, *nul;
	size_t clen, dlen, tlen;
	int links = 0, n;

	*found = NULL;
	if (missinglen > 0)
		missing[0] = '\0';
	if (strlen(path) >= sizeof rest)
		return RES_TOOLONG;
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
			if (slash != NULL)
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
			return RES_TOOLONG;
		e = find_exact(a, cand);
		/* A link's target ends at its size, or at a NUL before. */
		tlen = 0;
		if (e != NULL && S_ISLNK(e->mode)) {
			nul = memchr(e->data, '\0', e->size);
			tlen = nul ? (size_t)(nul - (const char *)e->data) :
			    e->size;
		}
		if (e == NULL || (S_ISLNK(e->mode) && tlen == 0) ||
		    (*q != '\0' && !S_ISDIR(e->mode) && !S_ISLNK(e->mode))) {
			snprintf(missing, missinglen, "%s", cand);
			return RES_MISSING;
		}
		if (S_ISLNK(e->mode)) {
			if (++links > MAX_LINKS)
				return RES_LOOP;
			if (tlen >= sizeof next)
				return RES_TOOLONG;
			n = snprintf(next, sizeof next, "%.*s%s", (int)tlen,
			    (const char *)e->data, q);
			if (n < 0 || (size_t)n >= sizeof next)
				return RES_TOOLONG;
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
	return RES_OK;
}

/* Is path the folder dir or a path inside it? */
static int
under(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	return strncmp(path, dir, n) == 0 &&
	    (path[n] == '\0' || path[n] == '/');
}

/*
 * Say what is wrong with an ELF file (machine, word size, missing dynamic
 * loader); label names it in the message ("/init", "/little_shell").
 */
static void
check_elf(struct report *r, const initramfs_t *a, const char *label,
	  const struct elf_info *info, int program)
{
	const struct cpio_entry *t;
	char miss[PATH_BUF], shown[SHOW_BUF], machine[32];

	if (info->machine != EM_RISCV) {
		/* The kernel refuses it with "Exec format error" (-8). */
		if (strcmp(info->machine_name, "unknown") == 0)
			snprintf(machine, sizeof machine, "machine %d",
			    info->machine);
		else
			snprintf(machine, sizeof machine, "%s",
			    info->machine_name);
		problem(r, "%s is built for %s, not RISC-V: %s", label, machine,
		    program ? "compile it with riscv64-linux-gnu-gcc" :
		    "use the RISC-V (riscv64) build of it");
		return;
	}
	if (!info->is_64) {
		problem(r, "%s is built for 32-bit RISC-V (rv32), but the lab's "
		    "kernel runs 64-bit RISC-V (rv64) programs: compile it "
		    "with riscv64-linux-gnu-gcc", label);
		return;
	}
	/* A dynamic program names its loader in PT_INTERP; the kernel
	 * loads that file first, and fails with ENOENT if it is absent. */
	if (info->interp[0] != '\0' &&
	    resolve(a, info->interp, &t, miss, sizeof miss) != RES_OK)
		problem(r, "%s is linked dynamically: it needs %s, which is not "
		    "in the archive; link it with -static", label,
		    showstr(shown, sizeof shown, info->interp));
}

/* Report a regular file that has no execute bit. */
static void
check_exec_bit(struct report *r, const char *label,
	       const struct cpio_entry *e)
{
	char shown[SHOW_BUF];

	/* PID 1 runs as root, and root may run a file if any x bit is set.
	 * Without one the kernel treats /init as absent. */
	if ((e->mode & 0111) == 0)
		problem(r, "%s is not executable (mode %04o): chmod +x %s "
		    "before packing", label, (unsigned)(e->mode & 07777),
		    showstr(shown, sizeof shown, e->name));
}

/*
 * The folder all names share, like "build" or "home/ada/stage2", found
 * when cpio was run from outside the folder; "" if there is none. It
 * starts as the folder of the first file, and shrinks to fit the other
 * names; folder entries above it ("home", "home/ada") do not count.
 */
static void
common_folder(const initramfs_t *a, char *pre, size_t prelen)
{
	const char *name, *slash;
	size_t i, plen;

	pre[0] = '\0';
	for (i = 0; i < a->n; i++) {
		slash = strrchr(a->entries[i].name, '/');
		if (slash != NULL && !S_ISDIR(a->entries[i].mode)) {
			plen = (size_t)(slash - a->entries[i].name);
			if (plen >= prelen)
				return;
			memcpy(pre, a->entries[i].name, plen);
			pre[plen] = '\0';
			break;
		}
	}
	for (i = 0; i < a->n && pre[0] != '\0'; i++) {
		name = a->entries[i].name;
		if (strcmp(name, ".") == 0 || name[0] == '\0')
			continue;
		if (S_ISDIR(a->entries[i].mode) && under(pre, name))
			continue;	/* a folder that is pre or above it */
		while (pre[0] != '\0' && !under(name, pre)) {
			slash = strrchr(pre, '/');	/* shorten pre */
			pre[slash ? (size_t)(slash - pre) : 0] = '\0';
		}
	}
}

/* Does path start with a folder every root file system has ("bin", "usr")? */
static int
root_folder(const char *path)
{
	size_t i;

	for (i = 0; i < sizeof root_folders / sizeof root_folders[0]; i++)
		if (under(path, root_folders[i]))
			return 1;
	return 0;
}

/*
 * There is no entry "init". Say so, with the most likely reason: a name
 * in the wrong case, every name under a folder prefix, or init in a
 * folder the kernel does not look in first. Returns 1 if the names have
 * a folder prefix (then the missing-folder check would only repeat it).
 */
static int
explain_no_init(struct report *r, const initramfs_t *a)
{
	char pre[PATH_BUF], shown[SHOW_BUF], path[PATH_BUF + 8];
	size_t i;

	for (i = 0; i < a->n; i++)
		if (strcasecmp(a->entries[i].name, "init") == 0) {
			problem(r, "the archive has no /init, but it has /%s: "
			    "names are case-sensitive; rename it to init",
			    showstr(shown, sizeof shown, a->entries[i].name));
			return 0;
		}
	common_folder(a, pre, sizeof pre);
	if (pre[0] != '\0' && !root_folder(pre)) {
		snprintf(path, sizeof path, "%s/init", pre);
		showstr(shown, sizeof shown, pre);
		if (find_exact(a, path) != NULL)
			problem(r, "the archive has no /init, only /%s/init: "
			    "every name starts with the folder %s/, so cpio "
			    "was run from outside it; run cpio from inside %s "
			    "(cd there first)", shown, shown, shown);
		else
			problem(r, "the archive has no /init: every name starts "
			    "with the folder %s/, so cpio was run from outside "
			    "it; run cpio from inside %s (cd there first)",
			    shown, shown);
		return 1;
	}
	for (i = 0; i < sizeof other_inits / sizeof other_inits[0]; i++)
		if (find_exact(a, other_inits[i]) != NULL) {
			problem(r, "the archive has no /init, only /%s: from an "
			    "initramfs the kernel runs /init first; add init "
			    "at the top of the archive (or a link init -> %s)",
			    other_inits[i], other_inits[i]);
			return 0;
		}
	problem(r, "the archive has no /init: the kernel runs /init first; "
	    "add init to file_list.txt");
	return 0;
}

/*
 * Check /init: present, a program (or a link to one), executable, built
 * for 64-bit RISC-V, static or with its loader present; or a script whose
 * interpreter is present. Returns the entry /init leads to (NULL if none)
 * and sets *prefixed as explain_no_init() returns.
 */
static const struct cpio_entry *
check_init(struct report *r, const initramfs_t *a, int *prefixed)
{
	const struct cpio_entry *e, *t, *it;
	char label[SHOW_BUF + 32], shown[SHOW_BUF], miss[PATH_BUF];
	char shown2[SHOW_BUF];
	struct elf_info info;
	int res, type;

	*prefixed = 0;
	e = find_exact(a, "init");
	if (e == NULL) {
		*prefixed = explain_no_init(r, a);
		return NULL;
	}
	t = e;
	strcpy(label, "/init");
	if (S_ISLNK(e->mode)) {
		show(shown, sizeof shown, e->data, e->size);
		res = resolve(a, "init", &t, miss, sizeof miss);
		if (res == RES_MISSING) {
			problem(r, "/init is a link to %s, but /%s is not in the "
			    "archive: add it, or make init a link to a file "
			    "that is", shown, showstr(shown2, sizeof shown2,
			    miss));
			return NULL;
		}
		if (res != RES_OK) {
			problem(r, "/init is a link to %s that %s: make init "
			    "the program itself, or a link straight to it",
			    shown, res == RES_LOOP ? "goes round in a loop "
			    "(more than 8 links)" : "leads to a path too long "
			    "to follow");
			return NULL;
		}
		if (t != NULL)
			snprintf(label, sizeof label, "/init (a link to /%s)",
			    showstr(shown, sizeof shown, t->name));
	}
	if (t == NULL || S_ISDIR(t->mode)) {
		problem(r, "%s is a folder, not a program: the kernel runs the "
		    "file /init; pack your compiled program as init at the "
		    "top of the archive", label);
		return NULL;
	}
	if (!S_ISREG(t->mode)) {
		problem(r, "%s is a device or other special file, not a "
		    "program: pack your compiled program as init", label);
		return t;
	}
	check_exec_bit(r, label, t);
	if (t->size == 0) {
		problem(r, "%s is empty (0 bytes): pack the compiled program, "
		    "e.g. build it before running cpio", label);
		return t;
	}
	switch (elf_read(t->data, t->size, &info, &type)) {
	case ELF_DAMAGED:
		problem(r, "%s is a damaged ELF file (it ends inside its "
		    "headers): build it again and pack it again", label);
		return t;
	case ELF_OK:
		if (type == ET_REL)
			problem(r, "%s is an object file (.o), not a linked "
			    "program: link it, e.g. riscv64-linux-gnu-gcc "
			    "-static -o init init.c", label);
		else if (!info.is_exec)
			problem(r, "%s is an ELF file but not a program (ELF "
			    "type %d): pack the compiled program as init",
			    label, type);
		else
			check_elf(r, a, label, &info, 1);
		return t;
	default:	/* not ELF: a script, or not a program at all */
		break;
	}
	if (t->size >= 2 && t->data[0] == '#' && t->data[1] == '!') {
		showstr(shown, sizeof shown, info.script_interp);
		if (info.script_interp[0] == '\0')
			problem(r, "%s starts with #! but names no interpreter: "
			    "write its path on the first line, e.g. #!/bin/sh",
			    label);
		else if (strchr(info.script_interp, '\r') != NULL)
			problem(r, "%s has Windows line endings, so the kernel "
			    "looks for an interpreter named \"%s\": convert "
			    "the file with dos2unix before packing", label,
			    shown);
		else if ((res = resolve(a, info.script_interp, &it, miss,
		    sizeof miss)) != RES_OK) {
			showstr(shown2, sizeof shown2, miss);
			if (res != RES_MISSING)
				problem(r, "%s is a script for %s, which is a "
				    "link that %s: make it a link straight to "
				    "the interpreter", label, shown,
				    res == RES_LOOP ? "goes round in a loop" :
				    "leads to a path too long to follow");
			else if (under(strip_name(info.script_interp), miss))
				problem(r, "%s is a script for %s, which is not "
				    "in the archive: add %s to the archive, or "
				    "make init a compiled program", label,
				    shown, shown);
			else
				problem(r, "%s is a script for %s, but /%s, "
				    "where that leads, is not in the archive: "
				    "add it to the archive", label, shown,
				    shown2);
		}
		return t;
	}
	if (t->size >= 8 && memcmp(t->data, "#include", 8) == 0)
		problem(r, "%s is C source code, not a program: compile it, "
		    "e.g. riscv64-linux-gnu-gcc -static -o init init.c, and "
		    "pack the result", label);
	else
		problem(r, "%s is not a program (it starts with \"%s\"): pack "
		    "the compiled program (from riscv64-linux-gnu-gcc) as init",
		    label, show(shown, sizeof shown, t->data,
		    t->size < 16 ? t->size : 16));
	return t;
}

/*
 * Every other regular file that is an ELF: the right machine, and its
 * loader present. skip is /init's file, already checked.
 */
static void
check_other_elves(struct report *r, const initramfs_t *a,
		  const struct cpio_entry *skip)
{
	const struct cpio_entry *e;
	char label[SHOW_BUF + 1];
	struct elf_info info;
	size_t i;
	int st, type, program;

	for (i = 0; i < a->n; i++) {
		e = &a->entries[i];
		if (e == skip || !S_ISREG(e->mode) || e->size == 0)
			continue;
		st = elf_read(e->data, e->size, &info, &type);
		if (st == ELF_NOT || find_exact(a, e->name) != e)
			continue;	/* not ELF, or replaced by a later entry */
		label[0] = '/';
		showstr(label + 1, sizeof label - 1, e->name);
		if (st == ELF_DAMAGED) {
			problem(r, "%s is a damaged ELF file (it ends inside "
			    "its headers): build it again and pack it again",
			    label);
			continue;
		}
		/* A program is what someone execs; a shared library or the
		 * loader need not be executable and are "used", not built. */
		program = type == ET_EXEC || info.interp[0] != '\0';
		if (program)
			check_exec_bit(r, label, e);
		check_elf(r, a, label, &info, program);
	}
}

/*
 * The kernel unpacks entries in order and does not create folders by
 * itself: "bin/busybox" before (or without) "bin" is silently dropped.
 * Report each such folder once.
 */
static void
check_folders(struct report *r, const initramfs_t *a)
{
	const struct cpio_entry *d;
	char dir[PATH_BUF], shown[SHOW_BUF], shown2[SHOW_BUF];
	const char *name, *slash, *prev = "";
	size_t i, j, len;
	int seen;

	for (i = 0; i < a->n; i++, prev = name) {
		name = a->entries[i].name;
		slash = strrchr(name, '/');
		if (slash == NULL || (size_t)(slash - name) >= sizeof dir)
			continue;
		len = (size_t)(slash - name);
		/* Same folder as the entry before: already decided. This
		 * keeps the usual "find" order linear, not quadratic. */
		if (strncmp(prev, name, len + 1) == 0 &&
		    strchr(prev + len + 1, '/') == NULL)
			continue;
		memcpy(dir, name, len);
		dir[len] = '\0';
		for (j = 0, seen = 0; j < i && !seen; j++) {
			d = &a->entries[j];
			/* The folder itself, or an earlier name in it. */
			seen = (strcmp(d->name, dir) == 0 &&
			    (S_ISDIR(d->mode) || S_ISLNK(d->mode))) ||
			    (strncmp(d->name, dir, len) == 0 &&
			    d->name[len] == '/' &&
			    strchr(d->name + len + 1, '/') == NULL);
		}
		if (seen)
			continue;
		showstr(shown, sizeof shown, name);
		showstr(shown2, sizeof shown2, dir);
		problem(r, "/%s will not be unpacked: its folder /%s %s, and "
		    "the kernel does not create folders by itself; list %s "
		    "before %s in file_list.txt", shown, shown2,
		    find_exact(a, dir) ? "comes after it in the archive" :
		    "is not in the archive", shown2, shown);
	}
}

/*
 * Contract: see initramfs.h. The checks, in order: /init, every other ELF,
 * folders listed before their contents, then extra_required. Only whole
 * lines are written to out; the count includes the lines that did not fit.
 */
int
initramfs_check(const initramfs_t *a, const char *const *extra_required,
		char *out, size_t outlen)
{
	const struct cpio_entry *init;
	struct report r;
	char shown[SHOW_BUF];
	const char *name;
	int prefixed;
	size_t i;

	memset(&r, 0, sizeof r);
	r.out = out;
	r.cap = outlen;
	if (out == NULL || outlen == 0)
		r.full = 1;
	else {
		r.len = strnlen(out, outlen);
		r.full = r.len == outlen;	/* no NUL: do not touch it */
	}
	init = check_init(&r, a, &prefixed);
	check_other_elves(&r, a, init);
	if (!prefixed)
		check_folders(&r, a);
	for (i = 0; extra_required != NULL && extra_required[i] != NULL; i++) {
		name = strip_name(extra_required[i]);
		if (*name == '\0' || strcmp(name, ".") == 0 ||
		    strcmp(name, "init") == 0)	/* reported above */
			continue;
		if (find_exact(a, name) == NULL)
			problem(&r, "/%s is missing from the archive: build "
			    "it, make sure file_list.txt names it, and pack "
			    "again", showstr(shown, sizeof shown, name));
	}
	return r.count;
}

/* ------------------------------------------------------------------ */
/* Writing                                                              */
/* ------------------------------------------------------------------ */

/* Contract: see initramfs.h. */
void
cpio_writer_init(cpio_writer_t *w)
{
	memset(w, 0, sizeof *w);
	w->ino = WRITER_INO;
}

/* Append n bytes; on allocation failure mark the writer failed. */
static int
put(cpio_writer_t *w, const void *p, size_t n)
{
	unsigned char *nb;
	size_t cap;

	if (w->failed)
		return -1;
	if (n > w->cap - w->len) {
		cap = w->cap ? w->cap : 4096;
		while (n > cap - w->len) {
			if (cap > (size_t)-1 / 2) {
				w->failed = 1;
				return -1;
			}
			cap *= 2;
		}
		nb = realloc(w->buf, cap);
		if (nb == NULL) {
			w->failed = 1;
			return -1;
		}
		w->buf = nb;
		w->cap = cap;
	}
	if (n > 0)
		memcpy(w->buf + w->len, p, n);
	w->len += n;
	return 0;
}

/* Zero bytes up to a multiple of align. */
static int
pad(cpio_writer_t *w, size_t align)
{
	static const unsigned char zeros[512];

	return put(w, zeros, (align - w->len % align) % align);
}

/*
 * One newc entry: header, name with its NUL, padding, data, padding.
 * The name is already checked; data may be NULL when size is 0.
 */
static int
emit(cpio_writer_t *w, const char *name, uint32_t ino, uint32_t mode,
     uint32_t nlink, uint32_t rmajor, uint32_t rminor, const void *data,
     size_t size)
{
	char hdr[NEWC_HDR + 1];

	snprintf(hdr, sizeof hdr, "070701%08X%08X%08X%08X%08X%08X%08X%08X"
	    "%08X%08X%08X%08X%08X", (unsigned)ino, (unsigned)mode, 0u, 0u,
	    (unsigned)nlink, (unsigned)WRITER_MTIME, (unsigned)size, 0u, 0u,
	    (unsigned)rmajor, (unsigned)rminor,
	    (unsigned)(strlen(name) + 1), 0u);
	if (put(w, hdr, NEWC_HDR) < 0 ||
	    put(w, name, strlen(name) + 1) < 0 || pad(w, 4) < 0 ||
	    put(w, data, size) < 0 || pad(w, 4) < 0)
		return -1;
	return 0;
}

/*
 * Check a name and a size for a new entry; returns the name as stored
 * (without leading "/" or "./", as gen_init_cpio does), or NULL if it
 * cannot be stored: empty, the trailer's name, or too big for newc.
 */
static const char *
entry_name(const cpio_writer_t *w, const char *name, size_t size)
{
	if (w->failed || name == NULL || size > 0xffffffffu)
		return NULL;
	name = strip_name(name);
	if (*name == '\0' || strcmp(name, TRAILER) == 0 ||
	    strlen(name) >= PATH_BUF * 4)	/* the kernel's PATH_MAX */
		return NULL;
	return name;
}

/* Contract: see initramfs.h. A folder has nlink 2 ("." and its name). */
int
cpio_add_dir(cpio_writer_t *w, const char *name, uint32_t perm)
{
	if ((name = entry_name(w, name, 0)) == NULL)
		return -1;
	return emit(w, name, w->ino++, S_IFDIR | (perm & 07777), 2, 0, 0,
	    NULL, 0);
}

/* Contract: see initramfs.h. */
int
cpio_add_file(cpio_writer_t *w, const char *name, uint32_t perm,
	      const void *data, size_t size)
{
	if ((name = entry_name(w, name, size)) == NULL ||
	    (data == NULL && size > 0))
		return -1;
	return emit(w, name, w->ino++, S_IFREG | (perm & 07777), 1, 0, 0,
	    data, size);
}

/* Contract: see initramfs.h. A symlink's data is its target, no NUL. */
int
cpio_add_symlink(cpio_writer_t *w, const char *name, const char *target)
{
	if (target == NULL || *target == '\0' ||
	    (name = entry_name(w, name, strlen(target))) == NULL)
		return -1;
	return emit(w, name, w->ino++, S_IFLNK | 0777, 1, 0, 0, target,
	    strlen(target));
}

/* Contract: see initramfs.h. The device number goes in rdevmajor/minor. */
int
cpio_add_node(cpio_writer_t *w, const char *name, uint32_t perm,
	      char type, uint32_t major, uint32_t minor)
{
	uint32_t fmt;

	if (type == 'c')
		fmt = S_IFCHR;
	else if (type == 'b')
		fmt = S_IFBLK;
	else
		return -1;
	if ((name = entry_name(w, name, 0)) == NULL)
		return -1;
	return emit(w, name, w->ino++, fmt | (perm & 07777), 1, major, minor,
	    NULL, 0);
}

/*
 * Contract: see initramfs.h. The trailer is padded to 512 bytes, the
 * block size GNU cpio and gen_init_cpio use. On success the writer is
 * emptied (the buffer is the caller's); on failure it is released.
 */
int
cpio_writer_finish(cpio_writer_t *w, unsigned char **buf, size_t *len)
{
	*buf = NULL;
	*len = 0;
	if (w->failed || emit(w, TRAILER, 0, 0, 1, 0, 0, NULL, 0) < 0 ||
	    pad(w, 512) < 0) {
		cpio_writer_release(w);
		return -1;
	}
	*buf = w->buf;
	*len = w->len;
	w->buf = NULL;
	cpio_writer_init(w);
	return 0;
}

/* Contract: see initramfs.h. */
void
cpio_writer_release(cpio_writer_t *w)
{
	free(w->buf);
	cpio_writer_init(w);
}
