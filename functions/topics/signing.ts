import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { selfSignedCertificate } from './certificate';

/**
 * The one key notifications and subscription confirmations are signed with, and its certificate
 * (served at SigningCertURL so subscribers can verify what they get). Stored once for the whole
 * service (functions/store/signing-store.ts): every function and container signs with the same
 * key, and a subscriber's cached certificate stays valid.
 */
export interface SigningIdentity {
  privateKey: KeyObject;
  certificatePem: string;
}

export interface StoredSigningIdentity {
  privateKeyPem: string;
  certificatePem: string;
}

export interface SigningIdentityStore {
  getSigningIdentity(): Promise<StoredSigningIdentity | undefined>;
  /** Stores it unless one exists; returns the one stored (this or the earlier one). */
  putSigningIdentity(identity: StoredSigningIdentity): Promise<StoredSigningIdentity>;
}

/** The certificate's subject: what a subscriber sees as the signer. */
export const signerName = 'dynamo-queue notifications';

/**
 * Loads the identity once per process (made and stored on first use ever); a given key (tests)
 * is used as it is, with a certificate made here. A failed load is retried on the next call.
 */
export function signingIdentityLoader(
  store: SigningIdentityStore,
  now: () => number,
  given?: KeyObject,
): () => Promise<SigningIdentity> {
  let loading: Promise<SigningIdentity> | undefined;
  const load = async (): Promise<SigningIdentity> => {
    if (given) return { privateKey: given, certificatePem: selfSignedCertificate(given, signerName, now()) };
    const stored = (await store.getSigningIdentity()) ?? (await store.putSigningIdentity(newIdentity(now())));
    return { privateKey: createPrivateKey(stored.privateKeyPem), certificatePem: stored.certificatePem };
  };
  return () => {
    loading ??= load();
    loading.catch(() => {
      loading = undefined;
    });
    return loading;
  };
}

function newIdentity(now: number): StoredSigningIdentity {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    certificatePem: selfSignedCertificate(privateKey, signerName, now),
  };
}
