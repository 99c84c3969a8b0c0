import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { expect, test } from 'vitest';
import { useLocalService } from '../support/local-service';

/** The README's topic examples run as written, against the local service (its URL for 127.0.0.1:9324). */
const run = promisify(execFile);
const { url } = useLocalService();

function topicBlocks(): string[] {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const start = readme.indexOf('## Topics (SNS)');
  // Up to the next section, whichever it is.
  const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
  return [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

test('the curl and aws CLI examples of the Topics section work', async () => {
  const blocks = topicBlocks();
  expect(blocks).toHaveLength(3);
  const script = blocks.join('\n').replaceAll('http://127.0.0.1:9324', url());
  const env = {
    ...process.env,
    DQ_ENDPOINT: url(),
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  };
  const { stdout } = await run('bash', ['-e', '-c', script], { env });
  // The paid order reached paid-orders as published, the open one did not; audit got both, enveloped.
  expect(stdout).toContain('"body":"{\\"state\\":\\"paid\\",\\"total\\":250}"');
  expect(stdout).not.toContain('"body":"{\\"state\\":\\"open\\"');
  expect(stdout).toContain('\\"Type\\": \\"Notification\\"');
  expect(stdout).toContain('"TopicArn": "arn:aws:sns:us-east-1:000000000000:alerts"');
  expect(stdout).toMatch(/"MessageId": "[0-9a-f-]{36}"/);
  // dq: the eu parcel matched the filter, the us one did not.
  expect(stdout).toMatch(/Published \S+ to shipments: matched 1 subscription \(\S+\)/);
  expect(stdout).toContain('to shipments: it matched no subscription');
}, 180_000);
