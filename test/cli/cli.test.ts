import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { version as packageVersion } from '../../package.json';
import { useLocalService } from '../support/local-service';
import { type CliOptions, collect, runCli, startCli, waitForText } from './run-cli';

/**
 * The command-line tool as a user runs it: the real binary in a child process, against the local
 * service (the deployed handlers over DynamoDB Local), sweeping and redriving every second.
 */
const local = useLocalService({ schedules: { everySeconds: { sweeper: 1, redrive: 1 } } });
const dq = (args: string[], options: CliOptions = {}) => runCli(args, { endpoint: local.url(), ...options });
const json = async (args: string[], options: CliOptions = {}) => {
  const result = await dq([...args, '--json'], options);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout);
};
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let counter = 0;
const name = (prefix: string) => `${prefix}-${++counter}-${Date.now()}`;

async function counts(queue: string) {
  const { queues } = await json(['list', '--prefix', queue]);
  return queues.find((q: { name: string }) => q.name === queue).messages;
}

describe('queues', () => {
  test('create, list as a table and as JSON, delete with --yes', async () => {
    const queue = name('cli-life');
    const created = await dq(['create', queue, '--visibility-timeout', '45']);
    expect(created).toMatchObject({ code: 0, stdout: expect.stringContaining(`Queue ${queue} ready`) });

    const listed = await dq(['list', '--prefix', queue]);
    expect(listed.code).toBe(0);
    const [header, row] = listed.stdout.trim().split('\n');
    expect(header).toMatch(/^NAME\s+VISIBLE\s+IN FLIGHT\s+DELAYED/);
    expect(row).toMatch(new RegExp(`^${queue}\\s+0\\s+0\\s+0`));

    const { queues } = await json(['list', '--prefix', queue]);
    expect(queues).toEqual([
      expect.objectContaining({
        name: queue,
        visibilityTimeoutSeconds: 45,
        messages: expect.objectContaining({ visible: 0, inFlight: 0, delayed: 0 }),
      }),
    ]);

    const deleted = await dq(['delete', queue, '--yes']);
    expect(deleted).toMatchObject({ code: 0, stdout: `Deleted queue ${queue}\n` });
    expect((await json(['list', '--prefix', queue])).queues).toEqual([]);
  });

  test('a redrive policy needs both options, and a dead-letter queue shows in the list', async () => {
    const dlq = name('cli-dlq');
    const queue = name('cli-src');
    expect((await dq(['create', queue, '--dead-letter-queue', dlq])).code).toBe(2);
    await dq(['create', dlq]);
    const created = await json(['create', queue, '--dead-letter-queue', dlq, '--max-receive-count', '3']);
    expect(created).toMatchObject({ deadLetterQueue: dlq, maxReceiveCount: 3 });
    expect((await dq(['list', '--prefix', queue])).stdout).toContain(`${dlq} (after 3)`);
  });
});

