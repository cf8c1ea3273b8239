import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { accessTokenAudience, accessTokenIssuer } from '@telemed/shared';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';

export type SigningKeys = Awaited<ReturnType<typeof generateKeyPair>>;

/** Records' key set as signaling reads it: a real HTTP server answering `/.well-known/jwks.json`. */
export interface JwksServer {
  /** The pair whose public half is served; tokens signed with its private half verify. */
  readonly keys: SigningKeys;
  readonly url: URL;
  close(): Promise<void>;
}

/** A fresh Ed25519 pair (`kid` "test"), its public key served on a free local port. */
export async function startJwksServer(): Promise<JwksServer> {
  const keys = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  const jwk = { ...(await exportJWK(keys.publicKey)), kid: 'test', alg: 'EdDSA', use: 'sig' };
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`);
  return {
    keys,
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // The verifier's keep-alive connection would otherwise hold the close open.
        server.closeAllConnections();
      }),
  };
}

/** An access token as records signs one (issuer, audience, `kid` "test"), with `claims`, signed by `keys`. */
export function signAccessToken(
  keys: SigningKeys,
  claims: object,
  expiresIn: string | number = '5m',
): Promise<string> {
  return new SignJWT({ ...claims })
    .setProtectedHeader({ alg: 'EdDSA', kid: 'test' })
    .setIssuer(accessTokenIssuer)
    .setAudience(accessTokenAudience)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(keys.privateKey);
}
