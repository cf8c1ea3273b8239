import { randomUUID } from 'node:crypto';
import type { Bundle, Encounter, Patient } from '@medplum/fhirtypes';
import type { Models } from '../../models/registerModels.js';
import type { ConsultationBundleBuilder } from './ConsultationBundleBuilder.js';

export const consultationIdentifierSystem = 'urn:telemed:consultation';
export const mrnSystemOf = (clinicId: string) => `urn:telemed:clinic:${clinicId}:mrn`;

/**
 * A small but real transaction Bundle of a consultation: its Patient (conditional create on the clinic's MRN)
 * and its virtual Encounter (conditional update on the consultation's id). The push's interim builder, and the
 * one its tests use; the full mapping of issue 21 (vitals, conditions, the note) replaces it where the
 * records service wires its push (`startRecordsService`).
 */
export function patientEncounterBundle(models: Models): ConsultationBundleBuilder {
  return async (consultation) => {
    const patient = await models.Patient.findById(consultation.patientId, {
      mrn: 1,
      name: 1,
      sex: 1,
      birthDate: 1,
      clinicId: 1,
    }).lean();
    if (!patient) throw new Error(`consultation ${consultation._id} has no patient`);
    const mrn = { system: mrnSystemOf(patient.clinicId.toHexString()), value: patient.mrn };
    const patientUrl = `urn:uuid:${randomUUID()}`;
    const patientResource: Patient = {
      resourceType: 'Patient',
      identifier: [mrn],
      name: [
        { use: 'official', text: patient.name.latin },
        { use: 'usual', text: patient.name.ar },
      ],
      ...(patient.sex === 'male' || patient.sex === 'female' ? { gender: patient.sex } : {}),
      ...(patient.birthDate ? { birthDate: patient.birthDate } : {}),
    };
    const encounterId = { system: consultationIdentifierSystem, value: consultation._id.toHexString() };
    const reason = consultation.content.reasonForVisit;
    const encounter: Encounter = {
      resourceType: 'Encounter',
      identifier: [encounterId],
      status: consultation.status === 'signed' ? 'finished' : 'in-progress',
      class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'VR', display: 'virtual' },
      subject: { reference: patientUrl },
      ...(typeof reason === 'string' && reason ? { reasonCode: [{ text: reason }] } : {}),
    };
    const bundle: Bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        {
          fullUrl: patientUrl,
          resource: patientResource,
          request: { method: 'POST', url: 'Patient', ifNoneExist: `identifier=${mrn.system}|${mrn.value}` },
        },
        {
          fullUrl: `urn:uuid:${randomUUID()}`,
          resource: encounter,
          request: { method: 'PUT', url: `Encounter?identifier=${encounterId.system}|${encounterId.value}` },
        },
      ],
    };
    return bundle;
  };
}
