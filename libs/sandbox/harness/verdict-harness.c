/*
 * verdict-harness: PID 1 of a Verdict sandbox container.
 *
 * Reads commands on stdin and answers on stdout as described in PROTOCOL.md
 * (beside this file); diagnostics go to stderr only. Build:
 *
 *   gcc -std=c17 -O2 -static -Wall -Wextra -Werror -o verdict-harness verdict-harness.c
 *
 * Design notes (the why):
 * - Every buffer is bounded: headers by the protocol, argument/env lines by
 *   ARG_LINE_MAX/ARGS_TOTAL_MAX, captured output by the run's own limits, file
 *   payloads are streamed. A malicious or buggy worker must not be able to make
 *   the harness allocate without bound or crash.
 * - Programs must not be able to signal, stop or talk for the harness. Linux
 *   shields a PID 1 from its namespace's signals and a non-dumpable process's
 *   /proc files from its own uid; gVisor does neither (a program's kill(1,
 *   SIGKILL) ended the sandbox, and it could open /proc/1/fd/1, the worker's
 *   channel, and write a forged RESULT). So, started as root, the harness
 *   drops to HARNESS_UID keeping only CAP_SETUID, CAP_SETGID and CAP_KILL, and
 *   runs every program as PROGRAM_UID with no capabilities.
 * - Programs can write the work dir, so the harness must never trust it
 *   (symlinks, FIFOs planted by a previous run), and it must only ever signal
 *   its own descendants: the same binary is run on a developer's host for
 *   tests, where a stray kill would hit real processes.
 * - The fast path (a program that exits in 1 ms) does no /proc scanning and no
 *   sleeping: exit is seen through a pidfd, and "no children left" (ECHILD)
 *   proves that no descendant is left, because we are a child subreaper.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <inttypes.h>
#include <limits.h>
#include <linux/capability.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif
#ifndef SYS_close_range
#define SYS_close_range 436
#endif
#ifndef __WALL
#define __WALL 0x40000000
#endif

#define HEADER_MAX 4096                   /* protocol: header bytes, '\n' excluded */
#define ARG_LINE_MAX 65536                /* one argument or env line */
#define ARGS_TOTAL_MAX (1024 * 1024)      /* all argument + env bytes of one RUN */
#define COUNT_MAX 4096                    /* argc and envc */
#define REL_PATH_MAX 255                  /* protocol: sandbox path length */
#define FILE_SIZE_MAX (UINT64_C(1) << 40) /* protocol: FILE size */
#define NUM_MAX (UINT64_C(1) << 40)       /* any other number; keeps all arithmetic far from overflow */
#define CAPTURE_MAX (UINT64_C(1) << 30)   /* stdout_max / stderr_max: the harness holds this in memory */
#define NOFILE_MAX (UINT64_C(1) << 20)
#define TICK_NS INT64_C(10000000) /* protocol: at most 10 ms between limit checks */
#define IO_CHUNK 65536

/* Identities when started as root (PROTOCOL.md, "Identities"); 10001 is the images' `judge` user. */
#define HARNESS_UID 10000
#define HARNESS_GID 10000
/* Programs of the first submission a sandbox serves; each RESET moves on to FRESH_UID_BASE + n. */
#define PROGRAM_UID 10001
#define FRESH_UID_BASE 20000
#define FRESH_UID_COUNT 40000
/* The problem's own programs (interactors): trusted, but kept apart from the contestant's. */
#define PEER_UID 10002
#define PEER_GID 10002
#define HARNESS_CAPS ((UINT64_C(1) << CAP_KILL) | (UINT64_C(1) << CAP_SETGID) | (UINT64_C(1) << CAP_SETUID))

static const char RUN_PATH[] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/* Signals that would end or stop the harness; ignored when it is PID 1 (see setup). */
static const int PID1_IGNORED[] = {SIGHUP,  SIGINT,    SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGALRM,
                                   SIGVTALRM, SIGPROF, SIGTSTP, SIGTTIN, SIGTTOU, SIGXCPU};

static int g_workdir_fd = -1;
/* The harness's private area (PROTOCOL.md, "Paths"): `@` paths; -1 when the sandbox has none. */
static int g_private_fd = -1;
static int g_devnull_fd = -1;
static int g_proc_fd = -1;
static pid_t g_self;
static long g_clk_tck = 100;
static bool g_have_pidfd;
/* Whether programs run as a uid of their own (we were started as root) or as our own uid. */
static bool g_program_uid_separate;
/* The uid (= gid) the current submission's programs run as; RESET gives the next one a fresh one. */
static uid_t g_program_uid = PROGRAM_UID;
static unsigned g_resets;
/* Used only where pidfd_open is missing (e.g. older gVisor): SIGCHLD wakes poll through this pipe. */
static int g_sigchld_pipe[2] = {-1, -1};

/* ------------------------------------------------------------------ */
/* small helpers                                                       */

static int64_t mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void diag(const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf - 1, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n > sizeof buf - 2)
        n = sizeof buf - 2;
    buf[n++] = '\n';
    const char *p = buf;
    while (n > 0) {
        ssize_t w = write(2, p, (size_t)n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return;
        p += w;
        n -= (int)w;
    }
}

static int write_all(int fd, const void *data, size_t len)
{
    const char *p = data;
    while (len > 0) {
        ssize_t w = write(fd, p, len);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += w;
        len -= (size_t)w;
    }
    return 0;
}

static void cleanup_all_descendants(void);

/* The worker is gone or the pipe is broken: nobody can read a response, so stop. */
static void out_write(const void *data, size_t len)
{
    if (write_all(1, data, len) < 0) {
        diag("verdict-harness: write stdout: %s", strerror(errno));
        cleanup_all_descendants();
        _exit(2);
    }
}

/*
 * Several pieces in one write where the pipe takes them: each write is a wake-up of the container
 * runtime and of dockerd on the way to the worker, which is most of what a short test costs.
 */
static void out_writev(struct iovec *iov, int n)
{
    while (n > 0) {
        ssize_t w = writev(1, iov, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0) {
            diag("verdict-harness: write stdout: %s", strerror(errno));
            cleanup_all_descendants();
            _exit(2);
        }
        while (n > 0 && (size_t)w >= iov->iov_len) {
            w -= (ssize_t)iov->iov_len;
            iov++;
            n--;
        }
        if (n > 0) {
            iov->iov_base = (char *)iov->iov_base + w;
            iov->iov_len -= (size_t)w;
        }
    }
}

static void respond(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void respond(const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf - 1, fmt, ap);
    va_end(ap);
    if (n < 0)
        n = 0;
    if ((size_t)n > sizeof buf - 2)
        n = sizeof buf - 2;
    /* A response is exactly one line whatever a strerror or token contained. */
    for (int i = 0; i < n; i++)
        if (buf[i] == '\n' || buf[i] == '\r')
            buf[i] = ' ';
    buf[n++] = '\n';
    out_write(buf, (size_t)n);
}

static void fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void fatal(const char *fmt, ...)
{
    char msg[900];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    diag("verdict-harness: fatal: %s", msg);
    respond("FATAL %s", msg);
    cleanup_all_descendants();
    _exit(2);
}

static int pidfd_open_(pid_t pid) { return (int)syscall(SYS_pidfd_open, pid, 0); }

static int pidfd_send_signal_(int pidfd, int sig) { return (int)syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0); }

/* Sets the permitted and effective capability sets to exactly `caps`, the inheritable set to none. */
static int set_capabilities(uint64_t caps)
{
    struct __user_cap_header_struct hdr = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
    struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];
    memset(data, 0, sizeof data);
    for (int i = 0; i < _LINUX_CAPABILITY_U32S_3; i++)
        data[i].permitted = data[i].effective = (uint32_t)(caps >> (32 * i));
    return (int)syscall(SYS_capset, &hdr, data);
}

/* ------------------------------------------------------------------ */
/* buffered stdin                                                      */

static unsigned char g_in[IO_CHUNK];
static size_t g_in_pos, g_in_len;
static bool g_in_eof;

/* Returns true when at least one unread byte is buffered, false at end of input. */
static bool in_fill(void)
{
    if (g_in_pos < g_in_len)
        return true;
    if (g_in_eof)
        return false;
    for (;;) {
        ssize_t r = read(0, g_in, sizeof g_in);
        if (r > 0) {
            g_in_pos = 0;
            g_in_len = (size_t)r;
            return true;
        }
        if (r == 0) {
            g_in_eof = true;
            return false;
        }
        if (errno == EINTR)
            continue;
        fatal("read stdin: %s", strerror(errno));
    }
}

enum line_status { LINE_OK, LINE_EOF, LINE_TRUNCATED, LINE_TOO_LONG };

/*
 * Reads one '\n'-terminated line into dst (NUL-terminated, at most cap bytes
 * of content). A longer line is LINE_TOO_LONG: with stop_early the rest is
 * left unread (the caller will give up on the stream), otherwise it is
 * consumed up to its '\n' so the stream stays in sync.
 */
static enum line_status read_line(char *dst, size_t cap, size_t *out_len, bool stop_early)
{
    size_t n = 0;
    bool any = false, too_long = false;
    for (;;) {
        if (!in_fill()) {
            dst[n] = '\0';
            *out_len = n;
            return any ? LINE_TRUNCATED : LINE_EOF;
        }
        any = true;
        unsigned char *s = g_in + g_in_pos;
        size_t avail = g_in_len - g_in_pos;
        unsigned char *nl = memchr(s, '\n', avail);
        size_t take = nl ? (size_t)(nl - s) : avail;
        size_t room = cap - n;
        size_t c = take < room ? take : room;
        if (!too_long)
            memcpy(dst + n, s, c);
        if (take > room)
            too_long = true;
        if (!too_long)
            n += c;
        if (too_long && stop_early) {
            dst[n] = '\0';
            *out_len = n;
            return LINE_TOO_LONG;
        }
        g_in_pos += take + (nl ? 1 : 0);
        if (nl) {
            dst[n] = '\0';
            *out_len = n;
            return too_long ? LINE_TOO_LONG : LINE_OK;
        }
    }
}

/*
 * Consumes exactly len payload bytes, writing them to fd while fd >= 0. The
 * first write error is kept in *werr and the rest is discarded, because the
 * stream must stay in sync whatever happens to the file.
 */
static void consume_payload(uint64_t len, int fd, int *werr)
{
    while (len > 0) {
        if (!in_fill())
            fatal("truncated FILE payload (%" PRIu64 " bytes missing)", len);
        size_t avail = g_in_len - g_in_pos;
        size_t c = (uint64_t)avail < len ? avail : (size_t)len;
        if (fd >= 0 && *werr == 0 && write_all(fd, g_in + g_in_pos, c) < 0)
            *werr = errno ? errno : EIO;
        g_in_pos += c;
        len -= c;
    }
}

/* ------------------------------------------------------------------ */
/* parsing                                                             */

static bool parse_u64(const char *s, uint64_t max, uint64_t *out)
{
    if (*s == '\0')
        return false;
    uint64_t v = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return false;
        v = v * 10 + (uint64_t)(*s - '0');
        if (v > max)
            return false;
    }
    *out = v;
    return true;
}

/* Components of [A-Za-z0-9._-]+, none of them . or .., after an optional '@' (the private area). */
static bool valid_path(const char *p)
{
    if (*p == '@')
        p++;
    size_t len = strlen(p);
    if (len == 0 || len > REL_PATH_MAX)
        return false;
    const char *c = p;
    for (;;) {
        const char *start = c;
        while (*c && *c != '/') {
            char ch = *c;
            bool ok = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
                      ch == '.' || ch == '_' || ch == '-';
            if (!ok)
                return false;
            c++;
        }
        size_t cl = (size_t)(c - start);
        if (cl == 0 || (cl == 1 && start[0] == '.') || (cl == 2 && start[0] == '.' && start[1] == '.'))
            return false;
        if (*c == '\0')
            return true;
        c++; /* the '/' */
    }
}

static bool is_root_fd(int dfd) { return dfd == g_workdir_fd || dfd == g_private_fd; }

/*
 * openat with O_NOFOLLOW, double-checked: gVisor's openat follows a symlink
 * even with O_NOFOLLOW when O_DIRECTORY is given. The lstat before and the
 * inode comparison after make that harmless; nothing else runs during a FILE
 * or between RUNs, so the two checks cannot be raced.
 */
