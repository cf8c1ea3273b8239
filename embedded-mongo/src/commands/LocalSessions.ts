import { createHash } from 'node:crypto';
import { Binary, type Document } from 'bson';
import { isPlainObject } from '../bson/isPlainObject.js';

interface LocalSession {
  id: Binary;
  uid: Binary;
  /** `user@db`, or undefined for an unauthenticated client. */
  user: string | undefined;
  lastUse: Date;
}

/** mongod's `uid`: the SHA-256 of the owner's `user@db` (of the empty string without authentication). */
export function sessionUid(user: string | undefined): Binary {
  return new Binary(
    createHash('sha256')
      .update(user ?? '')
      .digest(),
    0,
  );
}

/**
 * The logical sessions this server has seen (mongod's local session cache): each command's `lsid`
 * refreshes its session; `endSessions` ends them; an idle session expires after the timeout mongod
 * announces in `hello` (logicalSessionTimeoutMinutes: 30).
 */
export class LocalSessions {
  readonly #sessions = new Map<string, LocalSession>();
  readonly #timeoutMs: number;
  #lastSweep = Date.now();

  constructor(timeoutMinutes = 30) {
    this.#timeoutMs = timeoutMinutes * 60_000;
  }

  /** Records a use of `lsid` (a command's `{id: UUID}`) by `user`. */
  touch(lsid: unknown, user: string | undefined): void {
    if (!isPlainObject(lsid)) return;
    const id = (lsid as Document).id;
    if (!(id instanceof Binary)) return;
    const key = `${Buffer.from(id.buffer).toString('hex')}/${user ?? ''}`;
    // Idle sessions go at most a minute after they expire, so a store nobody asks for its sessions stays small.
    if (Date.now() - this.#lastSweep > 60_000) this.#sweep();
    const known = this.#sessions.get(key);
    if (known) known.lastUse = new Date();
    else this.#sessions.set(key, { id, uid: sessionUid(user), user, lastUse: new Date() });
  }

  #sweep(): void {
    const now = Date.now();
    this.#lastSweep = now;
    for (const [key, session] of this.#sessions) {
      if (now - session.lastUse.getTime() > this.#timeoutMs) this.#sessions.delete(key);
    }
  }

  /** Ends the sessions of `lsids` that `user` owns. */
  end(lsids: unknown[], user: string | undefined): void {
    for (const lsid of lsids) {
      const id = isPlainObject(lsid) ? (lsid as Document).id : undefined;
      if (id instanceof Binary)
        this.#sessions.delete(`${Buffer.from(id.buffer).toString('hex')}/${user ?? ''}`);
    }
  }

  /** The live sessions owned by one of `owners` (every owner when undefined), as `$listLocalSessions` shows them. */
  list(owners: Set<string> | undefined): Document[] {
    const now = Date.now();
    const out: Document[] = [];
    for (const [key, session] of this.#sessions) {
      if (now - session.lastUse.getTime() > this.#timeoutMs) {
        this.#sessions.delete(key);
        continue;
      }
      if (owners && !owners.has(session.user ?? '')) continue;
      const doc: Document = { _id: { id: session.id, uid: session.uid }, lastUse: session.lastUse };
      if (session.user !== undefined) doc.user = { name: session.user };
      out.push(doc);
    }
    return out;
  }
}
