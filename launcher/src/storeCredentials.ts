import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StoreCredentials } from '@telemed/embedded-mongo';
import { z } from 'zod';

export const STORE_CREDENTIALS_FILE = 'store-credentials.json';

const credentialsSchema = z.object({
  username: z.string().min(1),
  password: z.string().min(16),
});

/**
 * The embedded store's root user: made once per data directory (readable by its owner only) and reused on
 * later runs. To rotate the password, delete the file (or write a new password into it) and start again:
 * the store sets its root user's password to the one given at start.
 */
export function ensureStoreCredentials(dataDir: string): StoreCredentials {
  const file = join(dataDir, STORE_CREDENTIALS_FILE);
  if (existsSync(file)) {
    let content: unknown;
    try {
      content = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      content = undefined;
    }
    const parsed = credentialsSchema.safeParse(content);
    if (parsed.success) {
      // A file restored from a backup may have lost its mode; it holds a password.
      chmodSync(file, 0o600);
      return parsed.data;
    }
  }
  mkdirSync(dataDir, { recursive: true });
  const credentials: StoreCredentials = {
    username: 'telemed',
    password: randomBytes(32).toString('base64url'),
  };
  writeFileSync(file, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return credentials;
}

/** `uri` with the credentials and the database they are defined in (`authSource`). */
export function withStoreCredentials(uri: string, credentials: StoreCredentials): string {
  const url = new URL(uri);
  url.username = encodeURIComponent(credentials.username);
  url.password = encodeURIComponent(credentials.password);
  url.searchParams.set('authSource', 'admin');
  return url.toString();
}
