import type { Condition, Encounter, Observation, Patient } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { mapConditions } from '../mapping/conditionMapping.js';
import { mapAttachment } from '../mapping/documentMapping.js';
import { mapEncounter } from '../mapping/encounterMapping.js';
import { vitalSignProfiles } from '../mapping/fhirSystems.js';
import { mapVitalSign } from '../mapping/vitalSignMapping.js';
import { demoConsultationGraph, demoVitalSigns } from '../testing/demoConsultationGraph.js';
import { validatingSuite } from '../testing/fhirTestOptions.js';
import { fhirValidationErrors } from './validateFhir.js';

const context = { consultationId: '64b000000000000000000007', patientId: '64b000000000000000000001' };
const observationOf = (kind: string): Observation => {
  const vital = demoVitalSigns.find((v) => v.kind === kind);
  if (!vital) throw new Error(kind);
  return mapVitalSign(vital, context);
};
const heartRate = () => observationOf('heart-rate');
const messages = (resource: Parameters<typeof fhirValidationErrors>[0]) =>
  fhirValidationErrors(resource).map((issue) => `${issue.expression?.join()}: ${issue.details?.text}`);

describe('validateFhir: R4 and the vital-signs profiles', validatingSuite, () => {
  it('passes every vital sign as mapped', () => {
    for (const vital of demoVitalSigns)
      expect(messages(mapVitalSign(vital, context)), vital.kind).toEqual([]);
  });

  it('rejects a heart rate whose LOINC code is not 8867-4', () => {
    const wrong = { ...heartRate(), code: { coding: [{ system: 'http://loinc.org', code: '8310-5' }] } };
    expect(messages(wrong).join('\n')).toMatch(/HeartRateCode/);
  });

  it('rejects a heart rate in bpm, which Medplum alone lets through: the profile fixes UCUM /min', () => {
    const observation = heartRate();
    const wrong = {
      ...observation,
      valueQuantity: { ...observation.valueQuantity, code: 'bpm', unit: 'bpm' },
    };
    expect(messages(wrong)).toEqual([
      expect.stringMatching(/valueQuantity\.code: The unit must be \/min.*not bpm/),
    ]);
  });

  it('rejects a unit outside the UCUM system', () => {
    const observation = heartRate();
    const wrong = {
      ...observation,
      valueQuantity: { ...observation.valueQuantity, system: 'http://example.org/units' },
    };
    expect(messages(wrong).join('\n')).toMatch(/unit's system must be http:\/\/unitsofmeasure\.org/);
  });

  it('rejects a temperature in kelvin: the bodytemp profile binds its unit to Cel or [degF]', () => {
    const observation = observationOf('temperature');
    const wrong = {
      ...observation,
      valueQuantity: { ...observation.valueQuantity, value: 310, code: 'K', unit: 'K' },
    };
    expect(messages(wrong).join('\n')).toMatch(/The unit must be Cel or \[degF\].*not K/);
  });

  it('rejects a blood pressure whose systolic component is in kPa', () => {
    const observation = observationOf('blood-pressure');
    const [systolic, diastolic] = observation.component!;
    const wrong = {
      ...observation,
      component: [
        { ...systolic!, valueQuantity: { ...systolic!.valueQuantity, code: 'kPa', unit: 'kPa' } },
        diastolic!,
      ],
    };
    expect(messages(wrong).join('\n')).toMatch(
      /component\[0\]\.valueQuantity\.code: The unit must be mm\[Hg\]/,
    );
  });

  it('rejects a blood pressure without its diastolic component, or with a systolic one coded wrongly', () => {
    const observation = observationOf('blood-pressure');
    const [systolic, diastolic] = observation.component!;
    expect(messages({ ...observation, component: [systolic!] }).join('\n')).toMatch(/DiastolicBP/);
    const miscoded = { ...systolic!, code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] } };
    expect(messages({ ...observation, component: [miscoded, diastolic!] }).join('\n')).toMatch(/SystolicBP/);
  });

  it('rejects a heart rate given as a string: the profile allows only a Quantity', () => {
    const { valueQuantity: _value, ...observation } = heartRate();
    expect(messages({ ...observation, valueString: '80' }).join('\n')).toMatch(
      /value\[x\] must be one of Quantity/,
    );
  });

  it('rejects a vital sign without its category or without its subject', () => {
    const { category: _category, ...noCategory } = heartRate();
    expect(messages(noCategory as Observation).join('\n')).toMatch(/Observation\.category/);
    const { subject: _subject, ...noSubject } = heartRate();
    expect(messages(noSubject).join('\n')).toMatch(/Observation\.subject/);
  });

  it('rejects a category that is not vital-signs', () => {
    const wrong = {
      ...heartRate(),
      category: [
        {
          coding: [
            { system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' },
          ],
        },
      ],
    };
    expect(messages(wrong).join('\n')).toMatch(/VSCat/);
  });

  it('rejects codes outside a required binding, which Medplum alone lets through', () => {
    expect(messages({ ...heartRate(), status: 'bogus' as Observation['status'] }).join('\n')).toMatch(
      /Observation\.status: Code 'bogus' is not in the required value set/,
    );
    const patient: Patient = { resourceType: 'Patient', gender: 'x' as Patient['gender'] };
    expect(messages(patient).join('\n')).toMatch(/Patient\.gender/);
    const badUse: Patient = {
      resourceType: 'Patient',
      name: [{ use: 'nickname-ish' as 'usual', text: 'A' }],
    };
    expect(messages(badUse).join('\n')).toMatch(/Patient\.name\[0\]\.use/);
  });

  it('rejects other resource types missing what R4 requires, or with malformed extensions', () => {
    const graph = demoConsultationGraph();
    const { class: _class, ...noClass } = mapEncounter(graph);
    expect(messages(noClass as Encounter).join('\n')).toMatch(/Encounter\.class/);
    const [condition] = mapConditions(graph);
    const { subject: _subject, ...noSubject } = condition!;
    expect(messages(noSubject as Condition).join('\n')).toMatch(/Condition\.subject/);
    const badTranslation = JSON.parse(JSON.stringify(condition).replace('"url":"lang"', '"uri":"lang"'));
    expect(messages(badTranslation).length).toBeGreaterThan(0);
    const document = mapAttachment(
      graph.consultation.attachments[0]!,
      { consultationId: 'c', patientId: 'p' },
      { recordsBaseUrl: '' },
    );
    expect(messages({ ...document, content: [] }).join('\n')).toMatch(/DocumentReference\.content/);
  });

  it('refuses a profile it does not hold rather than passing it silently', () => {
    const observation = {
      ...heartRate(),
      meta: { profile: ['http://example.org/StructureDefinition/unknown'] },
    };
    expect(messages(observation).join('\n')).toMatch(/not one the validator holds/);
  });

  it('claims the profile each kind has', () => {
    expect(heartRate().meta?.profile).toEqual([vitalSignProfiles.heartRate]);
  });
});
