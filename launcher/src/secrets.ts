import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

const secretsSchema = z.object({ SFU_CONTROL_SECRET: z.string().min(32) });
export type GeneratedSecrets = z.infer<typeof secretsSchema>;

/**
 * Secrets the embedded platform needs but nobody should have to invent: made once per data directory
 * (readable by its owner only) and reused on later runs. Variables set in the environment win.
 */
export function ensureSecrets(dataDir: string): GeneratedSecrets {
  const file = join(dataDir, 'secrets.json');
  if (existsSync(file)) {
    const parsed = secretsSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (parsed.success) return parsed.data;
  }
  mkdirSync(dataDir, { recursive: true });
  const secrets: GeneratedSecrets = { SFU_CONTROL_SECRET: randomBytes(32).toString('base64url') };
  writeFileSync(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return secrets;
}
