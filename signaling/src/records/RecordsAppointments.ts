import type {
  Appointment,
  AppointmentStatus,
  CallEventInput,
  RecordsClient,
  SignalingRefusal,
} from '@telemed/shared';
import { callRecordsAs } from './callRecordsAs.js';

/**
 * Appointments as records serves them, asked with the user's OWN access token (`callRecordsAs`): records
 * decides who may read or move an appointment.
 */
export class RecordsAppointments {
  readonly #recordsUrl: string;
  readonly #timeoutMs: number;

  constructor(recordsUrl: string | URL, options: { timeoutMs?: number } = {}) {
    this.#recordsUrl = String(recordsUrl);
    this.#timeoutMs = options.timeoutMs ?? 5000;
  }

  get(token: string, appointmentId: string): Promise<Appointment> {
    return this.#call(token, (records) => records.call('getAppointment', { params: { id: appointmentId } }));
  }

  changeStatus(
    token: string,
    appointmentId: string,
    status: AppointmentStatus,
    note: string,
  ): Promise<Appointment> {
    return this.#call(token, (records) =>
      records.call('changeAppointmentStatus', { params: { id: appointmentId }, body: { status, note } }),
    );
  }

  /** Writes a join, admission, leave or end of the call to records' audit trail, as the token's user. */
  recordCallEvent(token: string, appointmentId: string, event: CallEventInput): Promise<void> {
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
