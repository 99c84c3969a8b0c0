import { createInterface } from 'node:readline/promises';
import { UsageError } from './errors';

/**
 * Asks before something that cannot be undone. Without a terminal to ask on (a script, a pipe) it
 * refuses rather than guess: the caller must say --yes.
 */
export async function confirm(question: string, yes: boolean | undefined): Promise<void> {
  if (yes) return;
  if (!process.stdin.isTTY || !process.stderr.isTTY) {
    throw new UsageError(`${question} Not confirmed: no terminal to ask on`, 'pass --yes to confirm');
  }
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await prompt.question(`${question} [y/N] `);
    if (!/^y(es)?$/i.test(answer.trim())) throw new UsageError('Cancelled: nothing was changed');
  } finally {
    prompt.close();
  }
}
