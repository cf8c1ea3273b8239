import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { configVariables } from '@telemed/shared';
import { describe, expect, it } from 'vitest';

describe('README', () => {
  const readme = readFileSync(resolve(import.meta.dirname, '../../README.md'), 'utf8');

  it('documents every configuration variable with its default', () => {
    for (const [name, spec] of Object.entries(configVariables)) {
      const row = readme.split('\n').find((line) => new RegExp(`^\\|\\s*\`${name}\`\\s*\\|`).test(line));
      expect(row, `README configuration table lacks ${name}`).toBeDefined();
      if (spec.default !== undefined) expect(row).toContain(`\`${spec.default}\``);
    }
  });

  it('gives the two commands', () => {
    expect(readme).toContain('npm ci && npm start');
    expect(readme).toContain('npm ci && npm test');
  });
});
