/*
 * compare.h: boot one system on several kernels and time each.
 *
 * Stage 06 asks what removing drivers bought. For each kernel the runner
 * takes two sizes: the Image's (the file QEMU loads) and the kernel's in
 * memory (its vmlinux's loaded segments: code, data, bss; the Image moves
 * in 2 MiB steps, see elffile.h), then boots it `boots` times up to the
 * line "Run /init as init process" and stops QEMU there. The kernels take
 * turns (A B A B ...), so a busy moment of the host costs both alike.
 * Two times per boot, and the median of each is reported:
 *
 *   guest    the timestamp the kernel printed on that line ("[ 0.074]",
 *            CONFIG_PRINTK_TIME). The guest counts instructions
 *            (-icount shift=0: one instruction is one nanosecond of guest
 *            time), so this is the kernel's work up to /init. It still
 *            moves by a few percent from boot to boot (the UART's pace,
 *            the order of interrupts), against tens of percent for the
 *            host's clock: the measure to compare kernels with. Its
 *            spread (min, max) is kept, so that a difference smaller
 *            than the spread can be seen to be noise.
 *   host     QEMU's start to that line on the host's clock: QEMU loading
 *            the Image, the firmware, then the boot, at the speed the host
 *            emulates it. What a person waits; it moves with the host's
 *            load by tens of percent.
 *
 * A boot that ends, or runs out of time, before the line makes that
 * kernel's `problem`. QEMU is stopped and reaped after every boot.
 */
#ifndef LAB_COMPARE_H
#define LAB_COMPARE_H

struct kernel_timing {
	char *label;            /* "yours", "defconfig" (set by the caller) */
	char *image;            /* the Image booted (set by the caller) */
	char *vmlinux;          /* its ELF, for the size in memory (set by the caller) */
	const char *initrd;     /* the archive it boots (set by the caller); NULL: none,
				 * the archive is built into the Image (stage 08) */
	long long image_bytes;
	long long memory_bytes; /* -1: vmlinux unreadable */
	int boots;              /* boots that reached "Run /init" */
	long long wall_ms;      /* host: median */
	long kernel_us;         /* guest: median; -1: the lines carry no timestamp */
	long kernel_us_min, kernel_us_max;   /* the spread of the guest times */
	char *problem;          /* why a boot fell short, or NULL */
};

struct compare_job {
	const char *append;     /* extra kernel command line, or NULL */
	int memory_mb;
	int boots;              /* per kernel */
	int timeout_s;          /* per boot */
	int sigfd;              /* readable: stop now (interrupt); -1 if none */
};

/* Time t[0..n-1]. Returns 0, or -1 when interrupted (t is still filled in
 * as far as it got). */
int compare_boot_times(const struct compare_job *j, struct kernel_timing *t, int n);
void kernel_timing_release(struct kernel_timing *t);

/* "3.6 MiB": a size for people. */
void human_size(long long bytes, char *buf, int len);

#endif
