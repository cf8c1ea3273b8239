import { AppError, type SystemClient, type SystemClientInput } from '@telemed/shared';
import { Types } from 'mongoose';
import { assertRole } from '../access/assertRole.js';
import type { Caller } from '../access/Caller.js';
import type { AuditLog } from '../audit/AuditLog.js';
import type { Models } from '../models/registerModels.js';

interface StoredClient {
  _id: Types.ObjectId;
  name: string;
  publicKey: unknown;
  scopes: string[];
  active?: boolean | null;
  createdBy: Types.ObjectId;
  createdAt?: Date;
}

/** Administrators register, list and deactivate system clients; every change is audited. */
export class SystemClientService {
  readonly #models: Models;
  readonly #audit: AuditLog;

  constructor(models: Models, audit: AuditLog) {
    this.#models = models;
    this.#audit = audit;
  }

  async list(caller: Caller): Promise<SystemClient[]> {
    assertRole(caller.user, ['administrator']);
    const docs = await this.#models.SystemClient.find()
      .sort({ createdAt: -1 })
      .limit(1000)
      .lean<StoredClient[]>();
    return docs.map(toSystemClient);
  }

  async register(caller: Caller, input: SystemClientInput): Promise<SystemClient> {
    assertRole(caller.user, ['administrator']);
    const doc = await this.#models.SystemClient.create({
      name: input.name,
      publicKey: input.publicKey,
      scopes: input.scopes,
      createdBy: new Types.ObjectId(caller.user.id),
    });
    const client = toSystemClient(doc.toObject() as StoredClient);
    await this.#audit.record(caller.actor, {
      action: 'create',
      resourceType: 'system-client',
      resourceId: client.id,
      outcome: 'success',
      reason: `scopes ${client.scopes.join(' ')}`,
    });
    return client;
  }

  async deactivate(caller: Caller, id: string): Promise<SystemClient> {
    assertRole(caller.user, ['administrator']);
    const doc = await this.#models.SystemClient.findByIdAndUpdate(
      id,
      { $set: { active: false } },
      { returnDocument: 'after' },
    ).lean<StoredClient>();
    if (!doc)
      throw new AppError('NOT_FOUND', { en: 'No such system client.', ar: 'لا يوجد نظام عميل بهذا المعرّف.' });
    await this.#audit.record(caller.actor, {
      action: 'update',
      resourceType: 'system-client',
      resourceId: id,
      outcome: 'success',
      reason: 'deactivated',
    });
    return toSystemClient(doc);
  }
}

function toSystemClient(doc: StoredClient): SystemClient {
  const key = doc.publicKey as { kid?: string; keys?: { kid?: string }[] };
  const keyIds = (key.keys ?? [key])
    .map((k) => k.kid)
    .filter((kid): kid is string => typeof kid === 'string');
  return {
    id: doc._id.toHexString(),
    name: doc.name,
    scopes: doc.scopes,
    keyIds,
    active: doc.active !== false,
    createdBy: doc.createdBy.toHexString(),
    createdAt: (doc.createdAt ?? new Date()).toISOString(),
  };
}
