import type { KeyObject } from 'node:crypto';
import { accessTokenAudience, accessTokenIssuer } from '@telemed/shared';
import { SignJWT } from 'jose';

/** A clinic doctor's access token for `subject` of clinic `org`, signed with `key` (the real one, or a forger's). */
export function signedClinicDoctorToken(
  key: KeyObject,
  subject: string,
  org: string,
  expiresAtSeconds: number,
): Promise<string> {
  return new SignJWT({ role: 'clinic_doctor', org, name: 'x' })
    .setProtectedHeader({ alg: 'EdDSA', typ: 'JWT' })
    .setSubject(subject)
    .setIssuer(accessTokenIssuer)
    .setAudience(accessTokenAudience)
    .setIssuedAt(expiresAtSeconds - 900)
    .setExpirationTime(expiresAtSeconds)
    .sign(key);
}

/** An unsigned (`alg: none`) token claiming to be `subject`, an administrator of `org`, valid for ten minutes. */
export function unsignedAdministratorToken(subject: string, org: string): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const exp = Math.floor(Date.now() / 1000) + 600;
  const claims = {
    sub: subject,
    role: 'administrator',
    org,
    name: 'x',
    iss: accessTokenIssuer,
    aud: accessTokenAudience,
    exp,
  };
  return `${part({ alg: 'none', typ: 'JWT' })}.${part(claims)}.`;
}
