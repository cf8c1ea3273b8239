#!/usr/bin/env node
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, type DemoAccount, loadConfig } from '@telemed/shared';
import { connectDatabase } from './db/connectDatabase.js';
import { registerModels } from './models/registerModels.js';
import { seedDemoData } from './seed/seedDemoData.js';
import { defaultMongoUri } from './startRecordsService.js';

/**
 * `npm run seed -w records [-- --if-empty]`: fills an empty database with demo data and writes the demo
 * accounts (with their generated passwords) to DATA_DIR/demo-accounts.json, readable by its owner only.
 */
async function main(): Promise<void> {
  const config = loadConfig(['MONGODB_URI', 'DATA_DIR']);
  const ifEmpty = process.argv.includes('--if-empty');
  const accountsFile = join(config.DATA_DIR, 'demo-accounts.json');
  const connection = await connectDatabase(config.MONGODB_URI ?? defaultMongoUri);
  try {
    const models = registerModels(connection);
    await connection.syncIndexes();
    if ((await models.User.estimatedDocumentCount()) > 0) {
      if (!ifEmpty) {
        process.stderr.write('The database already has users: not seeding demo data over them.\n');
        process.exitCode = 1;
      }
      const known = existsSync(accountsFile)
        ? (JSON.parse(readFileSync(accountsFile, 'utf8')) as DemoAccount[])
        : [];
      process.stdout.write(`${JSON.stringify({ seeded: false, accounts: known })}\n`);
      return;
    }
    const accounts = await seedDemoData(models);
    mkdirSync(config.DATA_DIR, { recursive: true });
    writeFileSync(accountsFile, `${JSON.stringify(accounts, null, 2)}\n`, { mode: 0o600 });
    chmodSync(accountsFile, 0o600);
    process.stdout.write(`${JSON.stringify({ seeded: true, accounts })}\n`);
  } finally {
    await connection.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof ConfigError ? error.message : `Seeding failed: ${String(error)}`}\n`,
  );
  process.exit(error instanceof ConfigError ? 78 : 1);
});
