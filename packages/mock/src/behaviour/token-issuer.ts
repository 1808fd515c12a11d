/**
 * The OAuth2 client-credentials side of the mock: the token endpoint (which is not in the DX
 * Core spec; it follows RFC 6749 §4.4) and the state of the bearer tokens it issued. Tokens are
 * unique per mock, so a token from one mock is refused by another.
 */
import { notUtf8, respond, type Answer } from '../answers.js';
import type { DecodedExchange } from '../exchange.js';
import type { DxRequestRecord } from '../records.js';
import { mediaTypeOf } from '../spec/validation.js';

/** An answer of the token endpoint, in OAuth2's shapes (RFC 6749 §5.1 and §5.2). */
export interface TokenAnswer {
  status: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
  /** For error answers: the OAuth2 `error` and `error_description`. */
  error?: { code: string; message: string };
}

export interface TokenIssuer {
  /** Answers a request to the token endpoint. */
  answer(method: string, headers: Record<string, string>, bodyText: string): TokenAnswer;
  /** The state of the bearer token a request presents. */
  stateOf(headers: Record<string, string>): NonNullable<DxRequestRecord['auth']>;
  /** Makes the presented token stop working (the `token-expired` fault). */
  revoke(headers: Record<string, string>): void;
}

interface IssuedToken {
  expiresAt: number;
  revoked: boolean;
}

function randomHex(bytes: number): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) =>
    b.toString(16).padStart(2, '0'),
  ).join('');
}

function oauthError(
  status: number,
  code: string,
  message: string,
  headers?: Record<string, string>,
): TokenAnswer {
  return {
    status,
    body: { error: code, error_description: message },
    error: { code, message },
    ...(headers ? { headers } : {}),
  };
}

/** Client credentials from HTTP Basic (RFC 6749 §2.3.1) or, failing that, the form. */
function clientCredentialsOf(
  headers: Record<string, string>,
  form: URLSearchParams,
): [string | null, string | null] {
  const basic = /^Basic\s+(\S+)$/i.exec(headers['authorization'] ?? '')?.[1];
  if (!basic) return [form.get('client_id'), form.get('client_secret')];
  try {
    const decoded = atob(basic);
    const colon = decoded.indexOf(':');
    if (colon < 0) return [null, null];
    return [
      decodeURIComponent(decoded.slice(0, colon)),
      decodeURIComponent(decoded.slice(colon + 1)),
    ];
  } catch {
    return [null, null];
  }
}

function presentedToken(headers: Record<string, string>): string | undefined {
  return /^Bearer\s+(\S+)\s*$/i.exec(headers['authorization'] ?? '')?.[1];
}

/** The OAuth2 error for a request that is no client-credentials token request at all. */
function malformed(
  method: string,
  headers: Record<string, string>,
  form: URLSearchParams,
): TokenAnswer | undefined {
  if (method !== 'POST') {
    return oauthError(405, 'invalid_request', 'the token endpoint takes POST', { allow: 'POST' });
  }
  if (mediaTypeOf(headers) !== 'application/x-www-form-urlencoded') {
    const message = 'the token request must be application/x-www-form-urlencoded';
    return oauthError(400, 'invalid_request', message);
  }
  const grant = form.get('grant_type');
  if (!grant) return oauthError(400, 'invalid_request', 'grant_type is required');
  if (grant !== 'client_credentials') {
    return oauthError(400, 'unsupported_grant_type', 'grant_type must be client_credentials');
  }
  return undefined;
}

export function createTokenIssuer(settings: {
  clientId: string;
  clientSecret: string;
  lifetimeSeconds: number;
  now: () => number;
}): TokenIssuer {
  const { clientId, clientSecret, lifetimeSeconds, now } = settings;
  const prefix = `dxmock-${randomHex(6)}`;
  const tokens = new Map<string, IssuedToken>();

  return {
    answer(method, headers, bodyText) {
      const form = new URLSearchParams(bodyText);
      const refused = malformed(method, headers, form);
      if (refused) return refused;
      const [id, secret] = clientCredentialsOf(headers, form);
      if (id !== clientId || secret !== clientSecret) {
        return oauthError(401, 'invalid_client', 'client authentication failed', {
          'www-authenticate': 'Basic realm="dx-mock"',
        });
      }
      const accessToken = `${prefix}-${tokens.size + 1}`;
      tokens.set(accessToken, { expiresAt: now() + lifetimeSeconds * 1000, revoked: false });
      return {
        status: 200,
        body: { access_token: accessToken, token_type: 'Bearer', expires_in: lifetimeSeconds },
      };
    },
    stateOf(headers) {
      const presented = presentedToken(headers);
      if (presented === undefined) return 'missing';
      const issued = tokens.get(presented);
      if (!issued) return 'invalid';
      return issued.revoked || now() >= issued.expiresAt ? 'expired' : 'valid';
    },
    revoke(headers) {
      const presented = presentedToken(headers);
      const issued = presented === undefined ? undefined : tokens.get(presented);
      if (issued) issued.revoked = true;
    },
  };
}

/** The token endpoint's answer to an exchange, its OAuth2 error kept on the record. */
export function tokenEndpointAnswer(
  issuer: TokenIssuer,
  exchange: DecodedExchange,
  record: DxRequestRecord,
): Answer {
  if (exchange.bodyText === undefined) return notUtf8(record);
  const { status, body, headers, error } = issuer.answer(
    exchange.method,
    exchange.headers,
    exchange.bodyText,
  );
  if (error) record.error = error;
  return respond(record, status, body, headers);
}
