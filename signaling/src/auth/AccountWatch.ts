import type { Logger } from '@telemed/service-kit';
import { AppError, type AuthenticatedUser, type SessionUser } from '@telemed/shared';

/** Where the current state of an account comes from (records' `/api/auth/me`, see RecordsAccountClient). */
export interface AccountSource {
  /** The account now; rejects with ACCOUNT_INACTIVE, UNAUTHENTICATED, TOKEN_EXPIRED or SERVICE_UNAVAILABLE. */
  currentAccount(token: string): Promise<SessionUser>;
}

/** A connection held on an account: told why and closed when the account is revoked. */
export interface AccountHolder {
  readonly id: string;
  revoke(reason: AppError): void;
}

interface Held {
  holder: AccountHolder;
  token: string;
  expiresAt: number;
}

export interface AccountWatchOptions {
  accounts: AccountSource;
  /** Time between two re-checks of every connected account (SIGNALING_ACCOUNT_CHECK_SECONDS). */
  intervalMs: number;
  logger: Logger;
  /** Re-checks in flight at once, so a round with many users does not burst records. */
  concurrency?: number;
}

/** Answers after which the connections on an account are closed; any other failure leaves them open. */
const revokingCodes = new Set(['ACCOUNT_INACTIVE', 'UNAUTHENTICATED']);

/**
 * A token outlives a deactivation, so signaling asks records about the account: once at the handshake
 * (`admit`), and then periodically for every connected user (one call per user, not per socket), closing
 * every connection of an account records no longer accepts. A records outage refuses new handshakes (an
 * unchecked account never gets a socket) but leaves live ones alone, so a blip does not drop calls.
 */
export class AccountWatch {
  readonly #accounts: AccountSource;
  readonly #intervalMs: number;
  readonly #logger: Logger;
  readonly #concurrency: number;
  readonly #users = new Map<string, { user: AuthenticatedUser; held: Map<string, Held> }>();
  #timer: NodeJS.Timeout | undefined;
  #running = false;

  constructor({ accounts, intervalMs, logger, concurrency = 8 }: AccountWatchOptions) {
    this.#accounts = accounts;
    this.#intervalMs = intervalMs;
    this.#logger = logger;
    this.#concurrency = concurrency;
  }

  /** Resolves when records still accepts the account as the token describes it; rejects with an AppError. */
  async admit(token: string, user: AuthenticatedUser): Promise<void> {
    const account = await this.#accounts.currentAccount(token);
    // A token keeps the role and organization it was issued with; the account may have changed since.
    if (
      account.id !== user.id ||
      account.role !== user.role ||
      account.organizationId !== user.organizationId
    ) {
      throw new AppError('UNAUTHENTICATED', {
        en: 'The account changed since this sign-in (role or organization): sign in again.',
        ar: 'تغيّر الحساب منذ تسجيل الدخول (الدور أو الجهة)؛ سجّل الدخول مرة أخرى.',
      });
    }
  }

  /** Keeps the account of a connection under watch until `release`. */
  hold(user: AuthenticatedUser, token: string, expiresAt: number, holder: AccountHolder): void {
    let entry = this.#users.get(user.id);
    if (!entry) {
      entry = { user, held: new Map() };
      this.#users.set(user.id, entry);
    }
    entry.held.set(holder.id, { holder, token, expiresAt });
  }

  release(userId: string, holderId: string): void {
    const entry = this.#users.get(userId);
    if (!entry) return;
    entry.held.delete(holderId);
    if (entry.held.size === 0) this.#users.delete(userId);
  }

  /** Distinct users under watch (what one round costs in calls to records). */
  get userCount(): number {
    return this.#users.size;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#schedule();
  }

  stop(): void {
    this.#running = false;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** One round: re-checks every watched user once. The timer never starts a round before the last ended. */
  async checkAll(): Promise<void> {
    const userIds = [...this.#users.keys()];
    let next = 0;
    const worker = async () => {
      while (next < userIds.length) {
        const userId = userIds[next++] as string;
        await this.#check(userId);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.#concurrency, userIds.length) }, worker));
  }

  #schedule(): void {
    this.#timer = setTimeout(() => {
      void this.checkAll().finally(() => {
        if (this.#running) this.#schedule();
      });
    }, this.#intervalMs);
    this.#timer.unref();
  }

  async #check(userId: string): Promise<void> {
    const entry = this.#users.get(userId);
    if (!entry) return;
    // The token that lives longest: an expiring one would say TOKEN_EXPIRED about an account that is fine.
    let freshest: Held | undefined;
    for (const held of entry.held.values()) {
      if (!freshest || held.expiresAt > freshest.expiresAt) freshest = held;
    }
    if (!freshest) return;
    try {
      await this.admit(freshest.token, entry.user);
    } catch (error) {
      const appError = error instanceof AppError ? error : undefined;
      if (appError && revokingCodes.has(appError.code)) {
        this.#revoke(userId, appError);
      } else if (appError?.code !== 'TOKEN_EXPIRED') {
        // Each connection's own expiry timer ends it when its token expires; anything else is records unsure.
        this.#logger.warn(
          { userId, err: error },
          'could not re-check an account; its connections stay open until the next check',
        );
      }
    }
  }

  #revoke(userId: string, reason: AppError): void {
    const entry = this.#users.get(userId);
    if (!entry) return;
    this.#users.delete(userId);
    this.#logger.info(
      { userId, code: reason.code, connections: entry.held.size },
      'account no longer accepted: closing its connections',
    );
    for (const { holder } of entry.held.values()) holder.revoke(reason);
  }
}
