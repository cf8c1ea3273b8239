#!/usr/bin/env node
/**
 * One measured Bulk Data export, in a process of its own so that its peak RSS is the export's alone (the
 * store and the data generator run elsewhere): `node dist/bench/fhirBenchExport.js <mongodb uri>`. Runs a
 * system-level export of every type with the production sources and runner, and prints one JSON line:
 * resources, wall time, peak RSS.
 */
import { createLogger } from '@telemed/service-kit';
import { Types } from 'mongoose';
import { connectDatabase } from '../db/connectDatabase.js';
import { BulkExportRunner } from '../fhir/bulk/BulkExportRunner.js';
import { BulkSourceTable } from '../fhir/bulk/BulkSourceTable.js';
import { recordsBulkSources } from '../fhir/bulk/sources/recordsBulkSources.js';
import { Icd10Catalog } from '../icd10/Icd10Catalog.js';
import { registerModels } from '../models/registerModels.js';

export interface FhirBenchExportResult {
  resources: number;
  byType: Record<string, number>;
  wallMs: number;
  peakRssBytes: number;
  status: string;
}

const uri = process.argv[2];
if (!uri) {
  process.stderr.write('usage: fhirBenchExport <mongodb uri>\n');
  process.exit(2);
}
const connection = await connectDatabase(uri);
await connection.syncIndexes();
const models = registerModels(connection);
const sources = new BulkSourceTable(
  recordsBulkSources(models, Icd10Catalog.shared(), { recordsBaseUrl: '' }),
);
const runner = new BulkExportRunner(models, sources, createLogger('fhir-bench', 'warn'));
const types = sources.types('system');
const job = await models.BulkExportJob.create({
  clientId: new Types.ObjectId(),
  request: '/fhir/$export',
  level: 'system',
  types,
  status: 'in-progress',
  transactionTime: new Date(),
  expiresAt: new Date(Date.now() + 3600_000),
});

let peakRssBytes = process.memoryUsage.rss();
const sampler = setInterval(() => {
  peakRssBytes = Math.max(peakRssBytes, process.memoryUsage.rss());
}, 20);
const started = performance.now();
await runner.start(job._id.toHexString());
const wallMs = performance.now() - started;
clearInterval(sampler);
peakRssBytes = Math.max(peakRssBytes, process.memoryUsage.rss());
await runner.stop();

const done = await models.BulkExportJob.findById(job._id).lean();
const byType = Object.fromEntries((done?.output ?? []).map((o) => [o.type, o.count]));
const result: FhirBenchExportResult = {
  resources: Object.values(byType).reduce((sum, n) => sum + (n ?? 0), 0),
  byType: byType as Record<string, number>,
  wallMs,
  peakRssBytes,
  status: done?.status ?? 'missing',
};
process.stdout.write(`${JSON.stringify(result)}\n`);
await connection.close();
