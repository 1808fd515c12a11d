import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { defineConfig } from 'vitest/config';

/**
 * Projects in this order, each file within its project longest first (vitest's own rule).
 * vitest runs the projects one after another in name order; a worker that moves to another
 * project loads a new module graph, so files stay grouped (interleaving all files longest
 * first cost 18 s of CPU). The CLI goes first because its longest files mostly wait (on
 * leases, child processes, the rate of a mock), and the pipeline's CPU-heavy files then run
 * beside the library tests' waits instead of alone at the end. Measured on two cores: 52 to
 * 53 s with the pipeline first, 50 s in this order, 49 s with each project's longest file
 * first (four workers).
 */
const PROJECT_ORDER = ['cli', 'downlink-helpers', 'scripts', 'core-client', 'mock'];
class ProjectOrder extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (file: TestSpecification): number => PROJECT_ORDER.indexOf(file.project.name);
    sorted.sort((a, b) => rank(a) - rank(b));
    // Each project's longest file starts at once: it is the pole its project would otherwise
    // wait for at the end.
    const poles = PROJECT_ORDER.map((name) => sorted.find((f) => f.project.name === name));
    const first = poles.filter((f): f is TestSpecification => f !== undefined);
    return [...first, ...sorted.filter((f) => !first.includes(f))];
  }
}

/**
 * Every project shares one module graph per worker (`isolate: false`): no test holds
 * module-level state that leaks between files (cleanups are registered per test or per file,
 * the CLI harness restores the working folder, commands remove the signal handlers they add),
 * and a fresh graph per file was most of the library projects' time and much of the CLI's.
 */
const shared = { isolate: false } as const;

export default defineConfig({
  test: {
    // vitest's default on a 2-core machine is a single worker, so files ran one after another.
    // Many files wait on child processes, sockets, leases and rate limits rather than the CPU:
    // five workers on two cores was the fastest measured (3: 54 s, 4: 49 s, 5: 47.5 s, 6: 49 s).
    maxWorkers: 5,
    // A missing or different snapshot fails everywhere, not only in CI: generate.test.ts's file
    // snapshots are the committed generated client, and must never pass by writing themselves.
    // `vitest -u` still rewrites them on purpose.
    update: 'none',
    sequence: { sequencer: ProjectOrder },
    projects: [
      {
        test: {
          name: 'scripts',
          include: ['scripts/test/**/*.test.ts'],
          testTimeout: 60_000,
          ...shared,
        },
      },
      {
        test: {
          name: 'core-client',
          root: 'packages/core-client',
          include: ['test/**/*.test.ts'],
          testTimeout: 30_000,
          ...shared,
        },
      },
      {
        test: {
          name: 'downlink-helpers',
          root: 'packages/downlink-helpers',
          include: ['test/**/*.test.ts'],
          testTimeout: 30_000,
          ...shared,
        },
      },
      {
        test: {
          name: 'mock',
          root: 'packages/mock',
          include: ['test/**/*.test.ts'],
          testTimeout: 30_000,
          ...shared,
        },
      },
      {
        test: {
          name: 'cli',
          root: 'packages/cli',
          include: ['test/**/*.test.ts'],
          testTimeout: 60_000,
          ...shared,
        },
      },
    ],
  },
});
