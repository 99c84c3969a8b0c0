import { execFile } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { cleanEnv, repoRoot } from '../cli/run-cli';
import { useLocalService } from '../support/local-service';

/**
 * The package as a CDK user gets it: `npm pack`, installed from the tarball into a fresh app
 * (offline: the tarball's dependencies, aws-cdk-lib, constructs and esbuild are this checkout's,
 * linked into the app's node_modules before npm runs, so npm finds them installed), an app that
 * uses the construct, its grants and metrics and the REST client in a few lines, type-checked by
 * tsc (module nodenext), synthesized with real bundling of every function from the installed
 * package, and the client run against the local service.
 */
const run = promisify(execFile);
const { url } = useLocalService();
let work: string;
let app: string;
let shipped: string[];

const appSource = `import { App, CfnOutput, Stack } from 'aws-cdk-lib';
import { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { AccountRootPrincipal, Role } from 'aws-cdk-lib/aws-iam';
import { QueueService } from 'dynamo-queue';

const app = new App({ outdir: process.argv[2] });
const stack = new Stack(app, 'UserStack');
const queues = new QueueService(stack, 'Queues', { tablePrefix: 'user-' });

const worker = new Role(stack, 'Worker', { assumedBy: new AccountRootPrincipal() });
queues.grantSend(worker, { queues: ['orders-*'] });
queues.grantConsume(worker);
const operator = new Role(stack, 'Operator', { assumedBy: new AccountRootPrincipal() });
queues.grantAdminister(operator);
queues.grantManageAccessKeys(operator);

new Alarm(stack, 'Backlog', {
  metric: queues.metricApproximateAgeOfOldestMessage(),
  threshold: 600,
  evaluationPeriods: 1,
});
new CfnOutput(stack, 'QueueApiUrl', { value: queues.apiUrl });
new CfnOutput(stack, 'QueueTable', { value: queues.messagesTableName });
app.synth();
`;

const clientSource = `import { QueueApiError, QueueClient, type Queue } from 'dynamo-queue/client';

const client = new QueueClient({ endpoint: process.argv[2]! });
const queue: Queue = await client.createQueue({ name: 'from-the-package', visibilityTimeoutSeconds: 30 });
await client.sendMessage(queue.name, { body: 'hello', attributes: { kind: 'greeting' } });
const [message] = await client.receiveMessages(queue.name, { waitTimeSeconds: 1 });
await client.deleteMessage(queue.name, message!.receiptHandle);
let refused: { status: number; code: string | undefined } | undefined;
try {
  await client.getQueue('no-such-queue');
} catch (error) {
  if (error instanceof QueueApiError) refused = { status: error.status, code: error.code };
}
console.log(JSON.stringify({ name: queue.name, body: message!.body, refused }));
`;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'dq-user-app-'));
  const env = cleanEnv({ npm_config_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false' });
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', work], {
    cwd: repoRoot,
    env,
    maxBuffer: 1 << 24,
  });
  // prepack's build prints lines before npm's JSON.
  const [packed] = JSON.parse(stdout.slice(stdout.indexOf('[')));
  shipped = packed.files.map((file: { path: string }) => file.path).sort();

  app = join(work, 'app');
  mkdirSync(join(app, 'node_modules', '.bin'), { recursive: true });
  // A CDK app's own dependencies, at the versions this checkout has (linked below).
  const versionOf = (name: string) =>
    JSON.parse(readFileSync(join(repoRoot, 'node_modules', name, 'package.json'), 'utf8')).version as string;
  const own = ['aws-cdk-lib', 'constructs', 'esbuild'];
  writeFileSync(
    join(app, 'package.json'),
    JSON.stringify({
      name: 'queue-user-app',
      private: true,
      type: 'module',
      dependencies: Object.fromEntries(own.map((name) => [name, `^${versionOf(name)}`])),
    }),
  );
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
  const linked = [...Object.keys(manifest.dependencies), ...own];
  for (const name of linked) {
    mkdirSync(join(app, 'node_modules', name, '..'), { recursive: true });
    symlinkSync(join(repoRoot, 'node_modules', name), join(app, 'node_modules', name), 'dir');
  }
  symlinkSync(
    join(repoRoot, 'node_modules', 'esbuild', 'bin', 'esbuild'),
    join(app, 'node_modules/.bin/esbuild'),
  );
  await run('npm', ['install', join(work, packed.filename)], { cwd: app, env });

  writeFileSync(
    join(app, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'nodenext',
        moduleResolution: 'nodenext',
        strict: true,
        skipLibCheck: true,
        types: ['node'],
        typeRoots: [join(repoRoot, 'node_modules/@types')],
        outDir: 'built',
      },
      include: ['app.ts', 'client.ts'],
    }),
  );
  writeFileSync(join(app, 'app.ts'), appSource);
  writeFileSync(join(app, 'client.ts'), clientSource);
}, 240_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

