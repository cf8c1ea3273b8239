import { parseArgs } from 'node:util';
import { ExportCliError } from './ExportCliError.js';

export interface ExportOptions {
  /** The records service's base URL, e.g. https://records.hospital.example (no /fhir). */
  url: string;
  clientId: string;
  keyFile: string;
  outDir: string;
  types: string[] | undefined;
  since: string | undefined;
  patientLevel: boolean;
}

export const usage = `Usage: npm run fhir:export -w records -- --out DIR [--type Patient,Observation] [--since <instant>]
         [--patient-level] [--url URL] [--client-id ID] [--key FILE]

  --out DIR          directory the NDJSON files are written to (created if missing)
  --type T1,T2       resource types to export (default: every type the server exports)
  --since INSTANT    only resources changed since then, e.g. 2024-01-31T00:00:00Z
  --patient-level    Patient/$export (the Patient compartment) instead of $export
  --url URL          the records service, e.g. https://records.hospital.example  (or FHIR_EXPORT_URL)
  --client-id ID     the system client's id from its registration                (or FHIR_CLIENT_ID)
  --key FILE         its private key, PKCS#8 PEM or JWK (ES384 or RS384)           (or FHIR_CLIENT_KEY)

Ctrl-C cancels the export on the server.`;

/** The command line, with the environment filling what it leaves out; a usage error exits with code 2. */
export function parseExportOptions(argv: string[], env: NodeJS.ProcessEnv): ExportOptions {
  let values: ReturnType<typeof parse>['values'];
  try {
    values = parse(argv).values;
  } catch (error) {
    throw new ExportCliError(`${(error as Error).message}\n\n${usage}`, 2);
  }
  const url = values.url ?? env.FHIR_EXPORT_URL;
  const clientId = values['client-id'] ?? env.FHIR_CLIENT_ID;
  const keyFile = values.key ?? env.FHIR_CLIENT_KEY;
  const missing = [
    !values.out && '--out',
    !url && '--url (or FHIR_EXPORT_URL)',
    !clientId && '--client-id (or FHIR_CLIENT_ID)',
    !keyFile && '--key (or FHIR_CLIENT_KEY)',
  ].filter(Boolean);
  if (missing.length > 0) throw new ExportCliError(`Missing ${missing.join(', ')}.\n\n${usage}`, 2);
  if (!/^https?:\/\/[^\s]+$/.test(url!)) {
    throw new ExportCliError(`--url ${JSON.stringify(url)} is not an http(s) URL.`, 2);
  }
  const types = values.type
    ?.split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  return {
    url: url!.replace(/\/+$/, ''),
    clientId: clientId!,
    keyFile: keyFile!,
    outDir: values.out!,
    types: types && types.length > 0 ? types : undefined,
    since: values.since,
    patientLevel: values['patient-level'] ?? false,
  };
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      out: { type: 'string' },
      type: { type: 'string' },
      since: { type: 'string' },
      'patient-level': { type: 'boolean' },
      url: { type: 'string' },
      'client-id': { type: 'string' },
      key: { type: 'string' },
    },
  });
}
