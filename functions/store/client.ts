import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';

/**
 * The DynamoDB client every adapter shares, built from the environment:
 *   DYNAMODB_ENDPOINT  a local DynamoDB (unset on AWS; local credentials then)
 *   AWS_REGION         default us-east-1
 */
export function createDynamoClient(env: NodeJS.ProcessEnv): DynamoDBClient {
  const endpoint = env.DYNAMODB_ENDPOINT;
  return new DynamoDBClient({
    region: env.AWS_REGION ?? 'us-east-1',
    maxAttempts: 3,
    // Bounded waits: a stuck connection becomes a retryable error, never a hung request.
    requestHandler: new NodeHttpHandler({
      connectionTimeout: 2_000,
      requestTimeout: 5_000,
      throwOnRequestTimeout: true,
    }),
    ...(endpoint ? { endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
  });
}
