import { expect, inject, test } from 'vitest';
import { shortRun } from '../../chaos/config';
import { formatReport } from '../../chaos/report';
import { runChaos } from '../../chaos/scenario';

/**
 * The short chaos run (see chaos/run.ts for the full one): producers, misbehaving consumers in
 * all three dialects and the sweeper at once, with throttling, timeouts, conflicts, lost
 * responses and unprocessed batches injected into DynamoDB calls. Every promise is checked.
 *
 * Smaller than `npm run chaos -- --short` so that it fits the suite's time on busy machines.
 * Every fault applies to every command, lost PutItem responses included (finding 2b, fixed).
 */
test('a short chaos run loses nothing, never doubles a lease and passes every check', async () => {
  const config = {
    ...shortRun,
    messages: 300,
    producers: 3,
  };
  const result = await runChaos(config, { dynamodbEndpoint: inject('dynamodbEndpoint') });
  const report = formatReport(result);
  // The figures are the point of the run: show them with the result.
  process.stdout.write(`${report}\n`);
  const [work] = result.checks.accounting;
  expect(result.checks.violations, report).toEqual([]);
  expect(work!.sent).toBe(config.messages);
  expect(work!.lost).toBe(0);
  // A run that injected nothing or dead-lettered nothing would prove little.
  expect(Object.values(result.faults.injected.throttle).length).toBeGreaterThan(0);
  expect(work!.dead).toBeGreaterThan(0);
}, 240_000);
