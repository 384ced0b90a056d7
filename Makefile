# riscv-microdistro-lab
#
#   make start      install what is missing, build the kernel and lab-runner,
#                   then start the lab (./lab-runner next)
#   make test       the whole test suite: unit tests and real QEMU boots
#   make test-debian13  as root: the README's two commands in a fresh Debian 13
#
#   make setup      install the Debian packages the lab needs (idempotent)
#   make kernel     build the lab kernel (KCONFIG=defconfig: the stock one;
#                   KSRC=PATH: from this kernel tarball or tree, remembered)
#   make menuconfig change the kernel configuration (KCONFIG=lab|defconfig)
#   make busybox    fetch Debian's BusyBox source and build it static for riscv64
#   make dropbear   fetch Debian's Dropbear source (the SSH server of stage 09)
#                   and build it static for riscv64 (one to two minutes, once)
#   make packages   build the packages stage 10's web responder serves (seconds)
#   make lab-runner build the runner only
#   make asan       build build/asan/lab-runner with Address/UB sanitizers
#   make bench      measure check overhead and times (see docs/benchmarks.md)
#   make gradescope the Gradescope autograder zip, without solutions/ or tests/
#                   (build/autograder.zip; docs/grading.md)
#   make clean      remove the runner's objects (keeps kernel and BusyBox)
#   make distclean  remove everything that was built (build/)
#
# Everything built goes to build/ (ignored by git); ./lab-runner is the only
# output outside it.

KCONFIG ?= lab
KOUT     = build/kernel/$(KCONFIG)
# The kernel source: empty for the one kernel/build.sh finds (the last KSRC
# given, else the distribution's linux-source-X.Y).
KSRC    ?=

CC      ?= cc
CFLAGS  ?= -O2 -g
WARN     = -std=c11 -D_GNU_SOURCE -Wall -Wextra -Wshadow -Wstrict-prototypes
ENGINE   = $(sort $(wildcard engine/*.c))
HEADERS  = $(wildcard engine/*.h)
OBJ      = $(patsubst engine/%.c,build/obj/%.o,$(ENGINE))
ASAN_OBJ = $(patsubst engine/%.c,build/asan/%.o,$(ENGINE))
SANFLAGS = -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined

.PHONY: all start setup kernel menuconfig busybox dropbear asan test test-debian13 unit-tests \
	integration-tests bench gradescope clean distclean packages

all: lab-runner

start: setup kernel busybox packages lab-runner
	./lab-runner next

setup:
	@KSRC='$(KSRC)' tools/setup.sh

# kernel/build.sh knows when nothing changed (the same source, fragment,
# .config and scripts as the last build): then it is a few stat() calls and
# one line, not a kbuild walk.
kernel: setup
	@KSRC='$(KSRC)' kernel/build.sh $(KCONFIG)

menuconfig: setup
	@test -e $(KOUT)/.config || KSRC='$(KSRC)' kernel/build.sh $(KCONFIG)
	$(MAKE) -C $(KOUT)/source O=$(CURDIR)/$(KOUT) ARCH=riscv \
		CROSS_COMPILE=riscv64-linux-gnu- menuconfig
	@echo "menuconfig: saved $(KOUT)/.config; 'make kernel KCONFIG=$(KCONFIG)' rebuilds with it"

# BusyBox from Debian's source package (fetched with a project-local apt
# configuration under build/apt/: the system's apt sources are not touched).
busybox: setup
	@$(MAKE) --no-print-directory build/busybox/busybox

build/busybox/busybox: busybox/build.sh busybox/lab.config tools/buildlib.sh
	@busybox/build.sh

# Dropbear, the SSH server of stage 09, the same way (not needed before it:
# make start does not build it; the stage's Makefile says to run this).
dropbear: setup
	@$(MAKE) --no-print-directory build/dropbear/dropbearmulti

build/dropbear/dropbearmulti: dropbear/build.sh dropbear/localoptions.h tools/buildlib.sh \
		tools/progress.awk
	@dropbear/build.sh

# Stage 10's packages (packages/list), served by the lab's web responder.
packages: setup
	@tools/packages.sh

# The command layer: lab-runner.c (the table) and commands/*.c (the bodies).
CMDS     = lab-runner.c $(sort $(wildcard commands/*.c))
CMDS_H   = $(wildcard commands/*.h)

lab-runner: $(CMDS) $(CMDS_H) $(OBJ) $(HEADERS)
	$(CC) $(WARN) $(CFLAGS) -Iengine -Icommands -o $@ $(CMDS) $(OBJ)

build/obj/%.o: engine/%.c $(HEADERS)
	@mkdir -p build/obj
	$(CC) $(WARN) $(CFLAGS) -Iengine -c -o $@ $<

asan: build/asan/lab-runner

build/asan/lab-runner: $(CMDS) $(CMDS_H) $(ASAN_OBJ) $(HEADERS)
	$(CC) $(WARN) $(SANFLAGS) -Iengine -Icommands -o $@ $(CMDS) $(ASAN_OBJ)

build/asan/%.o: engine/%.c $(HEADERS)
	@mkdir -p build/asan
	$(CC) $(WARN) $(SANFLAGS) -Iengine -c -o $@ $<

# Unit tests of pure code, built with the sanitizers.
UNIT_SRC = $(wildcard tests/unit/test_*.c)
UNIT_BIN = $(patsubst tests/unit/%.c,build/unit/%,$(UNIT_SRC))

# Each links the sanitized engine objects of make asan (compiled once, not
# once per test).
build/unit/test_%: tests/unit/test_%.c $(ASAN_OBJ) $(HEADERS) $(wildcard tests/unit/*.h)
	@mkdir -p build/unit
	$(CC) $(WARN) $(SANFLAGS) -Iengine -Itests/unit -o $@ $< $(ASAN_OBJ)

unit-tests: $(UNIT_BIN)

# Stage 06 compares the learner's kernel with the stock defconfig: the
# tests need it too (about 10 min the first time, then nothing).
test: kernel busybox dropbear packages lab-runner asan unit-tests
	@KSRC='$(KSRC)' tools/setup.sh --test
	@$(MAKE) --no-print-directory kernel KCONFIG=defconfig
	@tests/run.sh

# The README's two commands in a fresh Debian 13 made with debootstrap (as
# root; more than an hour on two cores): see tests/distro/debian13.sh.
test-debian13:
	@tests/distro/debian13.sh

bench: setup kernel lab-runner
	@bench/run.sh

gradescope:
	@tools/gradescope.sh

clean:
	rm -rf build/obj build/asan build/unit lab-runner

distclean:
	rm -rf build lab-runner
