import { describe, expect, test } from 'vitest';
import { call, useLocalService } from '../support/local-service';
import { type CliOptions, runCli } from './run-cli';

/**
 * The archive from the terminal: the setting (`dq create/update --archive-retention`), browsing
 * (`dq archive`), and replays (`dq replay ... --wait` with its progress, status, cancel), against the
 * local service with the sweeper (which runs replays) every second.
 */
const local = useLocalService({ schedules: { everySeconds: { sweeper: 1, redrive: 1 } } });
const dq = (args: string[], options: CliOptions = {}) => runCli(args, { endpoint: local.url(), ...options });
const json = async (args: string[], options: CliOptions = {}) => {
  const result = await dq([...args, '--json'], options);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout);
};
const settings = async (queue: string) => (await call(local.url(), 'GET', `/queues/${queue}`)).body;

let counter = 0;
const name = (prefix: string) => `${prefix}-${++counter}-${Date.now()}`;

describe('dq archive and dq replay', () => {
  test('the setting on create and update, browse with paging and a filter', {
    timeout: 60_000,
  }, async () => {
    const queue = name('cli-arch');
    expect((await dq(['create', queue, '--archive-retention', '3600'])).code).toBe(0);
    expect(await settings(queue)).toMatchObject({ archiveRetentionSeconds: 3600 });
    const updated = await dq(['update', queue, '--archive-retention', '7200']);
    expect(updated).toMatchObject({ code: 0, stdout: `Queue ${queue} updated: archive kept 7200 s\n` });
    expect((await dq(['update', queue, '--archive-retention', '-1'])).code).toBe(2);

    // One send each, so that each has its own sent time (a batch's share one, and order within it is not kept).
    for (const body of ['one', 'two', 'three']) await dq(['send', queue, body, '--attribute', 'tenant=acme']);
    await dq(['send', queue, 'four', '--attribute', 'tenant=globex']);
    // Consumed messages stay in the archive.
    expect((await json(['receive', queue, '--max', '10', '--delete'])).messages).toHaveLength(4);

    const all = await json(['archive', queue, '--from', '1h']);
    expect(all.messages.map((m: { body: string }) => m.body)).toEqual(['one', 'two', 'three', 'four']);
    const first = await json(['archive', queue, '--limit', '2']);
    expect(first.messages.map((m: { body: string }) => m.body)).toEqual(['one', 'two']);
    const rest = await json(['archive', queue, '--limit', '2', '--next-token', first.nextToken]);
    expect(rest.messages.map((m: { body: string }) => m.body)).toEqual(['three', 'four']);
    const acme = await json(['archive', queue, '--attribute', 'tenant=globex']);
    expect(acme.messages.map((m: { body: string }) => m.body)).toEqual(['four']);

    const table = await dq(['archive', queue, '--limit', '2']);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/^MESSAGE ID\s+SENT\s+GROUP\s+KEPT UNTIL\s+BODY\n\S+\s+\d{4}-[^\n]*one\n/);
    expect(table.stdout).toContain(`More: dq archive ${queue} --next-token `);
    expect((await dq(['archive', queue, '--from', 'yesterday'])).code).toBe(2);
    expect((await dq(['archive', queue, '--from', '1m', '--to', '2h'])).code).not.toBe(0);
  });

  test('replay --wait into another queue shows progress; status and cancel', {
    timeout: 90_000,
  }, async () => {
    const queue = name('cli-rep');
    const audit = name('cli-rep-audit');
    await dq(['create', queue, '--archive-retention', '3600']);
    await dq(['create', audit]);
    const from = new Date(Date.now() - 60_000).toISOString();
    await dq(['send', queue, 'a', 'b', 'c', '--attribute', 'tenant=acme']);
    await json(['receive', queue, '--max', '10', '--delete']);

    expect((await dq(['replay', queue])).code).toBe(2);
    const replayed = await dq(['replay', queue, '--from', from, '--to-queue', audit, '--wait'], {
      timeoutMs: 60_000,
    });
    expect(replayed.code, replayed.stderr).toBe(0);
    expect(replayed.stdout).toMatch(
      new RegExp(`^Replay \\S+ COMPLETED: 3 of 3 replayed from ${queue}'s archive into ${audit}\\n`),
    );
    expect(replayed.stderr).toContain('3/3 100%');

    const received = await json(['receive', audit, '--max', '10', '--delete']);
    expect(received.messages.map((m: { body: string }) => m.body).sort()).toEqual(['a', 'b', 'c']);
    const archived = await json(['archive', queue]);
    const originals = archived.messages.map((m: { messageId: string }) => m.messageId).sort();
    expect(received.messages.map((m: { replayOf: string }) => m.replayOf).sort()).toEqual(originals);

    const status = await json(['replay', 'status', queue]);
    expect(status.replays[0]).toMatchObject({
      status: 'COMPLETED',
      replayed: 3,
      toReplay: 3,
      destination: audit,
    });
    const one = await json(['replay', 'status', queue, status.replays[0].taskId]);
    expect(one).toMatchObject({ taskId: status.replays[0].taskId, status: 'COMPLETED' });
    const listed = await dq(['replay', 'status', queue]);
    expect(listed.stdout).toMatch(
      /^TASK ID\s+STATUS\s+REPLAYED\s+TO\s+RANGE\s+STARTED\n\S+\s+COMPLETED\s+3\/3/,
    );
    // A finished replay cannot be cancelled: the service refuses, dq says so with a non-zero exit.
    expect((await dq(['replay', 'cancel', queue, status.replays[0].taskId])).code).not.toBe(0);

    // A slow replay (1 a second) started without --wait can be cancelled while it runs.
    await dq(['send', queue, ...Array.from({ length: 20 }, (_, i) => `slow ${i}`)]);
    const started = await json(['replay', queue, '--from', from, '--to-queue', audit, '--rate', '1']);
    expect(started).toMatchObject({ status: 'RUNNING' });
    const cancelled = await json(['replay', 'cancel', queue, started.taskId]);
    expect(['CANCELLING', 'CANCELLED']).toContain(cancelled.status);
    const ended = await dq(['replay', 'status', queue, started.taskId, '--wait'], { timeoutMs: 30_000 });
    expect(ended.code, ended.stderr).toBe(0);
    expect(ended.stdout).toMatch(/CANCELLED/);
  });

  test('a queue without an archive: an empty listing that says how to turn it on', async () => {
    const queue = name('cli-noarch');
    await dq(['create', queue]);
    await dq(['send', queue, 'not kept']);
    const browsed = await dq(['archive', queue]);
    expect(browsed).toMatchObject({
      code: 0,
      stdout: `${queue} keeps no archive; turn it on with: dq update ${queue} --archive-retention <seconds>\n`,
    });
    expect((await json(['archive', queue])).messages).toEqual([]);
  });
});
