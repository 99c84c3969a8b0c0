import type { Command } from 'commander';
import { UsageError } from './errors';
import { RestClient } from './http-client';
import { createOutput, type Output } from './output';
import { createSigner } from './signing';

export const defaultEndpoint = 'http://127.0.0.1:9324';

/** Options every command takes (declared on the program, accepted before or after the command). */
export interface GlobalOptions {
  endpoint?: string;
  profile?: string;
  region?: string;
  json?: boolean;
}

export interface Context {
  client: RestClient;
  out: Output;
}

/** Builds the client a command talks through, from the options around it and the environment. */
export async function contextOf(command: Command): Promise<Context> {
  const options = command.optsWithGlobals<GlobalOptions>();
  const endpoint = options.endpoint ?? process.env.DQ_ENDPOINT ?? defaultEndpoint;
  try {
    const url = new URL(endpoint);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http(s)');
  } catch {
    throw new UsageError(
      `--endpoint must be an http(s) URL, but ${endpoint} was given`,
      'e.g. --endpoint http://127.0.0.1:9324',
    );
  }
  const signer = await createSigner({ endpoint, profile: options.profile, region: options.region });
  return { client: new RestClient(endpoint, signer), out: createOutput(Boolean(options.json)) };
}

/** Option parsers that refuse bad values as usage errors, saying what is allowed. */
export function integer(name: string, min: number, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^-?\d+$/.test(value.trim()) || n < min || n > max) {
      throw new UsageError(`${name} must be a whole number from ${min} to ${max}, but ${value} was given`);
    }
    return n;
  };
}

/** `name=value`, repeatable: collects into a record. */
export function keyValue(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const at = value.indexOf('=');
  if (at <= 0) throw new UsageError(`expected name=value, but ${value} was given`);
  return { ...previous, [value.slice(0, at)]: value.slice(at + 1) };
}

/** Repeatable and comma-separated: `--ids a,b --ids c`. */
export function list(value: string, previous: string[] = []): string[] {
  return [...previous, ...value.split(',').filter(Boolean)];
}
