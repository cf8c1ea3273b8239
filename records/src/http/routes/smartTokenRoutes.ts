import express, { Router } from 'express';
import type { ClientCredentialsGrant } from '../../systemClients/ClientCredentialsGrant.js';
import { OAuthError } from '../../systemClients/OAuthError.js';
import { clientIp } from '../requestContext.js';

/** `POST /auth/token`: SMART Backend Services' token endpoint, form-encoded, answered in RFC 6749's words. */
export function smartTokenRoutes(grant: ClientCredentialsGrant, baseUrl?: string): Router {
  const router = Router();
  router.post('/token', express.urlencoded({ extended: false, limit: '32kb' }), async (req, res) => {
    res.setHeader('cache-control', 'no-store');
    res.setHeader('pragma', 'no-cache');
    const tokenUrl = `${baseUrl ?? `${req.protocol}://${req.get('host')}`}/auth/token`;
    try {
      res.json(await grant.grant(req.body ?? {}, tokenUrl, clientIp(req)));
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error;
      res.status(error.status).json(error.toBody());
    }
  });
  return router;
}
