import { describe, expect, it } from 'vitest';
import { validatingSuite } from '../testing/fhirTestOptions.js';
import { fhirValidationErrors } from '../validation/validateFhir.js';
import { mapAuditEvent } from './auditEventMapping.js';
import type { AuditEventRecord } from './mappingInputs.js';

const read: AuditEventRecord = {
  id: '64b0000000000000000000a1',
  at: new Date('2026-03-02T09:00:00.000Z'),
  actorId: '64b000000000000000000004',
  actorRole: 'specialist',
  action: 'read',
  resourceType: 'consultation',
  resourceIds: ['64b000000000000000000007'],
  patientIds: ['64b000000000000000000001'],
  outcome: 'success',
  ip: '10.0.0.5',
  via: 'http',
};

describe('mapAuditEvent', validatingSuite, () => {
  it('maps a read as a RESTful read by its actor, naming the record and the patient', () => {
    const event = mapAuditEvent(read);
    expect(event).toMatchObject({
      type: { code: 'rest' },
      subtype: [{ code: 'read' }],
      action: 'R',
      recorded: '2026-03-02T09:00:00.000Z',
      outcome: '0',
      agent: [
        {
          who: { reference: 'Practitioner/64b000000000000000000004' },
          requestor: true,
          network: { address: '10.0.0.5' },
        },
      ],
      source: { site: 'http' },
    });
    expect(event.entity?.map((e) => e.what)).toEqual([
      { identifier: { system: 'urn:telemed:record:consultation', value: '64b000000000000000000007' } },
      { reference: 'Patient/64b000000000000000000001' },
    ]);
    expect(fhirValidationErrors(event)).toEqual([]);
  });

  it('maps a refusal as a minor failure with its reason, and each action we record', () => {
    const denied = mapAuditEvent({ ...read, outcome: 'denied', reason: 'not this clinic' });
    expect(denied).toMatchObject({ outcome: '4', outcomeDesc: 'not this clinic' });
    for (const action of ['create', 'update', 'delete', 'login', 'logout', 'export', 'sign'])
      expect(fhirValidationErrors(mapAuditEvent({ ...read, action })), action).toEqual([]);
  });

  it('maps an event of the system, with no person behind it', () => {
    const event = mapAuditEvent({
      ...read,
      actorId: undefined,
      actorRole: undefined,
      ip: undefined,
      via: 'worker',
      patientIds: [],
    });
    expect(event.agent[0]).toEqual({ who: { display: 'worker' }, requestor: false });
    expect(fhirValidationErrors(event)).toEqual([]);
  });
});