static int openat_nofollow(int dfd, const char *name, int flags, mode_t mode)
{
    struct stat before, after;
    bool existed = fstatat(dfd, name, &before, AT_SYMLINK_NOFOLLOW) == 0;
    if (existed && S_ISLNK(before.st_mode)) {
        errno = ELOOP;
        return -1;
    }
    int fd = openat(dfd, name, flags | O_NOFOLLOW | O_CLOEXEC, mode);
    if (fd < 0)
        return -1;
    if (fstat(fd, &after) < 0 || (existed && (before.st_dev != after.st_dev || before.st_ino != after.st_ino))) {
        close(fd);
        errno = ELOOP;
        return -1;
    }
    return fd;
}

/*
 * Opens the directory that holds the last component of a valid path, one
 * component at a time with O_NOFOLLOW so that a symlink planted by a run can
 * never redirect a write or read outside the work dir (or, for an '@' path,
 * the private area). On success returns a directory fd (release it with
 * close_parent) and sets *leaf; on failure returns -1 with errno set.
 */
static int open_parent(const char *path, bool create, char *scratch, const char **leaf)
{
    int dfd = g_workdir_fd;
    if (*path == '@') {
        if (g_private_fd < 0) {
            errno = ENOENT; /* this sandbox has no private area */
            return -1;
        }
        dfd = g_private_fd;
        path++;
    }
    strcpy(scratch, path);
    char *comp = scratch;
    for (;;) {
        char *slash = strchr(comp, '/');
        if (!slash) {
            *leaf = path + (comp - scratch);
            return dfd;
        }
        *slash = '\0';
        if (create && mkdirat(dfd, comp, 0755) < 0 && errno != EEXIST) {
            int e = errno;
            if (!is_root_fd(dfd))
                close(dfd);
            errno = e;
            return -1;
        }
        int nfd = openat_nofollow(dfd, comp, O_RDONLY | O_DIRECTORY, 0);
        int e = errno;
        if (!is_root_fd(dfd))
            close(dfd);
        if (nfd < 0) {
            errno = e; /* close() must not clobber the reason (ELOOP for a symlink) */
            return -1;
        }
        dfd = nfd;
        comp = slash + 1;
    }
}

static void close_parent(int dfd)
{
    if (dfd >= 0 && !is_root_fd(dfd))
        close(dfd);
}

/* ------------------------------------------------------------------ */
/* FILE and DELETE                                                     */

static void cmd_file(char **tok, int ntok)
{
    uint64_t size = 0;
    /* Without a size the payload's end is unknown: nothing can resynchronise the stream. */
    if (ntok < 3 || !parse_u64(tok[2], FILE_SIZE_MAX, &size))
        fatal("FILE: missing or invalid size");

    const char *err = NULL;
    uint64_t mode = 0;
    if (ntok != 4)
        err = "FILE: expected FILE <path> <size> <mode>";
    else if (!valid_path(tok[1]))
        err = "FILE: invalid path";
    else {
        const char *m = tok[3];
        if (*m == '\0' || strlen(m) > 4)
            err = "FILE: invalid mode";
        for (; !err && *m; m++) {
            if (*m < '0' || *m > '7')
                err = "FILE: invalid mode";
            else
                mode = mode * 8 + (uint64_t)(*m - '0');
        }
        if (!err && mode > 0777)
            err = "FILE: invalid mode (only permission bits are allowed)";
    }
    if (err) {
        int werr = 0;
        consume_payload(size, -1, &werr);
        respond("ERR %s", err);
        return;
    }

    char scratch[REL_PATH_MAX + 1];
    const char *leaf = NULL;
    const char *what = NULL;
    int fd = -1, e = 0;
    int dfd = open_parent(tok[1], true, scratch, &leaf);
    if (dfd < 0) {
        e = errno;
        what = "parent directory";
    } else if (unlinkat(dfd, leaf, 0) < 0 && errno != ENOENT) {
        e = errno;
        what = "unlink existing";
    } else {
        /* O_EXCL after the unlink: if anything re-created the name meanwhile we fail rather than follow it. */
        fd = openat_nofollow(dfd, leaf, O_WRONLY | O_CREAT | O_EXCL, 0600);
        if (fd < 0) {
            e = errno;
            what = "create";
        }
    }

    int werr = 0;
    consume_payload(size, fd, &werr);
    if (fd >= 0) {
        /* fchmod rather than the create mode, so the umask cannot strip requested bits. */
        if (werr == 0 && fchmod(fd, (mode_t)mode) < 0)
            werr = errno;
        if (close(fd) < 0 && werr == 0 && errno != EINTR)
            werr = errno;
        if (werr != 0) {
            unlinkat(dfd, leaf, 0); /* no half-written file may look like a good one */
            e = werr;
            what = "write";
        }
    }
    close_parent(dfd);
    if (what)
        respond("ERR FILE %s: %s", what, strerror(e));
    else
        respond("OK");
}

static void cmd_delete(char **tok, int ntok)
{
    if (ntok != 2) {
        respond("ERR DELETE: expected DELETE <path>");
        return;
    }
    if (!valid_path(tok[1])) {
        respond("ERR DELETE: invalid path");
        return;
    }
    char scratch[REL_PATH_MAX + 1];
    const char *leaf = NULL;
    int dfd = open_parent(tok[1], false, scratch, &leaf);
    if (dfd < 0) {
        if (errno == ENOENT || errno == ENOTDIR)
            respond("OK");
        else
            respond("ERR DELETE: %s", strerror(errno));
        return;
    }
    if (unlinkat(dfd, leaf, 0) < 0 && errno != ENOENT)
        respond("ERR DELETE: %s", strerror(errno));
    else
        respond("OK");
    close_parent(dfd);
}

/*
 * READ <path> <max>: sends a file back to the worker (a compiled checker, an
 * interactor's output). Nothing runs between commands, so the file cannot
 * change while it is sent; it is read whole first so the announced size is
 * exactly what follows.
 */
