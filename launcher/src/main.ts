#!/usr/bin/env node
import { ConfigError, roleLabels } from '@telemed/shared';
import { type RunningPlatform, startPlatform } from './startPlatform.js';

const started = Date.now();
let platform: RunningPlatform | undefined;
let stopping = false;

async function shutdown(code: number): Promise<never> {
  if (stopping) process.exit(code);
  stopping = true;
  process.stderr.write('\nStopping the platform …\n');
  await platform?.stop();
  process.stderr.write('Stopped.\n');
  process.exit(code);
}

process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

try {
  platform = await startPlatform({
    onServiceDied(service, code, recentOutput) {
      process.stderr.write(`\n${service} stopped unexpectedly (exit code ${code}). Its last lines:\n`);
      for (const line of recentOutput) process.stderr.write(`  ${line}\n`);
      void shutdown(1);
    },
  });
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(78);
  }
  process.stderr.write(`The platform could not start: ${error instanceof Error ? error.message : error}\n`);
  process.exit(1);
}

const { urls, logDir, demoAccounts } = platform;
const accountLines =
  demoAccounts.length > 0
    ? [
        'Demo accounts (generated for this installation; also in DATA_DIR/demo-accounts.json):',
        ...demoAccounts.map(
          (a) =>
            `  ${roleLabels[a.role].en.padEnd(14)} ${a.username.padEnd(16)} ${a.password.padEnd(14)} ${a.organization}`,
        ),
      ]
    : ['Demo accounts: none (an external MongoDB is used; seed it with `npm run seed -w records`).'];
const seconds = ((Date.now() - started) / 1000).toFixed(1);
process.stdout.write(
  [
    '',
    `Telemedicine platform is up (${seconds} s).`,
    '',
    `  Clinic app       ${urls.clinicApp}`,
    `  Specialist app   ${urls.specialistApp}`,
    `  Admin app        ${urls.adminApp}      (administrators and auditors)`,
    `  Records API      ${urls.records}      (health: /healthz, /readyz)`,
    `  Signaling        ${urls.signaling}`,
    `  SFU control      ${urls.sfu}`,
    `  Database         ${urls.mongo}`,
    `  Logs             ${logDir}`,
    '',
    ...accountLines,
    '',
    'Press Ctrl-C to stop.',
    '',
  ].join('\n'),
);
