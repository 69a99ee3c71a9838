// Records kept as JSON in the store (claims, results, batches) read back through their schema: a
// value that is missing, unreadable or of an older shape reads as absent, never as an error.
import type * as z from 'zod';

export function parseStoredJson<T>(schema: z.ZodType<T>, text: string | null): T | null {
  if (text === null) return null;
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
