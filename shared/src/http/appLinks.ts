import { z } from 'zod';
import type { Role } from '../roles.js';

/**
 * `GET /app-links.json` on every web app: where each role's app is, so a person who signs in to the wrong
 * one is sent to theirs by a link. Each app's server builds it from the platform's port configuration.
 */
export const appLinksSchema = z.object({
  clinic_doctor: z.url(),
  specialist: z.url(),
  administrator: z.url(),
  auditor: z.url(),
});
export type AppLinks = z.infer<typeof appLinksSchema>;

export const appLinksPath = '/app-links.json';

/** Which app serves each role: administrators and auditors share the admin app. */
export const appOfRole = {
  clinic_doctor: 'clinic-app',
  specialist: 'specialist-app',
  administrator: 'admin-app',
  auditor: 'admin-app',
} as const satisfies Record<Role, string>;

/** The links as seen from a browser that reached an app at `protocol//hostname`, given each app's port. */
export function appLinksFor(
  origin: { protocol: string; hostname: string },
  ports: Record<(typeof appOfRole)[Role], number>,
): AppLinks {
  const host = origin.hostname.includes(':') ? `[${origin.hostname}]` : origin.hostname;
  const at = (role: Role) => `${origin.protocol}//${host}:${ports[appOfRole[role]]}`;
  return {
    clinic_doctor: at('clinic_doctor'),
    specialist: at('specialist'),
    administrator: at('administrator'),
    auditor: at('auditor'),
  };
}
