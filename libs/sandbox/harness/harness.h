/*
 * harness.h: what crosses the files of verdict-harness. main.c says what the
 * harness is and which file owns what; each section below is one file's
 * exports, and everything else in a file is static to it. The two constant
 * tables (PID1_IGNORED, SCRATCH_DIRS) are defined here, static, so that every
 * file using one knows its length. Every .c file includes this first:
 * _GNU_SOURCE must come before any system header.
 */
#ifndef VERDICT_HARNESS_H
#define VERDICT_HARNESS_H

#define _GNU_SOURCE
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <sys/wait.h>

#ifndef __WALL
#define __WALL 0x40000000
#endif

#define REL_PATH_MAX 255                  /* protocol: sandbox path length */
#define CAPTURE_MAX (UINT64_C(1) << 30)   /* stdout_max / stderr_max: the harness holds this in memory */
#define TICK_NS INT64_C(10000000) /* protocol: at most 10 ms between limit checks */
#define IO_CHUNK 65536

/* Identities when started as root (PROTOCOL.md, "Identities"); 10001 is the images' `judge` user. */
#define HARNESS_UID 10000
#define HARNESS_GID 10000
/* Programs of the first submission a sandbox serves; each RESET moves on to FRESH_UID_BASE + n. */
#define PROGRAM_UID 10001
#define FRESH_UID_BASE 20000
#define FRESH_UID_COUNT 40000
/* The problem's own programs (interactors): trusted, but kept apart from the contestant's (their gid is their uid, like every identity here). */
#define PEER_UID 10002
#define HARNESS_CAPS ((UINT64_C(1) << CAP_KILL) | (UINT64_C(1) << CAP_SETGID) | (UINT64_C(1) << CAP_SETUID))

/* Signals that would end or stop the harness; ignored when it is PID 1 (see setup). */
static const int PID1_IGNORED[] = {SIGHUP,  SIGINT,    SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGALRM,
                                   SIGVTALRM, SIGPROF, SIGTSTP, SIGTTIN, SIGTTOU, SIGXCPU};

/* ------------------------------------------------------------------ */
/* main.c: the sandbox as setup() found it, and the harness's identity */

extern int g_workdir_fd;
/* The harness's private area (PROTOCOL.md, "Paths"): `@` paths; -1 when the sandbox has none. */
extern int g_private_fd;
extern int g_devnull_fd;
extern int g_proc_fd;
extern pid_t g_self;
extern long g_clk_tck;
extern bool g_have_pidfd;
/* Whether programs run as a uid of their own (we were started as root) or as our own uid. */
extern bool g_program_uid_separate;
/* The uid (= gid) the current submission's programs run as; RESET gives the next one a fresh one. */
extern uid_t g_program_uid;
/* Used only where pidfd_open is missing (e.g. older gVisor): SIGCHLD wakes poll through this pipe. */
extern int g_sigchld_pipe[2];

int set_capabilities(uint64_t caps);

/* ------------------------------------------------------------------ */
/* protocol.c: commands in, replies out                                */

void diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int write_all(int fd, const void *data, size_t len);
void out_write(const void *data, size_t len);
void out_writev(struct iovec *iov, int n);
void respond(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

enum line_status { LINE_OK, LINE_EOF, LINE_TRUNCATED, LINE_TOO_LONG };
enum line_status read_line(char *dst, size_t cap, size_t *out_len, bool stop_early);
void consume_payload(uint64_t len, int fd, int *werr);
bool parse_u64(const char *s, uint64_t max, uint64_t *out);

void cmd_peer(char **tok, int ntok);
void cmd_run(char **tok, int ntok);

/* ------------------------------------------------------------------ */
/* files.c: sandbox paths; FILE, DELETE, READ                          */

bool valid_path(const char *p);
int openat_nofollow(int dfd, const char *name, int flags, mode_t mode);
int open_parent(const char *path, bool create, char *scratch, const char **leaf);
void close_parent(int dfd);

void cmd_file(char **tok, int ntok);
void cmd_delete(char **tok, int ntok);
void cmd_read(char **tok, int ntok);

/* ------------------------------------------------------------------ */
/* measure.c: processes, their CPU and memory, their end               */

int64_t mono_ns(void);
int pidfd_open_(pid_t pid);
int pidfd_send_signal_(int pidfd, int sig);

struct proc_ent {
    pid_t pid, ppid;
    char state;
    bool desc;
    uid_t uid; /* owner of its /proc entry: which side of an interactive run it is on */
    uint64_t ticks_self;     /* utime + stime */
    uint64_t ticks_children; /* cutime + cstime: its own reaped children */
    uint64_t starttime;
};

/* What the last scan_procs saw, sorted by pid. */
extern struct proc_ent *g_procs;
extern size_t g_nprocs;
size_t scan_procs(void);
uint64_t proc_cpu_ns(const struct proc_ent *pe);

/* A process's resident memory from one read of its status, in KiB (0 where unreadable). */
struct proc_mem {
    uint64_t peak_kb; /* VmHWM; gVisor has none, and the largest VmRSS seen over the ticks is the best peak there */
    uint64_t anon_kb; /* RssAnon now (VmRSS where it is missing) */
};

struct proc_mem read_proc_mem(pid_t pid);

/* What a run holds as a whole (measure.c says how it is read). */
struct mem_meter {
    uint64_t base_kb;     /* held before the run */
    uint64_t peak_kb;     /* the most the run held on top of that */
    uint64_t oom_before;  /* the cgroup's OOM kills before the run */
};

void open_mem_source(void);
void meter_start(struct mem_meter *m);
void meter_sample(struct mem_meter *m, uint64_t others_kb);
bool meter_saw_oom_kill(const struct mem_meter *m);

struct run_state {
    pid_t pid;
    uint64_t maxrss_kb;
    struct rusage ru_before;
    struct mem_meter mem;
};

uint64_t tv_us(struct timeval tv);
void note_rss(struct run_state *rs, long kb);
void reap_everything(struct run_state *rs);
void cleanup_all_descendants(void);

/* ------------------------------------------------------------------ */
/* run.c: starting a program, capturing its output, RUN                */

struct run_req {
    uint64_t cpu_ms, wall_ms, mem_kb, stack_kb, fsize_kb, nofile, stdout_max, stderr_max;
    long cpu_core;
    const char *stdin_path; /* NULL = /dev/null */
};

enum kill_reason { K_NONE, K_CPU, K_WALL, K_MEMORY, K_OUTPUT };
extern const char *const KILL_NAMES[];

struct capture {
    int fd;          /* read end, -1 once at EOF */
    char *buf;       /* mmap'd so that freeing really returns memory (see run_program) */
    size_t len, cap; /* kept bytes */
    uint64_t keep;   /* how many bytes to keep */
    uint64_t total;  /* bytes produced */
};

void capture_read(struct capture *c, size_t budget);
void capture_free(struct capture *c);

void child_exec(const struct run_req *rq, pid_t parent, int stdin_fd, int out_w, int err_w, char **argv,
                char **envp, uid_t uid);
void drain_sigchld_pipe(void);
void widen_capture_pipe(int fd);
void run_program(const struct run_req *rq, char **argv, char **envp);

/* ------------------------------------------------------------------ */
/* interactive.c: RUN peer=1                                           */

void run_interactive(const struct run_req *rq, char **argv, char **envp, const struct run_req *prq, char **pargv,
                     char **penvp);

/* ------------------------------------------------------------------ */
/* reset.c: RESET, and the shared memory a run left                    */

/* Where a program can leave something behind; the work dir and the private area come first. */
static const char *const SCRATCH_DIRS[] = {"/tmp", "/dev/shm", "/dev/mqueue"};
#define SCRATCH_COUNT (sizeof SCRATCH_DIRS / sizeof SCRATCH_DIRS[0])
extern int g_scratch_fds[SCRATCH_COUNT];

void clear_ipc(bool peer_too);
void cmd_reset(int ntok);

#endif
