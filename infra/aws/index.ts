/**
 * The `dynamo-queue` package's construct library: `import { QueueService } from 'dynamo-queue'`.
 * The REST client is its own entry, `dynamo-queue/client`, so an application that only calls the
 * API does not load aws-cdk-lib.
 */
export type { ServiceFunctionName } from './function-catalog';
export { type QueueGrantOptions, type RestAccess, restAccess } from './grants';
export { QueueService, type QueueServiceProps } from './queue-service';
export { QueueStack, type QueueStackProps } from './queue-stack';
export { serviceMetrics } from './service-metrics';
