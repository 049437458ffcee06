/*
 * interactive.c: RUN peer=1, the program against an interactor (the PEER)
 * with each one's stdout piped into the other's stdin. Each side has its own
 * limits and is measured on its own; which side ended first decides the
 * verdict, so the pipes are closed in an order that follows cause and effect.
 */
#include "harness.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

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
void run_interactive(const struct run_req *rq, char **argv, char **envp, const struct run_req *prq, char **pargv,
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
