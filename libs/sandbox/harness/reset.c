/*
 * reset.c: one sandbox, many submissions. RESET (kill every process, wipe
 * every scratch directory, remove System V IPC objects, prove all of it, move
 * on to a fresh uid), and the lighter clean-up after every run (clear_ipc:
 * the shared memory a run left). Only ever inside a sandbox (PID 1, started
 * as root): on a developer's host "every process" and "/tmp" are the user's.
 */
#include "harness.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <unistd.h>

int g_scratch_fds[SCRATCH_COUNT] = {-1, -1, -1};
static unsigned g_resets;

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
void clear_ipc(bool peer_too)
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

/*
 * RESET: makes a used sandbox as good as a fresh one for the next submission,
 * and proves it before saying OK: every process killed, every scratch
 * directory empty, no System V IPC object left; then the next programs run as
 * a uid no earlier program had. Refused outside a sandbox, where "every
 * process" and "/tmp" would be a developer's own.
 */
void cmd_reset(int ntok)
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
