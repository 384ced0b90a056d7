/*
 * test_sock.c: unit tests for engine/sock.c.
 */
#include "sock.h"
#include "unit.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

TEST(too_long_a_path_is_refused)
{
	char path[200], err[512] = "";

	memset(path, 'a', sizeof(path) - 1);
	path[0] = '/';
	path[sizeof(path) - 1] = '\0';
	CHECK(unix_listen(path, err, sizeof(err)) == -1);
	CHECK_CONTAINS(err, "too long for a unix socket");
	CHECK_CONTAINS(err, "'/aaa");
}

TEST(listens_and_accepts)
{
	char dir[] = "/tmp/test_sock.XXXXXX", err[512] = "";
	struct sockaddr_un a = {0};

	CHECK(mkdtemp(dir) != NULL);
	char *path = malloc(strlen(dir) + 8);
	strcpy(path, dir);
	strcat(path, "/gdb");
	int fd = unix_listen(path, err, sizeof(err));
	CHECK(fd >= 0);
	CHECK_STREQ(err, "");
	int c = socket(AF_UNIX, SOCK_STREAM, 0);
	a.sun_family = AF_UNIX;
	strcpy(a.sun_path, path);
	CHECK(connect(c, (struct sockaddr *)&a, sizeof(a)) == 0);
	int s = accept(fd, NULL, NULL);
	CHECK(s >= 0);
	close(s);
	close(c);
	close(fd);
	/* Again on the same path: the old socket file is replaced. */
	fd = unix_listen(path, err, sizeof(err));
	CHECK(fd >= 0);
	close(fd);
	unlink(path);
	rmdir(dir);
	free(path);
}

TEST(a_missing_folder_is_named)
{
	char err[512] = "";

	CHECK(unix_listen("/nonexistent-lab-folder/gdb.sock", err, sizeof(err)) == -1);
	CHECK_CONTAINS(err, "cannot listen on '/nonexistent-lab-folder/gdb.sock'");
}

int
main(void)
{
	RUN(too_long_a_path_is_refused);
	RUN(listens_and_accepts);
	RUN(a_missing_folder_is_named);
	return unit_summary();
}
