/**
 * Error classes of `@dx/core-client`.
 *
 * `instanceof` is answered from a brand stored under a global symbol rather than from the
 * prototype chain, because an application can load the ESM and the CJS build of this package
 * side by side (the "dual package hazard"): an error thrown by one copy must still match the
 * class imported from the other.
 *
 * No error ever holds the request body, the request headers, a bearer token or a client
 * secret: those travel in exactly the places an error would otherwise copy.
 */

const BRANDS = Symbol.for('@dx/core-client/error-brands');

type Branded = { [BRANDS]?: readonly string[] };

function hasBrand(value: unknown, brand: string): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const brands = (value as Branded)[BRANDS];
  return Array.isArray(brands) && brands.includes(brand);
}

function addBrand(target: object, brand: string): void {
  const existing = (target as Branded)[BRANDS] ?? [];
  Object.defineProperty(target, BRANDS, {
    value: [...existing, brand],
    enumerable: false,
    configurable: true,
  });
}

/** HTTP method and URL of the request an error belongs to (never its body or headers). */
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
 *   if (err instanceof DxError) console.log(err.name, err.message);
 * }
 * ```
 */
export class DxError extends Error {
  static readonly brand: string = 'DxError';

  static override [Symbol.hasInstance](value: unknown): boolean {
    return hasBrand(value, (this as typeof DxError).brand);
  }

  /** How many attempts were made before this error was thrown (1 when no retry happened). */
  attempts: number;

  constructor(message: string, options: { cause?: unknown; attempts?: number } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.attempts = options.attempts ?? 1;
    let proto: unknown = new.target;
    const chain: string[] = [];
    while (typeof proto === 'function' && 'brand' in proto) {
      const brand = (proto as typeof DxError).brand;
      if (!chain.includes(brand)) chain.unshift(brand);
      proto = Object.getPrototypeOf(proto);
    }
    for (const brand of chain) addBrand(this, brand);
  }

  /** Plain data for logs; deliberately lists only fields known to be free of secrets. */
  toJSON(): Record<string, unknown> {
    return { name: this.name, message: this.message, attempts: this.attempts };
  }
}

/**
 * The server answered with a status outside 2xx.
 *
 * `body` is the parsed response body (JSON when it parses, text otherwise).
 */
export class ApiError extends DxError {
  static override readonly brand: string = 'ApiError';

  readonly status: number;
  readonly statusText: string;
  readonly method: string;
  readonly url: string;
  readonly body: unknown;
  /** Value of the response's request-id header, when the server sent one. */
  readonly requestId: string | undefined;
  /** How long the server asked to wait (`Retry-After`, in ms) on a 429/503 that was not retried. */
  readonly retryAfterMs: number | undefined;

  constructor(
    request: RequestSummary,
    response: {
      status: number;
      statusText: string;
      body: unknown;
      requestId?: string | undefined;
      retryAfterMs?: number | undefined;
    },
    options: { attempts?: number } = {},
  ) {
    super(
      `${request.method} ${request.url} failed with ${response.status} ${response.statusText}`.trim(),
      options,
    );
    this.status = response.status;
    this.statusText = response.statusText;
    this.method = request.method;
    this.url = request.url;
    this.body = response.body;
    this.requestId = response.requestId;
    this.retryAfterMs = response.retryAfterMs;
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      status: this.status,
      statusText: this.statusText,
      method: this.method,
      url: this.url,
      body: this.body,
      requestId: this.requestId,
      retryAfterMs: this.retryAfterMs,
    };
  }
}

/**
 * A 2xx response whose body is not what the operation returns (empty, not JSON, broken JSON).
 * The server did accept the request: re-sending a downlink after this error can queue it twice.
 */
export class ResponseParseError extends DxError {
  static override readonly brand: string = 'ResponseParseError';

  readonly status: number;
  readonly method: string;
  readonly url: string;
  readonly contentType: string | undefined;

  constructor(
    request: RequestSummary,
    response: { status: number; contentType: string | undefined; reason: string },
    options: { cause?: unknown; attempts?: number } = {},
  ) {
    super(
      `${request.method} ${request.url} answered ${response.status} (${response.contentType ?? 'no content type'}) but ${response.reason}; the request was accepted, so do not resend it blindly`,
      options,
    );
    this.status = response.status;
    this.method = request.method;
    this.url = request.url;
    this.contentType = response.contentType;
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      status: this.status,
      method: this.method,
      url: this.url,
      contentType: this.contentType,
    };
  }
}

/** A call argument that can't become a valid request; nothing was sent. */
export class InvalidRequestError extends DxError {
  static override readonly brand: string = 'InvalidRequestError';

  /** The offending argument, for example `device` or `body`. */
  readonly field: string;

  constructor(field: string, problem: string, options: { cause?: unknown } = {}) {
    super(`${field}: ${problem}`, options);
    this.field = field;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), field: this.field };
  }
}

/** The request did not complete within `timeoutMs`. Never retried unless the caller opts in. */
export class TimeoutError extends DxError {
  static override readonly brand: string = 'TimeoutError';

  readonly method: string;
  readonly url: string;
  readonly timeoutMs: number;

  constructor(request: RequestSummary, timeoutMs: number, options: { attempts?: number } = {}) {
    super(`${request.method} ${request.url} timed out after ${timeoutMs} ms`, options);
    this.method = request.method;
    this.url = request.url;
    this.timeoutMs = timeoutMs;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), method: this.method, url: this.url, timeoutMs: this.timeoutMs };
  }
}

/**
 * The network failed: connection refused, name not resolved, socket reset.
 *
 * `beforeRequestSent` is true only when the failure proves the server never got the request
 * (refused connection, unknown host); only those are retried for non-idempotent calls.
 */
export class NetworkError extends DxError {
  static override readonly brand: string = 'NetworkError';

  readonly method: string;
  readonly url: string;
  /** System error code when known, for example `ECONNREFUSED`, `ENOTFOUND`, `ECONNRESET`. */
  readonly code: string | undefined;
  readonly beforeRequestSent: boolean;

  constructor(
    request: RequestSummary,
    detail: { code: string | undefined; beforeRequestSent: boolean; cause?: unknown },
    options: { attempts?: number } = {},
  ) {
    super(`${request.method} ${request.url} failed: ${detail.code ?? 'network error'}`, {
      ...options,
      cause: detail.cause,
    });
    this.method = request.method;
    this.url = request.url;
    this.code = detail.code;
    this.beforeRequestSent = detail.beforeRequestSent;
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      method: this.method,
      url: this.url,
      code: this.code,
      beforeRequestSent: this.beforeRequestSent,
    };
  }
}

/** The request was cancelled through its `AbortSignal` or `CancelablePromise.cancel()`. */
export class AbortError extends DxError {
  static override readonly brand: string = 'AbortError';

  readonly method: string;
  readonly url: string;

  constructor(request: RequestSummary, options: { attempts?: number } = {}) {
    super(`${request.method} ${request.url} was aborted`, options);
    this.method = request.method;
    this.url = request.url;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), method: this.method, url: this.url };
  }
}

/** Which step of obtaining an access token failed. */
export type AuthStep = 'token-request' | 'token-response' | 'token-provider' | 'unauthorized';

/**
 * Obtaining or using an access token failed. `step` says where; `status` is the token
 * endpoint's (or the API's, for `unauthorized`) HTTP status when there was one.
 */
export class AuthError extends DxError {
  static override readonly brand: string = 'AuthError';

  readonly step: AuthStep;
  readonly status: number | undefined;

  constructor(
    step: AuthStep,
    message: string,
    options: { status?: number; cause?: unknown; attempts?: number } = {},
  ) {
    super(message, options);
    this.step = step;
    this.status = options.status;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), step: this.step, status: this.status };
  }
}
