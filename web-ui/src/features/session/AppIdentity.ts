import type { Role } from '@telemed/shared';
import type { MessageKey } from '../../i18n/catalog.js';

/** Which app this is: the role it serves (anyone else is told to use their own app) and its names. */
export interface AppIdentity {
  role: Role;
  /** Further roles the app serves (the admin app: auditors as well as administrators). */
  alsoServes?: readonly Role[];
  titleKey: MessageKey;
  subtitleKey: MessageKey;
}

export function servesRole(app: AppIdentity, role: Role): boolean {
  return app.role === role || (app.alsoServes?.includes(role) ?? false);
}

/** Where a person was going when sent to sign in (react-router's location state). */
export interface ReturnTo {
  from?: { pathname: string; search?: string; hash?: string };
}

export function returnPathOf(state: unknown): string {
  const from = (state as ReturnTo | null)?.from;
  if (!from?.pathname || from.pathname === '/login') return '/';
  return `${from.pathname}${from.search ?? ''}${from.hash ?? ''}`;
}
