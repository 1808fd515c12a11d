/**
 * Exit codes, as the GitHub CLI uses them: scripts branch on these, so they never change
 * meaning.
 */
export const EXIT = {
  /** Everything queued (or skipped: already queued by an earlier run). */
  ok: 0,
  /** Anything failed, unknown or invalid. */
  failed: 1,
  /** Usage error: unknown flag, missing payload, unreadable file... */
  usage: 2,
  /** Credentials missing, refused by DX, or the config file holding them refused. */
  credentials: 4,
  /**
   * `send-bulk` stopped itself: DX (or its token endpoint) unreachable, answering 5xx or 404
   * to everything, or asking for a quota-sized wait. What was not sent is sent by a rerun
   * with the same --journal.
   */
  outage: 5,
  /** Interrupted (Ctrl-C): 128 + SIGINT. */
  interrupted: 130,
  /** Stopped by SIGTERM (a service manager, `timeout`): 128 + SIGTERM. */
  terminated: 143,
} as const;

/** The command line was wrong: exit 2 with the command's usage line. */
export class UsageError extends Error {
  override name = 'UsageError';
  constructor(
    message: string,
    /** The usage line of the command at fault; the top-level one when undefined. */
    readonly usage?: string,
  ) {
    super(message);
  }
}

/**
 * `--help` or `-h` was given: `main` prints the command's usage and help and exits 0. Thrown by
 * `parseFlags`, after the checks that refuse a command line, so every command handles it alike.
 */
export class HelpRequested extends Error {
  override name = 'HelpRequested';
}

/**
 * No usable credentials (exit 4): none given, the config file that holds them is refused,
 * or DX refused them.
 */
export class CredentialsError extends Error {
  override name = 'CredentialsError';
}
