import { spawnTracked, stopChild } from './lifecycle.js';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export class CommandError extends Error {
  constructor(
    message: string,
    readonly result: RunResult | undefined,
  ) {
    super(message);
  }
}

/**
 * The environment for child commands: this process's, without the `npm_*` variables that
 * `pnpm run` injects (registry, package and lifecycle settings that must not leak into the
 * temp copy or the consumers), plus `extra`.
 */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    const lower = k.toLowerCase();
    if (
      lower.startsWith('npm_config_') ||
      lower.startsWith('npm_package_') ||
      lower.startsWith('npm_lifecycle_') ||
      [
        'npm_command',
        'npm_execpath',
        'npm_node_execpath',
        'init_cwd',
        'pnpm_script_src_dir',
      ].includes(lower)
    ) {
      continue;
    }
    env[k] = v;
  }
  return { ...env, TURBO_TELEMETRY_DISABLED: '1', NO_COLOR: '1', FORCE_COLOR: '0', ...extra };
}

function tail(text: string, lines = 40): string {
  const all = text.trimEnd().split('\n');
  return (all.length > lines ? ['...', ...all.slice(-lines)] : all).join('\n');
}

/** Runs a command to completion; rejects with its output's tail on a non-zero exit or a timeout. */
export function run(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<RunResult> {
  const shown = [command, ...args].join(' ');
  return new Promise<RunResult>((resolve, reject) => {
    const child = spawnTracked(command, args, {
      cwd: options.cwd,
      env: options.env ?? childEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      void stopChild(child);
    }, options.timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(new CommandError(`${shown}: ${err.message}`, undefined));
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      const result: RunResult = { code: code ?? -1, stdout, stderr };
      if (timedOut) {
        reject(
          new CommandError(
            `${shown} timed out after ${options.timeoutMs} ms (in ${options.cwd})\n${tail(stdout + stderr)}`,
            result,
          ),
        );
      } else if (code !== 0) {
        reject(
          new CommandError(
            `${shown} exited with ${code ?? signal} (in ${options.cwd})\n${tail(stdout + '\n' + stderr)}`,
            result,
          ),
        );
      } else {
        resolve(result);
      }
    });
  });
}
