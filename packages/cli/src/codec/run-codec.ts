import { spawn } from 'node:child_process';
import { readFile, realpath } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DownlinkError, type DownlinkCodec } from '@dx/downlink-helpers';
import { UsageError } from '../exit-codes.js';
import { printable } from '../output/printable.js';
import type { Answer } from './codec-runner.js';

/** How long a codec may take, start-up of its process included (Node starts in ~50 ms). */
const CODEC_TIME_LIMIT_MS = 5000;
/** A codec building a huge array is stopped by V8 rather than by the machine. */
const CODEC_HEAP_MB = 128;
/** What a codec may print (to stderr) before the rest is cut. */
const CODEC_OUTPUT_BYTES = 64 * 1024;

/**
 * `--permission` from Node 22.13 (and 23.5) on; Node 20 knows only `--experimental-permission`,
 * which Node 24 no longer accepts. Asked of the running Node, not guessed from its version.
 */
function permissionFlag(): string {
  return process.allowedNodeEnvironmentFlags.has('--permission')
    ? '--permission'
    : '--experimental-permission';
}

/**
 * Node 20 warns that the permission model is experimental; the codec's output is forwarded to
 * the operator, who has nothing to do about it. `--disable-warning` exists from Node 20.11 on.
 */
function quietFlag(): string {
  return process.allowedNodeEnvironmentFlags.has('--disable-warning')
    ? '--disable-warning=ExperimentalWarning'
    : '--no-warnings';
}

/**
 * `--allow-fs-read` reads `*` as "anything below" (Node 20, 22 and 24), and Node 20 releases
 * before the flag changed split its value at commas (current ones warn and take it whole):
 * such a path could grant more than the codec file.
 */
function checkSandboxable(path: string, usage: string): void {
  if (/[,*]/.test(path)) {
    throw new UsageError(
      `--codec ${path}: a path holding "," or "*" cannot be given to Node's permission model; rename or move the file`,
      usage,
    );
  }
}

export interface CodecRunOptions {
  usage: string;
  /** Where what the codec prints goes (never stdout: that is for `dx`'s own output). */
  stderr: NodeJS.WritableStream;
  /** The dx script (`Io.self`): the runner is built beside it. */
  self: string;
}

/**
 * Runs a TS013 codec's `encodeDownlink({ data })` in a child process: Node's permission model
 * with only the codec file readable (no other file read or written, no child process, worker,
 * native addon or WASI), an empty environment (no `DX_CLIENT_SECRET`, no `DX_TOKEN_URL`), the
 * network APIs disabled by codec-runner.ts, a heap limit, and a time limit. Returns a codec
 * whose `encodeDownlink` gives back what the real one returned, for `encodeWithCodec` to check
 * as it checks any codec.
 */
export async function runCodecIsolated(
  path: string,
  data: unknown,
  options: CodecRunOptions,
): Promise<DownlinkCodec> {
  const { usage } = options;
  const file = await realpath(resolve(path)).catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`--codec: cannot load ${path} (${error.code ?? error.message})`, usage);
  });
  checkSandboxable(file, usage);
  // Next to the bundle (dist/cli.js), as tsup builds it.
  const runner = await readFile(join(dirname(options.self), 'codec', 'codec-runner.js'), 'utf8');
  const answer = await runChild(runner, file, data, options);
  return codecOf(answer, path, usage);
}

function runChild(
  runner: string,
  file: string,
  data: unknown,
  options: CodecRunOptions,
): Promise<Answer> {
  const child = spawn(
    process.execPath,
    [
      permissionFlag(),
      `--allow-fs-read=${file}`,
      quietFlag(),
      `--max-old-space-size=${CODEC_HEAP_MB}`,
      '--input-type=module',
      '-e',
      runner,
    ],
    {
      env: {},
      cwd: dirname(file),
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'advanced',
    },
  );
  const output = forwardOutput(options.stderr);
  for (const stream of [child.stdout, child.stderr]) {
    // Decoded across chunks: a character cut between two is not turned into U+FFFD.
    stream?.setEncoding('utf8');
    stream?.on('data', output);
  }
  return new Promise<Answer>((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      reject(
        new DownlinkError(
          'CODEC_ERROR',
          'codec',
          `did not finish within ${CODEC_TIME_LIMIT_MS} ms (a loop that never ends?); it was stopped`,
        ),
      );
      child.kill('SIGKILL');
    }, CODEC_TIME_LIMIT_MS);
    const settle = (): void => {
      clearTimeout(timer);
      child.kill('SIGKILL');
    };
    child.once('message', (answer: Answer) => {
      settle();
      resolvePromise(answer);
    });
    child.once('error', (error) => {
      settle();
      reject(error);
    });
    child.once('exit', (code, signal) => {
      settle();
      reject(
        new DownlinkError(
          'CODEC_ERROR',
          'codec',
          `its process ended before answering (${signal ?? `exit code ${code}`}; out of memory, or process.exit?)`,
        ),
      );
    });
    child.send({ url: pathToFileURL(file).href, data });
  });
}

/** What the codec prints, to stderr, line by line made safe for a terminal, and capped. */
function forwardOutput(stderr: NodeJS.WritableStream): (chunk: string) => void {
  let left = CODEC_OUTPUT_BYTES;
  return (chunk) => {
    if (left <= 0) return;
    const text = chunk.slice(0, left);
    left -= Buffer.byteLength(chunk);
    stderr.write(
      text
        .split('\n')
        .map((line) => printable(line))
        .join('\n'),
    );
    if (left <= 0) stderr.write('\n(codec output cut at 64 KiB)\n');
  };
}

const text = (value: unknown): string => printable(String(value)).slice(0, 500);

/** The child's answer as a codec for `encodeWithCodec`, or the usage error of a module that is no codec. */
function codecOf(answer: Answer, path: string, usage: string): DownlinkCodec {
  if ('loaded' in answer) {
    // Importing a helper file or a package: the codec may read its own file only.
    const hint =
      answer.code === 'ERR_ACCESS_DENIED'
        ? '; a codec may read its own file only: bundle what it imports into that one file'
        : '';
    throw new UsageError(`--codec: cannot load ${path} (${text(answer.message)})${hint}`, usage);
  }
  if ('noEncoder' in answer) {
    throw new UsageError(`--codec: ${path} exports no encodeDownlink function`, usage);
  }
  const returned = (): unknown => {
    if ('threw' in answer) throw new Error(text(answer.threw));
    if ('uncopyable' in answer) {
      throw new Error(`returned a value that is not plain data (${text(answer.uncopyable)})`);
    }
    if ('returnedFunction' in answer) return () => undefined;
    // encodeWithCodec names a Promise itself: hand it something that looks like one.
    if ('returnedPromise' in answer) return { then: () => undefined };
    return answer.returned;
  };
  return { encodeDownlink: returned } as DownlinkCodec;
}
