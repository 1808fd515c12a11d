import type { Io } from '../io.js';
import { UsageError } from '../exit-codes.js';

/**
 * Reads a secret from stdin: on a terminal, a prompt with no echo (raw mode, so the
 * characters are never displayed nor kept in a scrollback); otherwise the whole of stdin
 * (`printf %s "$SECRET" | dx config set ...`, or `< file`), one trailing newline removed.
 */
export async function readSecret(io: Io, prompt: string, usage: string): Promise<string> {
  const secret = io.stdin.isTTY ? await promptHidden(io, prompt) : await readAll(io.stdin);
  if (secret === '') throw new UsageError('--secret-stdin: the secret is empty', usage);
  return secret;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

function promptHidden(io: Io, prompt: string): Promise<string> {
  io.stderr.write(prompt);
  const stdin = io.stdin;
  stdin.setRawMode?.(true);
  stdin.resume();
  return new Promise((resolve, reject) => {
    let secret = '';
    const finish = (error?: Error): void => {
      stdin.removeListener('data', onData);
      stdin.setRawMode?.(false);
      stdin.pause();
      io.stderr.write('\n');
      if (error) reject(error);
      else resolve(secret);
    };
    const onData = (data: Buffer | string): void => {
      for (const char of data.toString()) {
        if (char === '\r' || char === '\n' || char === '\u0004') return finish();
        if (char === '\u0003')
          return finish(Object.assign(new Error('interrupted'), { interrupted: true }));
        if (char === '\u007f' || char === '\b') secret = secret.slice(0, -1);
        else secret += char;
      }
    };
    stdin.on('data', onData);
  });
}
