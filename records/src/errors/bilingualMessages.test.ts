import { join } from 'node:path';
import { englishOnlyAppErrors } from '@telemed/service-kit/testing';
import { describe, expect, it } from 'vitest';

describe('messages a person reads', () => {
  // Records' refusals and rules reach clinicians as they are: each one must say it in Arabic and English
  // ({ en, ar }), or leave the message to the catalog. A plain string would be answered in English only.
  it('gives every specific AppError message in Arabic and English', () => {
    expect(englishOnlyAppErrors(join(import.meta.dirname, '..'))).toEqual([]);
  });
});
