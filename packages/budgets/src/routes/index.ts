import { createRouter, requireAuth, type PlatformDeps } from '@budgeting/platform';
import type { BudgetsService } from '../service/budgets.service';
import type { MembersService } from '../service/members.service';
import type { SummaryService } from '../service/summary.service';
import { budgetsHandlers } from './budgets.handlers';
import {
  createBudgetRoute,
  deleteBudgetRoute,
  getBudgetRoute,
  listBudgetsRoute,
  updateBudgetRoute,
} from './budgets.routes';
import { membersHandlers } from './members.handlers';
import { addMemberRoute, changeMemberRoute, listMembersRoute, removeMemberRoute } from './members.routes';
import { createReportRoute, getReportRoute, listReportsRoute, reportsHandlers, type ReportsService } from '../reports';
import { summaryHandlers } from './summary.handlers';
import { summaryRoute } from './summary.routes';

export interface BudgetsServices {
  budgets: BudgetsService;
  members: MembersService;
  summary: SummaryService;
  reports: ReportsService;
}

/**
 * The module's routes (reports' too, through the reports entry), and the one place their
 * middleware is attached. Middleware is attached per route, never with a wildcard: module
 * routers are mounted side by side on one app, and expenses routes live under
 * /v1/budgets/{id}/ too, so a `use('/v1/budgets/*')` here would also run on theirs (and a
 * second Idempotency-Key pass would see its own lease and answer 409).
 * Order on creating POSTs: authentication, then Idempotency-Key (keys are scoped per caller).
 */
export function createBudgetsRouter(deps: PlatformDeps, services: BudgetsServices) {
  const auth = requireAuth(deps.tokens);
  const budgets = budgetsHandlers(services.budgets, deps.cursors);
  const members = membersHandlers(services.members, deps.cursors);
  const summary = summaryHandlers(services.summary);
  const reports = reportsHandlers(services.reports, deps.cursors);

  return createRouter()
    .openapi({ ...createBudgetRoute, middleware: [auth, deps.idempotent] }, budgets.create)
    .openapi({ ...listBudgetsRoute, middleware: [auth] }, budgets.list)
    .openapi({ ...getBudgetRoute, middleware: [auth] }, budgets.get)
    .openapi({ ...updateBudgetRoute, middleware: [auth] }, budgets.update)
    .openapi({ ...deleteBudgetRoute, middleware: [auth] }, budgets.remove)
    .openapi({ ...summaryRoute, middleware: [auth] }, summary.get)
    .openapi({ ...createReportRoute, middleware: [auth, deps.idempotent] }, reports.create)
    .openapi({ ...listReportsRoute, middleware: [auth] }, reports.list)
    .openapi({ ...getReportRoute, middleware: [auth] }, reports.get)
    .openapi({ ...listMembersRoute, middleware: [auth] }, members.list)
    .openapi({ ...addMemberRoute, middleware: [auth, deps.idempotent] }, members.add)
    .openapi({ ...changeMemberRoute, middleware: [auth] }, members.change)
    .openapi({ ...removeMemberRoute, middleware: [auth] }, members.remove);
}
