/**
 * Candidates are tried in random order: concurrent receivers that read the same window of the
 * ready index then rarely race for the same message (or group), and a lost race costs a retry.
 */
export function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}
