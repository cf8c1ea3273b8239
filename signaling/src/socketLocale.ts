import { type Locale, localeSchema } from '@telemed/shared';
import type { SignalingSocket } from './signalingSocket.js';

/** A socket's language: `auth.locale` of the handshake ('ar' or 'en'), English when absent. */
export function socketLocale(socket: SignalingSocket): Locale {
  const parsed = localeSchema.safeParse(socket.handshake.auth?.locale);
  return parsed.success ? parsed.data : 'en';
}
