import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { bodyLifetimeDays } from '../../infra/aws/body-bucket';
import { resourcesOf, synthQueueService, synthQueueStack } from './synth';

/** The S3 bucket of large bodies: how it is protected, and what the functions are told. */
describe('body bucket', () => {
  const { template } = synthQueueStack();

  it('is encrypted, private, TLS-only, unversioned, with the lifecycle backstop', () => {
    template.resourceCountIs('AWS::S3::Bucket', 1);
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      VersioningConfiguration: Match.absent(),
      LifecycleConfiguration: {
        Rules: [
          Match.objectLike({
            Status: 'Enabled',
            ExpirationInDays: bodyLifetimeDays,
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
          }),
        ],
      },
    });
    // The longest retention (365 days) plus a margin: no body a message can still need expires.
    expect(bodyLifetimeDays).toBe(367);
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 's3:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('tells every function with body permissions the bucket and the threshold', () => {
    const functions = Object.values(resourcesOf(template, 'AWS::Lambda::Function'));
    const withData = functions.filter(
      (f) => (f.Properties.Environment as { Variables?: Record<string, unknown> })?.Variables?.MESSAGES_TABLE,
    );
    expect(withData.length).toBeGreaterThan(0);
    for (const f of withData) {
      const variables = (f.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(variables.BODY_BUCKET).toEqual({ Ref: expect.stringMatching(/^QueueServiceBodyBucket/) });
      expect(variables.BODY_THRESHOLD_BYTES).toBe('4096');
    }
  });

  it('is left out with largeBodiesInS3: false, and so are its permissions and variables', () => {
    const { template: off } = synthQueueService(() => ({ largeBodiesInS3: false }));
    off.resourceCountIs('AWS::S3::Bucket', 0);
    const text = JSON.stringify(off.toJSON());
    expect(text).not.toContain('BODY_BUCKET');
    expect(text).not.toContain('s3:GetObject');
  });

  it('refuses a threshold that is not a whole number of bytes up to 1 MiB', () => {
    expect(() => synthQueueService(() => ({ bodyThresholdBytes: 0 }))).toThrow(/bodyThresholdBytes/);
    expect(() => synthQueueService(() => ({ bodyThresholdBytes: 2_000_000 }))).toThrow(/bodyThresholdBytes/);
  });
});
