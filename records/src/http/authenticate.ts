import { AppError } from '@telemed/shared';
import type { RequestHandler } from 'express';
import type { RecordsContext } from '../RecordsContext.js';

/**
 * Every /api route but sign-in passes here: a valid Bearer access token of a user who is still active.
 * The user is re-read so that deactivating an account takes effect at once, not when its token expires.
 */
export function authenticate({ tokens, models }: RecordsContext): RequestHandler {
  return async (req, _res, next) => {
    const header = req.headers.authorization;
    const match = header?.match(/^Bearer ([A-Za-z0-9._-]{10,4096})$/);
    if (!match?.[1]) {
      throw new AppError('UNAUTHENTICATED', 'Send the access token as "Authorization: Bearer <token>".');
    }
    const user = await tokens.verify(match[1]);
    const stored = await models.User.findById(user.id, { active: 1, role: 1, organizationId: 1 }).lean();
    if (!stored || stored.active === false) throw new AppError('ACCOUNT_INACTIVE');
    req.user = { ...user, role: stored.role, organizationId: stored.organizationId.toHexString() };
    next();
  };
}
