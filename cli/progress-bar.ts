/**
 * A progress bar on stderr. On a terminal it redraws one line; elsewhere (a log, a test) it prints a
 * line only when the count changes, so the output stays readable and finite.
 */
export interface ProgressBar {
  update(done: number, total: number, label?: string): void;
  stop(): void;
}

export function createProgressBar(stream: NodeJS.WriteStream = process.stderr, width = 30): ProgressBar {
  const tty = Boolean(stream.isTTY);
  let last = '';
  return {
    update(done, total, label = '') {
      const ratio = total > 0 ? Math.min(1, done / total) : 1;
      const filled = Math.round(ratio * width);
      const text = `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${done}/${total} ${Math.round(
        ratio * 100,
      )}%${label ? ` ${label}` : ''}`;
      if (text === last) return;
      last = text;
      stream.write(tty ? `\r${text}\x1b[K` : `${text}\n`);
    },
    stop() {
      if (tty && last) stream.write('\n');
    },
  };
}
