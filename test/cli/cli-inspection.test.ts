import { describe, expect, test } from 'vitest';
import { useLocalService } from '../support/local-service';
import { type CliOptions, collect, runCli, startCli, waitForText } from './run-cli';

/**
 * The commands that look without touching: list's counts, peek, the watching tail and stats, run
 * as the real binary against the local service.
 */
const local = useLocalService();
const dq = (args: string[], options: CliOptions = {}) => runCli(args, { endpoint: local.url(), ...options });
const json = async (args: string[]) => {
  const result = await dq([...args, '--json']);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout);
};
const name = (prefix: string) => `${prefix}-${Date.now()}-${Math.floor(Math.random() * 1000)}`;

describe('looking at a queue without consuming it', () => {
  test('list shows visible, in-flight and delayed counts', async () => {
    const queue = name('cli-counts');
    await dq(['create', queue]);
    await dq(['send', queue, 'one', 'two', 'three']);
    await dq(['send', queue, 'later', '--delay', '600']);
    await dq(['receive', queue]);
    const listed = await dq(['list', '--prefix', queue]);
    expect(listed.stdout).toMatch(new RegExp(`\\n${queue}\\s+2\\s+1\\s+1\\b`));
    expect((await json(['list', '--prefix', queue])).queues[0].messages).toMatchObject({
      visible: 2,
      inFlight: 1,
      delayed: 1,
    });
  });

  test('peek shows messages and their state, and changes nothing', async () => {
    const queue = name('cli-peek');
    await dq(['create', queue]);
    await dq(['send', queue, 'first', 'second']);
    const peeked = await json(['peek', queue]);
    expect(peeked.messages.map((m: { body: string }) => m.body).sort()).toEqual(['first', 'second']);
    expect(peeked.messages.every((m: { state: string; receiveCount: number }) => m.state === 'visible')).toBe(
      true,
    );
    const table = await dq(['peek', queue, '--limit', '1']);
    expect(table.stdout).toMatch(/^MESSAGE ID\s+STATE\s+RECEIVES\s+VISIBLE AT\s+BODY\n\S+\s+visible\s+0\s/);
    // Nothing was leased: a consumer still gets both, each for the first time.
    const received = await json(['receive', queue, '--max', '2']);
    expect(received.messages.map((m: { receiveCount: number }) => m.receiveCount)).toEqual([1, 1]);
  });

  test('tail (watching) prints a message sent after it started, and leaves it in the queue', async () => {
    const queue = name('cli-watch');
    await dq(['create', queue]);
    await dq(['send', queue, 'already there']);
    const tail = startCli(['tail', queue, '--json'], { endpoint: local.url() });
    const done = collect(tail, 30_000);
    await waitForText(tail.stdout, 'already there');
    const printed = waitForText(tail.stdout, 'arrived later');
    await dq(['send', queue, 'arrived later']);
    await printed;
    tail.kill('SIGINT');
    const { code, stdout } = await done;
    expect(code).toBe(0);
    // One JSON object per line, each message once, none of them leased.
    const lines = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.map((m) => m.body)).toEqual(['already there', 'arrived later']);
    expect(lines[1]).toMatchObject({ state: 'visible', receiveCount: 0 });
    const listed = await json(['list', '--prefix', queue]);
    expect(listed.queues[0].messages).toMatchObject({ visible: 2, inFlight: 0 });
  });

  test('stats: per-minute counts as sparklines, a table, or JSON', async () => {
    const queue = name('cli-stats');
    await dq(['create', queue]);
    await dq(['send', queue, 'a', 'b', 'c']);
    await dq(['receive', queue, '--max', '2', '--delete']);
    // The service writes its counters every ~10 s; flush now rather than wait.
    await local.service().runtime.queue.stats.flush();
    const stats = await json(['stats', queue, '--minutes', '5']);
    expect(stats.name).toBe(queue);
    expect(stats.minutes).toHaveLength(5);
    const total = (key: string) => stats.minutes.reduce((sum: number, m: any) => sum + m[key], 0);
    expect([total('sent'), total('received'), total('deleted')]).toEqual([3, 2, 2]);

    const summary = await dq(['stats', queue, '--minutes', '5']);
    expect(summary.stdout).toMatch(/^Last 5 minutes/);
    expect(summary.stdout).toMatch(/\n\s*sent\s+3\s+[▁-█]{5}\n/);
    const perMinute = await dq(['stats', queue, '--minutes', '3', '--table']);
    expect(perMinute.stdout.trim().split('\n')).toHaveLength(4);
    expect(perMinute.stdout).toMatch(/^MINUTE \(UTC\)\s+SENT\s+RECEIVED\s+DELETED\s+DEAD-LETTERED/);
  });
});
