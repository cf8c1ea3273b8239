import {
  AppError,
  type ErrorCode,
  errorBodySchema,
  type SessionUser,
  sessionUserSchema,
} from '@telemed/shared';

/** What records may answer about an account that signaling passes on as it is: the account is refused. */
const refusalCodes = new Set<ErrorCode>(['ACCOUNT_INACTIVE', 'UNAUTHENTICATED', 'TOKEN_EXPIRED']);

/**
 * A typed client of records' `GET /api/auth/me`: the account behind an access token as records knows it now
 * (records re-checks that it is active). Signaling asks it because a token outlives a deactivation.
 */
export class RecordsAccountClient {
  readonly #meUrl: URL;
  readonly #timeoutMs: number;

  constructor(recordsUrl: string | URL, options: { timeoutMs?: number } = {}) {
    this.#meUrl = new URL('/api/auth/me', recordsUrl);
    this.#timeoutMs = options.timeoutMs ?? 5000;
  }

  /**
   * Resolves with the current account, or rejects with an AppError: ACCOUNT_INACTIVE, UNAUTHENTICATED or
   * TOKEN_EXPIRED when records refuses the token, SERVICE_UNAVAILABLE when records cannot say (unreachable,
   * too slow, failing, or answering something unexpected), so that no caller mistakes "unknown" for "active".
   */
  async currentAccount(token: string): Promise<SessionUser> {
    let res: Response;
    try {
      res = await fetch(this.#meUrl, {
        headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch (error) {
      throw unavailable(`records could not be reached (${(error as Error).message})`);
    }
    const body: unknown = await res.json().catch(() => undefined);
    if (res.ok) {
      const account = sessionUserSchema.safeParse(body);
      if (account.success) return account.data;
      throw unavailable('records answered an account in an unexpected form');
    }
    const refusal = errorBodySchema.safeParse(body);
    if (refusal.success && refusalCodes.has(refusal.data.error.code)) {
      throw new AppError(refusal.data.error.code);
    }
    throw unavailable(`records answered ${res.status}`);
  }
}

function unavailable(reason: string): AppError {
  return new AppError(
    'SERVICE_UNAVAILABLE',
    `The account could not be checked: ${reason}. Try again shortly.`,
  );
}
