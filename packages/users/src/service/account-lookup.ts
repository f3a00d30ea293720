import { epochSeconds, type Clock, type Logger } from '@budgeting/platform';
import type { AuditRecordsRepository, AuditRecordView } from '../repository/audit-records.repository';
import type { PersonalTokensRepository } from '../repository/personal-tokens.repository';
import type { SessionsRepository } from '../repository/sessions.repository';
import type { UsersRepository } from '../repository/users.repository';
import { checkedEmail, noAccount } from './operator-audit';

/** Audit records shown, newest first; `more` says older ones exist (kept two years, so a busy account may have many). */
export const AUDIT_RECORDS_SHOWN = 50;
/**
 * Active sessions counted, at most (the largest page GET /v1/me/sessions answers). Past it
 * `more` is true and the count is a lower bound: an account with more than 100 live sessions
 * is a finding in itself, and counting them all would be an unbounded read.
 */
export const SESSIONS_COUNTED = 100;

/**
 * What support sees of an account (users-show). Picked field by field, so a new internal
 * attribute of the profile can never reach the output by accident. Never shown: the password
 * hash, any token or its hash, the TOTP seal and the recovery codes' hashes, the known places'
 * hashes, the ended-session slots and the session epoch's number (what support needs of the
 * epoch is its effect, counted below: how many sessions and tokens still work).
 */
export interface AccountOverview {
  userId: string;
  email: string;
  name: string | null;
  locale: string | null;
  timezone: string;
  currency: string;
  createdAt: string;
  mfaOn: boolean;
  suspendedAt: string | null;
  /** When the password was last changed or reset (null: neither since 2026-12-01, when the time began to be stored). */
  passwordChangedAt: string | null;
  /** As GET /v1/me/sessions lists them: not ended, not expired, of the current epoch. */
  sessions: { active: number; more: boolean };
  /**
   * `listed`: as GET /v1/me/tokens lists them (every token item, also expired ones and ones a
   * password change, reset or suspension ended, until deleted); `usable`: of those, the ones a
   * request would still accept (of the current epoch, not expired).
   */
  personalTokens: { listed: number; usable: number };
  /** Newest first, at most AUDIT_RECORDS_SHOWN. */
  audit: { records: AuditRecordView[]; more: boolean };
}

/**
 * Support's read-only look at one account (the operator operation `users-show`,
 * docs/support.md "Looking an account up"): is it suspended, since when, by whom and why; is
 * two-factor on; how many sessions and tokens still work. Reads only, all strongly consistent
 * and bounded: the email item and the profile (two GetItems), then at once the sessions (one
 * Query, up to 5 when many ended sessions lie between live ones), the personal access tokens
 * (one Query: at most 20) and the audit records (one Query of at most 51): 5 requests, at most 9.
 * It changes nothing and writes no audit record; one log line says who looked (a staff read of
 * personal data should leave a trace).
 */
export class AccountLookup {
  constructor(
    private readonly d: {
      users: UsersRepository;
      sessions: SessionsRepository;
      personalTokens: PersonalTokensRepository;
      audit: AuditRecordsRepository;
      clock: Clock;
      logger: Logger;
    },
  ) {}

  async show(request: { email?: string; operator?: string }): Promise<AccountOverview> {
    const email = checkedEmail(request.email);
    const user = await this.d.users.findByEmail(email);
    if (!user) throw noAccount(email);
    const now = this.d.clock.now();
    const [sessions, tokens, audit] = await Promise.all([
      this.d.sessions.activePage(user.id, user.sessionEpoch, epochSeconds(now), SESSIONS_COUNTED),
      this.d.personalTokens.list(user.id),
      this.d.audit.newest(user.id, AUDIT_RECORDS_SHOWN),
    ]);
    // The account check's rule (personal-token-auth.ts, UsersRepository.exists): its epoch, and not expired.
    const usable = tokens.filter((t) => t.epoch === user.sessionEpoch && now.getTime() < Date.parse(t.expiresAt)).length;
    this.d.logger.info('account shown to an operator', { audit: 'shown-to-operator', userId: user.id, operator: request.operator });
    return {
      userId: user.id,
      email: user.email,
      name: user.name,
      locale: user.locale,
      timezone: user.timezone,
      currency: user.currency,
      createdAt: user.createdAt,
      mfaOn: user.mfaOn === true,
      suspendedAt: user.suspendedAt ?? null,
      passwordChangedAt: user.passwordChangedAt ?? null,
      sessions: { active: sessions.items.length, more: sessions.lastKey !== undefined },
      personalTokens: { listed: tokens.length, usable },
      audit,
    };
  }
}
