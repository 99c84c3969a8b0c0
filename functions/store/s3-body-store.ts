import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { BodyRef, BodyStore } from '../queue/ports/body-store';
import { translateSdkError } from './sdk-errors';

export interface S3BodyStoreOptions {
  client: S3Client;
  bucket: string;
  thresholdBytes: number;
}

/** Object deletes run this many at a time (a purge page removes up to 500 messages). */
const deleteConcurrency = 25;

/**
 * Message bodies as objects `<queue id>/<message id>` in one bucket. Message ids are unique, and a
 * queue id names one incarnation of a queue, so a key is never reused for another body; a moved
 * message is copied under its new queue. The bucket's lifecycle rule removes whatever a failure
 * left behind (a put whose message item was never written, a queue deleted with its messages).
 * Single-object deletes rather than DeleteObjects: DELETE requests are free, and a failed one
 * only leaves an object to the lifecycle rule.
 */
export class S3BodyStore implements BodyStore {
  readonly thresholdBytes: number;
  private readonly client: S3Client;
  private readonly bucket: string;

  constructor(options: S3BodyStoreOptions) {
    this.client = options.client;
    this.bucket = options.bucket;
    this.thresholdBytes = options.thresholdBytes;
  }

  async put(ref: BodyRef, body: Uint8Array): Promise<void> {
    await this.send(
      this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: objectKey(ref), Body: body })),
    );
  }

  async get(ref: BodyRef): Promise<Uint8Array | undefined> {
    const out = await this.send(
      this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: objectKey(ref) })),
      true,
    );
    return out && (await out.Body!.transformToByteArray());
  }

  async delete(refs: BodyRef[]): Promise<void> {
    for (let start = 0; start < refs.length; start += deleteConcurrency) {
      await Promise.all(
        refs
          .slice(start, start + deleteConcurrency)
          .map((ref) =>
            this.send(
              this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: objectKey(ref) })),
            ),
          ),
      );
    }
  }

  /** One S3 call, its errors translated into queue errors; a missing key reads as undefined. */
  private async send<O>(call: Promise<O>, missingIsUndefined?: boolean): Promise<O | undefined> {
    try {
      return await call;
    } catch (error) {
      if (missingIsUndefined && (error as { name?: string })?.name === 'NoSuchKey') return undefined;
      throw translateSdkError(error, 'a call to the body store');
    }
  }
}

export const objectKey = (ref: BodyRef) => `${ref.queueId}/${ref.messageId}`;

/**
 * Bodies above this many bytes go to S3 by default: the crossover the bench measures
 * (bench/large-bodies.ts, README "Large bodies"). In DynamoDB body parts a lifecycle costs about 2
 * write units per KB of body (written, then deleted: $1.25 per KB per million messages); in S3 a
 * flat 7 write units for the item plus a PUT and a GET ($5.40 per million; DELETE is free). A 3 KB
 * body is still cheaper in parts, a 4 KB one already in S3.
 */
export const defaultBodyThresholdBytes = 4_096;

/**
 * The body store from the environment, or none (bodies stay in DynamoDB):
 *   BODY_BUCKET           the bucket (unset: no body store)
 *   BODY_THRESHOLD_BYTES  bodies above this go to the bucket (default 4096)
 *   S3_ENDPOINT           a local S3-compatible server (unset on AWS; path-style, local credentials)
 */
export function bodyStoreFromEnv(env: NodeJS.ProcessEnv): S3BodyStore | undefined {
  const bucket = env.BODY_BUCKET;
  if (!bucket) return undefined;
  const threshold = Number(env.BODY_THRESHOLD_BYTES);
  return new S3BodyStore({
    client: createS3Client(env),
    bucket,
    thresholdBytes: Number.isFinite(threshold) && threshold > 0 ? threshold : defaultBodyThresholdBytes,
  });
}

export function createS3Client(env: { AWS_REGION?: string; S3_ENDPOINT?: string }): S3Client {
  const endpoint = env.S3_ENDPOINT;
  return new S3Client({
    region: env.AWS_REGION ?? 'us-east-1',
    maxAttempts: 3,
    // Bounded waits, as for DynamoDB (client.ts): a stuck connection becomes a retryable error.
    requestHandler: new NodeHttpHandler({
      connectionTimeout: 2_000,
      requestTimeout: 10_000,
      throwOnRequestTimeout: true,
    }),
    ...(endpoint
      ? {
          endpoint,
          forcePathStyle: true,
          credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
        }
      : {}),
  });
}
