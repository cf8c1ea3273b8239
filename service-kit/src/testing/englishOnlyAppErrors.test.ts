import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { englishOnlyAppErrors } from './englishOnlyAppErrors.js';

describe('englishOnlyAppErrors', () => {
  const root = mkdtempSync(join(tmpdir(), 'english-only-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('names each AppError whose message is English only, and passes bilingual, catalog and test ones', () => {
    mkdirSync(join(root, 'rooms'));
    writeFileSync(
      join(root, 'rooms', 'refusals.ts'),
      [
        "throw new AppError('FORBIDDEN', 'Only the specialist may do this.');",
        "throw new AppError('FORBIDDEN', { en: 'Only the specialist.', ar: 'الاستشاري فقط.' });",
        "throw new AppError('NOT_FOUND');",
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the source text of a template, on purpose
        'throw new AppError(code, `No room ${id}`);',
        "throw new AppError(code, 'a' + b);",
        'throw new AppError(code, error.message);',
        "throw new AppError(code, ok ? { en: 'x', ar: 'س' } : ('plain'));",
      ].join('\n'),
    );
    writeFileSync(join(root, 'rooms', 'refusals.test.ts'), "new AppError('FORBIDDEN', 'in a test');\n");
    writeFileSync(join(root, 'types.d.ts'), "declare const e: AppError; new AppError('X', 'declared');\n");
    expect(englishOnlyAppErrors(root).sort()).toEqual(
      [
        'rooms/refusals.ts:1',
        'rooms/refusals.ts:4',
        'rooms/refusals.ts:5',
        'rooms/refusals.ts:6',
        'rooms/refusals.ts:7',
      ].sort(),
    );
  });
});
