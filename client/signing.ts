import type { SignatureV4 } from '@smithy/signature-v4';

/** AWS credentials, as the AWS SDK's credential providers return them. */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** A request about to be sent; a signer returns the headers to send it with. */
export interface SignableRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: string;
}

export type RequestSigner = (request: SignableRequest) => Promise<Record<string, string>>;

/**
 * SigV4 for API Gateway's IAM authorization (service `execute-api`), as the deployed REST routes
 * require; the local service checks the same signatures once it has access keys. `credentials` may
 * be a provider (e.g. `fromNodeProviderChain()` of @aws-sdk/credential-providers), asked per request
 * so that temporary credentials are refreshed.
 */
export function sigV4Signer(options: {
  credentials: AwsCredentials | (() => Promise<AwsCredentials>);
  region: string;
}): RequestSigner {
  // Loaded on the first signature: unsigned use (and dq commands that never sign) start faster.
  let signer: Promise<SignatureV4> | undefined;
  const load = async () => {
    const [{ SignatureV4 }, { Hash }] = await Promise.all([
      import('@smithy/signature-v4'),
      import('@smithy/hash-node'),
    ]);
    return new SignatureV4({
      service: 'execute-api',
      region: options.region,
      credentials: options.credentials,
      sha256: Hash.bind(null, 'sha256'),
    });
  };
  return async ({ method, url, headers, body }) => {
    signer ??= load();
    const query: Record<string, string> = {};
    for (const [key, value] of url.searchParams) query[key] = value;
    const signed = await (await signer).sign({
      method,
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port ? { port: Number(url.port) } : {}),
      path: url.pathname,
      query,
      headers: { ...headers, host: url.host },
      ...(body === undefined ? {} : { body }),
    });
    return signed.headers;
  };
}

/** `<api-id>.execute-api.<region>.amazonaws.com` names its region. */
export function regionOfEndpoint(endpoint: string): string | undefined {
  return /\.execute-api\.([a-z0-9-]+)\.amazonaws\.com$/.exec(new URL(endpoint).hostname)?.[1];
}
