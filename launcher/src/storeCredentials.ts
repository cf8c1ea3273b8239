import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StoreCredentials, StoreUser } from '@telemed/embedded-mongo';
import { z } from 'zod';

export const STORE_CREDENTIALS_FILE = 'store-credentials.json';

/** The database the platform's services use, and the only one their store user may touch. */
export const PLATFORM_DATABASE = 'telemed';

const credentialSchema = z.object({ username: z.string().min(1), password: z.string().min(16) });
const fileSchema = z.object({ root: credentialSchema, services: credentialSchema });

/**
 * The embedded store's users: `root`, for the operator (mongosh, backups, more users), and `services`, the one
 * the platform's services connect as, which may read and write the platform's database and nothing else, so
 * that a leaked service configuration does not hand over the whole store.
 */
export interface StoreAccounts {
  root: StoreCredentials;
  services: StoreCredentials;
}

/**
 * The store's users, made once per data directory (readable by its owner only) and reused on later runs. To
 * rotate a password, delete the file (or write a new password into it) and start again: the store sets its
 * users' passwords to the ones given at start.
 */
export function ensureStoreCredentials(dataDir: string): StoreAccounts {
  const file = join(dataDir, STORE_CREDENTIALS_FILE);
  if (existsSync(file)) {
    let content: unknown;
    try {
      content = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      content = undefined;
    }
    const parsed = fileSchema.safeParse(content);
    if (parsed.success) {
      // A file restored from a backup may have lost its mode; it holds passwords.
      chmodSync(file, 0o600);
      return parsed.data;
    }
  }
  mkdirSync(dataDir, { recursive: true });
  const password = () => randomBytes(32).toString('base64url');
  const accounts: StoreAccounts = {
    root: { username: 'telemed-root', password: password() },
    services: { username: 'telemed-services', password: password() },
  };
  writeFileSync(file, `${JSON.stringify(accounts, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return accounts;
}

/** The services' user as the store is to hold it: defined in `admin`, reading and writing the platform's database. */
export function servicesStoreUser({ services }: StoreAccounts): StoreUser {
  return { ...services, db: 'admin', roles: [{ role: 'readWrite', db: PLATFORM_DATABASE }] };
}

/** `uri` with the credentials and the database they are defined in (`authSource`). */
export function withStoreCredentials(uri: string, credentials: StoreCredentials): string {
  const url = new URL(uri);
  url.username = encodeURIComponent(credentials.username);
  url.password = encodeURIComponent(credentials.password);
  url.searchParams.set('authSource', 'admin');
  return url.toString();
}
