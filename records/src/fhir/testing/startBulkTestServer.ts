import type { FhirSettings } from '../../createRecordsApp.js';
import { type RecordsTestServer, startRecordsTestServer } from '../../testing/recordsTestServer.js';
import type { BulkRunnerOptions } from '../bulk/BulkExportRunner.js';
import type { BulkTypeSource } from '../bulk/BulkTypeSource.js';
import { organizationSource, patientSource, slowSource } from './testBulkSources.js';

export interface BulkTestServerOptions {
  runner?: BulkRunnerOptions;
  /** The `Basic` source: this many resources, this far apart (an export long enough to watch). */
  slow?: { count: number; delayMs: number };
  publicUrl?: string;
  /** A second node on the first one's database (see `startRecordsTestServer`). */
  sameDatabaseAs?: RecordsTestServer;
}

/**
 * A records test server whose Bulk Data export writes the test sources: Organization and Patient streamed from
 * its database, and a slow generated `Basic`. The sources read the server's own models, which exist once it
 * has started: they are looked up lazily.
 */
export async function startBulkTestServer(options: BulkTestServerOptions = {}): Promise<RecordsTestServer> {
  let models: RecordsTestServer['models'] | undefined;
  const lazy = (make: typeof organizationSource): BulkTypeSource => {
    const probe = make(undefined as never);
    return {
      type: probe.type,
      patientCompartment: probe.patientCompartment,
      estimate: (since) => make(models!).estimate(since),
      stream: (since, signal) => make(models!).stream(since, signal),
    };
  };
  const slow = options.slow ?? { count: 400, delayMs: 10 };
  const fhir: FhirSettings = {
    bulkSources: [lazy(organizationSource), lazy(patientSource), slowSource(slow.count, slow.delayMs)],
    // Chunks of about one line: every file is written in several, as a big export's would be.
    runner: options.runner ?? { chunkBytes: 60, sweepMs: 500, leaseMs: 2_000 },
    publicUrl: options.publicUrl,
  };
  const started = await startRecordsTestServer(undefined, undefined, fhir, options.sameDatabaseAs);
  models = started.models;
  return started;
}
