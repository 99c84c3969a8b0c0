import { describe, expect, test } from 'vitest';
import { useLocalService } from '../support/local-service';
import { type CliOptions, runCli } from './run-cli';

/** `dq send --priority` and the PRIORITY column of peek and receive, with the real binary. */
const local = useLocalService();
const dq = (args: string[], options: CliOptions = {}) => runCli(args, { endpoint: local.url(), ...options });

describe('priorities in dq', () => {
  test('send --priority, peek and receive show it, highest first; a bad value is a usage error', async () => {
    const queue = `cli-prio-${Date.now()}`;
    expect((await dq(['create', queue])).code).toBe(0);
    expect((await dq(['send', queue, 'routine'])).code).toBe(0);
    expect((await dq(['send', queue, 'urgent', '--priority', '9'])).code).toBe(0);
    const refused = await dq(['send', queue, 'x', '--priority', '10']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--priority');

    const peeked = await dq(['peek', queue]);
    const [header, first, second] = peeked.stdout.trim().split('\n');
    expect(header).toMatch(/^MESSAGE ID\s+STATE\s+PRIORITY\s+RECEIVES/);
    expect(first).toMatch(/visible\s+9\s+0\s+.*urgent$/);
    expect(second).toMatch(/visible\s+0\s+0\s+.*routine$/);

    const received = await dq(['receive', queue, '--max', '2', '--delete', '--json']);
    expect(
      JSON.parse(received.stdout).messages.map((m: { body: string; priority?: number }) => [
        m.body,
        m.priority,
      ]),
    ).toEqual([
      ['urgent', 9],
      ['routine', undefined],
    ]);
  });
});
