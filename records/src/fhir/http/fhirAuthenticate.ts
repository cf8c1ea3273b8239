import { AppError } from '@telemed/shared';
import type { Request, RequestHandler } from 'express';
import { decodeJwt } from 'jose';
import { clientIp } from '../../http/requestContext.js';
import type { RecordsContext } from '../../RecordsContext.js';
import type { FhirCaller } from './FhirCaller.js';

declare module 'express-serve-static-core' {
  interface Request {
    /** Set by `fhirAuthenticate` on every /fhir route. */
    fhirCaller?: FhirCaller;
  }
}

/**
 * Every /fhir route passes here: a Bearer token of an active user or of an active system client. Refusals are
 * audited as on /api (through the throttle: anyone can send bad tokens by the thousand).
 */
export function fhirAuthenticate({ tokens, activeUsers, refusals, models }: RecordsContext): RequestHandler {
  async function refuse(req: Request, kind: string, actorId?: string, actorRole?: string) {
    const ip = clientIp(req);
    await refusals.record({
      key: `${ip}\u0000fhir ${kind}`,
      actor: { id: actorId, role: actorRole, ip, via: 'http' },
      entry: {
        action: 'login',
        resourceType: 'access-token',
        outcome: 'denied',
        reason: `${kind}: ${req.method} ${req.originalUrl.split('?')[0]?.slice(0, 120)}`,
      },
    });
  }

  return async (req, _res, next) => {
    const match = req.headers.authorization?.match(/^Bearer ([A-Za-z0-9._-]{10,4096})$/);
    if (!match?.[1]) {
      await refuse(req, 'no access token');
      throw new AppError('UNAUTHENTICATED', {
        en: 'Send the access token as "Authorization: Bearer <token>" (a system client gets one at /auth/token).',
        ar: 'أرسل رمز الدخول في الترويسة "Authorization: Bearer <token>" (يحصل النظام العميل عليه من /auth/token).',
      });
    }
    const token = match[1];
    const ip = clientIp(req);
    let userRefusal: unknown;
    const user = await tokens.verify(token).catch((error: unknown) => {
      userRefusal = error;
      return undefined;
    });
    if (user) {
      const current = await activeUsers.get(user.id);
      if (!current) {
        await refuse(req, 'account inactive', user.id, user.role);
        throw new AppError('ACCOUNT_INACTIVE');
      }
      const merged = { ...user, ...current };
      req.fhirCaller = {
        kind: 'user',
        user: merged,
        actor: { id: merged.id, role: merged.role, ip, via: 'http' },
      };
      return next();
    }
    let client: Awaited<ReturnType<typeof tokens.verifySystem>>;
    try {
      client = await tokens.verifySystem(token);
    } catch (error) {
      // Expiry is checked after the signature, issuer and audience: an expired token is one we issued, so its
      // subject can be named, and the caller told to get a new token rather than that it is a stranger.
      if (isExpired(userRefusal)) {
        await refuse(req, 'expired access token', decodeJwt(token).sub);
        throw new AppError('TOKEN_EXPIRED');
      }
      if (isExpired(error)) {
        await refuse(req, 'expired access token', decodeJwt(token).sub, 'system');
        throw new AppError('TOKEN_EXPIRED', {
          en: 'The access token has expired; get a new one at /auth/token.',
          ar: 'انتهت صلاحية رمز الدخول؛ اطلب رمزاً جديداً من /auth/token.',
        });
      }
      await refuse(req, 'bad access token');
      throw error;
    }
    const stored = await models.SystemClient.findById(client.id, { active: 1 }).lean();
    if (!stored || stored.active === false) {
      await refuse(req, 'system client inactive', client.id, 'system');
      throw new AppError('ACCOUNT_INACTIVE', {
        en: 'This system client has been deactivated; contact the administrator.',
        ar: 'تم إيقاف هذا النظام العميل؛ تواصل مع مسؤول النظام.',
      });
    }
    req.fhirCaller = { kind: 'system', client, actor: { id: client.id, role: 'system', ip, via: 'http' } };
    next();
  };
}

function isExpired(error: unknown): boolean {
  return error instanceof AppError && error.code === 'TOKEN_EXPIRED';
}
