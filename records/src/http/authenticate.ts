import { AppError } from '@telemed/shared';
import type { RequestHandler } from 'express';
import type { RecordsContext } from '../RecordsContext.js';

/**
 * Every /api route but sign-in passes here: a valid Bearer access token of a user who is still active.
 * The account is re-checked (see ActiveUsers) so that deactivating it takes effect at once, not when its
 * token expires.
 */
export function authenticate({ tokens, activeUsers }: RecordsContext): RequestHandler {
  return async (req, _res, next) => {
    const header = req.headers.authorization;
    const match = header?.match(/^Bearer ([A-Za-z0-9._-]{10,4096})$/);
    if (!match?.[1]) {
      throw new AppError('UNAUTHENTICATED', 'Send the access token as "Authorization: Bearer <token>".');
    }
    const user = await tokens.verify(match[1]);
    const current = await activeUsers.get(user.id);
    if (!current) throw new AppError('ACCOUNT_INACTIVE');
    req.user = { ...user, ...current };
    next();
  };
}
