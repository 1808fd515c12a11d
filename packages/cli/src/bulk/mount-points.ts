import { readFile } from 'node:fs/promises';

/**
 * Whether `path` (a real path) is a mount point of this process's mount namespace, read from
 * Linux's /proc/self/mountinfo; false where there is none (another OS), which knows no bind
 * mounts of single files to worry about here.
 *
 * A file mounted on its own (`docker run -v /host/fleet.journal:/data/fleet.journal`, a bind
 * mount) is one file under two folders: a lock folder beside either name is not seen through
 * the other, so two runs would both send everything.
 */
export async function isMountPoint(path: string): Promise<boolean> {
  const table = await readFile('/proc/self/mountinfo', 'utf8').catch(() => '');
  return table.split('\n').some((line) => unescapeMountPath(line.split(' ')[4] ?? '') === path);
}

/** mountinfo writes a space, tab, newline and backslash of a path as octal escapes (`\040`). */
function unescapeMountPath(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal: string) =>
    String.fromCharCode(parseInt(octal, 8)),
  );
}
