/*
 * verdict-harness: PID 1 of a Verdict sandbox container.
 *
 * Reads commands on stdin and answers on stdout as described in PROTOCOL.md
 * (beside this file); diagnostics go to stderr only. Build: `make` (the
 * Makefile beside this file: one static binary, warnings are errors).
 *
 * The files, one concern each (harness.h declares what crosses them):
 *   main.c         start-up (identity, signals, the sandbox's fds) and the command loop
 *   protocol.c     the wire: reading commands, writing replies, parsing RUN and PEER
 *   files.c        sandbox paths that no symlink can redirect; FILE, DELETE, READ
 *   run.c          starting a program, capturing its output, its limits; RUN
 *   interactive.c  RUN peer=1: a program against an interactor
 *   measure.c      the process table, CPU time and memory, killing and reaping
 *   reset.c        RESET between submissions, and the shared memory a run left
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
#include "harness.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#define HEADER_MAX 4096 /* protocol: header bytes, '\n' excluded */

/* The sandbox as setup() finds it, and who runs the programs: harness.h says what each one is. */
int g_workdir_fd = -1;
int g_private_fd = -1;
int g_devnull_fd = -1;
int g_proc_fd = -1;
pid_t g_self;
long g_clk_tck = 100;
bool g_have_pidfd;
bool g_program_uid_separate;
uid_t g_program_uid = PROGRAM_UID;
int g_sigchld_pipe[2] = {-1, -1};

/* ------------------------------------------------------------------ */
/* identity                                                            */

/* Sets the permitted and effective capability sets to exactly `caps`, the inheritable set to none. */
int set_capabilities(uint64_t caps)
{
    struct __user_cap_header_struct hdr = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
    struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];
    memset(data, 0, sizeof data);
    for (int i = 0; i < _LINUX_CAPABILITY_U32S_3; i++)
        data[i].permitted = data[i].effective = (uint32_t)(caps >> (32 * i));
    return (int)syscall(SYS_capset, &hdr, data);
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
