/**
 * What a rejected `fetch` says about whether the request reached the server. Only failures that
 * prove it did not (refused connection, unresolvable name) count as `beforeRequestSent`; a bare
 * browser `TypeError` proves nothing, so it is treated as possibly sent.
 */
const BEFORE_SENT = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

function codeOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const code = (value as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  const errors = (value as { errors?: unknown }).errors;
  if (Array.isArray(errors)) return codeOf(errors[0]);
  return undefined;
}

export function classifyFetchError(error: unknown): {
  code: string | undefined;
  beforeRequestSent: boolean;
} {
  const cause =
    typeof error === 'object' && error !== null ? (error as { cause?: unknown }).cause : undefined;
  const code = codeOf(cause) ?? codeOf(error);
  return { code, beforeRequestSent: code !== undefined && BEFORE_SENT.has(code) };
}
