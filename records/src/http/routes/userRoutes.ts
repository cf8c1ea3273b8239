import {
  AppError,
  availabilityInputSchema,
  pageQuerySchema,
  roleName,
  specialistBusyQuerySchema,
  specialtyName,
  specialtySchema,
  userCreateSchema,
  userListQuerySchema,
  userUpdateSchema,
} from '@telemed/shared';
import { Router } from 'express';
import { z } from 'zod';
import { toApi, toUser } from '../../api/serialize.js';
import { parseId, parseInput } from '../../api/validate.js';
import { specialistBusyTimes } from '../../appointments/specialistBusyTimes.js';
import { hashPassword } from '../../auth/passwords.js';
import type { RecordsContext } from '../../RecordsContext.js';
import { currentUser, requireRole } from '../requestContext.js';

/** Accounts (administrators only) and the specialist directory with availability and busy times. */
export function userRoutes({ models, activeUsers }: RecordsContext): { users: Router; specialists: Router } {
  const users = Router();
  const specialists = Router();

  users.get('/', async (req, res) => {
    requireRole(req, 'administrator');
    const query = parseInput(userListQuerySchema, req.query, 'query');
    const { page, limit } = parseInput(pageQuerySchema, req.query, 'query');
    // A ministry's accounts run to thousands: one page at a time, counted (the collection is small per filter).
    const [docs, total] = await Promise.all([
      models.User.find(query)
        .sort({ username: 1 })
        .skip((page - 1) * limit)
        .limit(limit)
        .lean(),
      models.User.countDocuments(query),
    ]);
    res.json({ items: docs.map(toUser), page, limit, total, hasMore: page * limit < total });
  });

  users.post('/', async (req, res) => {
    requireRole(req, 'administrator');
    const { password, ...input } = parseInput(userCreateSchema, req.body, 'user');
    const organization = await models.Organization.findById(input.organizationId).lean();
    if (!organization)
      throw new AppError('VALIDATION_FAILED', {
        en: 'organizationId: no such organization.',
        ar: 'organizationId: هذه الجهة غير موجودة.',
      });
    const expectedKind =
      input.role === 'clinic_doctor' ? 'clinic' : input.role === 'specialist' ? 'hospital' : null;
    if (expectedKind && organization.kind !== expectedKind) {
      throw new AppError('VALIDATION_FAILED', {
        en: `organizationId: a ${input.role} belongs to a ${expectedKind}.`,
        ar: `organizationId: ${roleName(input.role, 'ar')} يتبع ${expectedKind === 'clinic' ? 'وحدة صحية' : 'مستشفى'}؛ اختر جهة من هذا النوع.`,
      });
    }
    if (input.specialty && !organization.specialties.includes(input.specialty)) {
      throw new AppError('VALIDATION_FAILED', {
        en: `specialty: the hospital does not offer ${input.specialty}.`,
        ar: `specialty: المستشفى لا يقدّم تخصص ${specialtyName(input.specialty, 'ar')}.`,
      });
    }
    const doc = await models.User.create({
      ...input,
      passwordHash: await hashPassword(password),
      // The administrator chose this password: the user replaces it at first sign-in.
      mustChangePassword: true,
    });
    res.status(201).json(toUser(doc.toObject()));
  });

  users.patch('/:id', async (req, res) => {
    requireRole(req, 'administrator');
    const { password, ...changes } = parseInput(userUpdateSchema, req.body, 'user changes');
    const id = parseId(req.params.id, 'user');
    if (id === currentUser(req).id && changes.active === false) {
      throw new AppError('UNPROCESSABLE', {
        en: 'You cannot deactivate your own account.',
        ar: 'لا يمكنك إيقاف حسابك بنفسك؛ اطلب ذلك من مسؤول آخر.',
      });
    }
    const update: Record<string, unknown> = { ...changes };
    if (password)
      Object.assign(update, { passwordHash: await hashPassword(password), mustChangePassword: true });
    if (changes.active === true) Object.assign(update, { failedLogins: 0, lockedUntil: null });
    const doc = await models.User.findByIdAndUpdate(id, update, { returnDocument: 'after' }).lean();
    await activeUsers.forget(id);
    if (!doc) throw new AppError('NOT_FOUND', { en: 'No such user.', ar: 'هذا المستخدم غير موجود.' });
    if (password || changes.active === false) {
      await models.RefreshSession.updateMany(
        { userId: doc._id, revokedAt: { $exists: false } },
        { revokedAt: new Date() },
      );
    }
    res.json(toUser(doc));
  });

  const directoryQuery = z.object({ specialty: specialtySchema.optional() });
  specialists.get('/', async (req, res) => {
    requireRole(req, 'administrator', 'clinic_doctor', 'specialist');
    const { specialty } = parseInput(directoryQuery, req.query, 'query');
    const docs = await models.User.find({
      role: 'specialist',
      active: true,
      ...(specialty ? { specialty } : {}),
    })
      .sort({ 'name.latin': 1 })
      .limit(500)
      .lean();
    res.json({
      items: docs.map((d) => ({
        id: d._id.toHexString(),
        name: d.name,
        specialty: d.specialty,
        organizationId: d.organizationId.toHexString(),
      })),
    });
  });

  specialists.get('/:id/availability', async (req, res) => {
    requireRole(req, 'administrator', 'clinic_doctor', 'specialist');
    const specialistId = parseId(req.params.id, 'specialist');
    const doc = await models.Availability.findOne({ specialistId }).lean();
    res.json(doc ? toApi(doc) : { specialistId, timeZone: 'Africa/Cairo', weekly: [], exceptions: [] });
  });

  specialists.get('/:id/busy', async (req, res) => {
    requireRole(req, 'administrator', 'clinic_doctor');
    const specialistId = parseId(req.params.id, 'specialist');
    const { from, to } = parseInput(specialistBusyQuerySchema, req.query, 'query');
    res.json(await specialistBusyTimes(models, specialistId, new Date(from), new Date(to)));
  });

  specialists.put('/:id/availability', async (req, res) => {
    requireRole(req, 'administrator');
    const specialistId = parseId(req.params.id, 'specialist');
    const input = parseInput(availabilityInputSchema, req.body, 'availability');
    const specialist = await models.User.exists({ _id: specialistId, role: 'specialist' });
    if (!specialist)
      throw new AppError('NOT_FOUND', { en: 'No such specialist.', ar: 'هذا الطبيب الاستشاري غير موجود.' });
    const doc = await models.Availability.findOneAndUpdate(
      { specialistId },
      { $set: { ...input, specialistId } },
      { upsert: true, returnDocument: 'after' },
    ).lean();
    res.json(toApi(doc));
  });

  return { users, specialists };
}
