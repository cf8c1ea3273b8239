/** A role grant as mongod stores it in a user document. */
export interface RoleGrant {
  role: string;
  db: string;
}

/** What a set of role grants allows; every check refuses what no grant names. */
export interface Privileges {
  /** Any command on any database, user management and server administration included. */
  readonly root: boolean;
  mayRead(db: string): boolean;
  mayWrite(db: string): boolean;
}

/** Built-in roles this server knows, and whether each grants writing as well as reading. */
const DATABASE_ROLES: Record<string, 'read' | 'readWrite'> = {
  read: 'read',
  readWrite: 'readWrite',
  dbOwner: 'readWrite',
};
/** Roles over every database but mongod's internal `local` and `config` (they exist only on admin). */
const ANY_DATABASE_ROLES: Record<string, 'read' | 'readWrite'> = {
  readAnyDatabase: 'read',
  readWriteAnyDatabase: 'readWrite',
};
const INTERNAL_DATABASES = new Set(['local', 'config']);

/** Whether `grant` names a role this server can honour (mongod answers RoleNotFound otherwise). */
export function isKnownRole(grant: RoleGrant): boolean {
  if (grant.role === 'root' || grant.role in ANY_DATABASE_ROLES) return grant.db === 'admin';
  return grant.role in DATABASE_ROLES;
}

export function privilegesOf(grants: readonly RoleGrant[]): Privileges {
  const root = grants.some((g) => g.role === 'root' && g.db === 'admin');
  const level = (db: string): 'read' | 'readWrite' | undefined => {
    let best: 'read' | 'readWrite' | undefined;
    for (const grant of grants) {
      const any = grant.db === 'admin' ? ANY_DATABASE_ROLES[grant.role] : undefined;
      const granted =
        any && !INTERNAL_DATABASES.has(db) ? any : grant.db === db ? DATABASE_ROLES[grant.role] : undefined;
      if (granted === 'readWrite') return granted;
      best ??= granted;
    }
    return best;
  };
  return {
    root,
    mayRead: (db) => root || level(db) !== undefined,
    mayWrite: (db) => root || level(db) === 'readWrite',
  };
}
