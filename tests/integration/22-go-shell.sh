# Stage 02 with the little shell written in Go (the article's way): the same
# check accepts it, gdb finding main.main. Needs Debian's golang-go, which
# the lab does not install (it is optional for learners): skipped without it.
. tests/integration/lib.sh
command -v go >/dev/null || skip "no Go compiler (apt-get install golang-go to run this test)"
cp -r solutions/02-init-and-shell "$SCRATCH/02-init-and-shell"
sed -i 's/^LITTLE_SHELL ?= c$/LITTLE_SHELL ?= go/' "$SCRATCH/02-init-and-shell/Makefile"
grep -q '^LITTLE_SHELL ?= go$' "$SCRATCH/02-init-and-shell/Makefile" || fail "cannot switch the Makefile to Go"
export GOCACHE=$SCRATCH/gocache GOFLAGS=-mod=mod
run_check --timeout 60 --dir "$SCRATCH/02-init-and-shell"
[ $rc -eq 0 ] || fail "the Go shell does not pass stage 02"
want "of /little_shell ran in PID"
want "Your command is: exit"
