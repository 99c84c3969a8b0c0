import type { TopicsContext } from '../../topics/context';
import { signingCertificatePath } from '../../topics/model';
import type { HttpEvent, HttpResult } from '../http';

/**
 * GET of SigningCertURL: the certificate of the key that signs notifications, served without a
 * signature (it holds only a public key), so that a subscriber can verify what it is sent.
 */
export function isCertificateRequest(event: HttpEvent): boolean {
  const method = event.requestContext?.http?.method;
  return method === 'GET' && event.rawPath === signingCertificatePath;
}

export async function certificateResponse(topics: TopicsContext): Promise<HttpResult> {
  const { certificatePem } = await topics.signing();
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/x-pem-file', 'cache-control': 'public, max-age=3600' },
    body: certificatePem,
  };
}
