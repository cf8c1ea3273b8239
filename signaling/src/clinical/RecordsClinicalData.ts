import {
  AppError,
  type Attachment,
  type ChatMessage,
  type RecordsClient,
  type VitalSign,
  type VitalSignInput,
} from '@telemed/shared';
import { callRecordsAs } from '../records/callRecordsAs.js';

/** Enough for every room of a busy node; the oldest entries go first. */
const rememberedConsultations = 10_000;

/**
 * A consultation's live data as records stores it, always with the sender's OWN token: records checks the role
 * and the appointment on every write (and audits it), so nothing reaches the room that records did not store.
 */
export class RecordsClinicalData {
  readonly #recordsUrl: string;
  readonly #timeoutMs: number;
  /**
   * appointment id → consultation id, which never changes once records opened the consultation. Remembering it
   * saves a read of the whole consultation per chat line; it grants nothing, since each write is checked anew.
   */
  readonly #consultationIds = new Map<string, string>();

  constructor(recordsUrl: string | URL, options: { timeoutMs?: number } = {}) {
    this.#recordsUrl = String(recordsUrl);
    this.#timeoutMs = options.timeoutMs ?? 5000;
  }

  async postChat(
    token: string,
    appointmentId: string,
    message: { text: string; clientMessageId?: string },
  ): Promise<ChatMessage> {
    const id = await this.#consultationIdOf(token, appointmentId);
    return this.#call(token, (records) => records.call('postChatMessage', { params: { id }, body: message }));
  }

  async recordVitalSign(token: string, appointmentId: string, vital: VitalSignInput): Promise<VitalSign> {
    const id = await this.#consultationIdOf(token, appointmentId);
    return this.#call(token, (records) => records.call('recordVitalSign', { params: { id }, body: vital }));
  }

  /** The attachment as records holds it on the appointment's consultation, or NOT_FOUND. */
  async attachment(token: string, appointmentId: string, attachmentId: string): Promise<Attachment> {
    const consultation = await this.#open(token, appointmentId);
    const attachment = consultation.attachments.find((a) => a.id === attachmentId);
    if (!attachment) {
      throw new AppError('NOT_FOUND', {
        en: 'This consultation has no such attachment; upload it first.',
        ar: 'لا يوجد هذا المرفق في الاستشارة؛ ارفعه أولاً.',
      });
    }
    return attachment;
  }

  async #consultationIdOf(token: string, appointmentId: string): Promise<string> {
    return this.#consultationIds.get(appointmentId) ?? (await this.#open(token, appointmentId)).id;
  }

  async #open(token: string, appointmentId: string) {
    const consultation = await this.#call(token, (records) =>
      records.call('openConsultation', { params: { appointmentId } }),
    );
    this.#remember(appointmentId, consultation.id);
    return consultation;
  }

  #remember(appointmentId: string, consultationId: string): void {
    this.#consultationIds.delete(appointmentId);
    this.#consultationIds.set(appointmentId, consultationId);
    if (this.#consultationIds.size > rememberedConsultations) {
      const oldest = this.#consultationIds.keys().next().value;
      if (oldest !== undefined) this.#consultationIds.delete(oldest);
    }
  }

  #call<T>(token: string, call: (records: RecordsClient) => Promise<T>): Promise<T> {
    return callRecordsAs(this.#recordsUrl, this.#timeoutMs, token, call);
  }
}
