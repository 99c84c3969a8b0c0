import { describe, expect, test } from 'vitest';
import { call, useLocalService } from '../support/local-service';
import { type CliOptions, runCli } from './run-cli';

/**
 * FIFO queues and settings from the terminal: `dq create` of a FIFO queue (content-based
 * deduplication unless told otherwise), `dq send --group-id/--deduplication-id`, and `dq update`.
 */
const local = useLocalService();
const dq = (args: string[], options: CliOptions = {}) => runCli(args, { endpoint: local.url(), ...options });
const settings = async (queue: string) => (await call(local.url(), 'GET', `/queues/${queue}`)).body;
const bodies = async (queue: string) =>
  (await call(local.url(), 'GET', `/queues/${queue}/messages?limit=50`)).body.messages.map(
    (m: { body: string }) => m.body,
  );

let counter = 0;
const name = (prefix: string) => `${prefix}-${++counter}-${Date.now()}`;

describe('FIFO queues', () => {
  test('a .fifo name creates a FIFO queue with content-based deduplication; sends keep their group order', async () => {
    const queue = `${name('cli-orders')}.fifo`;
    const created = await dq(['create', queue]);
    expect(created.code, created.stderr).toBe(0);
    expect(await settings(queue)).toMatchObject({ fifo: true, contentBasedDeduplication: true });

    const sent = await dq(['send', queue, 'first', 'second', 'first', '--group-id', 'account-7']);
    expect(sent.code, sent.stderr).toBe(0);
    // The repeated body is a duplicate within 5 minutes: accepted, stored once.
    expect(await bodies(queue)).toEqual(['first', 'second']);
    const received = await dq(['receive', queue, '--max', '10', '--json']);
    expect(JSON.parse(received.stdout).messages.map((m: { body: string }) => m.body)).toEqual([
      'first',
      'second',
    ]);
  });

  test('--fifo --no-content-based-deduplication needs --deduplication-id on each send', async () => {
    const queue = `${name('cli-ledger')}.fifo`;
    expect((await dq(['create', queue, '--fifo', '--no-content-based-deduplication'])).code).toBe(0);
    expect(await settings(queue)).toMatchObject({ fifo: true, contentBasedDeduplication: false });

    const without = await dq(['send', queue, 'debit 10', '--group-id', 'a']);
    expect(without.code).toBe(1);
    expect(without.stdout + without.stderr).toMatch(/deduplication/i);

    for (let i = 0; i < 2; i++) {
      const sent = await dq(['send', queue, 'debit 10', '--group-id', 'a', '--deduplication-id', 'd-1']);
      expect(sent.code, sent.stderr).toBe(0);
    }
    expect(await bodies(queue)).toEqual(['debit 10']);

    const several = await dq(['send', queue, 'x', 'y', '--group-id', 'a', '--deduplication-id', 'd-2']);
    expect(several.code).toBe(2);
    expect(several.stderr).toMatch(/--deduplication-id names one message.*nothing was sent/);
    expect(await bodies(queue)).toEqual(['debit 10']);
  });

  test('the old --group spelling still works', async () => {
    const queue = `${name('cli-old')}.fifo`;
    await dq(['create', queue]);
    expect((await dq(['send', queue, 'hello', '--group', 'g'])).code).toBe(0);
    expect(await bodies(queue)).toEqual(['hello']);
  });
});

describe('dq update', () => {
  test('changes only the settings given, and the redrive policy on and off', async () => {
    const queue = name('cli-upd');
    const dlq = name('cli-upd-dlq');
    await dq(['create', dlq]);
    await dq(['create', queue, '--visibility-timeout', '30', '--delay', '5']);

    const updated = await dq(['update', queue, '--visibility-timeout', '60']);
    expect(updated).toMatchObject({ code: 0, stdout: `Queue ${queue} updated: visibility timeout 60 s\n` });
    expect(await settings(queue)).toMatchObject({ visibilityTimeoutSeconds: 60, delaySeconds: 5 });

    const withPolicy = await dq([
      'update',
      queue,
      '--dead-letter-queue',
      dlq,
      '--max-receive-count',
      '3',
      '--json',
    ]);
    expect(JSON.parse(withPolicy.stdout)).toMatchObject({ deadLetterQueue: dlq, maxReceiveCount: 3 });
    expect((await dq(['update', queue, '--no-dead-letter-queue'])).code).toBe(0);
    const cleared = await settings(queue);
    expect(cleared.deadLetterQueue).toBeUndefined();
    expect(cleared.maxReceiveCount).toBeUndefined();
  });

  test('turns content-based deduplication on for a FIFO queue', async () => {
    const queue = `${name('cli-upd')}.fifo`;
    await dq(['create', queue, '--no-content-based-deduplication']);
    expect((await dq(['update', queue, '--content-based-deduplication'])).code).toBe(0);
    expect(await settings(queue)).toMatchObject({ contentBasedDeduplication: true });
    expect((await dq(['send', queue, 'now it works', '--group-id', 'g'])).code).toBe(0);
  });

  test('nothing to change, an unknown queue, a bad value: clear errors', async () => {
    const nothing = await dq(['update', 'whatever']);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toMatch(/nothing to change/);
    const unknown = await dq(['update', name('cli-none'), '--delay', '1']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/dq list/);
    const bad = await dq(['update', 'whatever', '--visibility-timeout', '50000']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--visibility-timeout must be a whole number from 0 to 43200/);
  });

  test('creating a queue again with other settings points at dq update', async () => {
    const queue = name('cli-again');
    await dq(['create', queue, '--visibility-timeout', '30']);
    const again = await dq(['create', queue, '--visibility-timeout', '45']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/dq update/);
  });
});
