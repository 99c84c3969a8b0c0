import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTargetServer, type TargetServer, until } from '../push/target-server';
import { call, useLocalService } from '../support/local-service';
import { type CliOptions, runCli } from './run-cli';

/** dq's push consumer commands, the real binary against the local service with its dispatcher. */
const local = useLocalService({ push: true });
const dq = (args: string[], options: CliOptions = {}) => runCli(args, { endpoint: local.url(), ...options });
const json = async (args: string[]) => {
  const result = await dq([...args, '--json']);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout);
};
let target: TargetServer;
beforeAll(async () => {
  target = await startTargetServer();
});
afterAll(async () => {
  await target.close();
});

describe('dq consumers', { timeout: 120_000 }, () => {
  test('create with --url, list, disable (messages wait), enable (they arrive), delete asks unless --yes', async () => {
    const queue = `cli-push-${Date.now()}`;
    expect((await call(local.url(), 'POST', '/queues', { name: queue })).status).toBe(201);
    expect(await dq(['consumers', queue])).toMatchObject({
      code: 0,
      stdout: `No consumers on ${queue}. Add one with: dq consumer create ${queue} --url <url>\n`,
    });

    const created = await dq(['consumer', 'create', queue, '--url', target.url, '--batch-size', '5']);
    expect(created.code, created.stderr).toBe(0);
    const [, id] = /^Consumer ([0-9a-f]+) on /.exec(created.stdout)!;
    expect(created.stdout).toContain(`${target.url}, batches of 5`);
    expect(created.stdout).toMatch(/signing secret \(shown once\): \S+/);

    const listed = await dq(['consumers', queue]);
    expect(listed.stdout).toMatch(/^ID\s+TARGET\s+BATCH\s+WINDOW\s+CONCURRENCY\s+ITEM FAILURES\s+STATE\n/);
    expect(listed.stdout).toMatch(new RegExp(`\\n${id}\\s+\\S+\\s+5\\s+0s\\s+5\\s+no\\s+enabled\\n`));

    expect(await dq(['consumer', 'disable', queue, id!])).toMatchObject({
      code: 0,
      stdout: `Consumer ${id} of ${queue} disabled\n`,
    });
    const { consumers } = await json(['consumers', queue]);
    expect(consumers).toMatchObject([{ id, enabled: false, batchSize: 5 }]);
    expect(consumers[0].secret).toBeUndefined();

    const sent = await call(local.url(), 'POST', `/queues/${queue}/messages`, { body: 'while paused' });
    expect(sent.status).toBe(201);
    const bodies = () =>
      target.deliveries
        .filter((d) => d.event.Records[0]?.eventSourceARN.endsWith(`:${queue}`))
        .flatMap((d) => d.event.Records.map((r) => r.body));
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(bodies()).toEqual([]);
    expect((await dq(['consumer', 'enable', queue, id!])).code).toBe(0);
    await until(() => bodies().length === 1);
    expect(bodies()).toEqual(['while paused']);

    expect((await dq(['consumer', 'delete', queue, id!])).code).toBe(2);
    expect(await dq(['consumer', 'delete', queue, id!, '--yes'])).toMatchObject({
      code: 0,
      stdout: `Deleted consumer ${id} of ${queue}\n`,
    });
    expect((await json(['consumers', queue])).consumers).toEqual([]);
    const gone = await dq(['consumer', 'delete', queue, id!, '--yes']);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain(`There is no consumer ${id} on this queue`);
  });

  test('create needs exactly one target; the service refuses bad settings in its own words', async () => {
    const queue = `cli-push-bad-${Date.now()}`;
    expect((await call(local.url(), 'POST', '/queues', { name: queue })).status).toBe(201);
    const none = await dq(['consumer', 'create', queue]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('give exactly one of --url, --function, --module');
    const two = await dq(['consumer', 'create', queue, '--url', target.url, '--module', './x.mjs#handler']);
    expect(two.code).toBe(2);
    const big = await dq(['consumer', 'create', queue, '--url', target.url, '--batch-size', '500']);
    expect(big.code).toBe(1);
    expect(big.stderr).toContain('batchSize');
    const word = await dq(['consumer', 'create', queue, '--url', target.url, '--batch-size', 'ten']);
    expect(word.code).toBe(2);
    const created = await json(['consumer', 'create', queue, '--module', './x.mjs#handler', '--disabled']);
    expect(created).toMatchObject({ target: { module: './x.mjs#handler' }, enabled: false });
  });
});
