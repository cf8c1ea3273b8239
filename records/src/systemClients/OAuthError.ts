import type { LocalizedMessage } from '@telemed/shared';

export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'invalid_scope'
  | 'unsupported_grant_type';

/**
 * A refusal of the token endpoint in RFC 6749's words (section 5.2): its own body `{error, error_description}`,
 * not the platform's error body, since OAuth clients read only that. The description is in both languages.
 */
export class OAuthError extends Error {
  readonly error: OAuthErrorCode;
  readonly description: LocalizedMessage;

  constructor(error: OAuthErrorCode, description: LocalizedMessage) {
    super(description.en);
    this.name = 'OAuthError';
    this.error = error;
    this.description = description;
  }

  /** 401 for a client that failed to authenticate (RFC 6749 allows it and SMART expects it), 400 otherwise. */
  get status(): number {
    return this.error === 'invalid_client' ? 401 : 400;
  }

  toBody(): { error: OAuthErrorCode; error_description: string } {
    return { error: this.error, error_description: `${this.description.en} / ${this.description.ar}` };
  }
}
