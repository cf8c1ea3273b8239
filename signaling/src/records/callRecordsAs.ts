import { requestIdHeader } from '@telemed/service-kit';
import {
  AppError,
  createRecordsClient,
  errorCatalog,
  type LocalizedMessage,
  RecordsApiError,
  type RecordsClient,
} from '@telemed/shared';
import { currentRequestId, personLocale } from './personLocale.js';

const answeredByRecords = new WeakSet<AppError>();

/**
 * Whether `error` is records' own answer, passed on: records audited its refusal itself, so signaling does not
 * report it again as one of its own.
 */
export function isRecordsAnswer(error: unknown): boolean {
  return error instanceof AppError && answeredByRecords.has(error);
}

/**
 * One call to records with the user's OWN access token: records decides what the user may read or change (and
 * audits its refusals), and signaling holds no records credential of its own. Records' refusals (FORBIDDEN,
 * NOT_FOUND, UNPROCESSABLE, STALE_WRITE…) are passed on as they are; an unreachable records is
 * SERVICE_UNAVAILABLE.
 */
export async function callRecordsAs<T>(
  recordsUrl: string,
  timeoutMs: number,
  token: string,
  call: (records: RecordsClient) => Promise<T>,
): Promise<T> {
  // Labels what records audits of these calls as done through signaling; the actor is the token's user.
  // Records writes its refusal in the language asked for: that of the person the answer goes to.
  const locale = personLocale();
  // Records logs this id with its own line for the call: one id from the socket event to records' answer.
  const requestId = currentRequestId();
  const records = createRecordsClient({
    baseUrl: recordsUrl,
    locale: () => locale,
    accessToken: () => token,
    timeoutMs,
    headers: () => ({ 'x-telemed-via': 'signaling', ...(requestId ? { [requestIdHeader]: requestId } : {}) }),
  });
  try {
    return await call(records);
  } catch (error) {
    if (error instanceof RecordsApiError && !error.network) {
      // A plain AppError: records' code and message, without the HTTP status records answered with.
      // Records' words in the person's language; the catalog's in the other (one answer holds one language).
      const message: LocalizedMessage = { ...errorCatalog[error.code], [locale]: error.message };
      const answer = new AppError(error.code, { en: message.en, ar: message.ar }, error.details);
      answeredByRecords.add(answer);
      throw answer;
    }
    throw new AppError('SERVICE_UNAVAILABLE', {
      en: 'Records could not be reached; try again shortly.',
      ar: 'تعذّر الوصول إلى خدمة السجلات؛ حاول مرة أخرى بعد قليل.',
    });
  }
}
