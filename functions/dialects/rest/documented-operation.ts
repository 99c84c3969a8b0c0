import type * as z from 'zod';

/** What the OpenAPI document says of one REST operation (openapi.ts and the feature tables it joins). */
export type DocumentedOperation = {
  summary: string;
  request?: z.ZodType;
  query?: z.ZodObject;
  /** The body of each success status (null: no body, or not JSON). */
  responses: Record<number, z.ZodType | null>;
};
