import { type Document, UUID } from 'bson';
import { documentKey } from '../bson/documentKey.js';
import { ErrorCode } from '../commands/errorCodes.js';
import { MongoCommandError } from '../commands/MongoCommandError.js';
import type { Catalog } from '../storage/Catalog.js';
import type { Collection } from '../storage/Collection.js';
import type { RoleGrant } from './roles.js';
import { deriveScramKeys, passwordMatches, type ScramKeys } from './scramKeys.js';

export const USERS_DB = 'admin';
export const USERS_COLLECTION = 'system.users';
export const SCRAM_SHA_256 = 'SCRAM-SHA-256';

/** A user as `admin.system.users` holds it (mongod's layout): salted keys, never the password. */
export interface StoredUser {
  _id: string;
  userId: UUID;
  user: string;
  db: string;
  credentials: { [SCRAM_SHA_256]: ScramKeys };
  roles: RoleGrant[];
  customData?: Document;
}

/** The users of the store, kept as documents of `admin.system.users` so they persist like any collection. */
export class UserStore {
  readonly #catalog: Catalog;

  constructor(catalog: Catalog) {
    this.#catalog = catalog;
  }

  get #collection(): Collection | undefined {
    return this.#catalog.get(USERS_DB, USERS_COLLECTION);
  }

  get isEmpty(): boolean {
    return (this.#collection?.size ?? 0) === 0;
  }

  find(db: string, user: string): StoredUser | undefined {
    return this.#collection?.get(documentKey(userKey(db, user)))?.doc as StoredUser | undefined;
  }

  /** Every user, or those defined on `db`. */
  list(db?: string): StoredUser[] {
    const users: StoredUser[] = [];
    for (const stored of this.#collection?.documents() ?? []) {
      const user = stored.doc as StoredUser;
      if (db === undefined || user.db === db) users.push(user);
    }
    return users;
  }

  create(db: string, user: string, password: string, roles: RoleGrant[], customData?: Document): void {
    if (this.find(db, user))
      throw new MongoCommandError(ErrorCode.UserAlreadyExists, `User "${user}@${db}" already exists`);
    const doc: StoredUser = {
      _id: userKey(db, user),
      userId: new UUID(),
      user,
      db,
      credentials: { [SCRAM_SHA_256]: deriveScramKeys(password) },
      roles,
    };
    if (customData) doc.customData = customData;
    this.#catalog.getOrCreate(USERS_DB, USERS_COLLECTION).insert(doc);
  }

  /** Replaces a user's password and/or roles; false when there is no such user. */
  update(db: string, user: string, changes: { password?: string; roles?: RoleGrant[] }): boolean {
    const existing = this.find(db, user);
    if (!existing) return false;
    const updated: StoredUser = { ...existing };
    if (changes.password !== undefined)
      updated.credentials = { [SCRAM_SHA_256]: deriveScramKeys(changes.password) };
    if (changes.roles !== undefined) updated.roles = changes.roles;
    this.#collection!.replace(documentKey(existing._id), updated);
    return true;
  }

  drop(db: string, user: string): boolean {
    return this.#collection?.delete(documentKey(userKey(db, user))) ?? false;
  }

  /**
   * Makes the operator's root user current, as the official image's MONGO_INITDB_ROOT_* do on a first start:
   * created when missing (also in a store that predates authentication), its password set to the one given
   * when it differs, which is how the operator rotates it. Roles it has beyond root are kept. Returns what it did.
   */
  ensureRoot(user: string, password: string): 'created' | 'updated' | 'unchanged' {
    const rootGrant = { role: 'root', db: USERS_DB };
    const existing = this.find(USERS_DB, user);
    const others = existing?.roles.filter((g) => g.role !== rootGrant.role || g.db !== rootGrant.db) ?? [];
    return this.ensureUser(USERS_DB, user, password, [...others, rootGrant]);
  }

  /**
   * Makes a user current with exactly `roles`: created when missing, its password and roles set when they
   * differ (a service's user, made at start with only the roles that service needs). Returns what it did.
   */
  ensureUser(
    db: string,
    user: string,
    password: string,
    roles: RoleGrant[],
  ): 'created' | 'updated' | 'unchanged' {
    const existing = this.find(db, user);
    if (!existing) {
      this.create(db, user, password, roles);
      return 'created';
    }
    const sameRoles = sameGrants(existing.roles, roles);
    const samePassword = passwordMatches(password, existing.credentials[SCRAM_SHA_256]);
    if (sameRoles && samePassword) return 'unchanged';
    this.update(db, user, { ...(samePassword ? {} : { password }), ...(sameRoles ? {} : { roles }) });
    return 'updated';
  }
}

function sameGrants(a: readonly RoleGrant[], b: readonly RoleGrant[]): boolean {
  const key = (grants: readonly RoleGrant[]) =>
    grants
      .map((g) => `${g.db}\u0000${g.role}`)
      .sort()
      .join('\u0001');
  return key(a) === key(b);
}

function userKey(db: string, user: string): string {
  return `${db}.${user}`;
}
