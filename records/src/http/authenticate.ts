import { AppError } from '@telemed/shared';
import type { Request, RequestHandler } from 'express';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import type { RecordsContext } from '../RecordsContext.js';
import { clientIp } from './requestContext.js';

/**
 * Every /api route but sign-in passes here: a valid Bearer access token of a user who is still active.
 * The account is re-checked (see ActiveUsers) so that deactivating it takes effect at once, not when its
 * token expires. Every refusal is audited: 401s through the throttle (anyone can send them by the thousand),
 * 403 ACCOUNT_INACTIVE with its verified actor.
 */
export function authenticate({ tokens, activeUsers, refusals, logger }: RecordsContext): RequestHandler {
  async function refuse(req: Request, { kind, claimed, actorId, actorRole }: RefusedToken) {
    const ip = clientIp(req);
    try {
      await refusals.record({
        // Similar means same address and kind: nothing the sender writes into a token makes a new key.
        key: `${ip}\u0000${kind}`,
        actor: { id: actorId, role: actorRole, ip, via: 'http' },
        entry: {
          action: 'login',
          resourceType: 'access-token',
          outcome: 'denied',
          reason: `${kind}${claimed ?? ''}: ${req.method} ${req.originalUrl.split('?')[0]?.slice(0, 120)}`,
        },
      });
    } catch (error) {
      // The refusal stands; only its record is missing, which the log says.
      logger.error({ err: error }, 'could not audit a refused access token');
    }
  }

  return async (req, _res, next) => {
    const header = req.headers.authorization;
    const match = header?.match(/^Bearer ([A-Za-z0-9._-]{10,4096})$/);
    if (!match?.[1]) {
      await refuse(req, { kind: header ? 'malformed Authorization header' : 'no access token' });
      throw new AppError('UNAUTHENTICATED', {
        en: 'Send the access token as "Authorization: Bearer <token>".',
        ar: 'أرسل رمز الدخول في الترويسة "Authorization: Bearer <token>".',
      });
    }
    const token = match[1];
    let user: Awaited<ReturnType<typeof tokens.verify>>;
    try {
      user = await tokens.verify(token);
    } catch (error) {
      const systemClient = await tokens.verifySystem(token).catch(() => undefined);
      if (systemClient) {
        // A system client's token is for /fhir only: it names no person, so no /api rule could judge it.
        await refuse(req, {
          kind: 'system client token on /api',
          actorId: systemClient.id,
          actorRole: 'system',
        });
        throw new AppError('FORBIDDEN', {
          en: 'A system client token opens the FHIR API (/fhir) only, not /api.',
          ar: 'رمز النظام العميل يفتح واجهة FHIR (/fhir) فقط، لا واجهة /api.',
        });
      }
      await refuse(req, describeRefusedToken(token, error));
      throw error;
    }
    const current = await activeUsers.get(user.id);
    if (!current) {
      await refuse(req, { kind: 'account inactive', actorId: user.id, actorRole: user.role });
      throw new AppError('ACCOUNT_INACTIVE');
    }
    req.user = { ...user, ...current };
    next();
  };
}

interface RefusedToken {
  kind: string;
  /** Untrusted: what a token that failed verification says about its subject. */
  claimed?: string | undefined;
  /** Trusted: the subject of a token whose signature was verified. */
  actorId?: string | undefined;
  actorRole?: string | undefined;
}

const objectIdPattern = /^[0-9a-f]{24}$/i;

/**
 * What kind of bad token this was. Only an expired token's subject is trusted: jose checks the signature
 * before the expiry. Any other token's claims are the sender's word: at most a "claimed" subject in the
 * reason, and only when it has the form of an id.
 */
function describeRefusedToken(token: string, error: unknown): RefusedToken {
  let claimedSubject: unknown;
  let algorithm: unknown;
  try {
    algorithm = decodeProtectedHeader(token).alg;
    claimedSubject = decodeJwt(token).sub;
  } catch {
    return { kind: 'malformed access token' };
  }
  const subject =
    typeof claimedSubject === 'string' && objectIdPattern.test(claimedSubject) ? claimedSubject : undefined;
  if (error instanceof AppError && error.code === 'TOKEN_EXPIRED' && subject) {
    return { kind: 'expired access token', actorId: subject };
  }
  const claimed = subject ? `, claimed subject ${subject}` : undefined;
  if (typeof algorithm === 'string' && algorithm.toLowerCase() === 'none') {
    return { kind: 'unsigned access token (alg none)', claimed };
  }
  return { kind: 'access token with a bad signature or claims', claimed };
}
