import type { Appointment, AppointmentStatus, RecordsClient } from '@telemed/shared';
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

  #call<T>(token: string, call: (records: RecordsClient) => Promise<T>): Promise<T> {
    return callRecordsAs(this.#recordsUrl, this.#timeoutMs, token, call);
  }
}
