import './topics-runtime';
import middy from '@middy/core';
import type { HttpEvent, HttpResult } from '../dialects/http';
import { certificateResponse, isCertificateRequest } from '../dialects/sns/certificate';
import { handleSnsRequest, isSnsRequest } from '../dialects/sns/dispatch';
import { snsErrorResponse } from '../dialects/sns/errors';
import { handleSqsRequest } from '../dialects/sqs/dispatch';
import { protocolOf } from '../dialects/sqs/protocol';
import { authenticate } from '../dialects/sqs/signature';
import { sqsErrorResponse, toSqsError } from '../dialects/sqs/sqs-errors';
import { isLandingRequest, landingPage } from './landing-page';
import { logError } from './log';
import { getRuntime } from './runtime';

/**
 * Lambda entry of the `sqs` function: the Amazon SQS wire protocol (AWS JSON 1.0 and Query) on
 * the routes functions/routes.ts gives it, with SigV4-signed requests verified against the
 * service's access keys. Every failure becomes an SQS error in the caller's protocol, never a
 * stack trace.
 */
export const handler = middy<HttpEvent, HttpResult>()
  .use({
    onError: async (request) => {
      const { requestId, routeKey } = request.event.requestContext ?? {};
      logError({ requestId, routeKey }, request.error);
      if (isSnsRequest(request.event)) {
        request.response = snsErrorResponse(request.error, requestId ?? '');
        return;
      }
      request.response = sqsErrorResponse(
        toSqsError(request.error),
        protocolOf(request.event),
        requestId ?? '',
      );
    },
  })
  .handler(async (event) => {
    // A browser's visit to the root: a static page pointing at the console and the docs.
    if (isLandingRequest(event)) return landingPage();
    const runtime = await getRuntime();
    if (isCertificateRequest(event)) return certificateResponse(runtime.topics);
    // Amazon SNS's Query protocol shares this endpoint, signed for service `sns`.
    if (isSnsRequest(event)) {
      return handleSnsRequest(event, runtime, {
        verifySignature: (signed) =>
          authenticate(signed, {
            keys: runtime.accessKeys,
            mode: runtime.sqsAuth,
            now: () => runtime.queue.clock.now(),
            service: 'sns',
          }),
      });
    }
    return handleSqsRequest(event, runtime, {
      verifySignature: (signed) =>
        authenticate(signed, {
          keys: runtime.accessKeys,
          mode: runtime.sqsAuth,
          now: () => runtime.queue.clock.now(),
          service: 'sqs',
        }),
    });
  });
