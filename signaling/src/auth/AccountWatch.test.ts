import { createLogger } from '@telemed/service-kit';
import { AppError, type AuthenticatedUser, type SessionUser } from '@telemed/shared';
import { describe, expect, it } from 'vitest';
import { type AccountHolder, type AccountSource, AccountWatch } from './AccountWatch.js';

const sara: AuthenticatedUser = {
  id: '65a1b2c3d4e5f60718293a4b',
  role: 'specialist',
  organizationId: '65a1b2c3d4e5f60718293a4c',
  name: { ar: 'سارة', latin: 'Sara' },
};
const omar: AuthenticatedUser = {
  ...sara,
  id: '65a1b2c3d4e5f60718293a4d',
  name: { ar: 'عمر', latin: 'Omar' },
};

/** Answers per token, as records would for the user the token names; records every call. */
class Accounts implements AccountSource {
  readonly calls: string[] = [];
  readonly answers = new Map<string, AuthenticatedUser | AppError>();
  inFlight = 0;
  maxInFlight = 0;

  async currentAccount(token: string): Promise<SessionUser> {
    this.calls.push(token);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    await new Promise((resolve) => setTimeout(resolve, 5));
    this.inFlight--;
    const answer = this.answers.get(token);
    if (answer === undefined) throw new Error(`no answer for ${token}`);
    if (answer instanceof AppError) throw answer;
    return {
      id: answer.id,
      username: answer.name.latin.toLowerCase(),
      role: answer.role,
      organizationId: answer.organizationId,
      name: answer.name,
      mustChangePassword: false,
    };
  }
}

class Holder implements AccountHolder {
  readonly revokedWith: string[] = [];
  constructor(readonly id: string) {}
  revoke(reason: AppError): void {
    this.revokedWith.push(reason.code);
  }
}

function watchOver(accounts: Accounts, concurrency?: number) {
  const warnings: unknown[] = [];
  const logger = createLogger('account-watch-test', 'silent');
  logger.warn = ((obj: unknown) => warnings.push(obj)) as typeof logger.warn;
  return { watch: new AccountWatch({ accounts, intervalMs: 60_000, logger, concurrency }), warnings };
}

describe('AccountWatch', () => {
  it('re-checks each user once per round, with the token that lives longest', async () => {
    const accounts = new Accounts();
    accounts.answers.set('sara-old', new AppError('TOKEN_EXPIRED'));
    accounts.answers.set('sara-new', sara);
    accounts.answers.set('omar', omar);
    const { watch } = watchOver(accounts);
    watch.hold(sara, 'sara-old', 1_000, new Holder('s1'));
    watch.hold(sara, 'sara-new', 9_000, new Holder('s2'));
    watch.hold(sara, 'sara-new', 9_000, new Holder('s3'));
    watch.hold(omar, 'omar', 5_000, new Holder('o1'));
    await watch.checkAll();
    expect(accounts.calls.sort()).toEqual(['omar', 'sara-new']);
  });

  it('revokes every connection of a deactivated or unknown account, and only those', async () => {
    const accounts = new Accounts();
    accounts.answers.set('sara', new AppError('ACCOUNT_INACTIVE'));
    accounts.answers.set('omar', omar);
    const { watch } = watchOver(accounts);
    const saras = [new Holder('s1'), new Holder('s2')];
    const omars = [new Holder('o1')];
    for (const holder of saras) watch.hold(sara, 'sara', 5_000, holder);
    for (const holder of omars) watch.hold(omar, 'omar', 5_000, holder);
    await watch.checkAll();
    expect(saras.map((h) => h.revokedWith)).toEqual([['ACCOUNT_INACTIVE'], ['ACCOUNT_INACTIVE']]);
    expect(omars[0]?.revokedWith).toEqual([]);
    expect(watch.userCount).toBe(1);

    accounts.answers.set('omar', new AppError('UNAUTHENTICATED'));
    await watch.checkAll();
    expect(omars[0]?.revokedWith).toEqual(['UNAUTHENTICATED']);
    expect(watch.userCount).toBe(0);
  });

  it('revokes an account whose role changed since its token was issued', async () => {
    const accounts = new Accounts();
    accounts.answers.set('sara', { ...sara, role: 'clinic_doctor' });
    const { watch } = watchOver(accounts);
    await expect(watch.admit('sara', sara)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    const holder = new Holder('s1');
    watch.hold(sara, 'sara', 5_000, holder);
    await watch.checkAll();
    expect(holder.revokedWith).toEqual(['UNAUTHENTICATED']);
  });

  it('keeps connections open, with a warning, when records cannot answer; expiry is left to the token timer', async () => {
    const accounts = new Accounts();
    accounts.answers.set('sara', new AppError('SERVICE_UNAVAILABLE'));
    accounts.answers.set('omar', new AppError('TOKEN_EXPIRED'));
    const { watch, warnings } = watchOver(accounts);
    const holders = [new Holder('s1'), new Holder('o1')];
    watch.hold(sara, 'sara', 5_000, holders[0] as Holder);
    watch.hold(omar, 'omar', 5_000, holders[1] as Holder);
    await watch.checkAll();
    expect(holders.map((h) => h.revokedWith)).toEqual([[], []]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ userId: sara.id });
    expect(watch.userCount).toBe(2);
  });

  it('forgets released connections and bounds the calls in flight', async () => {
    const accounts = new Accounts();
    const { watch } = watchOver(accounts, 3);
    for (let i = 0; i < 20; i++) {
      const user = { ...sara, id: `65a1b2c3d4e5f607182930${String(i).padStart(2, '0')}` };
      accounts.answers.set(`t${i}`, user);
      watch.hold(user, `t${i}`, 5_000, new Holder(`h${i}`));
    }
    watch.release(`65a1b2c3d4e5f60718293000`, 'h0');
    watch.release(`65a1b2c3d4e5f60718293001`, 'not-held');
    expect(watch.userCount).toBe(19);
    await watch.checkAll();
    expect(accounts.calls).toHaveLength(19);
    expect(accounts.maxInFlight).toBe(3);
  });
});
