#!/usr/bin/env node
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { BulkExportClient } from './BulkExportClient.js';
import { ExportCliError } from './ExportCliError.js';
import { ExportProgress } from './ExportProgress.js';
import { parseExportOptions, usage } from './exportOptions.js';
import { SmartBackendToken } from './SmartBackendToken.js';
import { type DownloadedFile, summaryTable } from './summaryTable.js';

/**
 * `npm run fhir:export -w records -- --out DIR`: a whole Bulk Data export as a hospital's system would run it
 * (SMART Backend Services token, kick-off, progress, files to disk, a summary). Exit codes: 0 done, 1 refused
 * or failed, 2 bad usage, 130 cancelled with Ctrl-C (the job is cancelled on the server too).
 */
/** Aborted by Ctrl-C: whatever was waiting or downloading stops, and the SIGINT handler takes over. */
const stop = new AbortController();

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  const options = parseExportOptions(argv, process.env);
  const outDir = resolve(options.outDir);
  await mkdir(outDir, { recursive: true });
  const scope = options.types ? options.types.map((t) => `system/${t}.read`).join(' ') : 'system/*.read';
  const token = await SmartBackendToken.load(
    `${options.url}/auth/token`,
    options.clientId,
    scope,
    options.keyFile,
  );
  await token.get();
  const client = new BulkExportClient(`${options.url}/fhir`, token);

  const progress = new ExportProgress();
  let statusUrl: string | undefined;
  let finished = false;
  process.once('SIGINT', () => {
    stop.abort(new ExportCliError('cancelled', 130));
    progress.stop(false);
    void (async () => {
      if (statusUrl && !finished) {
        try {
          process.stdout.write(`\ncancelling the export on the server…\n${await client.cancel(statusUrl)}\n`);
        } catch (error) {
          process.stderr.write(`${(error as Error).message}\n`);
        }
      }
      process.exit(130);
    })();
  });

  statusUrl = await client.kickOff(options);
  process.stdout.write(`export started: ${statusUrl}\n`);
  const manifest = await client.waitForManifest(statusUrl, (p) => progress.update(p), stop.signal);
  finished = true;
  progress.stop(true);
  process.stdout.write(`export complete (transaction time ${manifest.transactionTime}); downloading\n`);

  const files: DownloadedFile[] = [];
  const perType = new Map<string, number>();
  const entries = [
    ...manifest.output.map((o) => ({ ...o, name: o.type })),
    ...manifest.error.map((e) => ({ ...e, count: undefined, name: 'errors' })),
  ];
  for (const entry of entries) {
    const n = (perType.get(entry.name) ?? 0) + 1;
    perType.set(entry.name, n);
    const path = join(outDir, n === 1 ? `${entry.name}.ndjson` : `${entry.name}.${n}.ndjson`);
    const bytes = await client.download(entry.url, path, stop.signal);
    files.push({ type: entry.type, count: entry.count, bytes, path });
  }
  process.stdout.write(`${summaryTable(files)}\n`);
  if (manifest.error.length > 0) {
    process.stderr.write(`The server reported errors for some resources; see the errors*.ndjson files.\n`);
    return 1;
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    // Ctrl-C stopped the waiting: the SIGINT handler cancels the job on the server, then exits.
    if (stop.signal.aborted) return;
    if (error instanceof ExportCliError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(error.exitCode);
    }
    process.stderr.write(`The export failed: ${(error as Error)?.message ?? String(error)}\n`);
    process.exit(1);
  },
);
