import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

/** Every file below `dir`, as sorted relative paths, for comparing two generated trees. */
export async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

/** Paths that differ between two trees: missing on either side or with other content. */
export async function diffTrees(expectedDir: string, actualDir: string): Promise<string[]> {
  const [expected, actual] = await Promise.all([
    listFiles(expectedDir).catch((): string[] => []),
    listFiles(actualDir),
  ]);
  const differences: string[] = [];
  for (const file of new Set([...expected, ...actual])) {
    if (!expected.includes(file)) differences.push(`+ ${file} (would be added)`);
    else if (!actual.includes(file)) differences.push(`- ${file} (would be removed)`);
    else if (
      (await readFile(join(expectedDir, file), 'utf8')) !==
      (await readFile(join(actualDir, file), 'utf8'))
    )
      differences.push(`~ ${file} (differs)`);
  }
  return differences.sort();
}
