import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { UsageError } from './errors';

/**
 * Where message bodies come from: the arguments (one message each), a file, or stdin, one message per
 * line. Read as a stream, so a large file is sent while it is read; empty lines are skipped (a
 * message body cannot be empty).
 */
export async function* messageBodies(args: string[], file: string | undefined): AsyncGenerator<string> {
  if (args.length > 0 && file) throw new UsageError('give the bodies as arguments or --file, not both');
  if (args.length > 0) {
    yield* args;
    return;
  }
  const howToGive = 'give bodies as arguments, --file <path>, or pipe them in, one message per line';
  if (!file && process.stdin.isTTY) throw new UsageError('no message to send', howToGive);
  const fromFile = file && file !== '-';
  const input = fromFile ? createReadStream(file) : process.stdin;
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let count = 0;
  try {
    for await (const line of lines) {
      if (line.length === 0) continue;
      count++;
      yield line;
    }
    // An empty pipe or file is a mistake in the command (a script's empty variable, a wrong
    // file), not a successful send of nothing.
    if (count === 0) {
      throw new UsageError(
        `no message to send: ${fromFile ? file : 'stdin'} has no non-empty line`,
        howToGive,
      );
    }
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') {
      throw new UsageError(`cannot read ${file}: ${(error as Error).message}`);
    }
    throw error;
  }
}

/** Groups a stream into arrays of at most `size`. */
export async function* batches<T>(items: AsyncIterable<T>, size: number): AsyncGenerator<T[]> {
  let batch: T[] = [];
  for await (const item of items) {
    batch.push(item);
    if (batch.length === size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}