/** The policy statements of a role, with CloudFormation references written as <placeholders>. */
function statementsOf(template: Template, rolePrefix: string): unknown[] {
  const render = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(render);
    if (typeof value !== 'object' || value === null) return value;
    const object = value as Record<string, unknown>;
    if ('Fn::Join' in object) {
      const [separator, parts] = object['Fn::Join'] as [string, unknown[]];
      return parts.map(render).join(separator);
    }
    if ('Ref' in object) {
      const ref = String(object.Ref);
      if (ref.startsWith('AWS::')) return `<${ref.slice(5).toLowerCase().replace('accountid', 'account')}>`;
      return ref.includes('HttpApi') ? '<api>' : `<${ref.replace(/[0-9A-F]{8}$/, '')}>`;
    }
    if ('Fn::GetAtt' in object)
      return `<${String((object['Fn::GetAtt'] as string[])[0]).replace(/[0-9A-F]{8}$/, '')}>`;
    return Object.fromEntries(Object.entries(object).map(([key, inner]) => [key, render(inner)]));
  };
  const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((policy) =>
    (policy.Properties.Roles as { Ref: string }[]).some((role) => role.Ref.startsWith(rolePrefix)),
  );
  return policies.flatMap((policy) => render(policy.Properties.PolicyDocument.Statement) as unknown[]);
}