describe('messages', () => {
  test('send from arguments, a file and stdin (in batches of 10); receive --delete consumes', async () => {
    const queue = name('cli-msg');
    await dq(['create', queue]);
    expect(await dq(['send', queue, 'first', 'second'])).toMatchObject({
      code: 0,
      stdout: `Sent 2 messages to ${queue}\n`,
    });
    const file = join(tmpdir(), `${queue}.txt`);
    writeFileSync(file, 'from file 1\nfrom file 2\n\nfrom file 3\n');
    expect((await json(['send', queue, '--file', file])).sent).toBe(3);
    const lines = Array.from({ length: 25 }, (_, i) => `line ${i}`).join('\n');
    const piped = await json(['send', queue, '--attribute', 'source=stdin'], { input: `${lines}\n` });
    expect(piped).toMatchObject({ sent: 25, failed: [] });
    expect(await counts(queue)).toMatchObject({ visible: 30, inFlight: 0 });

    const received = await json(['receive', queue, '--max', '30', '--delete']);
    expect(received.messages).toHaveLength(30);
    expect(received.messages.map((m: { body: string }) => m.body)).toEqual(
      expect.arrayContaining(['first', 'second', 'from file 3', 'line 0', 'line 24']),
    );
    const fromStdin = received.messages.find((m: { body: string }) => m.body === 'line 7');
    expect(fromStdin.attributes).toEqual({ source: { dataType: 'String', stringValue: 'stdin' } });
    expect(await counts(queue)).toMatchObject({ visible: 0, inFlight: 0 });

    const empty = await dq(['receive', queue]);
    expect(empty).toMatchObject({ code: 0, stdout: expect.stringContaining('No messages') });
  });

  test('receive without --delete leaves the messages leased; the table shows them', async () => {
    const queue = name('cli-lease');
    await dq(['create', queue]);
    await dq(['send', queue, 'keep me']);
    const received = await dq(['receive', queue]);
    expect(received.stdout).toMatch(/MESSAGE ID\s+RECEIVES\s+SENT\s+BODY\n\S+\s+1\s+\S+ \S+\s+keep me/);
    expect(await counts(queue)).toMatchObject({ visible: 0, inFlight: 1 });
  });

  test('tail --delete prints a message sent after it started, then stops on a signal', async () => {
    const queue = name('cli-tail');
    await dq(['create', queue]);
    const tail = startCli(['tail', queue, '--delete'], { endpoint: local.url() });
    const done = collect(tail, 30_000);
    await waitForText(tail.stderr, 'Consuming');
    // Listen before sending: the line may come before `dq send` has even exited.
    const printed = waitForText(tail.stdout, 'arrived later');
    await dq(['send', queue, 'arrived later']);
    expect(await printed).toMatch(/^\d\d:\d\d:\d\d {2}\S+ {2}arrived later\n/);
    tail.kill('SIGINT');
    expect((await done).code).toBe(0);
    expect(await counts(queue)).toMatchObject({ visible: 0, inFlight: 0 });
  });
});

describe('dead letters', () => {
  test('a failing message is dead-lettered, browsed, and redriven with --wait', {
    timeout: 60_000,
  }, async () => {
    const dlq = name('cli-dl');
    const queue = name('cli-work');
    await dq(['create', dlq]);
    await dq([
      'create',
      queue,
      '--visibility-timeout',
      '1',
      '--dead-letter-queue',
      dlq,
      '--max-receive-count',
      '1',
    ]);
    await dq(['send', queue, 'poison', '--attribute', 'tenant=acme']);
    // The consumer takes it and never deletes it: when the lease ends the sweeper sets it aside.
    expect((await json(['receive', queue, '--wait', '5'])).messages).toHaveLength(1);
    let deadLetters: { messages: { messageId: string; deadLetter: { sourceQueue: string } }[] } = {
      messages: [],
    };
    for (let i = 0; i < 60 && deadLetters.messages.length === 0; i++) {
      await pause(250);
      deadLetters = await json(['dead-letters', dlq]);
    }
    expect(deadLetters.messages).toEqual([
      expect.objectContaining({
        body: 'poison',
        deadLetter: expect.objectContaining({ sourceQueue: queue }),
      }),
    ]);
    // The server filters by a String attribute.
    expect((await json(['dead-letters', dlq, '--attribute', 'tenant=acme'])).messages).toHaveLength(1);
    expect((await json(['dead-letters', dlq, '--attribute', 'tenant=globex'])).messages).toEqual([]);
    const browsed = await dq(['dead-letters', dlq]);
    expect(browsed.stdout).toMatch(
      new RegExp(`MESSAGE ID\\s+FROM\\s+RECEIVES[^\\n]*\\n\\S+\\s+${queue}\\s+1 `),
    );

    const redriven = await dq(['redrive', dlq, '--ids', deadLetters.messages[0]!.messageId, '--wait'], {
      timeoutMs: 40_000,
    });
    expect(redriven.code, redriven.stderr).toBe(0);
    expect(redriven.stdout).toMatch(/^Redrive \S+ COMPLETED: 1 of 1 moved/);
    expect(redriven.stderr).toContain('1/1 100%');
    expect(await counts(queue)).toMatchObject({ visible: 1 });

    const status = await json(['redrive', 'status', dlq]);
    expect(status.tasks[0]).toMatchObject({ status: 'COMPLETED', moved: 1, toMove: 1 });
    const cancelled = await dq(['redrive', 'cancel', dlq, status.tasks[0].taskId]);
    expect(cancelled.code).toBe(1);
  });
});

