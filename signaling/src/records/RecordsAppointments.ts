import {
  AppError,
  type Appointment,
  type AppointmentStatus,
  createRecordsClient,
  RecordsApiError,
} from '@telemed/shared';

/**
 * Appointments as records serves them, asked with the user's OWN access token: records decides who may read
 * or move an appointment (and audits its refusals), and signaling holds no records credential of its own.
 * Records' refusals (FORBIDDEN, NOT_FOUND, UNPROCESSABLE, STALE_WRITE…) are passed on as they are.
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

  async #call<T>(
    token: string,
    call: (records: ReturnType<typeof createRecordsClient>) => Promise<T>,
  ): Promise<T> {
    const records = createRecordsClient({
      baseUrl: this.#recordsUrl,
      accessToken: () => token,
      timeoutMs: this.#timeoutMs,
    });
    try {
      return await call(records);
    } catch (error) {
      if (error instanceof RecordsApiError && !error.network) {
        // A plain AppError: records' code and message, without the HTTP status records answered with.
        throw new AppError(error.code, error.message, error.details);
      }
      throw new AppError('SERVICE_UNAVAILABLE', 'Records could not be reached; try again shortly.');
    }
  }
}
