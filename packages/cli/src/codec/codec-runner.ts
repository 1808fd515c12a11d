/**
 * The child process a `--codec` module runs in (built to dist/codec-runner.js, and given to
 * `node -e` by run-codec.ts, so that this file itself needs no file-system permission).
 * Started under Node's permission model with an empty environment; what it adds is that the
 * network APIs are unusable before the codec is loaded, since the permission model of Node
 * 20 to 24 does not cover the network, nor signals to other processes. It receives `{ url, data }`, answers one {@link Answer}
 * and is killed by the parent.
 *
 * Self-contained on purpose: it imports Node's modules only, never the CLI's code.
 */
import dgram from 'node:dgram';
import dns from 'node:dns';
import net from 'node:net';
import { syncBuiltinESMExports } from 'node:module';

/** What the child tells its parent: one of these, once. */
export type Answer =
  | { loaded: false; message: string; code?: string }
  | { noEncoder: true }
  | { threw: string }
  | { returned: unknown }
  | { returnedFunction: true }
  | { returnedPromise: true }
  | { uncopyable: string };

const sendToParent = process.send?.bind(process);
const send = (answer: Answer): void => {
  sendToParent?.(answer);
};

function denied(what: string): () => never {
  return () => {
    throw Object.assign(new Error(`${what}: not allowed in a codec`), {
      code: 'ERR_ACCESS_DENIED',
    });
  };
}

/**
 * Every way Node's own modules open a connection, a listener, a datagram or a DNS query goes
 * through these: http, https, tls, http2 and fetch connect through `net.Socket`.
 */
function withoutNetwork(): void {
  net.Socket.prototype.connect = denied('net connect');
  net.Server.prototype.listen = denied('net listen');
  for (const method of ['bind', 'connect', 'send'] as const) {
    dgram.Socket.prototype[method] = denied(`dgram ${method}`);
  }
  // A dgram socket holds its UDP handle from the constructor on, reachable through a symbol on
  // the socket, whose own bind and send the replacements above do not cover: no socket at all.
  const udp = dgram as unknown as Record<string, unknown>;
  udp.createSocket = denied('dgram createSocket');
  udp.Socket = denied('dgram Socket');
  for (const target of [
    dns,
    dns.promises,
    dns.Resolver.prototype,
    dns.promises.Resolver.prototype,
  ]) {
    const record = target as unknown as Record<string, unknown>;
    for (const name of Object.getOwnPropertyNames(target)) {
      if (name === 'constructor' || typeof record[name] !== 'function') continue;
      if (name === 'Resolver' || name === 'promises') continue;
      record[name] = denied(`dns ${name}`);
    }
  }
  const globals = globalThis as Record<string, unknown>;
  for (const name of ['fetch', 'WebSocket', 'EventSource']) delete globals[name];
  // `import { connect } from 'node:net'` in the codec sees the replacements too.
  syncBuiltinESMExports();
}

/**
 * Signals are not covered by the permission model: a codec could kill `dx` mid-run, or send
 * it SIGUSR1 (`process._debugProcess`), which opens Node's inspector in `dx`, an unsandboxed
 * process holding the credentials, to anyone on this machine.
 */
function withoutSignals(): void {
  const proc = process as unknown as Record<string, unknown>;
  for (const name of ['kill', '_kill', '_debugProcess']) proc[name] = denied(`process.${name}`);
}

const messageOf = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

/** What `encodeDownlink` returned, as plain data the parent's checks can read. */
function answerOf(result: unknown): Answer {
  if (typeof result === 'function') return { returnedFunction: true };
  if (typeof result !== 'object' || result === null) return { returned: result };
  const record = result as Record<string, unknown>;
  if (typeof record.then === 'function') return { returnedPromise: true };
  return {
    returned: {
      bytes: record.bytes,
      fPort: record.fPort,
      warnings: record.warnings,
      errors: record.errors,
    },
  };
}

async function encode(url: string, data: unknown): Promise<Answer> {
  let module: Record<string, unknown>;
  try {
    module = (await import(url)) as Record<string, unknown>;
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    return {
      loaded: false,
      message: messageOf(error),
      ...(typeof code === 'string' ? { code } : {}),
    };
  }
  const fallback = module.default as Record<string, unknown> | undefined;
  const encodeDownlink = module.encodeDownlink ?? fallback?.encodeDownlink;
  if (typeof encodeDownlink !== 'function') return { noEncoder: true };
  try {
    // Read here, inside the try: a getter on the result may throw.
    return answerOf((encodeDownlink as (input: unknown) => unknown)({ data }));
  } catch (error) {
    return { threw: messageOf(error) };
  }
}

withoutNetwork();
withoutSignals();
process.once('message', (request: { url: string; data: unknown }) => {
  void encode(request.url, request.data).then((answer) => {
    try {
      send(answer);
    } catch (error) {
      // A value the structured clone cannot copy (a function or a symbol inside the result).
      send({ uncopyable: messageOf(error) });
    }
  });
});
