import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureStoreCredentials, STORE_CREDENTIALS_FILE, withStoreCredentials } from './storeCredentials.js';

describe('ensureStoreCredentials', () => {
  it('generates the store credentials once, readable by their owner only, and reuses them', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'telemed-store-')), 'nested');
    const first = ensureStoreCredentials(dir);
    expect(first.password.length).toBeGreaterThanOrEqual(43);
    const file = join(dir, STORE_CREDENTIALS_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(ensureStoreCredentials(dir)).toEqual(first);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(first);
  });

  it('replaces a damaged or weak credentials file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'telemed-store-'));
    writeFileSync(join(dir, STORE_CREDENTIALS_FILE), '{"username":"telemed","password":"short"}');
    expect(ensureStoreCredentials(dir).password).not.toBe('short');
    writeFileSync(join(dir, STORE_CREDENTIALS_FILE), 'not json');
    expect(ensureStoreCredentials(dir).password.length).toBeGreaterThanOrEqual(43);
  });

  it('puts the credentials, URL-encoded, and authSource=admin into the connection string', () => {
    const uri = withStoreCredentials('mongodb://127.0.0.1:27017/telemed', {
      username: 'tele med',
      password: 'p@ss:/word',
    });
    expect(uri).toBe('mongodb://tele%20med:p%40ss%3A%2Fword@127.0.0.1:27017/telemed?authSource=admin');
  });
});
