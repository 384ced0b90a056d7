#!/bin/sh
# setup.sh of the Gradescope autograder (tools/gradescope.sh puts it at the
# zip's top). Gradescope runs it once, as root, when it builds the image;
# the lab is in /autograder/source/lab/.
#
# It installs the lab's packages (bubblewrap, the grading sandbox, and
# OpenSSH's client, stage 09's, among them), builds what the zip did not
# bring (the kernel, BusyBox, Dropbear) and lab-runner. A kernel, BusyBox
# or Dropbear built beforehand came in the zip when
# `make gradescope` ran where they were built: then no kernel source is
# needed (Gradescope's default images are Ubuntu, which has no
# linux-source-6.x of Debian's).
set -eu
cd /autograder/source/lab
if [ -e build/kernel/lab/arch/riscv/boot/Image ] && [ -e build/busybox/busybox ] &&
	[ -e build/dropbear/dropbearmulti ]; then
	apt-get update
	apt-get install -y --no-install-recommends gcc-riscv64-linux-gnu \
		libc6-dev-riscv64-cross qemu-system-misc gdb-multiarch cpio make gcc libc6-dev \
		bubblewrap util-linux openssh-client e2fsprogs
	make lab-runner
	tools/packages.sh     # stage 10's packages (seconds)
else
	# Debian 12 or 13: the packages, then the kernel (about 5 minutes),
	# BusyBox and Dropbear (one to two minutes each).
	make setup kernel busybox dropbear packages lab-runner
fi
# The lab is read by the grading user (run_autograder: nobody), never written.
chmod -R a+rX /autograder/source/lab
