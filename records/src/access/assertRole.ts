import { AppError, type AuthenticatedUser, type Role } from '@telemed/shared';

/** Refuses (403, audited as a refusal) unless the user has one of `roles`. */
export function assertRole(user: AuthenticatedUser, roles: readonly Role[]): AuthenticatedUser {
  if (!roles.includes(user.role)) {
    throw new AppError('FORBIDDEN', `This needs one of the roles: ${roles.join(', ')}.`);
  }
  return user;
}
