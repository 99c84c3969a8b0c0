import type { HttpEvent } from '../../functions/dialects/http';
import { authenticate } from '../../functions/dialects/sqs/signature';
import type { Runtime } from '../../functions/handlers/runtime';
import type { RouteDefinition } from '../../functions/routes';
import { functionCatalog } from '../aws/function-catalog';

/**
 * Deployed, API Gateway's IAM authorizer refuses every request to a REST route that is not
 * SigV4-signed for service `execute-api`, before any function runs. The local host has no IAM, so
 * it checks the same signature against the service's own access keys, under the rule the SQS
 * routes follow locally: from the moment an active key exists (or always, with SQS_AUTH=required).
 * Which routes need it comes from the function catalog the stack builds its authorizers from, so
 * routes served without IAM when deployed (SQS verifies itself, the console's static assets are
 * public) stay so here.
 */
export const needsIamSignature = (route: RouteDefinition): boolean =>
  functionCatalog[route.function].routeAuthorization === 'iam';

/** Throws the QueueError API Gateway's refusal corresponds to; returns when the request may pass. */
export async function authenticateRestRequest(event: HttpEvent, runtime: Runtime): Promise<void> {
  await authenticate(event, {
    keys: runtime.accessKeys,
    mode: runtime.sqsAuth,
    now: () => runtime.queue.clock.now(),
    service: 'execute-api',
    // An API lives in one region: a signature scoped to another is refused, as API Gateway does.
    region: runtime.region,
  });
}
