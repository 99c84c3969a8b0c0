#!/usr/bin/env node
// The CDK app (cdk.json: `npx tsx infra/aws/app.ts`). Configuration: see queue-app.ts's context keys.
import { App } from 'aws-cdk-lib';
import { addQueueStack } from './queue-app';

addQueueStack(new App());
