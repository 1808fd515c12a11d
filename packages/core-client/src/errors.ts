/**
 * Error classes of `@dx/core-client`.
 *
 * `instanceof` is answered from brands (see `error-brands.ts`), so an error thrown by the ESM
 * copy of this package matches the class imported from the CJS copy, and the reverse.
 *
 * No error ever holds the request body, the request headers, a bearer token or a client
 * secret: those travel in exactly the places an error would otherwise copy. Every field an
 * error class adds is public data about the request or response, which is why one generic
 * `toJSON` can copy them all.
 */

import { hasErrorBrand, setErrorBrands } from './error-brands.js';
import { CancelError as GeneratedCancelError } from './generated/core/CancelablePromise';

/**
 * HTTP method and URL of the request an error belongs to (never its body or headers).
 *
 * @example
 * ```ts
 * const summary: RequestSummary = { method: 'POST', url: 'https://example.com/devices/d1' };
 * ```
 */
export interface RequestSummary {
  method: string;
  url: string;
}

/**
 * Base class of every error this package throws.
 *
 * @example
 * ```ts
 * try {
 *   await client.downlink.sendDownlinkMessage({ device, requestBody });
 * } catch (err) {
 *   if (err instanceof DxError) report(err.name, err.message, err.attempts);
 * }
 * ```
 */
export class DxError extends Error {
  /** Doubles as `name`: a class's own name does not survive minification, this string does. */
  static readonly brand: string = 'DxError';

  static override [Symbol.hasInstance](value: unknown): boolean {
    return hasErrorBrand(value, this.brand);
  }

  /** How many attempts were made before this error was thrown (1 when no retry happened). */
  declare attempts: number;

  /**
   * `details.cause` becomes the standard `cause`; every entry of `details` becomes a field of
   * the error (so it must not be a secret). Subclasses pass their fields this way, which is why
   * they declare their fields rather than assign them.
   */
  constructor(
    message: string,
    details: { cause?: unknown; attempts?: number; [field: string]: unknown } = {},
  ) {
    // Error reads only `cause` from its options; Object.assign below then sets the same value
    // on the non-enumerable property Error made, so `cause` stays out of `toJSON`.
    super(message, details);
    brand(this, new.target);
    Object.assign(this, details);
  }

  /** Plain data for logs: the name, the message and the error's own fields (none secret). */
  toJSON(): Record<string, unknown> {
    const json: Record<string, unknown> = { name: this.name, message: this.message };
    return Object.assign(json, this);
  }
}

/**
 * Stores the brands of `type` and its ancestors on `error` (not enumerable: kept out of
 * `toJSON`, `JSON.stringify` and the default `util.inspect`), names it after its class and
 * starts its attempt count.
 */
function brand(error: Error & { attempts: number }, type: unknown): void {
  const brands: string[] = [];
  for (let c = type as Partial<typeof DxError>; c.brand; c = Object.getPrototypeOf(c)) {
    brands.push(c.brand);
  }
  setErrorBrands(error, brands);
  error.name = (type as typeof DxError).brand;
  error.attempts = 1;
}

/**
 * A redirect the client did not follow: a 3xx, or the status `0` of a browser's opaque redirect
 * (fetch never surfaces a 1xx).
 */
export const isRedirect = (status: number): boolean =>
  status < 200 || (status >= 300 && status < 400);

/** `<METHOD> <url> <what>`: how every error about one request begins. */
export const about = (request: RequestSummary, what: string): string =>
  `${request.method} ${request.url} ${what}`;

/**
 * The server answered with a status outside 2xx. A redirect (3xx, or `0` for a browser's
 * opaque redirect) is one too: it is never followed, and the request was not processed.
 *
 * `body` is the parsed response body (JSON when it parses, text otherwise), with every secret
 * of the client scrubbed out and at most 8 KiB of it kept (a longer one is kept as text and
 * ends with a note that it was truncated). A redirect's body is not kept.
 *
 * @example
 * ```ts
 * if (err instanceof ApiError && err.status === 429) schedule(err.retryAfterMs ?? 60_000);
 * ```
 */
export class ApiError extends DxError {
  static override readonly brand: string = 'ApiError';

  declare readonly status: number;
  declare readonly statusText: string;
  declare readonly method: string;
  declare readonly url: string;
  declare readonly body: unknown;
  /** Value of the response's request-id header, when the server sent one. */
  declare readonly requestId: string | undefined;
  /** How long the server asked to wait (`Retry-After`, in ms) on a 429/503 that was not retried. */
  declare readonly retryAfterMs: number | undefined;

  constructor(
    request: RequestSummary,
    response: {
      status: number;
      statusText: string;
      body: unknown;
      requestId?: string | undefined;
      retryAfterMs?: number | undefined;
    },
    options?: { attempts?: number },
  ) {
    const { status } = response;
    const what = isRedirect(status)
      ? `answered with a redirect (${status || 'opaque'}), which was not followed: the request was not processed`
      : `failed with ${status} ${response.statusText}`;
    super(about(request, what).trim(), { ...options, ...response, ...request });
  }
}

