import type { SigningCredentials } from './sigv4';

/**
 * The credentials the console signs with, kept for this browser tab only (sessionStorage): they
 * are gone when the tab closes and never leave the page except as signatures.
 */
export interface StoredCredentials extends SigningCredentials {
  region: string;
}

const storageKey = 'queue-console-credentials';

export function loadCredentials(): StoredCredentials | undefined {
  try {
    const text = sessionStorage.getItem(storageKey);
    if (!text) return undefined;
    const parsed = JSON.parse(text) as Partial<StoredCredentials>;
    if (!parsed.accessKeyId || !parsed.secretAccessKey || !parsed.region) return undefined;
    return parsed as StoredCredentials;
  } catch {
    return undefined;
  }
}

export function saveCredentials(credentials: StoredCredentials): void {
  sessionStorage.setItem(storageKey, JSON.stringify(credentials));
}

export function forgetCredentials(): void {
  sessionStorage.removeItem(storageKey);
}

/** The region of an API Gateway host name (`<id>.execute-api.<region>.amazonaws.com`), if it is one. */
export function regionOfHost(host: string): string | undefined {
  return /\.execute-api\.([a-z0-9-]+)\.amazonaws\.com$/.exec(host)?.[1];
}