static void cmd_read(char **tok, int ntok)
{
    uint64_t max = 0;
    if (ntok != 3 || !valid_path(tok[1]) || !parse_u64(tok[2], CAPTURE_MAX, &max)) {
        respond("ERR READ: expected READ <path> <max_bytes>");
        return;
    }
    char scratch[REL_PATH_MAX + 1];
    const char *leaf = NULL;
    int dfd = open_parent(tok[1], false, scratch, &leaf);
    if (dfd < 0) {
        respond("ERR READ: %s", strerror(errno));
        return;
    }
    int fd = openat_nofollow(dfd, leaf, O_RDONLY | O_NONBLOCK, 0);
    int e = errno;
    close_parent(dfd);
    if (fd < 0) {
        respond("ERR READ: %s", strerror(e));
        return;
    }
    struct stat st;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        respond("ERR READ: not a regular file");
        return;
    }
    if ((uint64_t)st.st_size > max) {
        close(fd);
        respond("ERR READ: the file has %lld bytes, more than %" PRIu64, (long long)st.st_size, max);
        return;
    }
    size_t size = (size_t)st.st_size, got = 0;
    char *buf = size ? malloc(size) : NULL;
    if (size && !buf) {
        close(fd);
        respond("ERR READ: out of memory");
        return;
    }
    while (got < size) {
        ssize_t r = read(fd, buf + got, size - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    close(fd);
    respond("DATA %zu", got);
    if (got)
        out_write(buf, got);
    free(buf);
}

/* ------------------------------------------------------------------ */
/* RESET: one sandbox, many submissions                                */

/* Where a program can leave something behind; the work dir and the private area come first. */
static const char *const SCRATCH_DIRS[] = {"/tmp", "/dev/shm", "/dev/mqueue"};
#define SCRATCH_COUNT (sizeof SCRATCH_DIRS / sizeof SCRATCH_DIRS[0])
static int g_scratch_fds[SCRATCH_COUNT] = {-1, -1, -1};

/*
 * Removes everything inside a directory, depth first, never following a
 * symlink. Best effort: what cannot be removed (another uid's file, a tree
 * deeper than the bound) stays, and the verification that follows refuses the
 * reset, so the sandbox is thrown away instead of reused.
 */
static void wipe_entries(int dfd, int depth)
{
    if (depth > 64)
        return;
    /* A description of its own: a dup would share (and leave at the end) the root fd's offset. */
    int walk = openat(dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    DIR *d = walk >= 0 ? fdopendir(walk) : NULL;
    if (!d) {
        if (walk >= 0)
            close(walk);
        return;
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        struct stat st;
        if (fstatat(dfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
            continue;
        if (S_ISDIR(st.st_mode)) {
            /* A directory its owner made unreadable; fchmodat follows links, but this is no link and nothing runs. */
            fchmodat(dfd, e->d_name, 0700, 0);
            int sub = openat(dfd, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (sub >= 0) {
                wipe_entries(sub, depth + 1);
                close(sub);
            }
            unlinkat(dfd, e->d_name, AT_REMOVEDIR);
        } else {
            unlinkat(dfd, e->d_name, 0);
        }
    }
    closedir(d);
}

static void wipe_all_scratch(void)
{
    wipe_entries(g_workdir_fd, 0);
    if (g_private_fd >= 0)
        wipe_entries(g_private_fd, 0);
    for (size_t i = 0; i < SCRATCH_COUNT; i++)
        if (g_scratch_fds[i] >= 0)
            wipe_entries(g_scratch_fds[i], 0);
}

static const char *const SYSV_TABLES[] = {"/proc/sysvipc/shm", "/proc/sysvipc/sem", "/proc/sysvipc/msg"};

/* Removes the System V IPC objects we may remove (our uid's): they outlive every process. */
static void remove_sysv_ipc(void)
{
    for (int t = 0; t < 3; t++) {
        FILE *f = fopen(SYSV_TABLES[t], "re");
        if (!f)
            continue;
        char line[512];
        bool header = true;
        while (fgets(line, sizeof line, f)) {
            int key, id;
            if (header || sscanf(line, "%d %d", &key, &id) != 2) {
                header = false;
                continue;
            }
            if (t == 0)
                shmctl(id, IPC_RMID, NULL);
            else if (t == 1)
                semctl(id, 0, IPC_RMID);
            else
                msgctl(id, IPC_RMID, NULL);
        }
        fclose(f);
    }
}

/* Wipes, as `uid`, whatever that uid can remove; in a child, so the harness keeps its identity. */
static void wipe_as(uid_t uid)
{
    pid_t pid = fork();
    if (pid == 0) {
        if (setresgid(uid, uid, uid) < 0 || setresuid(uid, uid, uid) < 0 || set_capabilities(0) < 0)
            _exit(1);
        wipe_all_scratch();
        remove_sysv_ipc();
        _exit(0);
    }
    if (pid > 0)
        while (waitpid(pid, NULL, __WALL) < 0 && errno == EINTR) {
        }
}

/* True when a System V IPC table lists an object (a header line and more); false where none is listed. */
static bool sysv_ipc_left(void)
{
    for (int t = 0; t < 3; t++) {
        FILE *f = fopen(SYSV_TABLES[t], "re");
        if (!f)
            continue;
        char line[512];
        int lines = 0;
        while (lines < 2 && fgets(line, sizeof line, f))
            lines++;
        fclose(f);
        if (lines > 1)
            return true;
    }
    return false;
}

static bool dir_has_entries(int dfd);

/* As `uid`, in a child: removes its System V IPC objects and its /dev/shm and /dev/mqueue entries. */
static void clear_ipc_as(uid_t uid)
{
    pid_t pid = fork();
    if (pid == 0) {
        if (setresgid(uid, uid, uid) < 0 || setresuid(uid, uid, uid) < 0 || set_capabilities(0) < 0)
            _exit(1);
        for (size_t i = 1; i < SCRATCH_COUNT; i++)
            if (g_scratch_fds[i] >= 0)
                wipe_entries(g_scratch_fds[i], 0);
        remove_sysv_ipc();
        _exit(0);
    }
    if (pid > 0)
        while (waitpid(pid, NULL, __WALL) < 0 && errno == EINTR) {
        }
}

/*
 * After every run: the shared memory its programs left (System V segments, semaphores and queues,
 * /dev/shm, POSIX queues) goes, so it neither fills the sandbox nor reaches the next test. Checked
 * first, so a run that left nothing costs no fork. gVisor does not list System V objects; there
 * kernel.shm_rmid_forced cannot be set either, and they stay until the sandbox goes (they are
 * charged to the run that made them).
 */
static void clear_ipc(bool peer_too)
{
    if (g_self != 1 || !g_program_uid_separate)
        return;
    bool left = sysv_ipc_left();
    for (size_t i = 1; i < SCRATCH_COUNT && !left; i++)
        left = dir_has_entries(g_scratch_fds[i]);
    if (!left)
        return;
    clear_ipc_as(g_program_uid);
    if (peer_too)
        clear_ipc_as(PEER_UID);
}

/* The first entry of a directory, if any, into name (for the refusal message). */
static bool first_entry(int dfd, char *name, size_t cap)
{
    int walk = openat(dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    DIR *d = walk >= 0 ? fdopendir(walk) : NULL;
    if (!d) {
        if (walk >= 0)
            close(walk);
        return false;
    }
    bool found = false;
    struct dirent *e;
    while (!found && (e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
            snprintf(name, cap, "%s", e->d_name);
            found = true;
        }
    closedir(d);
    return found;
}

static bool dir_has_entries(int dfd)
{
    char name[256];
    return dfd >= 0 && first_entry(dfd, name, sizeof name);
}

static size_t scan_procs(void);

/*
 * RESET: makes a used sandbox as good as a fresh one for the next submission,
 * and proves it before saying OK: every process killed, every scratch
 * directory empty, no System V IPC object left; then the next programs run as
 * a uid no earlier program had. Refused outside a sandbox, where "every
 * process" and "/tmp" would be a developer's own.
 */
static void cmd_reset(int ntok)
{
    if (ntok != 1) {
        respond("ERR RESET takes no arguments");
        return;
    }
    if (g_self != 1 || !g_program_uid_separate) {
        respond("ERR RESET unsupported: only the harness of a sandbox (PID 1, started as root) can reset");
        return;
    }
    /* gVisor, for one, keeps System V IPC objects but does not list them: nothing could prove them gone. */
    if (access(SYSV_TABLES[0], R_OK) != 0) {
        respond("ERR RESET unsupported: this runtime does not list System V IPC objects (%s), so no reset can prove them gone",
                SYSV_TABLES[0]);
        return;
    }
    cleanup_all_descendants();
    wipe_as(g_program_uid);
    wipe_as(PEER_UID);
    wipe_all_scratch(); /* what the worker wrote (sources, inputs) is ours */
    cleanup_all_descendants();

    char name[256] = "";
    if (scan_procs() > 0) {
        respond("ERR RESET: processes are left");
        return;
    }
    if (first_entry(g_workdir_fd, name, sizeof name)) {
        respond("ERR RESET: the work dir still holds %s", name);
        return;
    }
    if (g_private_fd >= 0 && first_entry(g_private_fd, name, sizeof name)) {
        respond("ERR RESET: the private area still holds %s", name);
        return;
    }
    for (size_t i = 0; i < SCRATCH_COUNT; i++)
        if (g_scratch_fds[i] >= 0 && first_entry(g_scratch_fds[i], name, sizeof name)) {
            respond("ERR RESET: %s still holds %s", SCRATCH_DIRS[i], name);
            return;
        }
    if (sysv_ipc_left()) {
        respond("ERR RESET: System V IPC objects are left");
        return;
    }
    g_resets++;
    g_program_uid = (uid_t)(FRESH_UID_BASE + g_resets % FRESH_UID_COUNT);
    respond("OK");
}

/* ------------------------------------------------------------------ */
/* process table (/proc scan)                                          */

struct proc_ent {
    pid_t pid, ppid;
    char state;
    bool desc;
    uid_t uid; /* owner of its /proc entry: which side of an interactive run it is on */
    uint64_t ticks_self;     /* utime + stime */
    uint64_t ticks_children; /* cutime + cstime: its own reaped children */
    uint64_t starttime;
};

static struct proc_ent *g_procs;
static size_t g_nprocs, g_cap_procs;

/* Parses /proc/<pid>/stat; comm may contain spaces and ')', so fields are counted after the last ')'. */
static bool read_stat(pid_t pid, struct proc_ent *pe)
{
    char path[32], buf[1024];
    snprintf(path, sizeof path, "%d/stat", (int)pid);
    int fd = openat(g_proc_fd, path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    ssize_t n;
    do
        n = read(fd, buf, sizeof buf - 1);
    while (n < 0 && errno == EINTR);
    struct stat owner;
    pe->uid = fstat(fd, &owner) == 0 ? owner.st_uid : (uid_t)-1;
    close(fd);
    if (n <= 0)
        return false;
    buf[n] = '\0';
    char *p = strrchr(buf, ')');
    if (!p || p[1] != ' ')
        return false;
    p += 2;
    pe->pid = pid;
    pe->state = *p;
    /* fields 4.. (ppid is field 4); we need 4, 14, 15, 16, 17, 22 */
    char *save = NULL;
    char *t = strtok_r(p, " ", &save); /* field 3: state */
    int field = 3;
    long long v4 = -1, v14 = 0, v15 = 0, v16 = 0, v17 = 0;
    unsigned long long v22 = 0;
    while ((t = strtok_r(NULL, " ", &save)) != NULL) {
        field++;
        switch (field) {
        case 4: v4 = strtoll(t, NULL, 10); break;
        case 14: v14 = strtoll(t, NULL, 10); break;
        case 15: v15 = strtoll(t, NULL, 10); break;
        case 16: v16 = strtoll(t, NULL, 10); break;
        case 17: v17 = strtoll(t, NULL, 10); break;
        case 22: v22 = strtoull(t, NULL, 10); break;
        default: break;
        }
        if (field >= 22)
            break;
    }
    if (field < 22 || v4 < 0)
        return false;
    pe->ppid = (pid_t)v4;
    pe->ticks_self = (uint64_t)(v14 > 0 ? v14 : 0) + (uint64_t)(v15 > 0 ? v15 : 0);
    pe->ticks_children = (uint64_t)(v16 > 0 ? v16 : 0) + (uint64_t)(v17 > 0 ? v17 : 0);
    pe->starttime = v22;
    pe->desc = false;
    return true;
}

static int cmp_pid(const void *a, const void *b)
{
    pid_t x = ((const struct proc_ent *)a)->pid, y = ((const struct proc_ent *)b)->pid;
    return (x > y) - (x < y);
}

static struct proc_ent *find_proc(pid_t pid)
{
    struct proc_ent key = {.pid = pid};
    return bsearch(&key, g_procs, g_nprocs, sizeof *g_procs, cmp_pid);
}

/*
 * Fills g_procs with every process visible in /proc and marks the harness's
 * descendants by following ppid links. Returns the number of descendants.
 */
static size_t scan_procs(void)
{
    g_nprocs = 0;
    if (g_proc_fd < 0 || lseek(g_proc_fd, 0, SEEK_SET) < 0)
        return 0;
    char dbuf[8192];
    for (;;) {
        long n = syscall(SYS_getdents64, g_proc_fd, dbuf, sizeof dbuf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        for (long off = 0; off < n;) {
            struct linux_dirent64_ {
                uint64_t d_ino;
                int64_t d_off;
                unsigned short d_reclen;
                unsigned char d_type;
                char d_name[];
            } *d = (void *)(dbuf + off);
            off += d->d_reclen;
            const char *nm = d->d_name;
            if (*nm < '1' || *nm > '9')
                continue;
            uint64_t pid;
            if (!parse_u64(nm, INT_MAX, &pid) || (pid_t)pid == g_self)
                continue;
            if (g_nprocs == g_cap_procs) {
                size_t ncap = g_cap_procs ? g_cap_procs * 2 : 256;
                if (ncap > (1u << 22))
                    break; /* more than pid_max can ever hold: refuse to grow further */
                struct proc_ent *np = realloc(g_procs, ncap * sizeof *np);
                if (!np)
                    break;
                g_procs = np;
                g_cap_procs = ncap;
            }
            if (read_stat((pid_t)pid, &g_procs[g_nprocs]))
                g_nprocs++;
        }
    }
    if (g_nprocs == 0)
        return 0;
    qsort(g_procs, g_nprocs, sizeof *g_procs, cmp_pid);
    size_t ndesc = 0;
    bool changed = true;
    while (changed) {
        changed = false;
        for (size_t i = 0; i < g_nprocs; i++) {
            struct proc_ent *pe = &g_procs[i];
            if (pe->desc)
                continue;
            bool d = pe->ppid == g_self;
            if (!d && pe->ppid > 0) {
                struct proc_ent *par = find_proc(pe->ppid);
                d = par && par->desc;
            }
            if (d) {
                pe->desc = true;
                ndesc++;
                changed = true;
            }
        }
    }
    return ndesc;
}

/*
 * SIGKILLs one process seen in a scan, but only if it is still that process:
 * the pidfd pins the pid, and an equal start time proves the pid was not
 * recycled for an unrelated process between the scan and now.
 */
static void kill_verified(const struct proc_ent *pe)
{
    struct proc_ent now;
    int pfd = g_have_pidfd ? pidfd_open_(pe->pid) : -1;
    if (g_have_pidfd && pfd < 0)
        return; /* already gone */
    if (read_stat(pe->pid, &now) && now.starttime == pe->starttime) {
        if (pfd >= 0)
            pidfd_send_signal_(pfd, SIGKILL);
        else
            kill(pe->pid, SIGKILL);
    }
    if (pfd >= 0)
        close(pfd);
}

/* ------------------------------------------------------------------ */
/* captured output                                                     */

struct capture {
    int fd;          /* read end, -1 once at EOF */
    char *buf;       /* mmap'd so that freeing really returns memory (see run_program) */
    size_t len, cap; /* kept bytes */
    uint64_t keep;   /* how many bytes to keep */
    uint64_t total;  /* bytes produced */
};

static void capture_add(struct capture *c, const char *data, size_t n)
{
    c->total += n;
    if (c->len >= c->keep)
        return;
    size_t room = (size_t)(c->keep - c->len);
    if (n > room)
        n = room;
    if (c->len + n > c->cap) {
        size_t want = c->cap ? c->cap * 2 : IO_CHUNK;
        while (want < c->len + n)
            want *= 2;
        if (want > c->keep)
            want = (size_t)c->keep;
        want = (want + 4095) & ~(size_t)4095;
        void *nb = c->buf ? mremap(c->buf, c->cap, want, MREMAP_MAYMOVE)
                          : mmap(NULL, want, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (nb == MAP_FAILED) {
            /* Keep what we have; the result then says truncated, which is honest. */
            diag("verdict-harness: cannot grow output buffer to %zu bytes", want);
            c->keep = c->len;
            return;
        }
        c->buf = nb;
        c->cap = want;
    }
    memcpy(c->buf + c->len, data, n);
    c->len += n;
}

/* Reads what is available now; returns after EAGAIN or EOF (which closes the fd). */
static void capture_read(struct capture *c, size_t budget)
{
    char buf[IO_CHUNK];
    while (c->fd >= 0 && budget > 0) {
        ssize_t r = read(c->fd, buf, sizeof buf);
        if (r > 0) {
            capture_add(c, buf, (size_t)r);
            budget -= (size_t)r < budget ? (size_t)r : budget;
            continue;
        }
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0 && errno == EAGAIN)
            return;
        close(c->fd);
        c->fd = -1;
    }
}

static void capture_free(struct capture *c)
{
    if (c->fd >= 0)
        close(c->fd);
    if (c->buf)
        munmap(c->buf, c->cap);
    c->fd = -1;
    c->buf = NULL;
}

/* ------------------------------------------------------------------ */
/* running                                                             */

struct run_req {
    uint64_t cpu_ms, wall_ms, mem_kb, stack_kb, fsize_kb, nofile, stdout_max, stderr_max;
    long cpu_core;
    const char *stdin_path; /* NULL = /dev/null */
};

enum kill_reason { K_NONE, K_CPU, K_WALL, K_MEMORY, K_OUTPUT };
static const char *const KILL_NAMES[] = {"none", "cpu", "wall", "memory", "output"};

/*
 * What a run holds as a whole. A run is charged everything its processes hold: their anonymous
 * memory, System V and POSIX shared memory and /dev/shm, but neither the page cache nor the
 * sandbox's own files (the work dir, /tmp, the private area) nor the harness. Each process's own
 * peak misses memory spread over processes or held in shared memory, so the sandbox's memory is
 * read as a whole and what is not the run's taken off:
 *   runc: the container's memory cgroup, anonymous + shmem (cgroup v1 memory.stat total_rss +
 *         total_shmem; v2 anon + shmem), which counts no page cache;
 *   gVisor: /proc/meminfo AnonPages, which there holds tmpfs and shared memory too;
 * less the used size of the file tmpfs mounts and the harness's own anonymous memory, and relative
 * to the same figure just before the run. Sampled on every tick and once more after the run, when
 * shared memory that outlived its processes is still there. Off outside a sandbox (PID 1).
 */
enum mem_source { MEM_NONE, MEM_CGROUP_V1, MEM_CGROUP_V2, MEM_GVISOR };
static enum mem_source g_mem_source = MEM_NONE;
static int g_mem_stat_fd = -1;   /* memory.stat, or /proc/meminfo under gVisor */
static int g_mem_events_fd = -1; /* memory.oom_control (v1) or memory.events (v2): OOM kills */
static int g_self_status_fd = -1;

struct mem_meter {
    uint64_t base_kb;     /* held before the run */
    uint64_t peak_kb;     /* the most the run held on top of that */
    uint64_t oom_before;  /* the cgroup's OOM kills before the run */
};

struct run_state {
    pid_t pid;
    uint64_t maxrss_kb;
    struct rusage ru_before;
    struct mem_meter mem;
};

static uint64_t tv_us(struct timeval tv) { return (uint64_t)tv.tv_sec * 1000000u + (uint64_t)tv.tv_usec; }

static void note_rss(struct run_state *rs, long kb)
{
    if (kb > 0 && (uint64_t)kb > rs->maxrss_kb)
        rs->maxrss_kb = (uint64_t)kb;
}

/* A run's memory: the larger of any one process's peak and what the run held as a whole. */
static uint64_t run_memory_kb(const struct run_state *rs) { return rs->maxrss_kb > rs->mem.peak_kb ? rs->maxrss_kb : rs->mem.peak_kb; }

/* CPU time of the whole process (all threads) in ns, precisely; falls back to /proc ticks. */
static uint64_t proc_cpu_ns(const struct proc_ent *pe)
{
    /* The kernel's per-process CPU clock id, as glibc's clock_getcpuclockid builds it. */
    clockid_t cid = (clockid_t)((~(unsigned)pe->pid << 3) | 2);
    struct timespec ts;
    if (clock_gettime(cid, &ts) == 0)
        return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
    return pe->ticks_self * (1000000000u / (uint64_t)g_clk_tck);
}

/* A small kernel-made text file, whole, from the start (it is re-read each tick). */
static size_t pread_text(int fd, char *buf, size_t cap)
{
    size_t len = 0;
    while (len < cap - 1) {
        ssize_t n = pread(fd, buf + len, cap - 1 - len, (off_t)len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        len += (size_t)n;
    }
    buf[len] = '\0';
    return len;
}

/* The number after "<name>" at the start of a line of text; 0 when absent. */
static uint64_t text_field(const char *text, const char *name)
{
    size_t nlen = strlen(name);
    for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
        if (strncmp(p, name, nlen) == 0)
            return strtoull(p + nlen, NULL, 10);
    return 0;
}

static void open_mem_source(void)
{
    if (g_self != 1 || !g_program_uid_separate)
        return; /* on a host the figures would be the host's */
    g_self_status_fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
    if ((g_mem_stat_fd = open("/sys/fs/cgroup/memory/memory.stat", O_RDONLY | O_CLOEXEC)) >= 0) {
        g_mem_source = MEM_CGROUP_V1;
        g_mem_events_fd = open("/sys/fs/cgroup/memory/memory.oom_control", O_RDONLY | O_CLOEXEC);
    } else if ((g_mem_stat_fd = open("/sys/fs/cgroup/memory.stat", O_RDONLY | O_CLOEXEC)) >= 0) {
        g_mem_source = MEM_CGROUP_V2;
        g_mem_events_fd = open("/sys/fs/cgroup/memory.events", O_RDONLY | O_CLOEXEC);
    } else if (access("/proc/self/smaps_rollup", F_OK) != 0 && (g_mem_stat_fd = open("/proc/meminfo", O_RDONLY | O_CLOEXEC)) >= 0) {
        /* No cgroup files and no smaps_rollup: gVisor, whose /proc/meminfo is the sandbox's own. */
        g_mem_source = MEM_GVISOR;
    } else {
        diag("verdict-harness: no memory cgroup or sandbox meminfo: a run's memory is each process's own peak");
    }
}

/* Used size of a tmpfs, in KiB; 0 for a closed fd. */
static uint64_t used_kb(int fd)
{
    struct statfs st;
    if (fd < 0 || fstatfs(fd, &st) != 0)
        return 0;
    return (uint64_t)(st.f_blocks - st.f_bfree) * (uint64_t)st.f_bsize / 1024;
}

/* What the sandbox's processes other than the harness hold (the rule above), in KiB. */
static uint64_t sandbox_held_kb(void)
{
    char buf[8192];
    uint64_t total_kb;
    if (g_mem_source == MEM_NONE || pread_text(g_mem_stat_fd, buf, sizeof buf) == 0)
        return 0;
    if (g_mem_source == MEM_CGROUP_V1)
        total_kb = (text_field(buf, "total_rss ") + text_field(buf, "total_shmem ")) / 1024;
    else if (g_mem_source == MEM_CGROUP_V2)
        total_kb = (text_field(buf, "anon ") + text_field(buf, "shmem ")) / 1024;
    else
        total_kb = text_field(buf, "AnonPages:");
    uint64_t files_kb = used_kb(g_workdir_fd) + used_kb(g_private_fd) + used_kb(g_scratch_fds[0]);
    uint64_t self_kb = 0;
    if (g_self_status_fd >= 0 && pread_text(g_self_status_fd, buf, sizeof buf) > 0)
        self_kb = g_mem_source == MEM_GVISOR ? text_field(buf, "VmRSS:") : text_field(buf, "RssAnon:");
    uint64_t not_run = files_kb + self_kb;
    return total_kb > not_run ? total_kb - not_run : 0;
}

static uint64_t oom_kills(void)
{
    char buf[1024];
    if (g_mem_events_fd < 0 || pread_text(g_mem_events_fd, buf, sizeof buf) == 0)
        return 0;
    return text_field(buf, "oom_kill ");
}

static void meter_start(struct mem_meter *m)
{
    m->base_kb = sandbox_held_kb();
    m->peak_kb = 0;
    m->oom_before = oom_kills();
}

/* One sample; `others_kb` is what processes not of the run (an interactor) hold now. */
static void meter_sample(struct mem_meter *m, uint64_t others_kb)
{
    if (g_mem_source == MEM_NONE)
        return;
    uint64_t held = sandbox_held_kb();
    held = held > others_kb ? held - others_kb : 0;
    if (held > m->base_kb && held - m->base_kb > m->peak_kb)
        m->peak_kb = held - m->base_kb;
}

/* The container's OOM killer ended something during the run (the cgroup backstop was reached). */
static bool meter_saw_oom_kill(const struct mem_meter *m) { return oom_kills() > m->oom_before; }

/* A process's resident memory from one read of its status, in KiB (0 where unreadable). */
struct proc_mem {
    uint64_t peak_kb; /* VmHWM; gVisor has none, and the largest VmRSS seen over the ticks is the best peak there */
    uint64_t anon_kb; /* RssAnon now (VmRSS where it is missing) */
};

static struct proc_mem read_proc_mem(pid_t pid)
{
    struct proc_mem m = {0, 0};
    char path[32], buf[4096];
    snprintf(path, sizeof path, "%d/status", (int)pid);
    int fd = openat(g_proc_fd, path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return m;
    size_t len = pread_text(fd, buf, sizeof buf);
    close(fd);
    if (len == 0)
        return m;
    uint64_t rss = text_field(buf, "VmRSS:");
    m.peak_kb = text_field(buf, "VmHWM:");
    if (!m.peak_kb)
        m.peak_kb = rss;
    m.anon_kb = text_field(buf, "RssAnon:");
    if (!m.anon_kb)
        m.anon_kb = rss;
    return m;
}

/*
 * One enforcement tick: CPU of the run so far (reaped descendants through
 * RUSAGE_CHILDREN, live ones through their CPU clocks plus what they reaped
 * themselves), and the peak RSS of each live process. Also reaps orphans that
 * were re-parented to us, so zombies never pile up against the pids limit.
 */
static enum kill_reason check_limits(struct run_state *rs, const struct run_req *rq)
{
    scan_procs();
    uint64_t live_ns = 0;
    for (size_t i = 0; i < g_nprocs; i++) {
        struct proc_ent *pe = &g_procs[i];
        if (!pe->desc)
            continue;
        if (pe->state == 'Z') {
            if (pe->ppid == g_self && pe->pid != rs->pid) {
                struct rusage ru;
                int st;
                pid_t r;
                do
                    r = wait4(pe->pid, &st, WNOHANG | __WALL, &ru);
                while (r < 0 && errno == EINTR);
                if (r == pe->pid) {
                    note_rss(rs, ru.ru_maxrss); /* its CPU is in RUSAGE_CHILDREN now */
                    continue;
                }
            }
            /*
             * A zombie still holds its CPU time until its parent reaps it; a
             * fork bomb that never waits would otherwise hide most of its CPU.
             */
            live_ns += proc_cpu_ns(pe);
            continue;
        }
        live_ns += proc_cpu_ns(pe) + pe->ticks_children * (1000000000u / (uint64_t)g_clk_tck);
        note_rss(rs, (long)read_proc_mem(pe->pid).peak_kb);
    }
    struct rusage now;
    getrusage(RUSAGE_CHILDREN, &now);
    uint64_t reaped_us = tv_us(now.ru_utime) + tv_us(now.ru_stime) - tv_us(rs->ru_before.ru_utime) -
                         tv_us(rs->ru_before.ru_stime);
    uint64_t cpu_us = reaped_us + live_ns / 1000;
    if (cpu_us > rq->cpu_ms * 1000)
        return K_CPU;
    meter_sample(&rs->mem, 0);
    if (run_memory_kb(rs) > rq->mem_kb)
        return K_MEMORY;
    return K_NONE;
}

/*
 * Kills and reaps every descendant. Termination is decided by ECHILD, not by
 * a scan: as a child subreaper, "no children" implies "no descendants", and
 * that holds even for a fork bomb whose newest members no scan saw.
 *
 * As PID 1 of the sandbox every other process in it is ours, and kill(-1)
 * reaches all of them at once: the kernel walks the process list under the
 * lock fork needs, so a fork bomb cannot outrun it the way it outruns a
 * scan-and-kill loop that competes with it for the sandbox's CPU. (Signals
 * to every process except PID 1, and we are PID 1.) On a host, where that
 * would hit the user's other processes, only scanned descendants are killed.
 */
static void reap_everything(struct run_state *rs)
{
    int64_t start = mono_ns(), last_note = start;
    long pause_ns = 20000;
    for (;;) {
        pid_t r;
        for (;;) {
            struct rusage ru;
            int st;
            r = wait4(-1, &st, WNOHANG | __WALL, &ru);
            if (r > 0) {
                if (rs)
                    note_rss(rs, ru.ru_maxrss);
                continue;
            }
            if (r < 0 && errno == EINTR)
                continue;
            break;
        }
        if (r < 0)
            return; /* ECHILD: nothing of ours is left anywhere below us */
        if (g_self == 1)
            kill(-1, SIGKILL);
        else if (scan_procs() > 0)
            for (size_t i = 0; i < g_nprocs; i++)
                if (g_procs[i].desc && g_procs[i].state != 'Z')
                    kill_verified(&g_procs[i]);
        /* SIGKILL is delivered asynchronously: give the victims a moment to die before rescanning. */
        struct timespec ts = {0, pause_ns};
        nanosleep(&ts, NULL);
        if (pause_ns < 1000000)
            pause_ns *= 2;
        int64_t now = mono_ns();
        if (now - last_note > INT64_C(5000000000)) {
            diag("verdict-harness: still waiting for descendants to die after %" PRId64 " ms",
                 (now - start) / 1000000);
            last_note = now;
        }
    }
}

static void cleanup_all_descendants(void) { reap_everything(NULL); }

static void set_limit(int resource, rlim_t soft, rlim_t hard)
{
    struct rlimit cur;
    /* An unprivileged process cannot raise its hard limit: clamp to what the container allows. */
    if (getrlimit(resource, &cur) == 0 && cur.rlim_max != RLIM_INFINITY) {
        if (hard == RLIM_INFINITY || hard > cur.rlim_max)
            hard = cur.rlim_max;
        if (soft == RLIM_INFINITY || soft > hard)
            soft = hard;
    }
    struct rlimit rl = {soft, hard};
    setrlimit(resource, &rl);
}

static rlim_t kb_to_bytes(uint64_t kb) { return (rlim_t)(kb * 1024); } /* kb <= 2^40: no overflow */

static void child_fail(const char *what, const char *arg, int err)
{
    char buf[600];
    int n = snprintf(buf, sizeof buf, "verdict-harness: %s %s: %s\n", what, arg, strerror(err));
    if (n > 0)
        write_all(2, buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
    _exit(127);
}

/*
 * Fallback where close_range is missing (gVisor): close what /proc/self/fd
 * lists. Closing up to RLIMIT_NOFILE instead would cost a million syscalls
 * under Docker's default limit, about a second per run under gVisor.
 */
static void close_fds_from_proc(void)
{
    int dfd = open("/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0)
        return;
    char buf[4096];
    int fds[512];
    for (;;) {
        /* Collect, close, rewind: closing while reading a directory of fds could skip entries. */
        int nfds = 0;
        lseek(dfd, 0, SEEK_SET);
        for (;;) {
            long n = syscall(SYS_getdents64, dfd, buf, sizeof buf);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                break;
            for (long off = 0; off < n && nfds < (int)(sizeof fds / sizeof fds[0]);) {
                struct {
                    uint64_t d_ino;
                    int64_t d_off;
                    unsigned short d_reclen;
                    unsigned char d_type;
                    char d_name[];
                } *d = (void *)(buf + off);
                off += d->d_reclen;
                uint64_t fd;
                if (parse_u64(d->d_name, INT_MAX, &fd) && fd >= 3 && (int)fd != dfd)
                    fds[nfds++] = (int)fd;
            }
        }
        if (nfds == 0)
            break;
        for (int i = 0; i < nfds; i++)
            close(fds[i]);
    }
    close(dfd);
}

/* Runs in the forked child: only syscalls and stack memory from here on. */
static void child_exec(const struct run_req *rq, pid_t parent, int stdin_fd, int out_w, int err_w, char **argv,
                       char **envp, uid_t uid)
{
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    /* exec keeps ignored signals ignored: the program must start with every default. */
    signal(SIGPIPE, SIG_DFL);
    signal(SIGXFSZ, SIG_DFL);
    for (size_t i = 0; i < sizeof PID1_IGNORED / sizeof PID1_IGNORED[0]; i++)
        signal(PID1_IGNORED[i], SIG_DFL);
    /*
     * Except an interactor's SIGPIPE: when the submission ends first, the interactor must see an
     * error on write (EPIPE) or the end of its input, and give its verdict, not die of a signal.
     */
    if (uid == PEER_UID)
        signal(SIGPIPE, SIG_IGN);

    /*
     * A new session also makes a new process group (protocol: own group), and
     * nothing outside the session can join the group we later kill as a whole.
     */
    setsid();

    if (dup2(stdin_fd, 0) < 0 || dup2(out_w, 1) < 0 || dup2(err_w, 2) < 0)
        _exit(127);
    if (fchdir(g_workdir_fd) < 0)
        child_fail("chdir", "work dir", errno);

    /* The harness is non-dumpable, which makes our /proc/self files root-owned; undo that for this write. */
    prctl(PR_SET_DUMPABLE, 1);
    int ofd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
    if (ofd >= 0) {
        (void)!write(ofd, "1000", 4);
        close(ofd);
    }

    /*
     * The run shares the sandbox's CPU quota with the harness: at the lowest
     * priority even hundreds of spinning processes leave the harness the CPU
     * it needs to enforce the limits on time. A program alone in the sandbox
     * still gets all of the quota, and no program can raise its priority back.
     */
    setpriority(PRIO_PROCESS, 0, 19);

    if (rq->cpu_core >= 0) {
        cpu_set_t set;
        CPU_ZERO(&set);
        CPU_SET((int)rq->cpu_core, &set);
        sched_setaffinity(0, sizeof set, &set);
    }

    if (syscall(SYS_close_range, 3u, ~0u, 0) < 0)
        close_fds_from_proc();

    set_limit(RLIMIT_STACK, rq->stack_kb ? kb_to_bytes(rq->stack_kb) : RLIM_INFINITY,
              rq->stack_kb ? kb_to_bytes(rq->stack_kb) : RLIM_INFINITY);
    set_limit(RLIMIT_FSIZE, kb_to_bytes(rq->fsize_kb), kb_to_bytes(rq->fsize_kb));
    set_limit(RLIMIT_NOFILE, (rlim_t)rq->nofile, (rlim_t)rq->nofile);
    set_limit(RLIMIT_CORE, 0, 0);
    /* Backstop only: SIGXCPU at the soft limit, SIGKILL one second later, if the harness ever failed to act. */
    rlim_t cpu_s = (rlim_t)((rq->cpu_ms + 999) / 1000 + 1);
    set_limit(RLIMIT_CPU, cpu_s, cpu_s + 1);

    /* Last, because what comes before needs the harness's identity (the oom_score_adj file is ours). */
    if (g_program_uid_separate &&
        (setresgid(uid, uid, uid) < 0 || setresuid(uid, uid, uid) < 0 || set_capabilities(0) < 0))
        child_fail("become", "the program's user", errno);

    /* On a host, a harness killed mid-run must not leave the run behind (set after the identity change clears it). */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent)
        _exit(127);

    /* Our own PATH search: execvp would search the harness's environment, not the run's. */
    const char *file = argv[0];
    if (strchr(file, '/')) {
        execve(file, argv, envp);
        child_fail("exec", file, errno);
    }
    bool saw_eacces = false;
    int last = ENOENT;
    size_t flen = strlen(file);
    if (flen == 0)
        child_fail("exec", file, ENOENT);
    const char *d = RUN_PATH;
    while (*d) {
        const char *e = strchr(d, ':');
        size_t dl = e ? (size_t)(e - d) : strlen(d);
        char full[PATH_MAX];
        if (dl + 1 + flen < sizeof full) {
            memcpy(full, d, dl);
            full[dl] = '/';
            memcpy(full + dl + 1, file, flen + 1);
            execve(full, argv, envp);
            last = errno;
            if (errno == EACCES)
                saw_eacces = true;
            else if (errno != ENOENT && errno != ENOTDIR && errno != ESTALE && errno != ENODEV && errno != ETIMEDOUT)
                break; /* like execvp: a real error on an existing file ends the search */
        }
        d += dl + (e ? 1 : 0);
        if (!e)
            break;
    }
    child_fail("exec", file, saw_eacces ? EACCES : last);
}

static int open_stdin_file(const char *path, const char **err)
{
    char scratch[REL_PATH_MAX + 1];
    const char *leaf;
    int dfd = open_parent(path, false, scratch, &leaf);
    if (dfd < 0) {
        *err = strerror(errno);
        return -1;
    }
    /* O_NONBLOCK: a FIFO planted in /work by a previous run must not hang the harness on open. */
    int fd = openat_nofollow(dfd, leaf, O_RDONLY | O_NONBLOCK, 0);
    int e = errno;
    close_parent(dfd);
    if (fd < 0) {
        *err = strerror(e);
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        *err = "not a regular file";
        return -1;
    }
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0)
        fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    return fd;
}

static void drain_sigchld_pipe(void)
{
    char buf[64];
    if (g_sigchld_pipe[0] >= 0)
        while (read(g_sigchld_pipe[0], buf, sizeof buf) > 0) {
        }
}

/*
 * Captured output goes through pipes of 1 MiB (the unprivileged maximum)
 * instead of 64 KiB. Node makes its stdout pipe non-blocking and queues in
 * memory what a full pipe refuses (1.4 GB and 2.7 s of CPU in 2 s with the
 * reader away), so under load a program flooding stdout could reach its CPU
 * limit (TLE, seen in CI) before the harness next read and saw its output
 * cross the limit (OLE). With room for many writes the output limit is seen
 * first. Best effort: the default size still works.
 */
static void widen_capture_pipe(int fd)
{
    (void)fcntl(fd, F_SETPIPE_SZ, 1 << 20);
}

static void run_program(const struct run_req *rq, char **argv, char **envp)
{
    int stdin_fd = g_devnull_fd;
    if (rq->stdin_path) {
        const char *err = "";
        stdin_fd = open_stdin_file(rq->stdin_path, &err);
        if (stdin_fd < 0) {
            respond("ERR RUN: stdin: %s", err);
            return;
        }
    }

    int outp[2] = {-1, -1}, errp[2] = {-1, -1};
    if (pipe2(outp, O_CLOEXEC) < 0 || pipe2(errp, O_CLOEXEC) < 0) {
        int e = errno;
        if (outp[0] >= 0) {
            close(outp[0]);
            close(outp[1]);
        }
        if (stdin_fd != g_devnull_fd)
            close(stdin_fd);
        respond("ERR RUN: pipe: %s", strerror(e));
        return;
    }
    /* Only our read ends are non-blocking; the program's write ends must block as usual. */
    fcntl(outp[0], F_SETFL, O_NONBLOCK);
    fcntl(errp[0], F_SETFL, O_NONBLOCK);
    widen_capture_pipe(outp[0]);
    widen_capture_pipe(errp[0]);

    struct run_state rs = {0};
    getrusage(RUSAGE_CHILDREN, &rs.ru_before);
    drain_sigchld_pipe();
    meter_start(&rs.mem);

    int64_t t0 = mono_ns();
    pid_t pid = fork();
    if (pid == 0)
        child_exec(rq, g_self, stdin_fd, outp[1], errp[1], argv, envp, g_program_uid);
    int fork_err = errno;
    close(outp[1]);
    close(errp[1]);
    if (stdin_fd != g_devnull_fd)
        close(stdin_fd);
    if (pid < 0) {
        close(outp[0]);
        close(errp[0]);
        respond("ERR RUN: fork: %s", strerror(fork_err));
        return;
    }
    rs.pid = pid;
    int pidfd = g_have_pidfd ? pidfd_open_(pid) : -1;

    struct capture out = {.fd = outp[0], .keep = rq->stdout_max};
    struct capture err = {.fd = errp[0], .keep = rq->stderr_max};
    int64_t wall_deadline = t0 + (int64_t)rq->wall_ms * 1000000;
    int64_t next_check = t0 + TICK_NS;
    enum kill_reason killed = K_NONE;

    for (;;) {
        struct pollfd pf[3];
        int n = 0, i_exit = -1, i_out = -1, i_err = -1;
        if (pidfd >= 0) {
            i_exit = n;
            pf[n++] = (struct pollfd){pidfd, POLLIN, 0};
        } else if (g_sigchld_pipe[0] >= 0) {
            i_exit = n;
            pf[n++] = (struct pollfd){g_sigchld_pipe[0], POLLIN, 0};
        }
        if (out.fd >= 0) {
            i_out = n;
            pf[n++] = (struct pollfd){out.fd, POLLIN, 0};
        }
        if (err.fd >= 0) {
            i_err = n;
            pf[n++] = (struct pollfd){err.fd, POLLIN, 0};
        }
        int64_t now = mono_ns();
        int64_t until = next_check < wall_deadline ? next_check : wall_deadline;
        int64_t wait_ns = until - now;
        if (wait_ns < 0)
            wait_ns = 0;
        struct timespec ts = {(time_t)(wait_ns / 1000000000), (long)(wait_ns % 1000000000)};
        int pr = ppoll(pf, (nfds_t)n, &ts, NULL);
        if (pr < 0 && errno != EINTR) {
            diag("verdict-harness: poll: %s", strerror(errno));
            struct timespec back = {0, 1000000};
            nanosleep(&back, NULL);
        }

        if (pr > 0) {
            if (i_out >= 0 && pf[i_out].revents)
                capture_read(&out, 1 << 20);
            if (i_err >= 0 && pf[i_err].revents)
                capture_read(&err, 1 << 20);
        }
        if (out.total > rq->stdout_max || err.total > rq->stdout_max) {
            killed = K_OUTPUT;
            break;
        }
        bool exited = false;
        if (pr > 0 && i_exit >= 0 && pf[i_exit].revents) {
            if (pidfd >= 0)
                exited = true;
            else {
                drain_sigchld_pipe();
                siginfo_t si = {0};
                if (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT | __WALL) == 0 && si.si_pid == pid)
                    exited = true;
            }
        } else if (i_exit < 0) {
            /* Neither pidfd nor SIGCHLD pipe: notice the exit on the tick. */
            siginfo_t si = {0};
            if (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT | __WALL) == 0 && si.si_pid == pid)
                exited = true;
        }
        if (exited)
            break;
        now = mono_ns();
        if (now >= wall_deadline) {
            killed = K_WALL;
            break;
        }
        if (now >= next_check) {
            killed = check_limits(&rs, rq);
            if (killed != K_NONE)
                break;
            next_check = mono_ns() + TICK_NS;
        }
    }

    /*
     * The main process is dead or about to be, and not yet reaped, so its pid
     * (and so its process group id) cannot have been recycled: killing the
     * group is safe and takes out most of a fork bomb in one call.
     */
    if (killed != K_NONE) {
        if (pidfd >= 0)
            pidfd_send_signal_(pidfd, SIGKILL);
        else
            kill(pid, SIGKILL);
    }
    kill(-pid, SIGKILL);
    int status = 0;
    struct rusage ru;
    for (;;) {
        pid_t r = wait4(pid, &status, __WALL, &ru);
        if (r == pid) {
            note_rss(&rs, ru.ru_maxrss);
            break;
        }
        if (r < 0 && errno == EINTR)
            continue;
        diag("verdict-harness: wait4 main: %s", strerror(errno));
        break;
    }
    int64_t wall_ns = mono_ns() - t0;
    if (pidfd >= 0)
        close(pidfd);
    reap_everything(&rs);
    meter_sample(&rs.mem, 0); /* shared memory that outlived the run's processes */
    clear_ipc(false);

    /* Everything that held a write end is dead: what is left in the pipes is all there will ever be. */
    capture_read(&out, SIZE_MAX);
    capture_read(&err, SIZE_MAX);

    struct rusage after;
    getrusage(RUSAGE_CHILDREN, &after);
    uint64_t user_us = tv_us(after.ru_utime) - tv_us(rs.ru_before.ru_utime);
    uint64_t sys_us = tv_us(after.ru_stime) - tv_us(rs.ru_before.ru_stime);
    uint64_t cpu_us = user_us + sys_us;
    uint64_t wall_us = (uint64_t)(wall_ns / 1000);

    /*
     * A limit crossed between two ticks is still a limit crossed: judging the
     * final measurements too makes the verdict independent of tick timing.
     */
    if (killed == K_NONE) {
        if (out.total > rq->stdout_max || err.total > rq->stdout_max)
            killed = K_OUTPUT;
        else if (cpu_us > rq->cpu_ms * 1000)
            killed = K_CPU;
        else if (run_memory_kb(&rs) > rq->mem_kb)
            killed = K_MEMORY;
        else if (wall_us > rq->wall_ms * 1000)
            killed = K_WALL;
        /* The cgroup backstop's OOM killer (which picks the run, see oom_score_adj) ended it. */
        else if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL && meter_saw_oom_kill(&rs.mem))
            killed = K_MEMORY;
    }

    int exit_code, sig;
    if (WIFEXITED(status)) {
        exit_code = WEXITSTATUS(status);
        sig = 0;
    } else if (WIFSIGNALED(status)) {
        exit_code = -1;
        sig = WTERMSIG(status);
    } else {
        exit_code = -1;
        sig = SIGKILL;
    }

    char hdr[512];
    int hn = snprintf(hdr, sizeof hdr,
                      "RESULT exit_code=%d signal=%d killed=%s cpu_us=%" PRIu64 " user_us=%" PRIu64 " sys_us=%" PRIu64
                      " wall_us=%" PRIu64 " maxrss_kb=%" PRIu64 " stdout_len=%zu stdout_truncated=%d stderr_len=%zu"
                      " stderr_truncated=%d\n",
                      exit_code, sig, KILL_NAMES[killed], cpu_us, user_us, sys_us, wall_us, run_memory_kb(&rs), out.len,
                      out.total > out.len ? 1 : 0, err.len, err.total > err.len ? 1 : 0);
    struct iovec iov[3] = {{hdr, (size_t)hn}, {out.buf, out.len}, {err.buf, err.len}};
    out_writev(iov, 3);
    /* munmap, not free: the next fork copies our RSS into the next program's ru_maxrss. */
    capture_free(&out);
    capture_free(&err);
}

/* ------------------------------------------------------------------ */
/* interactive runs: the program and a peer connected by pipes          */

/* One side of an interactive run. */
struct side {
    const struct run_req *rq;
    pid_t pid;
    int pidfd;
    bool exited; /* main process reaped */
    int status;
    struct rusage ru; /* of the main process and the descendants it reaped */
    int64_t exit_ns;
    /* When the harness killed it for a limit (0: never). Its end counts from then: the other side
     * may see its pipe close and exit before the killed process is reaped. */
    int64_t kill_ns;
    uint64_t live_ns; /* CPU of its live processes at the last tick */
    uint64_t rss_now_kb; /* resident anonymous memory of its live processes at the last tick */
    uint64_t maxrss_kb;
    enum kill_reason killed;
    int64_t deadline;
    struct capture err;
};

/*
 * Which side a process is on: the peer runs as PEER_UID, and every process
 * of another uid, whatever it did to its session, group or parent, is the
 * program's. On a host (one uid for all) everything counts for the program.
 */
static bool on_peer_side(const struct proc_ent *pe) { return g_program_uid_separate && pe->uid == PEER_UID; }

static void side_note_rss(struct side *sd, long kb)
{
    if (kb > 0 && (uint64_t)kb > sd->maxrss_kb)
        sd->maxrss_kb = (uint64_t)kb;
}

static void interactive_tick(struct side *prog, struct side *peer)
{
    scan_procs();
    prog->live_ns = peer->live_ns = 0;
    prog->rss_now_kb = peer->rss_now_kb = 0;
    for (size_t i = 0; i < g_nprocs; i++) {
        struct proc_ent *pe = &g_procs[i];
        if (!pe->desc)
            continue;
        struct side *sd = on_peer_side(pe) ? peer : prog;
        if (pe->state == 'Z') {
            if (pe->ppid == g_self && pe->pid != prog->pid && pe->pid != peer->pid) {
                struct rusage ru;
                int st;
                pid_t r;
                do
                    r = wait4(pe->pid, &st, WNOHANG | __WALL, &ru);
                while (r < 0 && errno == EINTR);
                if (r == pe->pid) {
                    side_note_rss(sd, ru.ru_maxrss);
                    continue;
                }
            }
            sd->live_ns += proc_cpu_ns(pe);
            continue;
        }
        sd->live_ns += proc_cpu_ns(pe) + pe->ticks_children * (1000000000u / (uint64_t)g_clk_tck);
        struct proc_mem mem = read_proc_mem(pe->pid);
        side_note_rss(sd, (long)mem.peak_kb);
        sd->rss_now_kb += mem.anon_kb;
    }
}

static bool side_main_exited(const struct side *sd)
{
    siginfo_t si = {0};
    return waitid(P_PID, (id_t)sd->pid, &si, WEXITED | WNOHANG | WNOWAIT | __WALL) == 0 && si.si_pid == sd->pid;
}

/* The main process has ended (or was killed): take its process group with it, then reap it. */
static void side_reap(struct side *sd)
{
    kill(-sd->pid, SIGKILL); /* not yet reaped, so the group id cannot have been recycled */
    for (;;) {
        pid_t r = wait4(sd->pid, &sd->status, __WALL, &sd->ru);
        if (r == sd->pid || !(r < 0 && errno == EINTR))
            break;
    }
    side_note_rss(sd, sd->ru.ru_maxrss);
    sd->exit_ns = mono_ns();
    sd->exited = true;
    if (sd->pidfd >= 0)
        close(sd->pidfd);
    sd->pidfd = -1;
}

static void side_kill(struct side *sd, enum kill_reason why)
{
    if (sd->exited || sd->killed != K_NONE)
        return;
    sd->killed = why;
    sd->kill_ns = mono_ns();
    if (sd->pidfd >= 0)
        pidfd_send_signal_(sd->pidfd, SIGKILL);
    else
        kill(sd->pid, SIGKILL);
}

/* When a side's run ended: its kill, if the harness killed it, else its exit. */
static int64_t side_ended_ns(const struct side *sd) { return sd->kill_ns && sd->kill_ns < sd->exit_ns ? sd->kill_ns : sd->exit_ns; }

static void side_status(const struct side *sd, int *exit_code, int *sig)
{
    if (WIFEXITED(sd->status)) {
        *exit_code = WEXITSTATUS(sd->status);
        *sig = 0;
    } else {
        *exit_code = -1;
        *sig = WIFSIGNALED(sd->status) ? WTERMSIG(sd->status) : SIGKILL;
    }
}

static void close_gate(int gate[2])
{
    for (int i = 0; i < 2; i++)
        if (gate[i] >= 0) {
            close(gate[i]);
            gate[i] = -1;
        }
}

/*
 * RUN peer=1: the program's stdout feeds the peer's stdin and the peer's
 * stdout the program's stdin. Each side has its own limits and is measured on
 * its own; each runs until it exits or hits a limit, so a side that exits
 * first simply closes the other's input. The run ends when both have ended.
 */
static void run_interactive(const struct run_req *rq, char **argv, char **envp, const struct run_req *prq, char **pargv,
                            char **penvp)
{
    int to_prog[2] = {-1, -1}, to_peer[2] = {-1, -1}, errp[2] = {-1, -1}, perr[2] = {-1, -1};
    if (pipe2(to_prog, O_CLOEXEC) < 0 || pipe2(to_peer, O_CLOEXEC) < 0 || pipe2(errp, O_CLOEXEC) < 0 ||
        pipe2(perr, O_CLOEXEC) < 0) {
        int e = errno;
        int *all[] = {to_prog, to_peer, errp, perr};
        for (int i = 0; i < 4; i++)
            for (int j = 0; j < 2; j++)
                if (all[i][j] >= 0)
                    close(all[i][j]);
        respond("ERR RUN: pipe: %s", strerror(e));
        return;
    }
    fcntl(errp[0], F_SETFL, O_NONBLOCK);
    fcntl(perr[0], F_SETFL, O_NONBLOCK);
    widen_capture_pipe(errp[0]);
    widen_capture_pipe(perr[0]);

    struct rusage before;
    getrusage(RUSAGE_CHILDREN, &before);
    drain_sigchld_pipe();
    /* What the program's side holds as a whole: the sandbox's, less the interactor's own. */
    struct mem_meter mem;
    meter_start(&mem);
    int64_t t0 = mono_ns();
    struct side peer = {.rq = prq, .pidfd = -1, .deadline = t0 + (int64_t)prq->wall_ms * 1000000};
    struct side prog = {.rq = rq, .pidfd = -1, .deadline = t0 + (int64_t)rq->wall_ms * 1000000};
    peer.pid = fork();
    if (peer.pid == 0)
        child_exec(prq, g_self, to_peer[0], to_prog[1], perr[1], pargv, penvp, PEER_UID);
    if (peer.pid > 0)
        prog.pid = fork();
    if (peer.pid > 0 && prog.pid == 0)
        child_exec(rq, g_self, to_prog[0], to_peer[1], errp[1], argv, envp, g_program_uid);
    int fork_err = errno;
    /*
     * The harness keeps its copies of both pipes' ends until it has reaped the side whose end they
     * stand for: a side learns that the other ended (end of file on its input, EPIPE or SIGPIPE on
     * its output) only after the harness recorded that end. So a side that fails because the other
     * ended is always seen ending second, even when both exits show in one poll, and "who ended
     * first", which decides the verdict, follows cause and effect.
     */
    int prog_gate[2] = {to_peer[1], to_prog[0]}; /* the program's ends: closed once it is reaped */
    int peer_gate[2] = {to_prog[1], to_peer[0]}; /* the peer's ends: closed once it is reaped */
    close(errp[1]);
    close(perr[1]);
    if (peer.pid < 0 || prog.pid < 0) {
        if (peer.pid > 0) {
            kill(peer.pid, SIGKILL);
            side_reap(&peer);
        }
        close_gate(prog_gate);
        close_gate(peer_gate);
        close(errp[0]);
        close(perr[0]);
        respond("ERR RUN: fork: %s", strerror(fork_err));
        return;
    }
    if (g_have_pidfd) {
        prog.pidfd = pidfd_open_(prog.pid);
        peer.pidfd = pidfd_open_(peer.pid);
    }
    prog.err = (struct capture){.fd = errp[0], .keep = rq->stderr_max};
    peer.err = (struct capture){.fd = perr[0], .keep = prq->stderr_max};
    int64_t next_check = t0 + TICK_NS;

    while (!prog.exited || !peer.exited) {
        struct pollfd pf[5];
        int n = 0, i_prog = -1, i_peer = -1, i_chld = -1, i_perr = -1, i_err = -1;
        if (!prog.exited && prog.pidfd >= 0)
            i_prog = n, pf[n++] = (struct pollfd){prog.pidfd, POLLIN, 0};
        if (!peer.exited && peer.pidfd >= 0)
            i_peer = n, pf[n++] = (struct pollfd){peer.pidfd, POLLIN, 0};
        if (!g_have_pidfd && g_sigchld_pipe[0] >= 0)
            i_chld = n, pf[n++] = (struct pollfd){g_sigchld_pipe[0], POLLIN, 0};
        if (prog.err.fd >= 0)
            i_err = n, pf[n++] = (struct pollfd){prog.err.fd, POLLIN, 0};
        if (peer.err.fd >= 0)
            i_perr = n, pf[n++] = (struct pollfd){peer.err.fd, POLLIN, 0};
        int64_t until = next_check;
        if (!prog.exited && prog.deadline < until)
            until = prog.deadline;
        if (!peer.exited && peer.deadline < until)
            until = peer.deadline;
        int64_t wait_ns = until - mono_ns();
        if (wait_ns < 0)
            wait_ns = 0;
        struct timespec ts = {(time_t)(wait_ns / 1000000000), (long)(wait_ns % 1000000000)};
        int pr = ppoll(pf, (nfds_t)n, &ts, NULL);
        if (pr > 0 && i_err >= 0 && pf[i_err].revents)
            capture_read(&prog.err, 1 << 20);
        if (pr > 0 && i_perr >= 0 && pf[i_perr].revents)
            capture_read(&peer.err, 1 << 20);
        if (pr > 0 && i_chld >= 0 && pf[i_chld].revents)
            drain_sigchld_pipe();
        if (prog.err.total > rq->stdout_max)
            side_kill(&prog, K_OUTPUT);
        /* Without pidfds, exits are noticed by asking; cheap enough for two processes. */
        if (!prog.exited && ((i_prog >= 0 && pr > 0 && pf[i_prog].revents) || (prog.pidfd < 0 && side_main_exited(&prog)))) {
            side_reap(&prog);
            close_gate(prog_gate);
        }
        if (!peer.exited && ((i_peer >= 0 && pr > 0 && pf[i_peer].revents) || (peer.pidfd < 0 && side_main_exited(&peer)))) {
            side_reap(&peer);
            close_gate(peer_gate);
        }
        int64_t now = mono_ns();
        if (!prog.exited && now >= prog.deadline)
            side_kill(&prog, K_WALL);
        if (!peer.exited && now >= peer.deadline)
            side_kill(&peer, K_WALL);
        if (now >= next_check) {
            interactive_tick(&prog, &peer);
            meter_sample(&mem, peer.exited ? 0 : peer.rss_now_kb);
            side_note_rss(&prog, (long)mem.peak_kb);
            struct rusage r;
            getrusage(RUSAGE_CHILDREN, &r);
            uint64_t reaped_us = tv_us(r.ru_utime) + tv_us(r.ru_stime) - tv_us(before.ru_utime) - tv_us(before.ru_stime);
            uint64_t peer_reaped_us = peer.exited ? tv_us(peer.ru.ru_utime) + tv_us(peer.ru.ru_stime) : 0;
            uint64_t prog_us = (reaped_us > peer_reaped_us ? reaped_us - peer_reaped_us : 0) + prog.live_ns / 1000;
            if (!prog.exited && prog_us > rq->cpu_ms * 1000)
                side_kill(&prog, K_CPU);
            else if (!prog.exited && prog.maxrss_kb > rq->mem_kb)
                side_kill(&prog, K_MEMORY);
            if (!peer.exited && peer.live_ns / 1000 > prq->cpu_ms * 1000)
                side_kill(&peer, K_CPU);
            else if (!peer.exited && peer.maxrss_kb > prq->mem_kb)
                side_kill(&peer, K_MEMORY);
            next_check = mono_ns() + TICK_NS;
        }
    }
    struct run_state rest = {0};
    reap_everything(&rest); /* orphans of either side; their memory counts for the program */
    side_note_rss(&prog, (long)rest.maxrss_kb);
    meter_sample(&mem, 0);
    side_note_rss(&prog, (long)mem.peak_kb);
    clear_ipc(true);
    capture_read(&prog.err, SIZE_MAX);
    capture_read(&peer.err, SIZE_MAX);

    struct rusage after;
    getrusage(RUSAGE_CHILDREN, &after);
    uint64_t all_user = tv_us(after.ru_utime) - tv_us(before.ru_utime), all_sys = tv_us(after.ru_stime) - tv_us(before.ru_stime);
    uint64_t peer_user = tv_us(peer.ru.ru_utime), peer_sys = tv_us(peer.ru.ru_stime);
    uint64_t user_us = all_user > peer_user ? all_user - peer_user : 0, sys_us = all_sys > peer_sys ? all_sys - peer_sys : 0;
    uint64_t cpu_us = user_us + sys_us, peer_cpu_us = peer_user + peer_sys;
    uint64_t wall_us = (uint64_t)(prog.exit_ns - t0) / 1000, peer_wall_us = (uint64_t)(peer.exit_ns - t0) / 1000;
    /* As in run_program: a limit crossed between two ticks is a limit crossed. */
    if (prog.killed == K_NONE) {
        if (prog.err.total > rq->stdout_max)
            prog.killed = K_OUTPUT;
        else if (cpu_us > rq->cpu_ms * 1000)
            prog.killed = K_CPU;
        else if (prog.maxrss_kb > rq->mem_kb)
            prog.killed = K_MEMORY;
        else if (wall_us > rq->wall_ms * 1000)
            prog.killed = K_WALL;
        else if (WIFSIGNALED(prog.status) && WTERMSIG(prog.status) == SIGKILL && meter_saw_oom_kill(&mem))
            prog.killed = K_MEMORY;
    }
    if (peer.killed == K_NONE) {
        if (peer_cpu_us > prq->cpu_ms * 1000)
            peer.killed = K_CPU;
        else if (peer.maxrss_kb > prq->mem_kb)
            peer.killed = K_MEMORY;
        else if (peer_wall_us > prq->wall_ms * 1000)
            peer.killed = K_WALL;
    }

    int exit_code, sig, peer_exit, peer_sig;
    side_status(&prog, &exit_code, &sig);
    side_status(&peer, &peer_exit, &peer_sig);
    char hdr[768];
    int hn = snprintf(hdr, sizeof hdr,
                      "RESULT exit_code=%d signal=%d killed=%s cpu_us=%" PRIu64 " user_us=%" PRIu64 " sys_us=%" PRIu64
                      " wall_us=%" PRIu64 " maxrss_kb=%" PRIu64 " stdout_len=0 stdout_truncated=0 stderr_len=%zu"
                      " stderr_truncated=%d\n",
                      exit_code, sig, KILL_NAMES[prog.killed], cpu_us, user_us, sys_us, wall_us, prog.maxrss_kb,
                      prog.err.len, prog.err.total > prog.err.len ? 1 : 0);
    out_write(hdr, (size_t)hn);
    if (prog.err.len)
        out_write(prog.err.buf, prog.err.len);
    hn = snprintf(hdr, sizeof hdr,
                  "PEER_RESULT exit_code=%d signal=%d killed=%s cpu_us=%" PRIu64 " wall_us=%" PRIu64
                  " maxrss_kb=%" PRIu64 " stderr_len=%zu stderr_truncated=%d exited_first=%d\n",
                  peer_exit, peer_sig, KILL_NAMES[peer.killed], peer_cpu_us, peer_wall_us, peer.maxrss_kb,
                  peer.err.len, peer.err.total > peer.err.len ? 1 : 0, side_ended_ns(&peer) < side_ended_ns(&prog) ? 1 : 0);
    out_write(hdr, (size_t)hn);
    if (peer.err.len)
        out_write(peer.err.buf, peer.err.len);
    capture_free(&prog.err);
    capture_free(&peer.err);
}

/* ------------------------------------------------------------------ */
/* RUN                                                                 */

struct arena {
    char *buf;
    size_t len, cap;
};

static bool arena_add(struct arena *a, const char *s, size_t n)
{
    if (a->len + n + 1 > ARGS_TOTAL_MAX)
        return false;
    if (a->len + n + 1 > a->cap) {
        size_t nc = a->cap ? a->cap : 4096;
        while (nc < a->len + n + 1)
            nc *= 2;
        char *nb = realloc(a->buf, nc);
        if (!nb)
            return false;
        a->buf = nb;
        a->cap = nc;
    }
    memcpy(a->buf + a->len, s, n + 1);
    a->len += n + 1;
    return true;
}

/* A parsed RUN or PEER: the limits and the argv/envp vectors (both NULL-terminated, in one arena). */
struct command {
    struct run_req rq;
    bool with_peer; /* RUN peer=1: connect to the pending PEER */
    char *arena;
    char **vec;
    char **argv, **envp;
};

static void command_free(struct command *c)
{
    free(c->vec);
    free(c->arena);
    c->vec = NULL;
    c->arena = NULL;
}

/*
 * Parses the header tokens and reads the argument and env lines of a RUN (or,
 * with is_peer, a PEER). Returns false after answering ERR; every announced
 * line is consumed even then, so the stream stays in sync.
 */
static bool read_command(char **tok, int ntok, bool is_peer, struct command *cmd)
{
    memset(cmd, 0, sizeof *cmd);
    struct run_req *rq = &cmd->rq;
    rq->cpu_core = -1;
    const char *verb = is_peer ? "PEER" : "RUN";
    enum { K_CPU_MS, K_WALL_MS, K_MEM_KB, K_STACK_KB, K_FSIZE_KB, K_NOFILE, K_STDOUT_MAX, K_STDERR_MAX, K_STDIN,
           K_CPU_CORE, K_PEER, K_ARGC, K_ENVC, K_COUNT };
    static const char *const names[K_COUNT] = {"cpu_ms",     "wall_ms",    "mem_kb", "stack_kb", "fsize_kb",
                                               "nofile",     "stdout_max", "stderr_max", "stdin", "cpu_core",
                                               "peer",       "argc",       "envc"};
    uint64_t *numeric[K_COUNT] = {&rq->cpu_ms, &rq->wall_ms, &rq->mem_kb, &rq->stack_kb, &rq->fsize_kb, &rq->nofile,
                                  &rq->stdout_max, &rq->stderr_max, NULL, NULL, NULL, NULL, NULL};
    const uint64_t max[K_COUNT] = {NUM_MAX, NUM_MAX, NUM_MAX, NUM_MAX, NUM_MAX, NOFILE_MAX,
                                   CAPTURE_MAX, CAPTURE_MAX, 0, 0, 1, UINT32_MAX, UINT32_MAX};
    /* A peer's stdin and stdout are the program's pipes and it runs on no particular core. */
    const bool allowed[K_COUNT] = {true, true, true, true, true, true, !is_peer, true, !is_peer, !is_peer, !is_peer, true, true};
    const bool optional[K_COUNT] = {false, false, false, false, false, false, is_peer, false, is_peer, true, true, false, false};
    bool seen[K_COUNT] = {false};
    uint64_t argc = 0, envc = 0, peer = 0;
    bool argc_ok = false, envc_ok = false;
    char err[200] = "";

    for (int i = 1; i < ntok; i++) {
        char *eq = strchr(tok[i], '=');
        if (!eq) {
            if (!err[0])
                snprintf(err, sizeof err, "%s: malformed token (expected key=value)", verb);
            continue;
        }
        *eq = '\0';
        const char *key = tok[i], *val = eq + 1;
        int k = 0;
        while (k < K_COUNT && strcmp(names[k], key) != 0)
            k++;
        if (k == K_COUNT || !allowed[k]) {
            if (!err[0])
                snprintf(err, sizeof err, "%s: unknown key %.40s", verb, key);
            continue;
        }
        if (seen[k]) {
            if (!err[0])
                snprintf(err, sizeof err, "%s: duplicate key %s", verb, key);
            continue;
        }
        seen[k] = true;
        bool ok = true;
        if (k == K_STDIN) {
            if (strcmp(val, "-") == 0)
                rq->stdin_path = NULL;
            else if (valid_path(val))
                rq->stdin_path = val;
            else
                ok = false;
        } else if (k == K_CPU_CORE) {
            uint64_t v;
            if (strcmp(val, "-1") == 0)
                rq->cpu_core = -1;
            else if (parse_u64(val, CPU_SETSIZE - 1, &v))
                rq->cpu_core = (long)v;
            else
                ok = false;
        } else if (k == K_PEER) {
            ok = parse_u64(val, max[k], &peer);
        } else if (k == K_ARGC) {
            ok = argc_ok = parse_u64(val, max[k], &argc);
        } else if (k == K_ENVC) {
            ok = envc_ok = parse_u64(val, max[k], &envc);
        } else {
            ok = parse_u64(val, max[k], numeric[k]);
        }
        if (!ok && !err[0])
            snprintf(err, sizeof err, "%s: invalid value for %s", verb, key);
    }
    /* Without both counts the end of the command is unknown: nothing can resynchronise the stream. */
    if (!argc_ok || !envc_ok)
        fatal("%s: missing or invalid argc/envc", verb);
    for (int k = 0; k < K_COUNT && !err[0]; k++)
        if (allowed[k] && !seen[k] && !optional[k])
            snprintf(err, sizeof err, "%s: missing key %s", verb, names[k]);
    if (!err[0] && argc == 0)
        snprintf(err, sizeof err, "%s: argc must be at least 1", verb);
    if (!err[0] && (argc > COUNT_MAX || envc > COUNT_MAX))
        snprintf(err, sizeof err, "%s: argc and envc may be at most %d", verb, COUNT_MAX);
    if (!err[0] && rq->cpu_core >= 0) {
        cpu_set_t cpus;
        if (sched_getaffinity(0, sizeof cpus, &cpus) == 0 && !CPU_ISSET((int)rq->cpu_core, &cpus))
            snprintf(err, sizeof err, "%s: cpu_core %ld is not available", verb, rq->cpu_core);
    }
    cmd->with_peer = peer == 1;

    static char line[ARG_LINE_MAX + 1];
    struct arena ar = {0};
    for (uint64_t i = 0; i < argc + envc; i++) {
        size_t len;
        enum line_status ls = read_line(line, ARG_LINE_MAX, &len, false);
        if (ls == LINE_EOF || ls == LINE_TRUNCATED)
            fatal("%s: input ended inside the argument/env lines", verb);
        if (err[0])
            continue;
        if (ls == LINE_TOO_LONG) {
            snprintf(err, sizeof err, "%s: argument or env line longer than %d bytes", verb, ARG_LINE_MAX);
            continue;
        }
        if (memchr(line, '\0', len)) {
            snprintf(err, sizeof err, "%s: NUL byte in an argument or env line", verb);
            continue;
        }
        if (i >= argc && (len == 0 || line[0] == '=' || !memchr(line, '=', len))) {
            snprintf(err, sizeof err, "%s: env line is not KEY=VALUE", verb);
            continue;
        }
        if (!arena_add(&ar, line, len))
            snprintf(err, sizeof err, "%s: arguments and environment exceed %d bytes", verb, ARGS_TOTAL_MAX);
    }
    char **vec = err[0] ? NULL : malloc((size_t)(argc + 1 + envc + 1) * sizeof *vec);
    if (!err[0] && !vec)
        snprintf(err, sizeof err, "%s: out of memory", verb);
    if (err[0]) {
        free(ar.buf);
        respond("ERR %s", err);
        return false;
    }
    char *p = ar.buf;
    for (uint64_t i = 0; i < argc + envc; i++) {
        vec[i < argc ? i : i + 1] = p;
        p += strlen(p) + 1;
    }
    vec[argc] = NULL;
    vec[argc + 1 + envc] = NULL;
    cmd->arena = ar.buf;
    cmd->vec = vec;
    cmd->argv = vec;
    cmd->envp = vec + argc + 1;
    return true;
}

/* The PEER announced for the next RUN (PROTOCOL.md, "PEER"). */
static struct command g_peer;
static bool g_peer_pending;

static void cmd_peer(char **tok, int ntok)
{
    struct command peer;
    if (!read_command(tok, ntok, true, &peer))
        return;
    if (g_peer_pending)
        command_free(&g_peer);
    g_peer = peer;
    g_peer_pending = true;
    respond("OK");
}

static void cmd_run(char **tok, int ntok)
{
    struct command cmd;
    if (!read_command(tok, ntok, false, &cmd))
        return;
    if (cmd.with_peer && !g_peer_pending) {
        command_free(&cmd);
        respond("ERR RUN: peer=1 without a PEER before it");
        return;
    }
    if (cmd.with_peer) {
        run_interactive(&cmd.rq, cmd.argv, cmd.envp, &g_peer.rq, g_peer.argv, g_peer.envp);
        command_free(&g_peer);
        g_peer_pending = false;
    } else {
        run_program(&cmd.rq, cmd.argv, cmd.envp);
    }
    command_free(&cmd);
}

/* ------------------------------------------------------------------ */
/* main loop                                                           */

static void on_sigchld(int sig)
{
    (void)sig;
    int e = errno;
    (void)!write(g_sigchld_pipe[1], "c", 1);
    errno = e;
}

/*
 * Started as root (a sandbox container), keeps only what supervising programs
 * of another uid needs: CAP_SETUID and CAP_SETGID to become PROGRAM_UID in the
 * child, CAP_KILL to kill the run. Started as anyone else (a developer's host),
 * programs run as our own uid.
 */
static void become_harness_identity(void)
{
    if (geteuid() != 0)
        return;
    if (prctl(PR_SET_KEEPCAPS, 1) < 0 || setgroups(0, NULL) < 0 ||
        setresgid(HARNESS_GID, HARNESS_GID, HARNESS_GID) < 0 || setresuid(HARNESS_UID, HARNESS_UID, HARNESS_UID) < 0)
        fatal("cannot drop root for uid %d: %s", HARNESS_UID, strerror(errno));
    prctl(PR_SET_KEEPCAPS, 0);
    /* Refused rather than run programs as root. */
    if (set_capabilities(HARNESS_CAPS) < 0)
        fatal("started as root without CAP_SETUID, CAP_SETGID and CAP_KILL: %s", strerror(errno));
    g_program_uid_separate = true;
}

/*
 * --connect: the protocol runs over a unix socket the worker listens on (bind-mounted into the
 * sandbox, in a directory only root can enter), not over the container's attached stdio, which
 * passes every byte through dockerd: half a millisecond per exchange that a short test would pay.
 * Connected while still root, before anything else runs, so the connection is ours; the socket
 * becomes fds 0 and 1, and everything else stays as it is.
 */
static void connect_worker(const char *path)
{
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    if (strlen(path) >= sizeof addr.sun_path)
        fatal("socket path too long: %s", path);
    strcpy(addr.sun_path, path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof addr) < 0)
        fatal("cannot connect to the worker at %s: %s", path, strerror(errno));
    if (dup2(fd, 0) < 0 || dup2(fd, 1) < 0)
        fatal("dup2: %s", strerror(errno));
    close(fd);
}

static void setup(const char *workdir, const char *private_dir)
{
    /* fds 0-2 must exist, or our own pipes could land on them and be clobbered by dup2 in the child. */
    for (int fd = 0; fd < 3; fd++)
        if (fcntl(fd, F_GETFD) < 0 && errno == EBADF) {
            int n = open("/dev/null", O_RDWR);
            if (n >= 0 && n != fd) {
                dup2(n, fd);
                close(n);
            }
        }

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &sa, NULL); /* a dead reader must surface as EPIPE, not kill the harness */
    sigaction(SIGXFSZ, &sa, NULL); /* a FILE over the container's fsize ulimit must be an ERR (EFBIG) */
    sa.sa_handler = SIG_DFL;
    sigaction(SIGCHLD, &sa, NULL); /* SIG_IGN (inheritable) would auto-reap and break wait4 */
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    /*
     * As PID 1, Linux already drops such signals sent from inside the
     * container, but gVisor (runsc) delivers them. Programs of another uid
     * cannot send us any; this covers a harness not started as root, where
     * SIGKILL and SIGSTOP still cannot be helped. Not done on a host, where
     * Ctrl-C and kill should still stop the harness.
     */
    if (getpid() == 1) {
        sa.sa_handler = SIG_IGN;
        for (size_t i = 0; i < sizeof PID1_IGNORED / sizeof PID1_IGNORED[0]; i++)
            sigaction(PID1_IGNORED[i], &sa, NULL);
    }
    umask(022);

    g_self = getpid();
    g_clk_tck = sysconf(_SC_CLK_TCK);
    if (g_clk_tck <= 0)
        g_clk_tck = 100;

    become_harness_identity();

    /* Orphans of a run must come back to us even when we are not PID 1 (host tests). */
    if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0)
        diag("verdict-harness: PR_SET_CHILD_SUBREAPER: %s", strerror(errno));
    /* Where a run has our uid, being non-dumpable keeps it from ptrace'ing us or opening /proc/<us>/fd and mem. */
    prctl(PR_SET_DUMPABLE, 0);

    g_workdir_fd = open(workdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (g_workdir_fd < 0)
        fatal("cannot open work dir %s: %s", workdir, strerror(errno));
    /* Optional: without it '@' paths are refused, everything else works. */
    g_private_fd = open(private_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    /* Only a sandbox's own scratch dirs are ever wiped (RESET); on a host they are the user's. */
    if (g_self == 1 && g_program_uid_separate)
        for (size_t i = 0; i < SCRATCH_COUNT; i++)
            g_scratch_fds[i] = open(SCRATCH_DIRS[i], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    g_devnull_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (g_devnull_fd < 0)
        fatal("cannot open /dev/null: %s", strerror(errno));
    g_proc_fd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (g_proc_fd < 0)
        diag("verdict-harness: cannot open /proc (%s): CPU and memory are then checked only at exit", strerror(errno));
    open_mem_source();

    int t = pidfd_open_(g_self);
    if (t >= 0) {
        g_have_pidfd = true;
        close(t);
    } else if (pipe2(g_sigchld_pipe, O_CLOEXEC | O_NONBLOCK) == 0) {
        diag("verdict-harness: pidfd_open unavailable (%s); using SIGCHLD", strerror(errno));
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_sigchld;
        sa.sa_flags = SA_RESTART | SA_NOCLDSTOP;
        sigaction(SIGCHLD, &sa, NULL);
    }
}

int main(int argc, char **argv)
{
    const char *workdir = "/work", *private_dir = "/in", *connect_to = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--workdir") == 0 && i + 1 < argc)
            workdir = argv[++i];
        else if (strcmp(argv[i], "--private") == 0 && i + 1 < argc)
            private_dir = argv[++i];
        else if (strcmp(argv[i], "--connect") == 0 && i + 1 < argc)
            connect_to = argv[++i];
        else {
            diag("usage: verdict-harness [--workdir DIR] [--private DIR] [--connect SOCKET]   (protocol on stdin/stdout, see PROTOCOL.md)");
            return 2;
        }
    }
    if (connect_to)
        connect_worker(connect_to);
    setup(workdir, private_dir);

    static char header[HEADER_MAX + 1];
    for (;;) {
        size_t len;
        enum line_status ls = read_line(header, HEADER_MAX, &len, true);
        if (ls == LINE_EOF)
            break;
        if (ls == LINE_TOO_LONG)
            fatal("header longer than %d bytes", HEADER_MAX);
        if (ls == LINE_TRUNCATED)
            fatal("input ended inside a header");
        if (memchr(header, '\0', len)) {
            respond("ERR NUL byte in header");
            continue;
        }

        /* Split on single spaces; empty tokens are kept so that "a  b" is refused, not silently accepted. */
        /* One more token than spaces, and a header may be nothing but spaces. */
        static char *tok[HEADER_MAX + 1];
        int ntok = 0;
        char *s = header;
        tok[ntok++] = s;
        for (; *s; s++)
            if (*s == ' ') {
                *s = '\0';
                tok[ntok++] = s + 1;
            }

        if (strcmp(tok[0], "RUN") == 0)
            cmd_run(tok, ntok);
        else if (strcmp(tok[0], "PEER") == 0)
            cmd_peer(tok, ntok);
        else if (strcmp(tok[0], "FILE") == 0)
            cmd_file(tok, ntok);
        else if (strcmp(tok[0], "DELETE") == 0)
            cmd_delete(tok, ntok);
        else if (strcmp(tok[0], "READ") == 0)
            cmd_read(tok, ntok);
        else if (strcmp(tok[0], "RESET") == 0)
            cmd_reset(ntok);
        else if (strcmp(tok[0], "PING") == 0 && ntok == 1)
            respond("PONG");
        else if (strcmp(tok[0], "EXIT") == 0 && ntok == 1)
            break;
        else
            respond("ERR unknown command");
    }
    cleanup_all_descendants();
    return 0;
}
