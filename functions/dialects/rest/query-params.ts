import * as z from 'zod';

/**
 * An integer query parameter (`?limit=10`). Query values are text, and coercing them as JavaScript
 * numbers would take `""` and `" "` for 0, `0x10` for 16, `1e3` for 1000 and `Infinity` for a
 * number, and report `abc` (NaN) as null: only decimal digits are read, and a refusal quotes the
 * text as given (a repeated parameter arrives joined by commas, `1,2`, and is refused too). The
 * OpenAPI document shows it as the integer it stands for.
 */
export function queryInteger(range: { min: number; max: number }) {
  const allowed = `a whole number from ${range.min} to ${range.max} (decimal digits only)`;
  return z
    .string()
    .refine((text) => /^[0-9]{1,16}$/.test(text) && Number(text) >= range.min && Number(text) <= range.max, {
      message: allowed,
    })
    .transform(Number)
    .meta({ type: 'integer', minimum: range.min, maximum: range.max });
}
