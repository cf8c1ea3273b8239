import { AppError, objectIdSchema } from '@telemed/shared';
import type { z } from 'zod';

/** Parses untrusted input with a shared schema; a failure is VALIDATION_FAILED naming every bad field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const result = schema.safeParse(input ?? {});
  if (!result.success) throw AppError.fromZod(result.error, what);
  return result.data;
}

/** A path parameter that must be a record identifier: anything else is a 404, never a database error. */
export function parseId(value: unknown, what: string): string {
  const result = objectIdSchema.safeParse(value);
  if (!result.success)
    throw new AppError('NOT_FOUND', {
      en: `No ${what} with id ${JSON.stringify(value)}.`,
      ar: `لا يوجد عنصر بالمعرّف ${JSON.stringify(value)}؛ تحقق من الرابط.`,
    });
  return result.data;
}
