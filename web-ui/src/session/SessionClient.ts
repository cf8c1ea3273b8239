import {
  type ChangePasswordRequest,
  errorMessage,
  type Locale,
  type LoginRequest,
  type SessionResponse,
  type SessionUser,
} from '@telemed/shared';
import { ApiRequestError, requestJson } from '../api/requestJson.js';
import { messages } from '../i18n/messages.js';

export type SessionListener = (user: SessionUser | null) => void;

/**
 * Holds the access token in memory only (the refresh token stays in its httpOnly cookie), refreshes it a
 * minute before it expires, and retries a request once when the server says the token has expired.
 */
export class SessionClient {
  #session: SessionResponse | null = null;
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #listeners = new Set<SessionListener>();
  locale: Locale = 'ar';

  get user(): SessionUser | null {
    return this.#session?.user ?? null;
  }

  subscribe(listener: SessionListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async login(credentials: LoginRequest): Promise<SessionUser> {
    return this.#accept(await this.#post<SessionResponse>('/api/auth/login', credentials));
  }

  /** After a page load: resumes the sign-in from the refresh cookie, or resolves null. */
  async restore(): Promise<SessionUser | null> {
    try {
      return this.#accept(await this.#post<SessionResponse>('/api/auth/refresh'));
    } catch {
      this.#set(null);
      return null;
    }
  }

  async logout(): Promise<void> {
    try {
      await this.#post('/api/auth/logout');
    } finally {
      this.#set(null);
    }
  }

  async changePassword(change: ChangePasswordRequest): Promise<void> {
    this.#accept(await this.request<SessionResponse>('/api/auth/password', { method: 'POST', body: change }));
  }

  /** An authorised API call; a TOKEN_EXPIRED answer triggers one refresh and one retry. */
  async request<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
    try {
      return await this.#call<T>(path, init);
    } catch (error) {
      if (!(error instanceof ApiRequestError) || error.code !== 'TOKEN_EXPIRED') throw error;
      if (!(await this.restore())) throw error;
      return this.#call<T>(path, init);
    }
  }

  #call<T>(path: string, init: { method?: string; body?: unknown }): Promise<T> {
    const token = this.#session?.accessToken;
    if (!token)
      throw new ApiRequestError('UNAUTHENTICATED', errorMessage('UNAUTHENTICATED', this.locale), 401);
    return requestJson<T>(path, {
      ...init,
      locale: this.locale,
      token,
      networkErrorMessage: this.#networkError(),
    });
  }

  #post<T>(path: string, body?: unknown): Promise<T> {
    return requestJson<T>(path, {
      method: 'POST',
      body,
      locale: this.locale,
      networkErrorMessage: this.#networkError(),
    });
  }

  #networkError(): string {
    return messages[this.locale]['login.networkError'];
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
