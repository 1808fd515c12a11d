/**
 * Which of the mock's two endpoints a URL is: the token endpoint, or the DX Core API under the
 * base URL (with its path below it, which the spec's templates match).
 */

export type Endpoint = { kind: 'token' } | { kind: 'api'; relative: string };

function withoutSlash(path: string): string {
  return path.endsWith('/') ? path.slice(0, -1) : path;
}

export function endpointsAt(urls: {
  baseUrl: string;
  tokenUrl: string;
}): (url: URL) => Endpoint | undefined {
  const base = new URL(urls.baseUrl);
  const basePath = withoutSlash(base.pathname);
  const token = new URL(urls.tokenUrl);
  return (url) => {
    if (url.origin === token.origin && url.pathname === token.pathname) return { kind: 'token' };
    if (url.origin !== base.origin) return undefined;
    if (url.pathname !== basePath && !url.pathname.startsWith(`${basePath}/`)) return undefined;
    return { kind: 'api', relative: url.pathname.slice(basePath.length) || '/' };
  };
}
