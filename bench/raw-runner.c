/*
 * The raw baseline of bench/judge-overhead.mjs: runs a program once per input file, the way the
 * sandbox harness does (fork, exec, wait4; stdin from the file, stdout to a pipe read to the end),
 * and prints one line per run: `<wall_us> <cpu_us>` (CPU = user + sys from wait4's rusage). So the
 * judge and the baseline pay the same process costs, and what the judge adds is what it adds.
 *
 *   raw-runner INPUT... -- PROGRAM ARG...
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

int main(int argc, char **argv)
{
    int sep = 1;
    while (sep < argc && strcmp(argv[sep], "--") != 0)
        sep++;
    if (sep >= argc - 1) {
        fprintf(stderr, "usage: raw-runner INPUT... -- PROGRAM ARG...\n");
        return 2;
    }
    for (int i = 1; i < sep; i++) {
        int in = open(argv[i], O_RDONLY);
        int out[2];
        if (in < 0 || pipe(out) < 0) {
            perror(argv[i]);
            return 1;
        }
        long long start = now_us();
        pid_t pid = fork();
        if (pid == 0) {
            dup2(in, 0);
            dup2(out[1], 1);
            close(out[0]);
            execvp(argv[sep + 1], argv + sep + 1);
            _exit(127);
        }
        close(in);
        close(out[1]);
        char buf[65536];
        while (read(out[0], buf, sizeof buf) > 0) {
        }
        close(out[0]);
        int status;
        struct rusage ru;
        wait4(pid, &status, 0, &ru);
        long long wall = now_us() - start;
        long long cpu = (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000LL + ru.ru_utime.tv_usec + ru.ru_stime.tv_usec;
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            fprintf(stderr, "raw-runner: %s failed on %s\n", argv[sep + 1], argv[i]);
            return 1;
        }
        printf("%lld %lld\n", wall, cpu);
    }
    return 0;
}
