import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { withAccessTable } from './accessTable.js';

describe('the README access table', () => {
  it('is the one generated from the role matrix (run `npm run docs:access -w records` after changing it)', () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    expect(withAccessTable(readme)).toBe(readme);
  });
});
