/**
 * `pnpm api:update`: rewrites the API report (`etc/*.api.md`) of every package that has an
 * `api-extractor.json`, from its built declarations. Packages without one (the CLI, which
 * has no library API) are skipped rather than failing the command, and so is a new package
 * until it adds the config. Exit 1 on an API Extractor error only.
 */
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Extractor, ExtractorConfig } from '@microsoft/api-extractor';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The package folders with an API Extractor config, sorted. */
export async function reportedPackages(repoRoot: string): Promise<string[]> {
  const names = (await readdir(join(repoRoot, 'packages'))).sort();
  return names
    .map((name) => join(repoRoot, 'packages', name))
    .filter((dir) => existsSync(join(dir, 'api-extractor.json')));
}

async function main(): Promise<void> {
  for (const dir of await reportedPackages(root)) {
    const config = ExtractorConfig.loadFileAndPrepare(join(dir, 'api-extractor.json'));
    const result = Extractor.invoke(config, { localBuild: true });
    const state = result.apiReportChanged ? 'updated' : 'unchanged';
    process.stdout.write(
      `${config.packageJson?.name ?? dir}: ${state} (${result.errorCount} errors, ${result.warningCount} warnings)\n`,
    );
    if (!result.succeeded) process.exitCode = 1;
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
