import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { useLocalService } from '../support/local-service';
import { type CliOptions, runCli } from './run-cli';

/** dq's topic commands, the real binary against the local service. */
const local = useLocalService();
const dq = (args: string[], options: CliOptions = {}) => runCli(args, { endpoint: local.url(), ...options });
const json = async (args: string[], options: CliOptions = {}) => {
  const result = await dq([...args, '--json'], options);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout);
};
let counter = 0;
const name = (prefix: string) => `${prefix}-${++counter}-${Date.now()}`;

async function bodiesIn(queue: string): Promise<string[]> {
  const { messages } = await json(['receive', queue, '--max', '50', '--delete']);
  return messages.map((m: { body: string }) => m.body).sort();
}

describe('dq topics', { timeout: 120_000 }, () => {
  test('create (again: the same topic), list as a table and JSON, delete asks unless --yes', async () => {
    const topic = name('cli-topic');
    const fifo = `${name('cli-topic')}.fifo`;
    expect(await dq(['topics', 'create', topic, '--tag', 'team=ops'])).toMatchObject({
      code: 0,
      stdout: `Topic ${topic} ready (arn:aws:sns:us-east-1:000000000000:${topic})\n`,
    });
    expect((await dq(['topics', 'create', topic, '--tag', 'team=ops'])).code).toBe(0);
    expect(await json(['topics', 'create', fifo, '--content-based-deduplication'])).toMatchObject({
      name: fifo,
      fifo: true,
      contentBasedDeduplication: true,
    });

    const listed = await dq(['topics']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/^NAME\s+TYPE\s+ARN\n/);
    expect(listed.stdout).toMatch(new RegExp(`\\n${topic}\\s+standard\\s+arn:aws:sns:`));
    expect(listed.stdout).toMatch(new RegExp(`\\n${fifo.replace('.', '\\.')}\\s+FIFO\\s+`));
    const { topics } = await json(['topics', 'list']);
    expect(topics.map((t: { name: string }) => t.name)).toEqual(expect.arrayContaining([topic, fifo]));

    const unconfirmed = await dq(['topics', 'delete', topic]);
    expect(unconfirmed.code).toBe(2);
    expect(await dq(['topics', 'delete', topic, '--yes'])).toMatchObject({
      code: 0,
      stdout: `Deleted topic ${topic}\n`,
    });
    const gone = await dq(['topics', 'delete', topic, '--yes']);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain('Topic does not exist');
    expect(gone.stderr).toContain('dq topics');
  });

  test('subscribe queues with filter policies (inline and from a file), publish, and each queue gets what matches', async () => {
    const topic = name('cli-orders');
    const paid = name('cli-paid');
    const high = name('cli-high');
    const audit = name('cli-audit');
    await dq(['topics', 'create', topic]);
    for (const queue of [paid, high, audit]) expect((await dq(['create', queue])).code).toBe(0);

    const paidSub = await json([
      'subscribe',
      topic,
      paid,
      '--scope',
      'body',
      '--filter-policy',
      '{"state":["paid"]}',
      '--raw',
    ]);
    expect(paidSub).toMatchObject({
      protocol: 'queue',
      endpoint: `arn:aws:sqs:us-east-1:000000000000:${paid}`,
      filterPolicy: { state: ['paid'] },
      filterPolicyScope: 'body',
      rawDelivery: true,
    });
    const policyFile = join(tmpdir(), `${high}-policy.json`);
    writeFileSync(policyFile, JSON.stringify({ priority: [{ numeric: ['>=', 5] }] }));
    const highSub = await dq(['subscribe', topic, high, '--filter-policy', policyFile, '--raw']);
    expect(highSub.code, highSub.stderr).toBe(0);
    expect(highSub.stdout).toContain(`Subscribed ${high} to ${topic}: subscription `);
    expect(highSub.stdout).toContain('filter (attributes): {"priority":[{"numeric":[">=",5]}]}');
    await json(['subscribe', topic, audit]);

    const listed = await dq(['subscriptions', topic]);
    expect(listed.stdout).toMatch(/^ID\s+PROTOCOL\s+ENDPOINT\s+DELIVERY\s+STATUS\s+FILTER\n/);
    expect(listed.stdout).toMatch(
      new RegExp(`${paid}\\s+raw\\s+confirmed\\s+body: \\{"state":\\["paid"\\]\\}`),
    );
    expect(listed.stdout).toMatch(new RegExp(`${audit}\\s+envelope\\s+confirmed\\s*\\n?`));

    // One message: the answer names the subscriptions it matched.
    const one = await json([
      'publish',
      topic,
      '{"state":"paid"}',
      '--attr',
      'priority:Number=7',
      '--subject',
      'order 1',
    ]);
    expect(one.matched).toContain(paidSub.id);
    expect(one.matched).toHaveLength(3);
    const human = await dq(['publish', topic, '{"state":"open"}', '--attr', 'priority:Number=1']);
    expect(human.stdout).toMatch(/^Published \S+ to \S+: matched 1 subscription \(\S+\)\n$/);
    // Several: batches, from stdin.
    const piped = await json(['publish', topic, '--attr', 'priority:Number=9'], {
      input: '{"state":"paid","n":1}\n{"state":"open","n":2}\n',
    });
    expect(piped).toMatchObject({ published: 2, failed: [] });

    expect(await bodiesIn(paid)).toEqual(['{"state":"paid","n":1}', '{"state":"paid"}']);
    expect(await bodiesIn(high)).toEqual([
      '{"state":"open","n":2}',
      '{"state":"paid","n":1}',
      '{"state":"paid"}',
    ]);
    const envelopes = await bodiesIn(audit);
    expect(envelopes).toHaveLength(4);
    const first = envelopes.map((b) => JSON.parse(b)).find((e) => e.Message === '{"state":"paid"}');
    expect(first).toMatchObject({
      Type: 'Notification',
      Subject: 'order 1',
      MessageAttributes: { priority: { Type: 'Number', Value: '7' } },
    });

    // Unsubscribe by topic and id, and by ARN; then nothing is delivered to those queues.
    expect(await dq(['unsubscribe', topic, paidSub.id])).toMatchObject({ code: 0 });
    const { subscriptions } = await json(['subscriptions', topic]);
    const auditSub = subscriptions.find((s: { endpoint: string }) => s.endpoint.endsWith(audit));
    expect((await dq(['unsubscribe', auditSub.arn])).code).toBe(0);
    const after = await json(['publish', topic, '{"state":"paid"}', '--attr', 'priority:Number=1']);
    expect(after.matched).toEqual([]);
    expect((await json(['subscriptions', topic])).subscriptions).toHaveLength(1);
  });

  test('bad input: usage errors (2) from dq, refusals (1) with the service’s reason', async () => {
    const topic = name('cli-bad');
    await dq(['topics', 'create', topic]);
    const queue = name('cli-bad-q');
    await dq(['create', queue]);

    const notJson = await dq(['subscribe', topic, queue, '--filter-policy', '{"state":']);
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toContain('--filter-policy is not valid JSON');
    const noFile = await dq(['subscribe', topic, queue, '--filter-policy', '/nonexistent/policy.json']);
    expect(noFile.code).toBe(2);
    expect(noFile.stderr).toContain('neither JSON nor a readable file');
    const badPolicy = await dq(['subscribe', topic, queue, '--filter-policy', '{"a":[{"numeric":["<"]}]}']);
    expect(badPolicy.code).toBe(1);
    expect(badPolicy.stderr).toContain('FilterPolicy: Value of < must be numeric');

    const badType = await dq(['publish', topic, 'x', '--attr', 'n:Float=1']);
    expect(badType.code).toBe(2);
    expect(badType.stderr).toContain('the type must be String, Number, String.Array or Binary');
    const badNumber = await dq(['publish', topic, 'x', '--attr', 'n:Number=abc']);
    expect(badNumber.code).toBe(1);
    expect(badNumber.stderr).toContain('n');

    const unknown = await dq(['publish', `${topic}-missing`, 'x']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('Topic does not exist');
    const badArn = await dq(['unsubscribe', 'not-an-arn']);
    expect(badArn.code).toBe(2);
    const noSub = await dq(['unsubscribe', topic, '00000000-0000-4000-8000-000000000000']);
    expect(noSub.code).toBe(1);
    expect(noSub.stderr).toContain('dq subscriptions');

    const fifo = `${topic}.fifo`;
    await dq(['topics', 'create', fifo]);
    const noGroup = await dq(['publish', fifo, 'x', '--deduplication-id', 'd1']);
    expect(noGroup.code).toBe(1);
    expect(noGroup.stderr).toContain('MessageGroupId');
    const twoWithOneId = await dq(['publish', fifo, 'a', 'b', '--group', 'g', '--deduplication-id', 'd']);
    expect(twoWithOneId.code).toBe(2);
  });
});
