import type { Appointment, CallEventInput, RecordsClient, SignalingRefusal } from '@telemed/shared';
import { callRecordsAs } from './callRecordsAs.js';

/**
 * Appointments as records serves them, asked with the user's OWN access token (`callRecordsAs`): records
 * decides who may read or move an appointment, and each step of a call is one request.
 */
export class RecordsAppointments {
  readonly #recordsUrl: string;
  readonly #timeoutMs: number;

  constructor(recordsUrl: string | URL, options: { timeoutMs?: number } = {}) {
    this.#recordsUrl = String(recordsUrl);
    this.#timeoutMs = options.timeoutMs ?? 5000;
  }

  /**
   * A join, admission, leave or end of the call, as the token's user: records checks the user may take that
   * step, audits it, moves the appointment as it implies (waiting, in-progress, completed), and answers the
   * appointment with the user's `callRole`, all in one request.
   */
  recordCallEvent(token: string, appointmentId: string, event: CallEventInput): Promise<Appointment> {
    return this.#call(token, (records) =>
      records.call('recordCallEvent', { params: { id: appointmentId }, body: event }),
    );
  }

  /** The booked specialist (the token's user) invites `specialistId` into the call: records decides and audits. */
  invite(token: string, appointmentId: string, specialistId: string): Promise<Appointment> {
    return this.#call(token, (records) =>
      records.call('inviteToCall', { params: { id: appointmentId }, body: { specialistId } }),
    );
  }

  withdrawInvitation(token: string, appointmentId: string, specialistId: string): Promise<Appointment> {
    return this.#call(token, (records) =>
      records.call('withdrawCallInvitation', { params: { id: appointmentId, specialistId } }),
    );
  }

  /** Writes a refusal signaling made itself to records' audit trail, as the token's user. */
  reportRefusal(token: string, refusal: SignalingRefusal): Promise<void> {
    return this.#call(token, (records) => records.call('reportSignalingRefusal', { body: refusal }));
  }

  #call<T>(token: string, call: (records: RecordsClient) => Promise<T>): Promise<T> {
    return callRecordsAs(this.#recordsUrl, this.#timeoutMs, token, call);
  }
}
