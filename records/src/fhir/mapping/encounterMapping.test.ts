import { describe, expect, it } from 'vitest';
import { demoConsultationGraph } from '../testing/demoConsultationGraph.js';
import { validatingSuite } from '../testing/fhirTestOptions.js';
import { fhirValidationErrors } from '../validation/validateFhir.js';
import { mapAppointment, mapEncounter } from './encounterMapping.js';

describe('mapAppointment and mapEncounter', validatingSuite, () => {
  it('maps the appointment with its participants, times and status', () => {
    const { appointment } = demoConsultationGraph();
    const resource = mapAppointment(appointment);
    expect(resource).toMatchObject({
      status: 'fulfilled',
      start: '2026-03-02T08:00:00.000Z',
      end: '2026-03-02T08:30:00.000Z',
      description: 'Raised blood sugar',
    });
    expect(resource.participant.map((p) => p.actor?.reference)).toEqual([
      `Patient/${appointment.patientId}`,
      `Practitioner/${appointment.createdBy}`,
      `Practitioner/${appointment.specialistId}`,
    ]);
    expect(fhirValidationErrors(resource)).toEqual([]);
  });

  it('makes the consultation a virtual encounter from admission to end, served by the hospital', () => {
    const graph = demoConsultationGraph();
    const encounter = mapEncounter(graph);
    expect(encounter).toMatchObject({
      status: 'finished',
      class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'VR' },
      period: { start: '2026-03-02T08:15:00.000Z', end: '2026-03-02T08:40:00.000Z' },
      serviceProvider: { reference: `Organization/${graph.hospital!.id}` },
      reasonCode: [{ text: 'Follow-up of raised blood sugar and headaches' }],
      appointment: [{ reference: `Appointment/${graph.appointment.id}` }],
    });
    expect(
      encounter.participant?.map((p) => [p.type?.[0]?.coding?.[0]?.code, p.individual?.reference]),
    ).toEqual([
      ['ATND', `Practitioner/${graph.clinicDoctor!.id}`],
      ['CON', `Practitioner/${graph.specialist!.id}`],
    ]);
    expect(encounter.diagnosis?.map((d) => [d.rank, d.condition.reference])).toEqual([
      [1, `Condition/${graph.consultation.id}-E119`],
      [2, `Condition/${graph.consultation.id}-I10`],
    ]);
    expect(fhirValidationErrors(encounter)).toEqual([]);
  });

  it('leaves the period out before the call began, and the clinic serves a consultation no hospital took', () => {
    const graph = demoConsultationGraph();
    graph.appointment = {
      ...graph.appointment,
      status: 'waiting',
      statusHistory: graph.appointment.statusHistory.slice(0, 2),
      specialistJoinedAt: undefined,
      completedAt: undefined,
      specialistId: undefined,
    };
    graph.consultation = { ...graph.consultation, status: 'draft', content: {}, amendments: [] };
    graph.hospital = undefined;
    graph.specialist = undefined;
    const encounter = mapEncounter(graph);
    expect(encounter.status).toBe('arrived');
    expect(encounter.period).toBeUndefined();
    expect(encounter.reasonCode).toEqual([{ text: 'Raised blood sugar' }]);
    expect(encounter.serviceProvider?.reference).toBe(`Organization/${graph.clinic.id}`);
    expect(fhirValidationErrors(encounter)).toEqual([]);
  });
});
