import { AppError, type AuthenticatedUser, type Role } from '@telemed/shared';
import type { Request } from 'express';

declare module 'express-serve-static-core' {
  interface Request {
    /** Set by the authentication middleware on every /api route but sign-in. */
    user?: AuthenticatedUser;
  }
}

/** The signed-in user of a request that passed authentication. */
export function currentUser(req: Request): AuthenticatedUser {
  if (!req.user) throw new AppError('UNAUTHENTICATED');
  return req.user;
}

/** Refuses (403, audited by the error handler) unless the user has one of `roles`. */
export function requireRole(req: Request, ...roles: Role[]): AuthenticatedUser {
  const user = currentUser(req);
  if (!roles.includes(user.role)) {
    throw new AppError('FORBIDDEN', `This needs one of the roles: ${roles.join(', ')}.`);
  }
  return user;
}

export function clientIp(req: Request): string | undefined {
  return req.ip ?? req.socket.remoteAddress;
}
