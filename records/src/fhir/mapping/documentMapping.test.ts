import { describe, expect, it } from 'vitest';
import { demoConsultationGraph } from '../testing/demoConsultationGraph.js';
import { validatingSuite } from '../testing/fhirTestOptions.js';
import { fhirValidationErrors } from '../validation/validateFhir.js';
import { mapAttachment, mapChatMessage } from './documentMapping.js';

describe('mapAttachment and mapChatMessage', validatingSuite, () => {
  const { consultation, patient } = demoConsultationGraph();
  const context = { consultationId: consultation.id, patientId: patient.id };

  it('describes an attachment with its type, size, hash and the records API URL of its bytes', () => {
    const attachment = consultation.attachments[0]!;
    const document = mapAttachment(attachment, context, { recordsBaseUrl: 'https://records.example.org' });
    expect(document.content[0]!.attachment).toEqual({
      contentType: 'application/pdf',
      url: `https://records.example.org/api/consultations/${consultation.id}/attachments/${attachment.id}`,
      size: 48213,
      hash: 'qUqP5cyxm6YcTAhz05Hph5gvu9M=',
      title: 'fasting-glucose.pdf',
      creation: '2026-03-02T08:12:00.000Z',
    });
    expect(document.context?.encounter?.[0]?.reference).toBe(`Encounter/${consultation.id}`);
    expect(fhirValidationErrors(document)).toEqual([]);
  });

  it('leaves the hash out for a file uploaded before hashes were kept', () => {
    const document = mapAttachment({ ...consultation.attachments[0]!, sha1: undefined }, context, {
      recordsBaseUrl: '',
    });
    expect(document.content[0]!.attachment.hash).toBeUndefined();
    expect(document.content[0]!.attachment.url).toMatch(/^\/api\/consultations\//);
  });

  it('makes a chat message a Communication from its author in the encounter', () => {
    const message = consultation.chat[1]!;
    const communication = mapChatMessage(message, context);
    expect(communication).toMatchObject({
      status: 'completed',
      sender: { reference: `Practitioner/${message.authorId}` },
      sent: '2026-03-02T08:17:00.000Z',
      payload: [{ contentString: 'Thank you, please repeat it after 5 minutes.' }],
      encounter: { reference: `Encounter/${consultation.id}` },
    });
    expect(fhirValidationErrors(communication)).toEqual([]);
  });
});
