import { describe, expect, it } from 'vitest';
import { demoVitalSigns } from '../testing/demoConsultationGraph.js';
import { validatingSuite } from '../testing/fhirTestOptions.js';
import { fhirValidationErrors } from '../validation/validateFhir.js';
import { mapVitalSign } from './vitalSignMapping.js';

const context = { consultationId: '64b000000000000000000007', patientId: '64b000000000000000000001' };

describe('mapVitalSign', validatingSuite, () => {
  it.each(demoVitalSigns.map((vital) => [vital.kind, vital] as const))(
    'maps %s to an Observation meeting its R4 vital-signs profile',
    (_kind, vital) => {
      const observation = mapVitalSign(vital, context);
      expect(observation).toMatchObject({
        status: 'final',
        category: [{ coding: [{ code: 'vital-signs' }] }],
        subject: { reference: `Patient/${context.patientId}` },
        encounter: { reference: `Encounter/${context.consultationId}` },
        effectiveDateTime: vital.takenAt,
        performer: [{ reference: `Practitioner/${vital.recordedBy}` }],
      });
      expect(observation.meta?.profile).toHaveLength(1);
      expect(fhirValidationErrors(observation)).toEqual([]);
    },
  );

  it('uses the LOINC codes and UCUM units the issue names', () => {
    const summary = demoVitalSigns.map((vital) => {
      const o = mapVitalSign(vital, context);
      const quantities = o.component ? o.component.map((c) => c.valueQuantity) : [o.valueQuantity];
      return [
        o.code.coding?.map((c) => c.code).join('+'),
        quantities.map((q) => `${q?.value} ${q?.code}`).join('/'),
      ];
    });
    expect(summary).toEqual([
      ['85354-9', '150 mm[Hg]/95 mm[Hg]'],
      ['8867-4', '88 /min'],
      ['9279-1', '18 /min'],
      ['8310-5', '37.2 Cel'],
      ['2708-6+59408-5', '97 %'],
      ['2339-0', '182 mg/dL'],
      ['29463-7', '86.5 kg'],
      ['8302-2', '172 cm'],
    ]);
  });

  it('gives the blood pressure its systolic and diastolic components', () => {
    const bp = mapVitalSign(demoVitalSigns[0]!, context);
    expect(bp.component?.map((c) => c.code.coding?.[0]?.code)).toEqual(['8480-6', '8462-4']);
    expect(bp.valueQuantity).toBeUndefined();
  });
});
