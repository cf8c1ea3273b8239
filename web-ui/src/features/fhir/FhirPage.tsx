import { Stack } from '@mantine/core';
import { BulkExportsSection } from './BulkExportsSection.js';
import { FhirPushSection } from './FhirPushSection.js';
import { SystemClientsSection } from './SystemClientsSection.js';

/**
 * The administrator's FHIR screen: the system clients hospitals export with, the push to the hospital's FHIR
 * server, and the Bulk Data exports under way.
 */
export function FhirPage() {
  return (
    <Stack gap="md">
      <SystemClientsSection />
      <FhirPushSection />
      <BulkExportsSection />
    </Stack>
  );
}
