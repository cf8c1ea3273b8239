import type { RecordsConfig } from '../../startRecordsService.js';

/** Where the push goes and how it authenticates. */
export interface FhirPushTarget {
  /** The FHIR base URL; a transaction is POSTed to it. */
  url: string;
  /** Sent with every request: the Authorization header, when credentials are configured. */
  headers: Record<string, string>;
}

/** The target named by the configuration, or undefined when FHIR_PUSH_URL is unset (then nothing is queued). */
export function fhirPushTargetFrom(config: RecordsConfig): FhirPushTarget | undefined {
  if (!config.FHIR_PUSH_URL) return undefined;
  const headers: Record<string, string> = {};
  if (config.FHIR_PUSH_TOKEN) headers.authorization = `Bearer ${config.FHIR_PUSH_TOKEN}`;
  else if (config.FHIR_PUSH_USERNAME && config.FHIR_PUSH_PASSWORD) {
    const basic = Buffer.from(`${config.FHIR_PUSH_USERNAME}:${config.FHIR_PUSH_PASSWORD}`).toString('base64');
    headers.authorization = `Basic ${basic}`;
  }
  return { url: config.FHIR_PUSH_URL, headers };
}
