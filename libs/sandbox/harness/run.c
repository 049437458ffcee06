/*
 * run.c: RUN without a peer. Starts the program (fork, then in the child its
 * stdio, rlimits, priority, core, uid and our own PATH search before exec),
 * captures its stdout and stderr, enforces the limits on every tick and once
 * more at the end, and answers RESULT. interactive.c starts both of its
 * sides with the same child_exec and captures their stderr the same way.
 */
#include "harness.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#ifndef SYS_close_range
#define SYS_close_range 436
#endif

static const char RUN_PATH[] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

const char *const KILL_NAMES[] = {"none", "cpu", "wall", "memory", "output"};

/* ------------------------------------------------------------------ */
/* captured output                                                     */

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
void capture_read(struct capture *c, size_t budget)
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

void capture_free(struct capture *c)
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

/* A run's memory: the larger of any one process's peak and what the run held as a whole. */
static uint64_t run_memory_kb(const struct run_state *rs) { return rs->maxrss_kb > rs->mem.peak_kb ? rs->maxrss_kb : rs->mem.peak_kb; }

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
void child_exec(const struct run_req *rq, pid_t parent, int stdin_fd, int out_w, int err_w, char **argv,
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

void drain_sigchld_pipe(void)
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
void widen_capture_pipe(int fd)
{
    (void)fcntl(fd, F_SETPIPE_SZ, 1 << 20);
}

void run_program(const struct run_req *rq, char **argv, char **envp)
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
