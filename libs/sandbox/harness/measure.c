/*
 * measure.c: what the processes below the harness are, what they use and how
 * they end. The process table (a /proc scan that finds our descendants), each
 * process's CPU time and memory, the memory of a run as a whole (the
 * sandbox's cgroup, or gVisor's meminfo), and killing and reaping every
 * descendant. The run files decide what a measurement means for a limit.
 */
#include "harness.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif

/* ------------------------------------------------------------------ */
/* small helpers                                                       */

int64_t mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int pidfd_open_(pid_t pid) { return (int)syscall(SYS_pidfd_open, pid, 0); }

int pidfd_send_signal_(int pidfd, int sig) { return (int)syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0); }

/* ------------------------------------------------------------------ */
/* process table (/proc scan)                                          */

struct proc_ent *g_procs;
size_t g_nprocs;
static size_t g_cap_procs;

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
size_t scan_procs(void)
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
/* CPU time and peaks                                                  */

uint64_t tv_us(struct timeval tv) { return (uint64_t)tv.tv_sec * 1000000u + (uint64_t)tv.tv_usec; }

void note_rss(struct run_state *rs, long kb)
{
    if (kb > 0 && (uint64_t)kb > rs->maxrss_kb)
        rs->maxrss_kb = (uint64_t)kb;
}

/* CPU time of the whole process (all threads) in ns, precisely; falls back to /proc ticks. */
uint64_t proc_cpu_ns(const struct proc_ent *pe)
{
    /* The kernel's per-process CPU clock id, as glibc's clock_getcpuclockid builds it. */
    clockid_t cid = (clockid_t)((~(unsigned)pe->pid << 3) | 2);
    struct timespec ts;
    if (clock_gettime(cid, &ts) == 0)
        return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
    return pe->ticks_self * (1000000000u / (uint64_t)g_clk_tck);
}

/* ------------------------------------------------------------------ */
/* memory                                                              */

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

void open_mem_source(void)
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

void meter_start(struct mem_meter *m)
{
    m->base_kb = sandbox_held_kb();
    m->peak_kb = 0;
    m->oom_before = oom_kills();
}

/* One sample; `others_kb` is what processes not of the run (an interactor) hold now. */
void meter_sample(struct mem_meter *m, uint64_t others_kb)
{
    if (g_mem_source == MEM_NONE)
        return;
    uint64_t held = sandbox_held_kb();
    held = held > others_kb ? held - others_kb : 0;
    if (held > m->base_kb && held - m->base_kb > m->peak_kb)
        m->peak_kb = held - m->base_kb;
}

/* The container's OOM killer ended something during the run (the cgroup backstop was reached). */
bool meter_saw_oom_kill(const struct mem_meter *m) { return oom_kills() > m->oom_before; }

struct proc_mem read_proc_mem(pid_t pid)
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

/* ------------------------------------------------------------------ */
/* the end of a run                                                    */

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
void reap_everything(struct run_state *rs)
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

void cleanup_all_descendants(void) { reap_everything(NULL); }
