/*
 * A fake for the witness (tests/fakes/README.md): a shell that does every
 * command itself (mkdir(), opendir(), printf) and, to look like a shell
 * that runs programs, forks a decoy child for each that calls execve() on
 * a file that does not exist. The UART shows every line stage 03 asks
 * for, and execve is called in a child each time.
 */
#define _DEFAULT_SOURCE
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static void
decoy(void)
{
	pid_t pid = fork();
	if (pid == 0) {
		char *argv[] = {"decoy", NULL};
		execve("/no/such/program", argv, NULL);
		_exit(0);
	}
	waitpid(pid, NULL, 0);
}

int
main(void)
{
	char line[256], cwd[256];

	printf("little shell\n");
	for (;;) {
		printf("lsh> ");
		fflush(stdout);
		if (!fgets(line, sizeof(line), stdin))
			return 0;
		line[strcspn(line, "\n")] = '\0';
		if (!strncmp(line, "mkdir ", 6)) {
			decoy();
			mkdir(line + 6, 0755);
		} else if (!strncmp(line, "cd ", 3)) {
			chdir(line + 3);
		} else if (!strcmp(line, "pwd")) {
			printf("%s\n", getcwd(cwd, sizeof(cwd)));
		} else if (!strcmp(line, "ls")) {
			decoy();
			DIR *d = opendir(".");
			struct dirent *e;
			while (d && (e = readdir(d)))
				if (e->d_name[0] != '.')
					printf("%s\n", e->d_name);
			if (d)
				closedir(d);
		} else if (!strcmp(line, "false")) {
			decoy();
			printf("lsh: false: exit status 1\n");
		} else if (!strncmp(line, "echo ", 5)) {
			decoy();
			printf("%s\n", line + 5);
		} else if (!strcmp(line, "exit")) {
			return 0;
		} else {
			decoy();
			printf("lsh: %s: command not found\n", line);
		}
	}
}
