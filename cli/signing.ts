import { regionOfEndpoint, sigV4Signer } from '../client/signing';
import { UsageError } from './errors';

/** What a request needs to be signed: SigV4 for API Gateway's IAM authorization (`execute-api`). */
export interface Signer {
  sign(request: {
    method: string;
    url: URL;
    headers: Record<string, string>;
    body?: string;
  }): Promise<Record<string, string>>;
  readonly region: string;
}

export interface SigningOptions {
  endpoint: string;
  profile?: string;
  region?: string;
  env?: NodeJS.ProcessEnv;
}

/** Loopback endpoints are the local service: unsigned unless the caller asked for credentials. */
export function isLocalEndpoint(endpoint: URL): boolean {
  return ['localhost', '127.0.0.1', '[::1]', '::1'].includes(endpoint.hostname);
}

/**
 * Signs when credentials were given (env keys, --profile / AWS_PROFILE) or, for a remote endpoint,
 * whatever the AWS credential chain finds. Against a local endpoint with none, requests go unsigned:
 * the local service accepts them until its first access key exists, and then says so (401).
 * The default chain is not consulted for a local endpoint, so a developer's real AWS keys are not
 * sent to it by accident, and no instance-metadata lookup slows every command down.
 */
export async function createSigner(options: SigningOptions): Promise<Signer | undefined> {
  const env = options.env ?? process.env;
  const endpoint = new URL(options.endpoint);
  const profile = options.profile ?? env.AWS_PROFILE;
  const envKeys = Boolean(env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY);
  if (!envKeys && !profile && isLocalEndpoint(endpoint)) return undefined;

  const { defaultProvider } = await import('@aws-sdk/credential-provider-node');
  const provider = defaultProvider(options.profile ? { profile: options.profile } : {});
  let credentials: Awaited<ReturnType<typeof provider>>;
  try {
    credentials = await provider();
  } catch (error) {
    if (isLocalEndpoint(endpoint) || profile) {
      throw new UsageError(
        `no AWS credentials found${profile ? ` for profile ${profile}` : ''}: ${(error as Error).message}`,
        'set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or pass an existing --profile',
      );
    }
    // A remote endpoint without credentials anywhere: try unsigned, the service will say if it minds.
    return undefined;
  }
  const region =
    options.region ??
    env.AWS_REGION ??
    env.AWS_DEFAULT_REGION ??
    regionOfEndpoint(options.endpoint) ??
    'us-east-1';
  // The same SigV4 signer the package's QueueClient uses (client/signing.ts).
  const sign = sigV4Signer({ credentials, region });
  return { region, sign };
}
