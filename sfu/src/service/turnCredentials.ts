import { createHmac } from 'node:crypto';
import type { IceServer } from '@telemed/shared';

/**
 * TURN servers for browsers. With a secret, short-lived credentials in coturn's REST-API form
 * (`use-auth-secret`): username `<expiry>:<label>`, password base64(HMAC-SHA1(secret, username)).
 */
export function turnIceServers(params: {
  urls: string[] | undefined;
  secret: string | undefined;
  label: string;
  ttlSeconds?: number;
  nowMs?: number;
}): IceServer[] {
  if (!params.urls || params.urls.length === 0) return [];
  if (!params.secret) return [{ urls: params.urls }];
  const expiry = Math.floor((params.nowMs ?? Date.now()) / 1000) + (params.ttlSeconds ?? 12 * 3600);
  const username = `${expiry}:${params.label}`;
  const credential = createHmac('sha1', params.secret).update(username).digest('base64');
  return [{ urls: params.urls, username, credential }];
}
