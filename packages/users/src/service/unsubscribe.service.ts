import { problems, ProblemError } from '@budgeting/platform';
import { readUnsubscribeToken, type UnsubscribeKind } from '../domain/unsubscribe-token';
import type { AccountService } from './account.service';

/**
 * POST /v1/unsubscribe/{token}: the one-click unsubscribe (RFC 8058) of an optional mail turns
 * that kind off through the profile's own PATCH (a switch already off writes nothing, as any
 * PATCH that changes nothing). An account deleted since the mail is answered as unsubscribed:
 * it gets no mail anyway, and a provider retrying must not see an error.
 */
export class UnsubscribeService {
  constructor(private readonly d: { account: Pick<AccountService, 'update'>; signingKeys: (string | undefined)[] }) {}

  async unsubscribe(token: string): Promise<UnsubscribeKind> {
    const read = readUnsubscribeToken(token, this.d.signingKeys);
    if (!read) throw problems.notFound('This unsubscribe link is not valid.');
    const email = read.kind === 'reports' ? { reports: false } : { budgetAlerts: false };
    try {
      await this.d.account.update(read.userId, { notifications: { email } });
    } catch (err) {
      if (!(err instanceof ProblemError && err.status === 401)) throw err;
    }
    return read.kind;
  }
}
