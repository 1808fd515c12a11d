import { parseFlags } from '../../args.js';
import { EXIT, UsageError } from '../../exit-codes.js';
import type { Command, Io } from '../../io.js';
import { writeJsonLine } from '../../output/style.js';
import { configPath, readConfig, writeConfig, type Profile } from '../../settings/config-file.js';
import { resolveConnection } from '../../settings/connection.js';
import { readSecret } from '../../settings/read-secret.js';

const usage = 'dx config (set | show | delete | path) [--profile <name>] [flags]';

const FLAGS = {
  profile: { type: 'string' },
  'base-url': { type: 'string' },
  'token-url': { type: 'string' },
  'client-id': { type: 'string' },
  'secret-stdin': { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

const SUBCOMMANDS = ['set', 'show', 'delete', 'path'] as const;

/** `https://user:pass@host`: a password that would land in shell history and `ps`. */
const USERINFO = /^(https?:\/\/[^/?#@:]*)(:[^/?#@]*)?@/i;

/** A URL as it may be shown: a password in it (from the environment, a hand-edited file) hidden. */
const withoutPassword = (url: string): string =>
  url.replace(USERINFO, (all, user: string, password?: string) =>
    password === undefined ? all : `${user}:(not shown)@`,
  );

/** A profile as it may be shown: the secret replaced by whether it is set. */
function masked(profile: Profile): Record<string, string> {
  const { clientSecret, baseUrl, tokenUrl, ...rest } = profile;
  return {
    ...(baseUrl === undefined ? {} : { baseUrl: withoutPassword(baseUrl) }),
    ...(tokenUrl === undefined ? {} : { tokenUrl: withoutPassword(tokenUrl) }),
    ...rest,
    clientSecret: clientSecret ? '(set)' : '(not set)',
  };
}

async function run(argv: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseFlags(argv, FLAGS, usage, true);
  if (positionals.length === 0) {
    throw new UsageError('missing subcommand: set, show, delete or path', usage);
  }
  const [sub, ...extra] = positionals;
  if (!(SUBCOMMANDS as readonly string[]).includes(sub as string) || extra.length > 0) {
    throw new UsageError(
      `unknown subcommand "${positionals.join(' ')}": set, show, delete or path`,
      usage,
    );
  }
  const path = configPath(io.env);
  if (sub === 'path') {
    io.stdout.write(`${path}\n`);
    return EXIT.ok;
  }
  const name = values.profile ?? io.env.DX_PROFILE ?? 'default';
  // Names become object keys and command-line words: keep them plain.
  if (!/^[\w.-]{1,64}$/.test(name) || name === '__proto__') {
    throw new UsageError('--profile: 1..64 letters, digits, ".", "_" or "-"', usage);
  }
  if (sub === 'show') return show(io, values, path);
  const file = await readConfig(path);
  if (sub === 'delete') {
    if (!Object.hasOwn(file.profiles, name))
      throw new UsageError(`profile "${name}" not found in ${path}`, usage);
    delete file.profiles[name];
    await writeConfig(path, file);
    io.stderr.write(`deleted profile "${name}" from ${path}\n`);
    return EXIT.ok;
  }
  const update: Profile = {
    ...(values['base-url'] === undefined ? {} : { baseUrl: values['base-url'] }),
    ...(values['token-url'] === undefined ? {} : { tokenUrl: values['token-url'] }),
    ...(values['client-id'] === undefined ? {} : { clientId: values['client-id'] }),
  };
  for (const [key, value] of Object.entries(update)) {
    if (
      key.endsWith('Url') &&
      (!/^https?:\/\/./.test(value as string) || USERINFO.test(value as string))
    ) {
      // DX takes no credentials in a URL (the client refuses them), and a flag is no place for one.
      throw new UsageError(
        `--${key === 'baseUrl' ? 'base' : 'token'}-url must be an http(s) URL without user:pass@`,
        usage,
      );
    }
  }
  if (values['secret-stdin']) {
    update.clientSecret = await readSecret(io, `Client secret for profile "${name}": `, usage);
  }
  if (Object.keys(update).length === 0) {
    throw new UsageError(
      'nothing to set: give --base-url, --token-url, --client-id or --secret-stdin',
      usage,
    );
  }
  const current = Object.hasOwn(file.profiles, name) ? file.profiles[name] : {};
  file.profiles[name] = { ...current, ...update };
  await writeConfig(path, file);
  io.stderr.write(
    `saved profile "${name}" to ${path} (mode 600): ${Object.keys(update).join(', ')}\n`,
  );
  return EXIT.ok;
}

/** Every profile (or one), masked, and what the environment overrides right now. */
async function show(
  io: Io,
  values: { profile?: string | undefined; json?: boolean | undefined },
  path: string,
): Promise<number> {
  const { profiles } = await readConfig(path);
  const { resolved } = await resolveConnection({ profile: values.profile }, io.env, usage);
  const shown = Object.fromEntries(
    Object.entries(profiles)
      .filter(([name]) => values.profile === undefined || name === values.profile)
      .map(([name, profile]) => [name, masked(profile)]),
  );
  const effective = {
    profile: resolved.profile ?? null,
    baseUrl: { ...resolved.baseUrl, value: withoutPassword(resolved.baseUrl.value) },
    tokenUrl: { ...resolved.tokenUrl, value: withoutPassword(resolved.tokenUrl.value) },
    clientId: resolved.clientId ?? null,
    clientSecret: resolved.clientSecret ? `(set, from ${resolved.clientSecret})` : '(not set)',
    token: resolved.token
      ? '(set, from env DX_TOKEN: used instead of client credentials)'
      : '(not set)',
  };
  if (values.json) {
    writeJsonLine(io, { path, profiles: shown, effective });
    return EXIT.ok;
  }
  const lines = [`config file: ${path}`];
  for (const [name, profile] of Object.entries(shown)) {
    lines.push(`[${name}]`, ...Object.entries(profile).map(([k, v]) => `  ${k.padEnd(12)} ${v}`));
  }
  if (Object.keys(shown).length === 0) lines.push('(no profiles)');
  lines.push('effective settings (flags > environment > profile > default):');
  for (const [key, setting] of Object.entries(effective)) {
    const text =
      setting === null
        ? '(not set)'
        : typeof setting === 'string'
          ? setting
          : `${setting.value} (from ${setting.source})`;
    lines.push(`  ${key.padEnd(12)} ${text}`);
  }
  io.stdout.write(`${lines.join('\n')}\n`);
  return EXIT.ok;
}

export const config: Command = {
  name: 'config',
  summary: 'Manage connection profiles (the secret is stored, never shown)',
  usage,
  help: `Profiles live in $XDG_CONFIG_HOME/dx/config.json (default ~/.config/dx/config.json; %APPDATA%\\dx
on Windows), written with mode 600. A file that other users can read is refused, with the
chmod command that fixes it.

Subcommands:
  set     create or update a profile
            --base-url <url> --token-url <url> --client-id <id>
            --secret-stdin   read the client secret from stdin: a prompt without echo on a
                             terminal, else the whole input (one trailing newline removed)
  show    the profiles, secrets masked, and the settings in effect (with --json: one JSON line)
  delete  remove a profile
  path    print the config file's path

  --profile <name>   the profile (default: DX_PROFILE, then "default")

Examples:
  dx config set --profile prod --base-url https://dx-api.thingpark.com/core/latest/api --client-id tpk/ops
  dx config set --profile prod --secret-stdin            # prompts, nothing echoed
  printf %s "$DX_SECRET" | dx config set --profile ci --secret-stdin
  dx config show --profile prod
`,
  run,
};
