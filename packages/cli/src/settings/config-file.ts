import { chmod, mkdir, open, readFile, rename, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { CredentialsError } from '../exit-codes.js';
import { shellWord } from '../output/shell-word.js';

/** One named set of connection settings. The secret is stored, never printed. */
export interface Profile {
  baseUrl?: string;
  tokenUrl?: string;
  clientId?: string;
  clientSecret?: string;
}

export interface ConfigFile {
  profiles: Record<string, Profile>;
}

const PROFILE_KEYS = ['baseUrl', 'tokenUrl', 'clientId', 'clientSecret'] as const;

/**
 * `$XDG_CONFIG_HOME/dx/config.json`, else `~/.config/dx/config.json`; `%APPDATA%\dx` on
 * Windows. XDG says a relative `XDG_CONFIG_HOME` is invalid and must be ignored.
 */
export function configPath(env: NodeJS.ProcessEnv): string {
  const xdg = env.XDG_CONFIG_HOME;
  if (xdg && isAbsolute(xdg)) return join(xdg, 'dx', 'config.json');
  if (process.platform === 'win32' && env.APPDATA) return join(env.APPDATA, 'dx', 'config.json');
  // os.homedir() reads $HOME on POSIX; reading it from `env` keeps the Io seam the only input.
  return join(env.HOME || homedir(), '.config', 'dx', 'config.json');
}

/** Mode bits only mean something on POSIX systems. */
const checksMode = process.platform !== 'win32';

/**
 * Reads the config file; a missing file is an empty one. A file that group or others can
 * read (or write) is refused, as ssh refuses a readable private key, with the fix.
 */
export async function readConfig(path: string): Promise<ConfigFile> {
  let text: string;
  try {
    const info = await stat(path);
    if (checksMode && (info.mode & 0o077) !== 0) {
      const mode = (info.mode & 0o777).toString(8).padStart(3, '0');
      throw new CredentialsError(
        `${path} is readable by other users (mode ${mode}); it holds credentials. ` +
          `Fix it with: chmod 600 ${shellWord(path)}`,
      );
    }
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { profiles: {} };
    if (error instanceof CredentialsError) throw error;
    throw new CredentialsError(`${path}: cannot be read (${(error as Error).message})`);
  }
  return parseConfig(text, path);
}

function parseConfig(text: string, path: string): ConfigFile {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    // The parser's message can quote the file's content, secret included: say where only.
    throw new CredentialsError(`${path}: not valid JSON; fix or remove the file`);
  }
  const profiles = (data as { profiles?: unknown } | null)?.profiles;
  if (typeof profiles !== 'object' || profiles === null || Array.isArray(profiles)) {
    throw new CredentialsError(`${path}: expected { "profiles": { "<name>": { ... } } }`);
  }
  for (const [name, profile] of Object.entries(profiles)) {
    if (typeof profile !== 'object' || profile === null || Array.isArray(profile)) {
      throw new CredentialsError(`${path}: profiles.${name} must be an object`);
    }
    for (const [key, value] of Object.entries(profile)) {
      if (!(PROFILE_KEYS as readonly string[]).includes(key)) {
        throw new CredentialsError(
          `${path}: profiles.${name}.${key} is not a setting (${PROFILE_KEYS.join(', ')})`,
        );
      }
      if (typeof value !== 'string') {
        throw new CredentialsError(`${path}: profiles.${name}.${key} must be a string`);
      }
    }
  }
  return { profiles: profiles as Record<string, Profile> };
}

/**
 * Writes the whole file through a temporary file created with mode 0600 and renamed over the
 * old one, so the secret is never readable by others, not even for a moment, and a crash
 * never leaves half a file. The directory is created 0700.
 */
export async function writeConfig(path: string, config: ConfigFile): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  const handle = await open(temporary, 'w', 0o600);
  try {
    await handle.writeFile(`${JSON.stringify(config, null, 2)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  // The umask can only remove bits, but a pre-existing temporary file keeps its mode.
  if (checksMode) await chmod(temporary, 0o600);
  await rename(temporary, path);
}
