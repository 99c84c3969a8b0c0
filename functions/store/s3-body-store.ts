import {
  DeleteObjectCommand,
  GetObjectCommand,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { BodyRef, BodyStore } from '../queue/ports/body-store';
import { translateSdkError } from './sdk-errors';

/** The S3 requests a body store makes, for the bench's cost rows (PUT and GET are billed; DELETE is free). */
export type S3RequestReport = (request: 'put' | 'get' | 'delete', count: number) => void;

export interface S3BodyStoreOptions {
  client: S3Client;
  bucket: string;
  thresholdBytes: number;
  onRequest?: S3RequestReport;
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
  private readonly report: S3RequestReport | undefined;

  constructor(options: S3BodyStoreOptions) {
    this.client = options.client;
    this.bucket = options.bucket;
    this.thresholdBytes = options.thresholdBytes;
    this.report = options.onRequest;
  }

  async put(ref: BodyRef, body: Uint8Array): Promise<void> {
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: objectKey(ref),
          Body: body,
          ContentType: 'application/octet-stream',
        }),
      );
      this.report?.('put', 1);
    } catch (error) {
      throw translateSdkError(error, 'storing a message body');
    }
  }

  async get(ref: BodyRef): Promise<Uint8Array | undefined> {
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: objectKey(ref) }));
      this.report?.('get', 1);
      return out.Body ? await out.Body.transformToByteArray() : new Uint8Array();
    } catch (error) {
      if (error instanceof NoSuchKey || (error as { name?: string })?.name === 'NoSuchKey') return undefined;
      throw translateSdkError(error, 'reading a message body');
    }
  }

  async delete(refs: BodyRef[]): Promise<void> {
    for (let start = 0; start < refs.length; start += deleteConcurrency) {
      const chunk = refs.slice(start, start + deleteConcurrency);
      try {
        await Promise.all(
          chunk.map((ref) =>
            this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: objectKey(ref) })),
          ),
        );
        this.report?.('delete', chunk.length);
      } catch (error) {
        throw translateSdkError(error, 'removing message bodies');
      }
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