/**
 * A 2xx response whose body is not what the operation returns (empty, not JSON, broken JSON).
 * The server did accept the request: re-sending a downlink after this error can queue it twice.
 *
 * @example
 * ```ts
 * if (err instanceof ResponseParseError) markAccepted(err.status); // queued: do not resend
 * ```
 */
export class ResponseParseError extends DxError {
  static override readonly brand: string = 'ResponseParseError';

  declare readonly status: number;
  declare readonly method: string;
  declare readonly url: string;
  declare readonly contentType: string | undefined;

  /** `reason` completes "answered 200 but …", for example `the body is empty`. */
  constructor(
    request: RequestSummary,
    response: { status: number; contentType: string | undefined },
    reason: string,
    options?: { cause?: unknown; attempts?: number },
  ) {
    const what = `answered ${response.status} but ${reason}; it was accepted: do not resend it blindly`;
    super(about(request, what), { ...options, ...response, ...request });
  }
}

/**
 * A call argument that can't become a valid request; nothing was sent.
 *
 * @example
 * ```ts
 * if (err instanceof InvalidRequestError) showFieldError(err.field, err.message);
 * ```
 */
export class InvalidRequestError extends DxError {
  static override readonly brand: string = 'InvalidRequestError';

  /** The offending argument, for example `device` or `body`. */
  declare readonly field: string;

  constructor(field: string, problem: string, options?: { cause?: unknown }) {
    super(`${field}: ${problem}`, { ...options, field });
  }
}

/**
 * The request did not complete within `timeoutMs`. Never retried unless the caller opts in.
 *
 * @example
 * ```ts
 * if (err instanceof TimeoutError) return 'unknown outcome: check the queue before resending';
 * ```
 */
export class TimeoutError extends DxError {
  static override readonly brand: string = 'TimeoutError';

  declare readonly method: string;
  declare readonly url: string;
  declare readonly timeoutMs: number;

  constructor(request: RequestSummary, timeoutMs: number, options?: { attempts?: number }) {
    super(about(request, `timed out after ${timeoutMs} ms`), { ...options, ...request, timeoutMs });
  }
}

/**
 * The network failed: connection refused, name not resolved, socket reset.
 *
 * `beforeRequestSent` is true only when the failure proves the server never got the request
 * (refused connection, unknown host); only those are retried for non-idempotent calls.
 *
 * @example
 * ```ts
 * if (err instanceof NetworkError && err.beforeRequestSent) retryLater(); // nothing was sent
 * ```
 */
export class NetworkError extends DxError {
  static override readonly brand: string = 'NetworkError';

  declare readonly method: string;
  declare readonly url: string;
  /** System error code when known, for example `ECONNREFUSED`, `ENOTFOUND`, `ECONNRESET`. */
  declare readonly code: string | undefined;
  declare readonly beforeRequestSent: boolean;

  constructor(
    request: RequestSummary,
    detail: { code: string | undefined; beforeRequestSent: boolean; cause?: unknown },
    options?: { attempts?: number },
  ) {
    super(about(request, `failed: ${detail.code ?? 'network error'}`), {
      ...options,
      ...detail,
      ...request,
    });
  }
}

/**
 * Which step of obtaining an access token failed.
 *
 * @example
 * ```ts
 * const step: AuthStep = 'token-request';
 * ```
 */
export type AuthStep = 'token-request' | 'token-response' | 'token-provider' | 'unauthorized';

/**
 * Obtaining or using an access token failed. `step` says where; `status` is the token
 * endpoint's (or the API's, for `unauthorized`) HTTP status when there was one.
 *
 * @example
 * ```ts
 * if (err instanceof AuthError && err.step === 'token-request') alertOps(err.status);
 * ```
 */
export class AuthError extends DxError {
  static override readonly brand: string = 'AuthError';

  declare readonly step: AuthStep;
  declare readonly status: number | undefined;

  constructor(
    step: AuthStep,
    message: string,
    options?: { status?: number; cause?: unknown; attempts?: number },
  ) {
    super(message, { ...options, step });
  }
}

/**
 * The call was cancelled with `cancel()`; nothing more is sent. A {@link DxError} like every
 * error of this package; `instanceof CancelError` also matches the error the generated
 * `CancelablePromise` rejects with, so code written against either keeps working. `attempts`
 * counts the requests really sent (0 when the call was cancelled before its first one).
 *
 * (It no longer extends the generated class: two classes named `CancelError` in the bundled
 * declarations made one of them `CancelError$1` in users' type errors and the API report.)
 *
 * @example
 * ```ts
 * try { await pending; } catch (err) { if (err instanceof CancelError) return; throw err; }
 * ```
 */
export class CancelError extends DxError {
  /** Doubles as `name`, as {@link DxError.brand}. */
  static override readonly brand: string = 'CancelError';

  /** By brand (across ESM and CJS copies), or as the generated class. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return hasErrorBrand(value, this.brand) || value instanceof GeneratedCancelError;
  }

  constructor(message = 'Request aborted', attempts?: number) {
    super(message, attempts === undefined ? {} : { attempts });
  }

  /** Always true, as on the generated client's `CancelError`. */
  get isCancelled(): boolean {
    return true;
  }
}
