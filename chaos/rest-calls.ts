/** REST calls of the chaos scenarios, as a client makes them. */

/** One call; a network failure is status 0, never a throw (faults are expected here). */
export async function call(
  url: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: unknown }> {
  try {
    const response = await fetch(url + path, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  } catch (error) {
    return { status: 0, body: String(error) };
  }
}

/** A setup call, made without faults: it must succeed. */
export async function rest(url: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await call(url, method, path, body);
  if (response.status >= 300)
    throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}
