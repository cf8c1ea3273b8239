import { type Privileges, privilegesOf } from './roles.js';
import type { ScramConversation } from './ScramConversation.js';
import type { UserStore } from './UserStore.js';

/** A SASL exchange in progress on a connection. */
export interface SaslConversation {
  readonly id: number;
  readonly scram: ScramConversation;
  /** The client asked, in saslStart, to be told `done` with the server signature (no empty last step). */
  readonly skipEmptyExchange: boolean;
  verified: boolean;
}

const NO_PRIVILEGES: Privileges = { root: false, mayRead: () => false, mayWrite: () => false };

/**
 * Who one connection is authenticated as, and its SASL exchange in progress. Authentication is per connection,
 * as in mongod; the user's roles are read from the store at each check, so dropping a user or changing its
 * roles takes effect on connections already open.
 */
export class ClientAuth {
  #user: { db: string; user: string } | undefined;
  #conversation: SaslConversation | undefined;
  #nextConversationId = 1;

  get user(): { db: string; user: string } | undefined {
    return this.#user;
  }

  /** Begins a SASL exchange, forgetting any unfinished one; returns its conversationId. */
  begin(scram: ScramConversation, skipEmptyExchange: boolean): number {
    const id = this.#nextConversationId++;
    this.#conversation = { id, scram, skipEmptyExchange, verified: false };
    return id;
  }

  /** The exchange `id` names, when it is the one in progress. */
  conversation(id: unknown): SaslConversation | undefined {
    const current = this.#conversation;
    return current && id === current.id ? current : undefined;
  }

  /** The proof checked: the connection now acts as the conversation's user. */
  authenticated(id: number): void {
    const current = this.#conversation;
    if (!current || current.id !== id) return;
    current.verified = true;
    this.#user = { db: current.scram.user.db, user: current.scram.user.user };
  }

  endConversation(): void {
    this.#conversation = undefined;
  }

  logout(): void {
    this.#user = undefined;
    this.#conversation = undefined;
  }

  /** What the connection's user may do now; nothing once the user is gone. */
  privileges(users: UserStore): Privileges {
    if (!this.#user) return NO_PRIVILEGES;
    const stored = users.find(this.#user.db, this.#user.user);
    return stored ? privilegesOf(stored.roles) : NO_PRIVILEGES;
  }
}
