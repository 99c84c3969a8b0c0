import type { HttpEndpoints } from '../../topics/port';

/**
 * POSTs to http(s) subscribers with Node's fetch: no redirects followed (a 3xx is a failed
 * delivery, as with SNS), the body never logged, and the answer's body discarded unread beyond
 * what closing the connection needs.
 */
export const fetchEndpoints: HttpEndpoints = {
  async post({ url, body, headers, timeoutMs }) {
    const response = await fetch(url, {
      method: 'POST',
      body,
      headers,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.body?.cancel();
    return response.status;
  },
};
