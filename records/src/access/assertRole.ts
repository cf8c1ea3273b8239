import { AppError, type AuthenticatedUser, type Role, roleName } from '@telemed/shared';

/** Refuses (403, audited as a refusal) unless the user has one of `roles`. */
export function assertRole(user: AuthenticatedUser, roles: readonly Role[]): AuthenticatedUser {
  if (!roles.includes(user.role)) {
    throw new AppError('FORBIDDEN', {
      en: `This needs one of the roles: ${roles.join(', ')}.`,
      ar: `هذا الإجراء يتطلب أحد هذه الأدوار: ${roles.map((role) => roleName(role, 'ar')).join('، ')}.`,
    });
  }
  return user;
}
