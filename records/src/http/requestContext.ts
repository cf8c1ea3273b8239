import { AppError, type AuthenticatedUser, type Role } from '@telemed/shared';
import type { Request } from 'express';
import { assertRole } from '../access/assertRole.js';
import type { Caller } from '../access/Caller.js';
import type { AuditActor } from '../audit/AuditActor.js';

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
  return assertRole(currentUser(req), roles);
}

export function clientIp(req: Request): string | undefined {
  return req.ip ?? req.socket.remoteAddress;
}

/**
 * The request's signed-in user (if any) and address, as the actor of what it reads or changes.
 * `x-telemed-via: signaling` labels it as having come through signaling. It is only a label: signaling has no
 * credential of its own and calls with the acting user's token, so the actor stays the user the token proves,
 * and a client that sends the header itself gains nothing but a different label.
 */
export function actorOf(req: Request): AuditActor {
  const via = req.get('x-telemed-via') === 'signaling' ? 'signaling' : 'http';
  return { id: req.user?.id, role: req.user?.role, ip: clientIp(req), via };
}

/**
 * The request's caller of a service. With `roles`, refused (403) before anything else is read: a wrong role
 * learns nothing from how its input would have been judged.
 */
export function callerOf(req: Request, roles?: readonly Role[]): Caller {
  const user = roles ? requireRole(req, ...roles) : currentUser(req);
  return { user, actor: actorOf(req) };
}
