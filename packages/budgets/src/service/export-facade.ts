import type { BudgetsExportFacade } from '../contract';
import type { MembersRepository } from '../repository/members.repository';
import type { SettlementsRepository } from '../repository/settlements.repository';
import { reportView, type ReportsRepository } from '../reports';
import type { AccessService } from './access';
import { budgetView } from './budget-view';

/** Memberships and reports per export page: a page is one part of an export's object, a few hundred KB at most. */
const MEMBERSHIP_PAGE = 100;
const REPORT_PAGE = 50;
/** Settle-up payments are small (about 400 bytes): the list's largest page. */
const SETTLEMENT_PAGE = 100;

const encode = (key: Record<string, unknown> | undefined) => (key ? Buffer.from(JSON.stringify(key)).toString('base64url') : undefined);
const decode = (cursor: string | undefined) => (cursor ? (JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>) : undefined);

/**
 * What the users module's data export (GDPR Art. 20) reads of budgets, a page at a time (the
 * cursors are opaque to it; they travel in its job units, never to a client). Each page is one
 * bounded Query, so an export of a user with many budgets or reports never holds them all.
 */
export function createBudgetsExportFacade(
  access: AccessService,
  members: MembersRepository,
  reports: ReportsRepository,
  settlements: () => Promise<SettlementsRepository>,
): BudgetsExportFacade {
  return {
    async membershipsOf(userId, cursor) {
      const page = await members.listForUser(userId, MEMBERSHIP_PAGE, decode(cursor));
      const next = encode(page.lastKey);
      return { items: page.items.map((m) => ({ budgetId: m.budgetId, role: m.role })), ...(next ? { cursor: next } : {}) };
    },
    async budgetOf(budgetId, userId) {
      const found = await access.find(budgetId, userId);
      if (!found) return null;
      const membership = await members.get(budgetId, userId);
      if (!membership) return null;
      return { budget: budgetView(found), membership: { role: membership.role, share: membership.share, addedAt: membership.addedAt } };
    },
    async reportsPage(budgetId, cursor) {
      const page = await reports.page(budgetId, REPORT_PAGE, decode(cursor));
      const next = encode(page.lastKey);
      return { records: page.items.map(reportView), ...(next ? { cursor: next } : {}) };
    },
    async settlementsPage(budgetId, cursor) {
      const page = await (await settlements()).page(budgetId, {}, SETTLEMENT_PAGE, decode(cursor));
      const next = encode(page.lastKey);
      return { records: page.items, ...(next ? { cursor: next } : {}) };
    },
  };
}