describe('purge', () => {
  test('refuses without a terminal and without --yes; purges with --yes', async () => {
    const queue = name('cli-purge');
    await dq(['create', queue]);
    await dq(['send', queue, 'a', 'b']);
    const refused = await dq(['purge', queue]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('pass --yes');
    expect(await counts(queue)).toMatchObject({ visible: 2 });
    expect(await json(['purge', queue, '--yes'])).toEqual({ name: queue, purged: 2, removal: 'background' });
  });
});

describe('exit statuses and errors that say what to do', () => {
  test('1 for an unknown queue, with the problem and a hint', async () => {
    const result = await dq(['receive', 'no-such-queue']);
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr).toContain('Queue does not exist: The queue no-such-queue does not exist');
    expect(result.stderr).toContain('dq list');
    const asJson = await dq(['receive', 'no-such-queue', '--json']);
    expect(asJson.code).toBe(1);
    expect(JSON.parse(asJson.stderr).error).toMatchObject({ status: 404, code: 'QueueDoesNotExist' });
  });

  test('2 for a bad option, a bad value or a missing argument', async () => {
    expect((await dq(['list', '--bogus'])).code).toBe(2);
    expect((await dq(['lsit'])).stderr).toContain('list');
    expect((await dq(['receive', 'q', '--max', 'many'])).code).toBe(2);
    expect((await dq(['create'])).code).toBe(2);
    expect((await dq(['list', '--endpoint', 'not a url'])).code).toBe(2);
  });

  test('2 for a send with nothing to send: empty stdin or an empty file, saying how to give messages', async () => {
    const queue = name('cli-empty');
    await dq(['create', queue]);
    const piped = await dq(['send', queue], { input: '' });
    expect(piped.code).toBe(2);
    expect(piped.stderr).toContain('no message to send: stdin has no non-empty line');
    expect(piped.stderr).toContain('give bodies as arguments, --file <path>, or pipe them in');
    expect(piped.stdout).not.toContain('Sent');
    const file = join(tmpdir(), `${queue}.txt`);
    writeFileSync(file, '\n\n');
    const fromFile = await dq(['send', queue, '--file', file]);
    expect(fromFile.code).toBe(2);
    expect(fromFile.stderr).toContain(`no message to send: ${file} has no non-empty line`);
    expect(await counts(queue)).toMatchObject({ visible: 0 });
  });

  test('3 when the service is unreachable, pointing at npm start and --endpoint', async () => {
    const result = await runCli(['list'], { endpoint: 'http://127.0.0.1:9' });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('cannot reach the queue service at http://127.0.0.1:9');
    expect(result.stderr).toContain('npm start');
  });

  test('--help documents the exit statuses', async () => {
    const help = await dq(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Exit status:\n\s+0 +done\n\s+1 +the service refused/);
  });

  test('--version prints the package version', async () => {
    const result = await dq(['--version']);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(packageVersion);
  });
});

test('npx dq runs the package’s own bin inside the repository', { timeout: 60_000 }, async () => {
  const queue = name('cli-npx');
  await dq(['create', queue]);
  const result = await runCli(['list', '--prefix', queue, '--json'], {
    endpoint: local.url(),
    command: ['npx', '--no-install', 'dq'],
    timeoutMs: 50_000,
  });
  expect(result.code, result.stderr).toBe(0);
  expect(JSON.parse(result.stdout).queues.map((q: { name: string }) => q.name)).toEqual([queue]);
});
