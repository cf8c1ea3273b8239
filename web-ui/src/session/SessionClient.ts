import {
  type ChangePasswordRequest,
  createRecordsClient,
  type Locale,
  type LoginRequest,
  type RecordsAnswer,
  type RecordsCallArgs,
  type RecordsClient,
  type RecordsRouteName,
  type SessionResponse,
  type SessionUser,
} from '@telemed/shared';
import { catalogs } from '../i18n/catalog.js';

export type SessionListener = (user: SessionUser | null) => void;

/**
 * Holds the access token in memory only (the refresh token stays in its httpOnly cookie), refreshes it a
 * minute before it expires, and retries a call once when the server says the token has expired. Every call
 * goes through the typed records client, so every answer is checked against the records API's table.
 */
export class SessionClient {
  #session: SessionResponse | null = null;
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #listeners = new Set<SessionListener>();
  readonly #records: RecordsClient;
  locale: Locale = 'ar';

  constructor(baseUrl = '') {
    this.#records = createRecordsClient({
      baseUrl,
      credentials: 'same-origin',
      accessToken: () => this.#session?.accessToken,
      onTokenExpired: async () => (await this.restore()) !== null,
      locale: () => this.locale,
      networkErrorMessage: () => catalogs[this.locale]['login.networkError'],
    });
  }

  get user(): SessionUser | null {
    return this.#session?.user ?? null;
  }

  /** For the signaling link, which presents the same token (read at every connection, so a refreshed one is used). */
  get accessToken(): string | undefined {
    return this.#session?.accessToken;
  }

  subscribe(listener: SessionListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async login(credentials: LoginRequest): Promise<SessionUser> {
    return this.#accept(await this.#records.call('login', { body: credentials }));
  }

  /** After a page load: resumes the sign-in from the refresh cookie, or resolves null. */
  async restore(): Promise<SessionUser | null> {
    try {
      return this.#accept(await this.#records.call('refreshSession'));
    } catch {
      this.#set(null);
      return null;
    }
  }

  async logout(): Promise<void> {
    try {
      await this.#records.call('logout');
    } finally {
      this.#set(null);
    }
  }

  async changePassword(change: ChangePasswordRequest): Promise<void> {
    this.#accept(await this.#records.call('changePassword', { body: change }));
  }

  /** An authorised records call, by its name in the route table; TOKEN_EXPIRED triggers one refresh and one retry. */
  call<N extends RecordsRouteName>(name: N, ...request: RecordsCallArgs<N>): Promise<RecordsAnswer<N>> {
    return this.#records.call(name, ...request);
  }

  #accept(session: SessionResponse): SessionUser {
    this.#set(session);
    clearTimeout(this.#timer);
    const refreshIn = Math.max(10_000, Date.parse(session.expiresAt) - Date.now() - 60_000);
    this.#timer = setTimeout(() => void this.restore(), refreshIn);
    return session.user;
  }

  #set(session: SessionResponse | null): void {
    this.#session = session;
    if (!session) clearTimeout(this.#timer);
    for (const listener of this.#listeners) listener(session?.user ?? null);
  }
}
