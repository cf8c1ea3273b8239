import { createHash, randomBytes } from 'node:crypto';
import {
  AppError,
  changePasswordRequestSchema,
  loginRequestSchema,
  refreshCookieName,
  type SessionResponse,
} from '@telemed/shared';
import { type CookieOptions, type Request, type Response, Router } from 'express';
import type { Types } from 'mongoose';
import { toSessionUser } from '../../api/serialize.js';
import { parseInput } from '../../api/validate.js';
import { burnPasswordCheck, hashPassword, needsRehash, verifyPassword } from '../../auth/passwords.js';
import type { RecordsContext } from '../../RecordsContext.js';
import { actorOf, clientIp, currentUser } from '../requestContext.js';

const refreshCookiePath = '/api/auth';

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Sign-in, token refresh, sign-out, password change. Sign-in and refresh need no access token. */
export function authRoutes(ctx: RecordsContext): { open: Router; authenticated: Router } {
  const { models, tokens, audit, auth, refusals } = ctx;

  /** A refused refresh: anyone can send one, so through the throttle like a refused access token. */
  const refuseRefresh = (req: Request, kind: string, actorId?: string) => {
    const ip = clientIp(req);
    return refusals.record({
      key: `${ip}\u0000refresh: ${kind}`,
      actor: { id: actorId, ip, via: 'http' },
      entry: {
        action: 'login',
        resourceType: 'session',
        outcome: 'denied',
        reason: `refresh: ${kind}`,
      },
    });
  };
  const open = Router();
  const authenticated = Router();

  function cookieOptions(req: Request, maxAgeMs?: number): CookieOptions {
    return {
      httpOnly: true,
      sameSite: 'strict',
      secure: req.secure,
      path: refreshCookiePath,
      ...(maxAgeMs ? { maxAge: maxAgeMs } : {}),
    };
  }

  async function startSession(req: Request, res: Response, userId: Types.ObjectId): Promise<SessionResponse> {
    const user = await models.User.findById(userId).lean();
    if (!user) throw new AppError('UNAUTHENTICATED');
    const refreshToken = randomBytes(32).toString('base64url');
    const ttlMs = auth.refreshTtlHours * 3600_000;
    await models.RefreshSession.create({
      tokenHash: sha256(refreshToken),
      userId,
      expiresAt: new Date(Date.now() + ttlMs),
      ip: clientIp(req),
      userAgent: req.headers['user-agent']?.slice(0, 200),
    });
    res.cookie(refreshCookieName, refreshToken, cookieOptions(req, ttlMs));
    const { token, expiresAt } = await tokens.issue({
      sub: user._id.toHexString(),
      role: user.role,
      org: user.organizationId.toHexString(),
      name: { ar: user.name.ar, latin: user.name.latin },
    });
    return { accessToken: token, expiresAt: expiresAt.toISOString(), user: toSessionUser(user) };
  }

  open.post('/login', async (req, res) => {
    const { username, password } = parseInput(loginRequestSchema, req.body, 'sign-in');
    const user = await models.User.findOne({ username }).select('+passwordHash').lean();
    const refuse = async (
      code: 'INVALID_CREDENTIALS' | 'ACCOUNT_LOCKED' | 'ACCOUNT_INACTIVE',
      reason: string,
    ) => {
      await audit.record(
        { ...actorOf(req), id: user?._id.toHexString(), role: user?.role },
        {
          action: 'login',
          resourceType: 'session',
          outcome: 'denied',
          reason: `${reason} (username ${username})`,
        },
      );
      throw new AppError(code);
    };
    if (!user) {
      await burnPasswordCheck(password);
      return refuse('INVALID_CREDENTIALS', 'unknown username');
    }
    if (user.lockedUntil && user.lockedUntil.getTime() > Date.now()) {
      return refuse('ACCOUNT_LOCKED', 'account locked');
    }
    if (!(await verifyPassword(password, user.passwordHash))) {
      const after = await models.User.findOneAndUpdate(
        { _id: user._id },
        { $inc: { failedLogins: 1 } },
        { returnDocument: 'after', projection: { failedLogins: 1 } },
      ).lean();
      if ((after?.failedLogins ?? 0) >= auth.maxFailedLogins) {
        await models.User.updateOne(
          { _id: user._id },
          { $set: { failedLogins: 0, lockedUntil: new Date(Date.now() + auth.lockoutMinutes * 60_000) } },
        );
        return refuse('ACCOUNT_LOCKED', 'wrong password; account now locked');
      }
      return refuse('INVALID_CREDENTIALS', 'wrong password');
    }
    if (user.active === false) return refuse('ACCOUNT_INACTIVE', 'account inactive');
    const rehashed = needsRehash(user.passwordHash) ? { passwordHash: await hashPassword(password) } : {};
    await models.User.updateOne(
      { _id: user._id },
      { $set: { failedLogins: 0, ...rehashed }, $unset: { lockedUntil: 1 } },
    );
    const session = await startSession(req, res, user._id);
    await audit.record(
      { ...actorOf(req), id: user._id.toHexString(), role: user.role },
      { action: 'login', resourceType: 'session', outcome: 'success' },
    );
    res.json(session);
  });

  open.post('/refresh', async (req, res) => {
    const presented: unknown = req.cookies?.[refreshCookieName];
    if (typeof presented !== 'string' || presented.length > 100) {
      await refuseRefresh(req, 'no refresh token');
      throw new AppError('UNAUTHENTICATED', {
        en: 'No sign-in to refresh: sign in again.',
        ar: 'لا توجد جلسة لتجديدها؛ سجّل الدخول مرة أخرى.',
      });
    }
    const session = await models.RefreshSession.findOne({ tokenHash: sha256(presented) }).lean();
    if (!session || session.expiresAt.getTime() <= Date.now()) {
      res.clearCookie(refreshCookieName, cookieOptions(req));
      await refuseRefresh(req, session ? 'expired refresh token' : 'unknown refresh token');
      throw new AppError('TOKEN_EXPIRED');
    }
    if (session.revokedAt) {
      // A rotated-away token came back: someone kept a copy. End every sign-in of this user.
      await models.RefreshSession.updateMany(
        { userId: session.userId, revokedAt: { $exists: false } },
        { $set: { revokedAt: new Date() } },
      );
      await audit.record(
        { ...actorOf(req), id: session.userId.toHexString() },
        {
          action: 'login',
          resourceType: 'session',
          outcome: 'denied',
          reason: 'refresh token reused after rotation; all sessions revoked',
        },
      );
      throw new AppError('UNAUTHENTICATED', {
        en: 'This sign-in was ended for safety: sign in again.',
        ar: 'أُنهيت هذه الجلسة حفاظاً على الأمان؛ سجّل الدخول مرة أخرى.',
      });
    }
    const user = await models.User.findById(session.userId, { active: 1 }).lean();
    if (!user || user.active === false) {
      await audit.record(
        { ...actorOf(req), id: session.userId.toHexString() },
        { action: 'login', resourceType: 'session', outcome: 'denied', reason: 'refresh: account inactive' },
      );
      throw new AppError('ACCOUNT_INACTIVE');
    }
    await models.RefreshSession.updateOne({ _id: session._id }, { $set: { revokedAt: new Date() } });
    res.json(await startSession(req, res, session.userId));
  });

  open.post('/logout', async (req, res) => {
    const presented: unknown = req.cookies?.[refreshCookieName];
    if (typeof presented === 'string' && presented.length <= 100) {
      const session = await models.RefreshSession.findOneAndUpdate(
        { tokenHash: sha256(presented), revokedAt: { $exists: false } },
        { $set: { revokedAt: new Date() } },
      ).lean();
      if (session) {
        await audit.record(
          { ...actorOf(req), id: session.userId.toHexString() },
          { action: 'logout', resourceType: 'session', outcome: 'success' },
        );
      }
    }
    res.clearCookie(refreshCookieName, cookieOptions(req));
    res.status(204).end();
  });

  authenticated.get('/me', async (req, res) => {
    const user = await models.User.findById(currentUser(req).id).lean();
    if (!user) throw new AppError('UNAUTHENTICATED');
    res.json(toSessionUser(user));
  });

  authenticated.post('/password', async (req, res) => {
    const { currentPassword, newPassword } = parseInput(
      changePasswordRequestSchema,
      req.body,
      'password change',
    );
    const me = currentUser(req);
    const user = await models.User.findById(me.id).select('+passwordHash').lean();
    if (!user || !(await verifyPassword(currentPassword, user.passwordHash))) {
      await audit.record(actorOf(req), {
        action: 'update',
        resourceType: 'password',
        outcome: 'denied',
        reason: 'wrong password',
      });
      throw new AppError('INVALID_CREDENTIALS', {
        en: 'The current password is not correct.',
        ar: 'كلمة المرور الحالية غير صحيحة.',
      });
    }
    if (currentPassword === newPassword) {
      throw new AppError('VALIDATION_FAILED', {
        en: 'The new password must differ from the current one.',
        ar: 'يجب أن تختلف كلمة المرور الجديدة عن الحالية.',
      });
    }
    await models.User.updateOne(
      { _id: user._id },
      {
        $set: {
          passwordHash: await hashPassword(newPassword),
          mustChangePassword: false,
          passwordChangedAt: new Date(),
        },
      },
    );
    // Other devices signed in with the old password are signed out.
    await models.RefreshSession.updateMany(
      { userId: user._id, revokedAt: { $exists: false } },
      { $set: { revokedAt: new Date() } },
    );
    await audit.record(actorOf(req), {
      action: 'update',
      resourceType: 'password',
      resourceId: me.id,
      outcome: 'success',
    });
    res.json(await startSession(req, res, user._id));
  });

  return { open, authenticated };
}
