import { PipelineError } from './pipeline-error.js';
import type { Locate } from './validate.js';

/** `/core/v141/api` and `/core/latest/api` are one API: version segments do not count. */
function apiOf(basePath: string): string {
  return basePath
    .split('/')
    .map((segment) => (/^(v\d+(\.\d+)*|latest)$/i.test(segment) ? '{version}' : segment))
    .join('/');
}

/**
 * The API-level overlay gives every fragment of a folder one base path (DX Core's). A fragment
 * crawled from another API (DX Admin's `/admin/v140/api`) would silently be called on that base
 * path: a wrong URL that nothing else notices, since after the overlay all fragments agree. So
 * the crawled base path and the patched one must name the same API, version aside, unless the
 * fragment's own overlays set the base path themselves (`decided`: a reviewed choice with its
 * reason, for a crawl that got it wrong).
 */
export function checkBasePath(
  upstream: Record<string, unknown>,
  patched: Record<string, unknown>,
  file: string,
  options: { decided: boolean; locate?: Locate | undefined },
): void {
  const crawled = upstream.basePath;
  const built = patched.basePath;
  if (typeof crawled !== 'string' || typeof built !== 'string' || options.decided) return;
  if (apiOf(crawled) === apiOf(built)) return;
  const source = options.locate?.('/basePath');
  throw new PipelineError({
    file,
    pointer: '/basePath',
    reason:
      `the fragment was crawled from base path ${crawled}${source ? ` (${source})` : ''}, another API ` +
      `than the ${built} it is built into: its operations would be called on the wrong URL`,
    hint:
      'put the fragment in the folder of its own API (specs/<api>/, with its own entry in ' +
      'scripts/pipeline/apis.ts), or, if the crawl is wrong, set basePath in the fragment overlay ' +
      'with a description saying why',
  });
}
