import {
  AppError,
  createRecordsClient,
  type ErrorCode,
  RecordsApiError,
  type SessionUser,
} from '@telemed/shared';

/** What records may answer about an account that signaling passes on as it is: the account is refused. */
const refusalCodes = new Set<ErrorCode>(['ACCOUNT_INACTIVE', 'UNAUTHENTICATED', 'TOKEN_EXPIRED']);

/**
 * The account behind an access token as records knows it now (`getMe` of the records API, through its typed
 * client: records re-checks that the account is active). Signaling asks because a token outlives a deactivation.
 */
export class RecordsAccountClient {
  readonly #recordsUrl: string;
  readonly #timeoutMs: number;

  constructor(recordsUrl: string | URL, options: { timeoutMs?: number } = {}) {
    this.#recordsUrl = String(recordsUrl);
    this.#timeoutMs = options.timeoutMs ?? 5000;
  }

  /**
   * Resolves with the current account, or rejects with an AppError: ACCOUNT_INACTIVE, UNAUTHENTICATED or
   * TOKEN_EXPIRED when records refuses the token, SERVICE_UNAVAILABLE when records cannot say (unreachable,
   * too slow, failing, or answering outside its contract), so that no caller mistakes "unknown" for "active".
   */
  async currentAccount(token: string): Promise<SessionUser> {
    const records = createRecordsClient({
      baseUrl: this.#recordsUrl,
      accessToken: () => token,
      timeoutMs: this.#timeoutMs,
    });
    try {
      return await records.call('getMe');
    } catch (error) {
      if (error instanceof RecordsApiError && refusalCodes.has(error.code)) throw new AppError(error.code);
      const reason =
        error instanceof RecordsApiError && !error.network
          ? `records answered ${error.status} ${error.code}`
          : 'records could not be reached';
      throw new AppError('SERVICE_UNAVAILABLE', {
        en: `The account could not be checked: ${reason}. Try again shortly.`,
        ar: 'تعذّر التحقق من الحساب الآن؛ حاول مرة أخرى بعد قليل.',
      });
    }
  }
}
