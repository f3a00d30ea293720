import { problems, ProblemError } from '@budgeting/platform';
import { readUnsubscribeToken, type UnsubscribeKind } from '../domain/unsubscribe-token';
import type { AccountService } from './account.service';

/** Which kind of mail a link turns off, and the locale of the account's profile (its page's words; null: none, or the account is gone). */
export interface UnsubscribeLink {
  kind: UnsubscribeKind;
  locale: string | null;
}

/**
 * POST /v1/unsubscribe/{token}: the one-click unsubscribe (RFC 8058) of an optional mail turns
 * that kind off through the profile's own PATCH (a switch already off writes nothing, as any
 * PATCH that changes nothing). An account deleted since the mail is answered as unsubscribed:
 * it gets no mail anyway, and a provider retrying must not see an error.
 *
 * GET of the same URL (a mail client without one-click support opens it in a browser): what
 * the link would turn off, read only. Link scanners and mail security gateways prefetch every
 * URL of a mail with a GET: it must never turn anything off.
 */
export class UnsubscribeService {
  constructor(private readonly d: { account: Pick<AccountService, 'get' | 'update'>; signingKeys: (string | undefined)[] }) {}

  async unsubscribe(token: string): Promise<UnsubscribeLink> {
    const { userId, kind } = this.read(token);
    const email = kind === 'reports' ? { reports: false } : { budgetAlerts: false };
    return { kind, locale: await localeOrGone(() => this.d.account.update(userId, { notifications: { email } })) };
  }

  /** What the link turns off, changing nothing (a 404 for a token not ours, as the POST). */
  async describe(token: string): Promise<UnsubscribeLink> {
    const { userId, kind } = this.read(token);
    return { kind, locale: await localeOrGone(() => this.d.account.get(userId)) };
  }

  private read(token: string): { userId: string; kind: UnsubscribeKind } {
    const read = readUnsubscribeToken(token, this.d.signingKeys);
    if (!read) throw problems.notFound('This unsubscribe link is not valid.');
    return read;
  }
}

/** The profile's locale after `step`; null for an account deleted since the mail (a 401 "gone"). */
async function localeOrGone(step: () => Promise<{ locale: string | null }>): Promise<string | null> {
  try {
    return (await step()).locale;
  } catch (err) {
    if (!(err instanceof ProblemError && err.status === 401)) throw err;
    return null;
  }
}
