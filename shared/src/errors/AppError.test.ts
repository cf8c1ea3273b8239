import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError } from './AppError.js';
import { errorBodySchema, errorCatalog } from './errorCodes.js';

describe('error catalog', () => {
  it('has an Arabic and an English message and an HTTP status for every code', () => {
    for (const [code, entry] of Object.entries(errorCatalog)) {
      expect(entry.ar, code).toMatch(/[\u0600-\u06FF]/);
      expect(entry.en, code).toMatch(/^[A-Z]/);
      expect(entry.status, code).toBeGreaterThanOrEqual(400);
    }
  });

  it('renders the catalog message in the asked locale', () => {
    const body = new AppError('FORBIDDEN').toBody('ar');
    expect(body).toEqual({ error: { code: 'FORBIDDEN', message: errorCatalog.FORBIDDEN.ar } });
    expect(errorBodySchema.parse(body)).toEqual(body);
  });

  it('turns a zod error into VALIDATION_FAILED with a path for each problem', () => {
    const result = z.object({ name: z.string(), age: z.number() }).safeParse({ name: 3 });
    if (result.success) expect.unreachable();
    const error = AppError.fromZod(result.error, 'patient');
    expect(error.status).toBe(400);
    expect(error.details?.map((d) => d.path)).toEqual(['name', 'age']);
    expect(error.message).toMatch(/^Invalid patient: name: /);
  });
});
