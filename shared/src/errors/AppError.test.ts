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

  it('answers a bilingual specific message in the asked language, and logs it in English', () => {
    const error = new AppError('FORBIDDEN', {
      en: 'Only the specialist may do this.',
      ar: 'هذا للأخصائي فقط.',
    });
    expect(error.message).toBe('Only the specialist may do this.');
    expect(error.toBody('ar').error.message).toBe('هذا للأخصائي فقط.');
    expect(error.toBody('en').error.message).toBe('Only the specialist may do this.');
    expect(error.toBody().error.message).toBe('Only the specialist may do this.');
  });

  it('answers a plain English message in English only, and the catalog message in Arabic', () => {
    const error = new AppError('MEDIA_NOT_FOUND', 'transport t1 is closed');
    expect(error.toBody('en').error.message).toBe('transport t1 is closed');
    expect(error.toBody('ar').error.message).toBe(errorCatalog.MEDIA_NOT_FOUND.ar);
  });

  it('answers the catalog message in both languages when no specific one was given', () => {
    const error = new AppError('STALE_WRITE');
    expect(error.message).toBe(errorCatalog.STALE_WRITE.en);
    expect(error.toBody('en').error.message).toBe(errorCatalog.STALE_WRITE.en);
    expect(error.toBody('ar').error.message).toBe(errorCatalog.STALE_WRITE.ar);
  });

  it('summarises a zod error in Arabic, naming the fields, and keeps the details as zod gives them', () => {
    const result = z.object({ name: z.string(), age: z.number() }).safeParse({ name: 3 });
    if (result.success) expect.unreachable();
    const body = AppError.fromZod(result.error, 'patient').toBody('ar');
    expect(body.error.message).toMatch(/^البيانات المرسلة غير صحيحة/);
    expect(body.error.message).toContain('name، age');
    expect(body.error.message).not.toMatch(/Invalid/);
    expect(body.error.details?.map((d) => d.path)).toEqual(['name', 'age']);
    expect(AppError.fromZod(result.error, 'patient').toBody('en').error.message).toMatch(
      /^Invalid patient: /,
    );
  });
});
