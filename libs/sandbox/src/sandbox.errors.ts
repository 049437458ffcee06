/**
 * The sandbox could not be provided (Docker unreachable, image missing, container failed to start).
 * Nothing about the submission is known: the caller may retry later.
 */
export class SandboxUnavailableError extends Error {}

/**
 * The harness inside a started sandbox misbehaved (crashed, hung, broke the protocol). The session is
 * unusable; what ran so far is not evidence about the submission.
 */
export class SandboxBrokenError extends Error {}

/**
 * The sandbox cannot prove a reset (harness RESET unsupported: e.g. gVisor hides System V IPC
 * objects), so its containers can only be used once. The session itself is still fine.
 */
export class SandboxResetUnsupportedError extends Error {}
