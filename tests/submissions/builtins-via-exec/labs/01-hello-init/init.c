/*
 * init.c: the first program the kernel runs (stage 01).
 *
 * Once the kernel has unpacked the initramfs into its root filesystem, it
 * starts /init as process number 1. This init prints one line and returns.
 * Returning ends PID 1, and the kernel cannot carry on without it: it panics
 * with "Attempted to kill init!". That panic is the expected end of this
 * stage; stage 02 writes an init that never ends.
 */
#include <stdio.h>

int
main(void)
{
	/*
	 * stdout is the console the kernel opened before starting us
	 * (/dev/console, here the UART). printf only fills a buffer in our own
	 * memory; the bytes reach the kernel, and so the UART, when the buffer
	 * is flushed: at the newline, because stdout is a terminal, and at the
	 * latest when main returns.
	 */
	if (printf("Hello world\n") < 0)
		return 1;	/* nowhere to report it; the exit code will show */

	/*
	 * Returning from main is calling exit(0). The kernel's panic message
	 * shows that status as exitcode=0x00000000.
	 */
	return 0;
}
