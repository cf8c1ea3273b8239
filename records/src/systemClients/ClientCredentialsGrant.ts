import { systemScopeSchema } from '@telemed/shared';
import { createLocalJWKSet, decodeJwt, type JSONWebKeySet, jwtVerify } from 'jose';
import { Types } from 'mongoose';
import type { AuditActor } from '../audit/AuditActor.js';
import type { AuditLog } from '../audit/AuditLog.js';
import type { RefusalAudit } from '../audit/RefusalAudit.js';
import type { TokenIssuer } from '../auth/TokenIssuer.js';
import type { Models } from '../models/registerModels.js';
import { OAuthError } from './OAuthError.js';

export const jwtBearerAssertionType = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** SMART Backend Services: an assertion may live at most five minutes. */
const maxAssertionLifetimeSeconds = 300;
/** Clocks of a hospital's server and ours differ by this much at most. */
const clockToleranceSeconds = 60;
/** SMART asks that system access tokens expire within five minutes. */
const maxSystemTokenSeconds = 300;

export interface TokenRequest {
  grant_type?: unknown;
  client_assertion_type?: unknown;
  client_assertion?: unknown;
  scope?: unknown;
}

export interface TokenAnswer {
  access_token: string;
  token_type: 'bearer';
  expires_in: number;
  scope: string;
}

/**
 * The `client_credentials` grant of SMART Backend Services: a JWT the client signed (RS384 or ES384) with the
 * private half of a key it registered proves who it is; we answer an access token for the scopes it asked
 * for that an administrator allowed it. Every grant and every refusal is audited, naming the client.
 */
export class ClientCredentialsGrant {
  readonly #models: Models;
  readonly #tokens: TokenIssuer;
  readonly #audit: AuditLog;
  readonly #refusals: RefusalAudit;

  constructor(models: Models, tokens: TokenIssuer, audit: AuditLog, refusals: RefusalAudit) {
    this.#models = models;
    this.#tokens = tokens;
    this.#audit = audit;
    this.#refusals = refusals;
  }

