/** What a command reads and writes: the process's streams, or a test's. */
export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
  env: NodeJS.ProcessEnv;
  /**
   * The dx script this Io runs under (the built `dist/cli.js`): what dx starts again as a child
   * (a mock in the background) and where the codec runner lies beside it. A test that calls
   * `main` in-process names the built script here; `process.argv[1]` would be the test runner.
   */
  self: string;
}

/** One `dx <name>` command: a thin room over library calls. */
export interface Command {
  name: string;
  /** One line for `dx --help`. */
  summary: string;
  /** `dx <name> <flags>`: printed with every usage error. */
  usage: string;
  /** Everything `dx <name> --help` prints after the usage line, examples included. */
  help: string;
  /** Returns the exit code. */
  run(argv: readonly string[], io: Io): Promise<number>;
}
