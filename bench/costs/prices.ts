/**
 * us-east-1 list prices the cost table multiplies measured units by (the AWS pricing pages of
 * DynamoDB, Lambda, API Gateway, S3, SQS and SNS, late 2026: check them there before quoting).
 * One table, so a price change is one edit.
 */
export const prices = {
  dynamodb: {
    /** On demand, per write request unit (1 KB) and per read request unit (4 KB strongly, 8 KB eventually consistent). */
    writeUnit: 0.625 / 1e6,
    readUnit: 0.125 / 1e6,
  },
  lambda: {
    request: 0.2 / 1e6,
    /** arm64 (the stack's functions run on Graviton): 20% below x86's $0.0000166667. */
    gbSecond: 0.0000133334,
  },
  /** HTTP API, per request of up to 512 KB (a larger request is billed as several). */
  apiGatewayRequest: 1.0 / 1e6,
  apiGatewayRequestBytes: 512 * 1024,
  s3: { put: 0.005 / 1000, get: 0.0004 / 1000 },
  sqs: {
    /** Standard queues; each 64 KB chunk of a request's payload is billed as one request. */
    request: 0.4 / 1e6,
    chunkBytes: 64 * 1024,
  },
  /** SNS publishes (64 KB chunks as SQS); deliveries to SQS queues are free. */
  snsPublish: 0.5 / 1e6,
} as const;

/**
 * What the table assumes where this machine cannot measure AWS: the billed Lambda duration of one
 * API request (DynamoDB round trips on AWS take a few milliseconds; a warm handler's own work is
 * about 1 ms) and the memory of the function that serves it (infra/aws/function-catalog.ts).
 */
export const assumptions = {
  requestMs: 20,
  sendMiB: 512,
  receiveMiB: 512,
  deleteMiB: 256,
  queuesMiB: 256,
  topicsMiB: 512,
} as const;
