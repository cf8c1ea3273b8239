import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ensureStoreCredentials,
  STORE_CREDENTIALS_FILE,
  servicesStoreUser,
  withStoreCredentials,
} from './storeCredentials.js';

describe('ensureStoreCredentials', () => {
  it('generates the store users once, readable by their owner only, and reuses them', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'telemed-store-')), 'nested');
    const first = ensureStoreCredentials(dir);
    expect(first.root.password.length).toBeGreaterThanOrEqual(43);
    expect(first.services.password.length).toBeGreaterThanOrEqual(43);
    expect(first.services.password).not.toBe(first.root.password);
    expect(first.services.username).not.toBe(first.root.username);
    const file = join(dir, STORE_CREDENTIALS_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(ensureStoreCredentials(dir)).toEqual(first);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(first);
  });

  it('replaces a damaged or weak credentials file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'telemed-store-'));
    const weak = { username: 'x', password: 'short' };
    writeFileSync(join(dir, STORE_CREDENTIALS_FILE), JSON.stringify({ root: weak, services: weak }));
    expect(ensureStoreCredentials(dir).root.password).not.toBe('short');
    writeFileSync(join(dir, STORE_CREDENTIALS_FILE), 'not json');
    expect(ensureStoreCredentials(dir).services.password.length).toBeGreaterThanOrEqual(43);
  });

  it("gives the services' user the platform's database only", () => {
    const accounts = ensureStoreCredentials(mkdtempSync(join(tmpdir(), 'telemed-store-')));
    expect(servicesStoreUser(accounts)).toEqual({
      ...accounts.services,
      db: 'admin',
      roles: [{ role: 'readWrite', db: 'telemed' }],
    });
  });

  it('puts the credentials, URL-encoded, and authSource=admin into the connection string', () => {
    const uri = withStoreCredentials('mongodb://127.0.0.1:27017/telemed', {
      username: 'tele med',
      password: 'p@ss:/word',
    });
    expect(uri).toBe('mongodb://tele%20med:p%40ss%3A%2Fword@127.0.0.1:27017/telemed?authSource=admin');
  });
});
