import type { SessionUser, User } from '@telemed/shared';
import type { Types } from 'mongoose';

type WithId<T> = T & { _id: Types.ObjectId };

/** Drops Mongo's `_id`/`__v` for `id`, turns ObjectIds into strings and Dates into ISO strings, recursively. */
export function toApi<T>(doc: unknown): T {
  return convert(doc) as T;
}

function convert(value: unknown): unknown {
  if (value === null || value === undefined) return value;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(convert);
  if (typeof value === 'object') {
    if (isObjectId(value)) return value.toHexString();
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
      if (key === '__v' || key === 'passwordHash' || key === 'searchTerms') continue;
      if (key === '_id') out.id = convert(inner);
      else if (inner !== undefined) out[key] = convert(inner);
    }
    return out;
  }
  return value;
}

function isObjectId(value: object): value is Types.ObjectId {
  return (value as { _bsontype?: string })._bsontype === 'ObjectId';
}

interface UserLike {
  username: string;
  role: User['role'];
  name: { ar: string; latin: string };
  organizationId: Types.ObjectId;
  specialty?: string | null | undefined;
  phone?: string | null | undefined;
  email?: string | null | undefined;
  active?: boolean | null | undefined;
  mustChangePassword?: boolean | null | undefined;
}

export function toUser(doc: WithId<UserLike>): User {
  return toApi<User>({
    _id: doc._id,
    username: doc.username,
    name: { ar: doc.name.ar, latin: doc.name.latin },
    role: doc.role,
    organizationId: doc.organizationId,
    specialty: doc.specialty ?? undefined,
    phone: doc.phone ?? undefined,
    email: doc.email ?? undefined,
    active: doc.active !== false,
  });
}

export function toSessionUser(doc: WithId<UserLike>): SessionUser {
  return {
    id: doc._id.toHexString(),
    username: doc.username,
    role: doc.role,
    name: { ar: doc.name.ar, latin: doc.name.latin },
    organizationId: doc.organizationId.toHexString(),
    ...(doc.specialty ? { specialty: doc.specialty } : {}),
    mustChangePassword: doc.mustChangePassword === true,
  };
}
