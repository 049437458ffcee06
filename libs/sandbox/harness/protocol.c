/*
 * protocol.c: the wire to the worker (PROTOCOL.md). Owns stdout (one-line
 * replies, FATAL, and the writes that carry a RESULT or DATA frame), stderr
 * (diagnostics only), stdin (buffered: lines read whole or refused, FILE
 * payloads streamed) and RUN and PEER, parsed here into limits and argv/envp
 * and handed to run.c or interactive.c. Whatever the worker sends, the stream
 * must stay in sync and every buffer bounded (main.c, "Design notes").
 */
#include "harness.h"

#include <errno.h>
#include <inttypes.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ARG_LINE_MAX 65536                /* one argument or env line */
#define ARGS_TOTAL_MAX (1024 * 1024)      /* all argument + env bytes of one RUN */
#define COUNT_MAX 4096                    /* argc and envc */
#define NUM_MAX (UINT64_C(1) << 40)       /* any other number; keeps all arithmetic far from overflow */
#define NOFILE_MAX (UINT64_C(1) << 20)

/* ------------------------------------------------------------------ */
/* replies and diagnostics                                             */

void diag(const char *fmt, ...)
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

int write_all(int fd, const void *data, size_t len)
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

/* The worker is gone or the pipe is broken: nobody can read a response, so stop. */
void out_write(const void *data, size_t len)
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
void out_writev(struct iovec *iov, int n)
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

void respond(const char *fmt, ...)
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

void fatal(const char *fmt, ...)
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

/*
 * Reads one '\n'-terminated line into dst (NUL-terminated, at most cap bytes
 * of content). A longer line is LINE_TOO_LONG: with stop_early the rest is
 * left unread (the caller will give up on the stream), otherwise it is
 * consumed up to its '\n' so the stream stays in sync.
 */
enum line_status read_line(char *dst, size_t cap, size_t *out_len, bool stop_early)
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
void consume_payload(uint64_t len, int fd, int *werr)
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

bool parse_u64(const char *s, uint64_t max, uint64_t *out)
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

/* ------------------------------------------------------------------ */
/* RUN and PEER                                                        */

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

void cmd_peer(char **tok, int ntok)
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

void cmd_run(char **tok, int ntok)
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
