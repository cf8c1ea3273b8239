import type { Logger } from '@telemed/service-kit';
import type { AuditLog } from './audit/AuditLog.js';
import type { RefusalAudit } from './audit/RefusalAudit.js';
import type { ActiveUsers } from './auth/ActiveUsers.js';
import type { TokenIssuer } from './auth/TokenIssuer.js';
import type { Models } from './models/registerModels.js';

export interface AuthSettings {
  refreshTtlHours: number;
  maxFailedLogins: number;
  lockoutMinutes: number;
}

/** What every route of the records API works with. */
export interface RecordsContext {
  models: Models;
  tokens: TokenIssuer;
  activeUsers: ActiveUsers;
  audit: AuditLog;
  /** Refusals anyone can cause without an account, audited with a limit per client and kind. */
  refusals: RefusalAudit;
  auth: AuthSettings;
  logger: Logger;
}
