/**
 * The `dx` executable: wires `main` to this process's streams, environment and exit code.
 * Everything else lives in `main.ts`, which tests import without starting anything.
 */
import { fileURLToPath } from 'node:url';
import type { Io } from './io.js';
import { main } from './main.js';

const io: Io = {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  self: fileURLToPath(import.meta.url),
};
// A reader that went away (`dx ... | head -1`) is no crash: what is left to print is unwanted.
// (send-bulk also stops sending then.) Other stream errors stay fatal.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
});
process.exitCode = await main(process.argv.slice(2), io);
