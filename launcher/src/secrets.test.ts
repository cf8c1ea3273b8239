import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureSecrets } from './secrets.js';

describe('ensureSecrets', () => {
  it('generates a strong secret once, readable by its owner only, and reuses it', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'telemed-secrets-')), 'nested');
    const first = ensureSecrets(dir);
    expect(first.SFU_CONTROL_SECRET.length).toBeGreaterThanOrEqual(43);
    expect(statSync(join(dir, 'secrets.json')).mode & 0o777).toBe(0o600);
    expect(ensureSecrets(dir)).toEqual(first);
  });

  it('replaces a damaged secrets file rather than starting with a weak secret', () => {
    const dir = mkdtempSync(join(tmpdir(), 'telemed-secrets-'));
    writeFileSync(join(dir, 'secrets.json'), '{"SFU_CONTROL_SECRET":"short"}');
    const secrets = ensureSecrets(dir);
    expect(secrets.SFU_CONTROL_SECRET).not.toBe('short');
    expect(JSON.parse(readFileSync(join(dir, 'secrets.json'), 'utf8'))).toEqual(secrets);
  });
});
