/*
 * files.c: the sandbox's paths (PROTOCOL.md, "Paths") and the commands that
 * touch files: FILE, DELETE, READ. Programs can write the work dir, so every
 * path is walked one component at a time without following a symlink, and
 * nothing a run left there (a symlink, a FIFO) can redirect or hang the
 * harness. run.c opens a run's stdin file through the same functions.
 */
#include "harness.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define FILE_SIZE_MAX (UINT64_C(1) << 40) /* protocol: FILE size */

/* ------------------------------------------------------------------ */
/* paths                                                               */

/* Components of [A-Za-z0-9._-]+, none of them . or .., after an optional '@' (the private area). */
bool valid_path(const char *p)
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
int openat_nofollow(int dfd, const char *name, int flags, mode_t mode)
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
int open_parent(const char *path, bool create, char *scratch, const char **leaf)
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

void close_parent(int dfd)
{
    if (dfd >= 0 && !is_root_fd(dfd))
        close(dfd);
}

/* ------------------------------------------------------------------ */
/* FILE and DELETE                                                     */

void cmd_file(char **tok, int ntok)
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

void cmd_delete(char **tok, int ntok)
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
void cmd_read(char **tok, int ntok)
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
