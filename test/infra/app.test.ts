import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { repositoryRoot } from '../../infra/aws/bundling';
import { defaultStackName } from '../../infra/aws/queue-app';
import { synthQueueStack } from './synth';

const run = promisify(execFile);

describe('the CDK app', () => {
  it('needs no context lookups (nothing to fetch from an AWS account at synthesis)', () => {
    const { app, stack } = synthQueueStack();
    const assembly = app.synth();
    expect(assembly.manifest.missing ?? []).toEqual([]);
    // Environment-agnostic: account and region are resolved by CloudFormation at deploy time.
    expect(stack.resolve(stack.account)).toEqual({ Ref: 'AWS::AccountId' });
    expect(stack.resolve(stack.region)).toEqual({ Ref: 'AWS::Region' });
  });

  it('takes its stack name from context', () => {
    expect(synthQueueStack().stack.stackName).toBe(defaultStackName);
    expect(synthQueueStack({ context: { 'queue:stackName': 'QueueDev' } }).stack.stackName).toBe('QueueDev');
  });

  it('`cdk synth` succeeds without AWS credentials and without lookups', async () => {
    const outdir = mkdtempSync(join(tmpdir(), 'queue-cli-synth-'));
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const key of Object.keys(env)) if (/^AWS_(ACCESS|SECRET|SESSION|PROFILE)/.test(key)) delete env[key];
    Object.assign(env, {
      AWS_CONFIG_FILE: join(outdir, 'no-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(outdir, 'no-credentials'),
      // The CLI looks for a default account; without this it also asks the EC2 metadata endpoint.
      AWS_EC2_METADATA_DISABLED: 'true',
      CDK_DISABLE_VERSION_CHECK: '1',
    });
    // Asynchronous, so the test worker keeps answering vitest while esbuild bundles.
    const failure = await run('npx', ['cdk', 'synth', '--quiet', '--no-lookups', '--output', outdir], {
      cwd: repositoryRoot,
      env,
      timeout: 280_000,
      maxBuffer: 16 * 1024 * 1024,
    }).then(
      () => undefined,
      (error: Error & { stderr?: string }) => `${error.message}\n${error.stderr ?? ''}`,
    );
    expect(failure).toBeUndefined();
    expect(existsSync(join(outdir, `${defaultStackName}.template.json`))).toBe(true);
    const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')) as {
      missing?: unknown[];
    };
    expect(manifest.missing ?? []).toEqual([]);
  }, 300_000);
});
