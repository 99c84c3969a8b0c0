import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/**
 * The receipt-handle secret: given directly (local runs), or read once per container from
 * Secrets Manager (deployed), so it never sits in a template or a function's configuration.
 */
export async function loadReceiptHandleSecret(env: NodeJS.ProcessEnv): Promise<string> {
  if (env.RECEIPT_HANDLE_SECRET) return env.RECEIPT_HANDLE_SECRET;
  if (env.RECEIPT_HANDLE_SECRET_ARN) {
    const client = new SecretsManagerClient({ region: env.AWS_REGION });
    const out = await client.send(new GetSecretValueCommand({ SecretId: env.RECEIPT_HANDLE_SECRET_ARN }));
    if (!out.SecretString) throw new Error('The receipt handle secret is empty');
    return out.SecretString;
  }
  throw new Error('Set RECEIPT_HANDLE_SECRET or RECEIPT_HANDLE_SECRET_ARN to sign receipt handles');
}
