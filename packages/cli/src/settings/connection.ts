import {
  createDxClient,
  DEFAULT_BASE_URL,
  DEFAULT_TOKEN_URL,
  type DxCoreClient,
} from '@dx/core-client';
import { CredentialsError, UsageError } from '../exit-codes.js';
import { shellWord } from '../output/shell-word.js';
import { configPath, readConfig, type Profile } from './config-file.js';
import { tokenFromEnv } from './env-token.js';

/** Where a setting came from, for `dx config show` and for error messages. */
export type Source = 'flag' | 'env' | 'profile' | 'default';

export interface Setting {
  value: string;
  source: Source;
}

/** The connection flags every DX-talking command takes (see `CONNECTION_FLAGS`). */
export interface ConnectionFlags {
  profile?: string | undefined;
  'base-url'?: string | undefined;
  'token-url'?: string | undefined;
  'client-id'?: string | undefined;
}

export interface ResolvedConnection {
  configPath: string;
  /** The profile used, when one exists. */
  profile: string | undefined;
  baseUrl: Setting;
  tokenUrl: Setting;
  clientId: Setting | undefined;
  /** Whether a client secret was found, and where; the value stays in `auth`. */
  clientSecret: Source | undefined;
  token: Source | undefined;
}

/** Non-empty value or undefined: an empty variable is as good as none. */
const given = (value: string | undefined): string | undefined =>
  value === undefined || value === '' ? undefined : value;

function pick(
  flag: string | undefined,
  env: string | undefined,
  profile: string | undefined,
): Setting | undefined {
  const flagValue = given(flag);
  if (flagValue !== undefined) return { value: flagValue, source: 'flag' };
  const envValue = given(env);
  if (envValue !== undefined) return { value: envValue, source: 'env' };
  const profileValue = given(profile);
  if (profileValue !== undefined) return { value: profileValue, source: 'profile' };
  return undefined;
}

/**
 * The profile: `--profile`, else `DX_PROFILE`, else `default` when the file has one. A
 * profile asked for by name must exist.
 */
async function loadProfile(
  flags: ConnectionFlags,
  env: NodeJS.ProcessEnv,
  path: string,
  usage: string,
): Promise<{ name: string | undefined; profile: Profile }> {
  const asked = given(flags.profile) ?? given(env.DX_PROFILE);
  const { profiles } = await readConfig(path);
  const name = asked ?? 'default';
  const profile = Object.hasOwn(profiles, name) ? profiles[name] : undefined;
  if (profile) return { name, profile };
  if (asked === undefined) return { name: undefined, profile: {} };
  const known = Object.keys(profiles);
  throw new UsageError(
    `profile "${asked}" not found in ${path} (${known.length ? `known: ${known.join(', ')}` : 'no profiles yet'}); ` +
      `create it with: dx config set --profile ${shellWord(asked)} ...`,
    usage,
  );
}

/** Resolves every setting: flags, then environment, then the profile, then the defaults. */
export async function resolveConnection(
  flags: ConnectionFlags,
  env: NodeJS.ProcessEnv,
  usage: string,
): Promise<{
  resolved: ResolvedConnection;
  secret: string | undefined;
  token: string | undefined;
}> {
  const path = configPath(env);
  const { name, profile } = await loadProfile(flags, env, path, usage);
  const token = tokenFromEnv(env.DX_TOKEN);
  const secret = pick(undefined, env.DX_CLIENT_SECRET, profile.clientSecret);
  const resolved: ResolvedConnection = {
    configPath: path,
    profile: name,
    baseUrl: pick(flags['base-url'], env.DX_BASE_URL, profile.baseUrl) ?? {
      value: DEFAULT_BASE_URL,
      source: 'default',
    },
    tokenUrl: pick(flags['token-url'], env.DX_TOKEN_URL, profile.tokenUrl) ?? {
      value: DEFAULT_TOKEN_URL,
      source: 'default',
    },
    clientId: pick(flags['client-id'], env.DX_CLIENT_ID, profile.clientId),
    clientSecret: secret?.source,
    token: token === undefined ? undefined : 'env',
  };
  return { resolved, secret: secret?.value, token };
}

/**
 * A client from the resolved settings. `DX_TOKEN` wins over client credentials (it is the
 * more specific thing a script hands over); without either, exit 4 says what is missing.
 */
export async function connect(
  flags: ConnectionFlags,
  env: NodeJS.ProcessEnv,
  usage: string,
  extra: { retry?: false } = {},
): Promise<DxCoreClient> {
  const { resolved, secret, token } = await resolveConnection(flags, env, usage);
  const baseUrl = resolved.baseUrl.value;
  const clientId = resolved.clientId?.value;
  if (token === undefined && (clientId === undefined || secret === undefined)) {
    const missing = [
      clientId === undefined && 'a client id (--client-id, DX_CLIENT_ID or a profile)',
      secret === undefined && 'a client secret (DX_CLIENT_SECRET or a profile)',
    ].filter(Boolean);
    throw new CredentialsError(
      `no credentials: missing ${missing.join(' and ')}. Set DX_TOKEN, or DX_CLIENT_ID and ` +
        `DX_CLIENT_SECRET, or store a profile with: dx config set --client-id <id> --secret-stdin`,
    );
  }
  try {
    const auth =
      token !== undefined
        ? { token }
        : {
            clientId: clientId as string,
            clientSecret: secret as string,
            tokenUrl: resolved.tokenUrl.value,
          };
    return createDxClient({ ...extra, baseUrl, auth });
  } catch (error) {
    // createDxClient's option errors name the option, never its value; add where it came from.
    const from = `base URL from ${resolved.baseUrl.source}, token URL from ${resolved.tokenUrl.source}`;
    throw new UsageError(`${(error as Error).message} (${from})`, usage);
  }
}
