/**
 * The fields of DX's answer that `dx` prints. DX documents `status` only and other fields
 * vary; a server (or a proxy) that echoes the request would put the access token or the AS key
 * in the others, so only these, and only as plain values, are shown.
 */
const SHOWN = ['status', 'id', 'device', 'payloadHex', 'targetPorts'] as const;

export function shownResponse(response: unknown): Record<string, unknown> | undefined {
  if (typeof response !== 'object' || response === null) return undefined;
  const fields = SHOWN.map((key) => [key, (response as Record<string, unknown>)[key]] as const);
  return Object.fromEntries(
    fields.filter(([, value]) => typeof value === 'string' || typeof value === 'number'),
  );
}