  /** `tokenUrl` is this endpoint's URL, the `aud` the assertion must name. */
  async grant(request: TokenRequest, tokenUrl: string, ip: string | undefined): Promise<TokenAnswer> {
    let clientId: string | undefined;
    try {
      const { client, exp, jti } = await this.#authenticateClient(request, tokenUrl, (id) => {
        clientId = id;
      });
      const granted = grantedScopes(request.scope, client.scopes);
      await this.#spendAssertion(client.id, jti, exp);
      const expiresIn = maxSystemTokenSeconds;
      const { token } = await this.#tokens.issueSystem({
        sub: client.id,
        name: client.name,
        scope: granted.join(' '),
      });
      await this.#audit.record(systemActor(client.id, ip), {
        action: 'login',
        resourceType: 'system-client',
        resourceId: client.id,
        outcome: 'success',
        reason: `client_credentials, scope ${granted.join(' ')}`,
      });
      return { access_token: token, token_type: 'bearer', expires_in: expiresIn, scope: granted.join(' ') };
    } catch (error) {
      if (error instanceof OAuthError) {
        await this.#refusals.record({
          key: `${ip}\u0000token ${error.error}`,
          actor: systemActor(clientId, ip),
          entry: {
            action: 'login',
            resourceType: 'system-client',
            resourceId: clientId,
            outcome: 'denied',
            reason: `${error.error}: ${error.message}`,
          },
        });
      }
      throw error;
    }
  }

  async #authenticateClient(request: TokenRequest, tokenUrl: string, knownClient: (id: string) => void) {
    if (request.grant_type !== 'client_credentials') {
      throw new OAuthError('unsupported_grant_type', {
        en: 'Only grant_type=client_credentials is supported.',
        ar: 'نوع المنح المدعوم الوحيد هو grant_type=client_credentials.',
      });
    }
    if (
      request.client_assertion_type !== jwtBearerAssertionType ||
      typeof request.client_assertion !== 'string'
    ) {
      throw new OAuthError('invalid_request', {
        en: `Send client_assertion_type=${jwtBearerAssertionType} and a signed client_assertion.`,
        ar: `أرسل client_assertion_type=${jwtBearerAssertionType} ومعه client_assertion موقّعاً.`,
      });
    }
    const assertion = request.client_assertion;
    let claimed: { iss?: unknown; sub?: unknown };
    try {
      claimed = decodeJwt(assertion);
    } catch {
      throw new OAuthError('invalid_client', {
        en: 'The client_assertion is not a JWT.',
        ar: 'قيمة client_assertion ليست رمز JWT صالحاً.',
      });
    }
    if (
      typeof claimed.iss !== 'string' ||
      claimed.iss !== claimed.sub ||
      !Types.ObjectId.isValid(claimed.iss)
    ) {
      throw new OAuthError('invalid_client', {
        en: 'The assertion must name the client id as both iss and sub.',
        ar: 'يجب أن يحمل الإقرار معرّف النظام العميل في الحقلين iss و sub معاً.',
      });
    }
    const client = await this.#models.SystemClient.findById(claimed.iss).lean();
    if (!client || client.active === false) {
      throw new OAuthError('invalid_client', {
        en: 'No active system client has this id; ask the administrator to register it.',
        ar: 'لا يوجد نظام عميل مفعّل بهذا المعرّف؛ اطلب من مسؤول النظام تسجيله.',
      });
    }
    const id = client._id.toHexString();
    knownClient(id);
    const publicKey = client.publicKey as { keys?: unknown[] };
    const keySet = (publicKey.keys ? publicKey : { keys: [publicKey] }) as JSONWebKeySet;
    let payload: { exp?: number; jti?: unknown };
    try {
      ({ payload } = await jwtVerify(assertion, createLocalJWKSet(keySet), {
        algorithms: ['RS384', 'ES384'],
        audience: tokenUrl,
        issuer: id,
        subject: id,
        requiredClaims: ['exp', 'jti'],
        clockTolerance: clockToleranceSeconds,
      }));
    } catch (error) {
      throw new OAuthError('invalid_client', {
        en: `The client_assertion was refused (${(error as Error).message}); sign it with the registered key (RS384 or ES384), aud ${tokenUrl}, and a jti.`,
        ar: `رُفض الإقرار client_assertion؛ وقّعه بالمفتاح المسجَّل (RS384 أو ES384) واجعل aud هو ${tokenUrl} وأضف jti.`,
      });
    }
    const exp = payload.exp as number;
    if (exp - Date.now() / 1000 > maxAssertionLifetimeSeconds + clockToleranceSeconds) {
      throw new OAuthError('invalid_client', {
        en: 'The assertion expires too late: exp may be at most five minutes ahead.',
        ar: 'مدة صلاحية الإقرار طويلة؛ يجب ألا يتجاوز exp خمس دقائق من الآن.',
      });
    }
    if (typeof payload.jti !== 'string' || payload.jti.length === 0 || payload.jti.length > 256) {
      throw new OAuthError('invalid_client', {
        en: 'The assertion needs a jti of at most 256 characters.',
        ar: 'يحتاج الإقرار إلى jti لا يزيد عن 256 حرفاً.',
      });
    }
    return { client: { id, name: client.name, scopes: client.scopes }, exp, jti: payload.jti };
  }

  /** Records the jti until the assertion expires; a second use of it, on any node, is refused. */
  async #spendAssertion(clientId: string, jti: string, exp: number): Promise<void> {
    try {
      await this.#models.UsedClientAssertion.create({
        _id: `${clientId}:${jti}`,
        expiresAt: new Date((exp + clockToleranceSeconds) * 1000),
      });
    } catch (error) {
      if ((error as { code?: unknown }).code !== 11000) throw error;
      throw new OAuthError('invalid_grant', {
        en: 'This client_assertion (its jti) was already used; sign a new one for each token request.',
        ar: 'استُخدم هذا الإقرار (قيمة jti) من قبل؛ وقّع إقراراً جديداً لكل طلب رمز.',
      });
    }
  }
}

function systemActor(clientId: string | undefined, ip: string | undefined): AuditActor {
  return { id: clientId, role: clientId ? 'system' : undefined, ip, via: 'http' };
}

/** Does an allowed scope cover a requested one? `system/*.read` covers every type; `read` and `rs` are alike. */
export function scopeCovers(allowed: string, requested: string): boolean {
  const [allowedType, allowedAccess] = parseScope(allowed);
  const [requestedType, requestedAccess] = parseScope(requested);
  if (!allowedType || !requestedType || !allowedAccess || !requestedAccess) return false;
  return allowedType === '*' || allowedType === requestedType;
}

function parseScope(scope: string): [string | undefined, string | undefined] {
  const match = scope.match(/^system\/([^.]+)\.(read|rs)$/);
  return [match?.[1], match?.[2]];
}

function grantedScopes(requested: unknown, allowed: string[]): string[] {
  if (typeof requested !== 'string' || requested.trim() === '') {
    throw new OAuthError('invalid_scope', {
      en: 'Ask for a scope, such as scope=system/*.read.',
      ar: 'اطلب نطاقاً، مثل scope=system/*.read.',
    });
  }
  const asked = requested.trim().split(/\s+/);
  const granted = asked.filter(
    (scope) => systemScopeSchema.safeParse(scope).success && allowed.some((a) => scopeCovers(a, scope)),
  );
  if (granted.length === 0) {
    throw new OAuthError('invalid_scope', {
      en: `None of the scopes asked for is allowed to this client (allowed: ${allowed.join(' ')}).`,
      ar: `لا يُسمح لهذا النظام العميل بأي من النطاقات المطلوبة (المسموح: ${allowed.join(' ')}).`,
    });
  }
  return granted;
}
