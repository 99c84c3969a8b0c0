import { Duration, type RemovalPolicy, Validations } from 'aws-cdk-lib';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { limits } from '../../functions/queue/limits';

/**
 * How long an object may stay before the lifecycle rule removes it: the longest a message lives
 * (the queue's largest retention, counted from when its body was written: a move to another queue
 * writes a new object) plus its longest lease and two days for a sweeper that lags behind. The
 * service deletes bodies with their messages; the rule only clears what a failure left behind.
 */
export const bodyLifetimeDays = Math.ceil(limits.queueRetentionSeconds.max / 86_400) + 2;

export const bodyBucketReasons = {
  accessLogs:
    "The bucket holds only message bodies written and read by the service's own functions, under keys " +
    'that are queue and message ids. Every request reaching it has already been authorized and logged at ' +
    'the API (API Gateway access logs) and by the function; S3 server access logs would add a log bucket ' +
    'and one log record per message body without saying who called. CloudTrail data events can be turned ' +
    'on for the bucket where an audit needs them.',
  objectWildcard:
    'Object keys are `<queue id>/<message id>`: one per message, unknown when the role is written, so the ' +
    'statement names the objects of this one bucket (`<bucket arn>/*`) and only the S3 actions the ' +
    'function makes (functions/store/s3-body-store.ts); it allows no bucket-level action.',
} as const;

/**
 * The bucket of large message bodies (functions/store/s3-body-store.ts): encrypted at rest (S3
 * managed keys), blocked from public access, reachable only over TLS, unversioned (a deleted body
 * is gone: no old versions to pay for), and with a lifecycle rule as a backstop.
 */
export function createBodyBucket(scope: Construct, removalPolicy: RemovalPolicy): Bucket {
  const bucket = new Bucket(scope, 'BodyBucket', {
    encryption: BucketEncryption.S3_MANAGED,
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
    enforceSSL: true,
    versioned: false,
    removalPolicy,
    lifecycleRules: [
      {
        id: 'ExpireLeftoverBodies',
        expiration: Duration.days(bodyLifetimeDays),
        abortIncompleteMultipartUploadAfter: Duration.days(1),
      },
    ],
  });
  Validations.of(bucket).acknowledge({ id: 'AwsSolutions-S1', reason: bodyBucketReasons.accessLogs });
  return bucket;
}
