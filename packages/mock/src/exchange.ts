/**
 * A request as a transport hands it to the core, and its body decoded the one way both
 * transports share, so the HTTP server and msw refuse the same bodies.
 */

/**
 * The largest request body the mock reads, as a web server in front of DX would refuse more
 * (413), whichever transport carries it.
 *
 * @example
 * ```ts
 * new Uint8Array(MAX_BODY_BYTES + 1); // answered 413 by startDxMock and dxHandlers alike
 * ```
 */
export const MAX_BODY_BYTES = 1024 * 1024;

/** A request as a transport hands it over. */
export interface Exchange {
  method: string;
  url: URL;
  /** Lower-case names. */
  headers: Record<string, string>;
  /**
   * The body's bytes as received: decoding them is the core's job, so both transports agree.
   * `undefined` when it was over {@link MAX_BODY_BYTES} and the transport stopped keeping it.
   */
  body: Uint8Array | undefined;
}

/** An exchange with its body decoded; `undefined` when it was not valid UTF-8. */
export interface DecodedExchange extends Omit<Exchange, 'body'> {
  bodyText: string | undefined;
}

// `fatal`: DX reads JSON and forms as UTF-8; a body that is not must be refused, not read as
// U+FFFD, or code that sends broken bytes would pass against the mock and fail in production.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function utf8OrUndefined(bytes: Uint8Array): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/** The exchange with its body as text, or `oversize` (its text then empty) past the limit. */
export function decode({ body, ...exchange }: Exchange): {
  exchange: DecodedExchange;
  oversize: boolean;
} {
  const oversize = body === undefined || body.length > MAX_BODY_BYTES;
  const bodyText = oversize ? '' : utf8OrUndefined(body);
  return { exchange: { ...exchange, bodyText }, oversize };
}