describe('the packed package in a user CDK app', () => {
  test('ships the dq bin and tool, the library, the client and the postinstall script, and nothing else', () => {
    expect(shipped.filter((file) => !file.startsWith('dist/'))).toEqual([
      'README.md',
      'bin/dynamo-queue.mjs',
      'package.json',
      'scripts/fetch-dynamodb-local.mjs',
    ]);
    expect(shipped).toEqual(
      expect.arrayContaining([
        'dist/cli/dq.mjs',
        'dist/lib/index.js',
        'dist/lib/client.js',
        'dist/types/infra/aws/index.d.ts',
        'dist/types/client/index.d.ts',
        'dist/handlers/queues.js',
        'dist/console-assets.json',
        'dist/openapi.json',
      ]),
    );
    // Built output only: no TypeScript sources, tests, source maps or leftovers of a build.
    expect(shipped.filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))).toEqual([]);
    expect(shipped.filter((file) => /test|\.map$|\.build-/.test(file))).toEqual([]);
  });

  test('installs with the construct, the client and the CLI, and no sources or tests', () => {
    const installed = join(app, 'node_modules', 'dynamo-queue');
    expect(existsSync(join(installed, 'dist/lib/index.js'))).toBe(true);
    expect(existsSync(join(installed, 'dist/lib/client.js'))).toBe(true);
    expect(existsSync(join(installed, 'dist/types/infra/aws/index.d.ts'))).toBe(true);
    expect(existsSync(join(app, 'node_modules/.bin/dq'))).toBe(true);
    expect(readdirSync(installed).sort()).toEqual(['README.md', 'bin', 'dist', 'package.json', 'scripts']);
  });

  test('type-checks (nodenext) and synthesizes with every function bundled from the package', {
    timeout: 180_000,
  }, async () => {
    const tsc = join(repoRoot, 'node_modules/typescript/bin/tsc');
    await run(process.execPath, [tsc, '-p', app], { cwd: app, env: cleanEnv() }).catch((error) => {
      throw new Error(`tsc failed in the user app:\n${error.stdout}${error.stderr}`);
    });
    const outdir = join(app, 'cdk.out');
    await run(process.execPath, [join(app, 'built/app.js'), outdir], { cwd: app, env: cleanEnv() });
    const template = Template.fromJSON(
      JSON.parse(readFileSync(join(outdir, 'UserStack.template.json'), 'utf8')),
    );

    // Every function is an asset esbuild bundled here, from the installed package.
    const functions = template.findResources('AWS::Lambda::Function');
    // The eight queue functions, topics, push delivery's consumers and dispatcher, and the counter.
    expect(Object.keys(functions)).toHaveLength(12);
    const bundles = readdirSync(outdir).filter((name) => name.startsWith('asset.'));
    const withCode = bundles.filter((dir) => existsSync(join(outdir, dir, 'index.mjs')));
    expect(withCode.length).toBeGreaterThanOrEqual(8);
    expect(bundles.some((dir) => existsSync(join(outdir, dir, 'console-assets.json')))).toBe(true);
    // The queues function serves the OpenAPI document from the file beside its code, written at synth.
    const withDocument = bundles.filter((dir) => existsSync(join(outdir, dir, 'openapi.json')));
    expect(withDocument).toHaveLength(1);
    const served = await run(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const { handler } = await import(${JSON.stringify(join(outdir, withDocument[0]!, 'index.mjs'))});
         const reply = await handler({ routeKey: 'GET /openapi.json', requestContext: {}, headers: {} }, {});
         process.stdout.write(JSON.stringify({ status: reply.statusCode, openapi: JSON.parse(reply.body).openapi }));`,
      ],
      { cwd: app, env: { ...cleanEnv(), RECEIPT_HANDLE_SECRET: 'x'.repeat(32), AWS_REGION: 'us-east-1' } },
    );
    expect(JSON.parse(served.stdout)).toEqual({ status: 200, openapi: '3.1.0' });
    template.resourceCountIs('AWS::DynamoDB::Table', 2);
    template.hasResourceProperties('AWS::DynamoDB::Table', { TableName: 'user-messages' });

    // grantSend limited to orders-* queues, grantConsume on every queue; access keys by their partition.
    const worker = statementsOf(template, 'Worker');
    const arn = (route: string) => `arn:<partition>:execute-api:<region>:<account>:<api>/$default/${route}`;
    expect(worker).toEqual([
      {
        Action: 'execute-api:Invoke',
        Effect: 'Allow',
        // Sending includes cancelling what one scheduled.
        Resource: [arn('POST/queues/orders-*/messages'), arn('DELETE/queues/orders-*/messages/scheduled/*')],
      },
      {
        Action: 'execute-api:Invoke',
        Effect: 'Allow',
        Resource: [
          arn('POST/queues/*/messages/receive'),
          arn('POST/queues/*/messages/visibility'),
          arn('POST/queues/*/messages/delete'),
          arn('DELETE/queues/*/messages/*'),
        ],
      },
    ]);
    expect(statementsOf(template, 'Operator')).toContainEqual({
      Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query'],
      Effect: 'Allow',
      Resource: '<QueuesMessagesTable>',
      Condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['k'] } },
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'ServerlessQueue',
      MetricName: 'ApproximateAgeOfOldestMessage',
      Threshold: 600,
    });
    template.hasOutput('QueueApiUrl', {});
  });

  test('its REST client works against the local service, refusals typed', { timeout: 60_000 }, async () => {
    // built/client.js was compiled by the type-check above (tests of a file run in order).
    const { stdout } = await run(process.execPath, [join(app, 'built/client.js'), url()], {
      cwd: app,
      env: cleanEnv(),
    });
    expect(JSON.parse(stdout.trim().split('\n').at(-1)!)).toEqual({
      name: 'from-the-package',
      body: 'hello',
      refused: { status: 404, code: 'QueueDoesNotExist' },
    });
  });
});
