/**
 * `import { QueueClient } from 'dynamo-queue/client'`: a typed REST client of the queue service,
 * with the request and reply types it speaks (inferred from the service's own schemas).
 */
export type * from '../functions/dialects/rest/client-types';
export { QueueApiError } from './errors';
export { QueueClient, type QueueClientOptions } from './queue-client';
export { type AwsCredentials, type RequestSigner, type SignableRequest, sigV4Signer } from './signing';
