/**
 * The service's own log lines during a run (the handlers log retryable failures as WARN and
 * anything unexpected as ERROR, one JSON object per line on stderr). They are counted instead of
 * printed, and an ERROR line is a finding: some failure escaped as an unexpected error.
 */
export class ServiceLog {
  readonly counts: Record<string, number> = {};
  readonly unexpected: string[] = [];
  private restore: (() => void) | undefined;

  capture(): void {
    const original = console.error;
    console.error = (...args: unknown[]) => this.record(args.map(String).join(' '));
    this.restore = () => {
      console.error = original;
    };
  }

  release(): void {
    this.restore?.();
    this.restore = undefined;
  }

  private record(line: string): void {
    let entry: { level?: string; message?: string; error?: { name?: string } | string };
    try {
      entry = JSON.parse(line);
    } catch {
      entry = { level: 'TEXT', message: line.slice(0, 120) };
    }
    const cause = typeof entry.error === 'string' ? entry.error : entry.error?.name;
    const key = `${entry.level} ${entry.message}${cause ? ` (${cause})` : ''}`;
    this.counts[key] = (this.counts[key] ?? 0) + 1;
    if (entry.level !== 'WARN') this.unexpected.push(line.slice(0, 2_000));
  }
}
