// Vitest globalSetup: one DynamoDB for the whole run. Uses DYNAMODB_ENDPOINT when set (an existing
// DynamoDB Local or other), otherwise starts an in-memory DynamoDB Local and stops it at teardown.
import type { TestProject } from 'vitest/node';
import { type RunningDynamoDbLocal, startDynamoDbLocal } from '../infra/local/dynamodb-local';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamodbEndpoint: string;
  }
}

let running: RunningDynamoDbLocal | undefined;

export async function setup(project: TestProject): Promise<void> {
  let endpoint = process.env.DYNAMODB_ENDPOINT;
  if (!endpoint) {
    const started = Date.now();
    running = await startDynamoDbLocal({ inMemory: true });
    endpoint = running.endpoint;
    console.log(`[global-setup] DynamoDB Local on ${endpoint} (started in ${Date.now() - started} ms)`);
  }
  // Env for code that reads it directly; forks inherit the env set here.
  process.env.DYNAMODB_ENDPOINT = endpoint;
  project.provide('dynamodbEndpoint', endpoint);
}

export async function teardown(): Promise<void> {
  await running?.stop();
  running = undefined;
}
