import { callerAlone, requireAuth, type PlatformDeps } from '@budgeting/platform';
import { createRouter } from '@budgeting/platform/routes';
import type { AccessService } from '../service/access';
import type { ArchiveService } from '../service/archive.service';
import type { BalancesService } from '../service/balances.service';
import type { BudgetsService } from '../service/budgets.service';
import type { CopyService } from '../service/copy.service';
import type { DailySpendingService } from '../service/daily-spending.service';
import type { ForecastService } from '../service/forecast.service';
import type { InvitationsService } from '../service/invitations.service';
import type { LimitSuggestionsService } from '../service/limit-suggestions.service';
import type { MembersService } from '../service/members.service';
import type { OverviewService } from '../service/overview.service';
import type { SafeToSpendService } from '../service/safe-to-spend.service';
import type { SettlementsService } from '../service/settlements.service';
import type { SpendingInsightsService } from '../service/spending-insights.service';
import type { SummaryService } from '../service/summary.service';
import type { TrendsService } from '../service/trends.service';
import type { YearReviewService } from '../service/year-review.service';
import type { AssignableService } from '../service/assignable.service';
import { archiveHandlers } from './archive.handlers';
import * as archiveRoutes from './archive.routes';
import { balancesHandlers } from './balances.handlers';
import * as balancesRoutes from './balances.routes';
import { budgetsHandlers } from './budgets.handlers';
import * as budgetsRoutes from './budgets.routes';
import { copyHandlers } from './copy.handlers';
import * as copyRoutes from './copy.routes';
import { dailySpendingHandlers } from './daily-spending.handlers';
import * as dailySpendingRoutes from './daily-spending.routes';
import { forecastHandlers } from './forecast.handlers';
import * as forecastRoutes from './forecast.routes';
import { invitationsHandlers } from './invitations.handlers';
import * as invitationsRoutes from './invitations.routes';
import { limitSuggestionsHandlers } from './limit-suggestions.handlers';
import * as limitSuggestionsRoutes from './limit-suggestions.routes';
import { membersHandlers } from './members.handlers';
import * as membersRoutes from './members.routes';
import { overviewHandlers } from './overview.handlers';
import * as overviewRoutes from './overview.routes';
import type { ReportsService } from '../reports';
import { reportsHandlers, reportsRoutes } from '../reports/routes';
import { replayGuards } from './replay-guards';
import { safeToSpendHandlers } from './safe-to-spend.handlers';
import * as safeToSpendRoutes from './safe-to-spend.routes';
import { settlementsHandlers } from './settlements.handlers';
import * as settlementsRoutes from './settlements.routes';
import { spendingInsightsHandlers } from './spending-insights.handlers';
import * as spendingInsightsRoutes from './spending-insights.routes';
import { summaryHandlers } from './summary.handlers';
import * as summaryRoutes from './summary.routes';
import { trendsHandlers } from './trends.handlers';
import * as trendsRoutes from './trends.routes';
import { yearReviewHandlers } from './year-review.handlers';
import * as yearReviewRoutes from './year-review.routes';
import { assignableHandlers } from './assignable.handlers';
import * as assignableRoutes from './assignable.routes';

export interface BudgetsServices {
  budgets: BudgetsService;
  /** Built on first use (create-module.ts). */
  copy: () => Promise<CopyService>;
  /** Built on first use (create-module.ts). */
  archive: () => Promise<ArchiveService>;
  members: MembersService;
  /** Built on first use (create-module.ts). */
  invitations: () => Promise<InvitationsService>;
  summary: SummaryService;
  /** Built on first use (create-module.ts). */
  forecast: () => Promise<ForecastService>;
  /** Built on first use (create-module.ts). */
  safeToSpend: () => Promise<SafeToSpendService>;
  balances: () => Promise<BalancesService>;
  /** Built on first use (create-module.ts). */
  settlements: () => Promise<SettlementsService>;
  trends: () => Promise<TrendsService>;
  /** Built on first use (create-module.ts). */
  yearReview: () => Promise<YearReviewService>;
  /** Built on first use (create-module.ts). */
  assignable: () => Promise<AssignableService>;
  /** Built on first use (create-module.ts). */
  dailySpending: () => Promise<DailySpendingService>;
  /** Built on first use (create-module.ts). */
  spendingInsights: () => Promise<SpendingInsightsService>;
  /** Built on first use (create-module.ts). */
  limitSuggestions: () => Promise<LimitSuggestionsService>;
  /** Built on first use (create-module.ts). */
  overview: () => Promise<OverviewService>;
  reports: ReportsService;
  /** Membership checks, for Idempotency-Key replays (see replay-guards.ts). */
  access: AccessService;
}

/**
 * The module's routes (reports' too, through the reports entry), and the one place their
 * middleware is attached. Middleware is attached per route, never with a wildcard: module
 * routers are mounted side by side on one app, and expenses routes live under
 * /v1/budgets/{id}/ too, so a `use('/v1/budgets/*')` here would also run on theirs (and a
 * second Idempotency-Key pass would see its own lease and answer 409).
 * Order on creating POSTs (and the member and settlement PATCHes, move-money and the period-limit PUT): authentication, then
 * Idempotency-Key (keys are scoped per caller; a replay first passes the route's access check).
 */
export function createBudgetsRouter(deps: PlatformDeps, services: BudgetsServices) {
  const auth = requireAuth(deps.tokens);
  const budgets = budgetsHandlers(services.budgets, deps.cursors);
  const copy = copyHandlers(services.copy);
  const archive = archiveHandlers(services.archive);
  const members = membersHandlers(services.members, deps.cursors);
  const invitations = invitationsHandlers(services.invitations);
  const summary = summaryHandlers(services.summary);
  const forecast = forecastHandlers(services.forecast);
  const safeToSpend = safeToSpendHandlers(services.safeToSpend);
  const balances = balancesHandlers(services.balances);
  const settlements = settlementsHandlers(services.settlements, deps.cursors);
  const trends = trendsHandlers(services.trends);
  const yearReview = yearReviewHandlers(services.yearReview);
  const assignable = assignableHandlers(services.assignable);
  const dailySpending = dailySpendingHandlers(services.dailySpending);
  const spendingInsights = spendingInsightsHandlers(services.spendingInsights);
  const limitSuggestions = limitSuggestionsHandlers(services.limitSuggestions);
  const overview = overviewHandlers(services.overview, deps.cursors);
  const reports = reportsHandlers(services.reports, deps.cursors);
  const mayReplay = replayGuards(services.access, { members: services.members, settlements: services.settlements });

  return createRouter()
    .openapi({ ...budgetsRoutes.createBudgetRoute, middleware: [auth, deps.idempotent(callerAlone)] }, budgets.create)
    .openapi({ ...copyRoutes.copyBudgetRoute, middleware: [auth, deps.idempotent(mayReplay.copyBudget)] }, copy.copy)
    .openapi({ ...budgetsRoutes.listBudgetsRoute, middleware: [auth] }, budgets.list)
    .openapi({ ...budgetsRoutes.getBudgetRoute, middleware: [auth] }, budgets.get)
    .openapi({ ...budgetsRoutes.updateBudgetRoute, middleware: [auth] }, budgets.update)
    .openapi({ ...budgetsRoutes.deleteBudgetRoute, middleware: [auth] }, budgets.remove)
    .openapi({ ...archiveRoutes.archiveBudgetRoute, middleware: [auth] }, archive.archive)
    .openapi({ ...archiveRoutes.unarchiveBudgetRoute, middleware: [auth] }, archive.unarchive)
    .openapi({ ...budgetsRoutes.moveMoneyRoute, middleware: [auth, deps.idempotent(mayReplay.periodLimits)] }, budgets.moveMoney)
    .openapi({ ...budgetsRoutes.setPeriodLimitRoute, middleware: [auth, deps.idempotent(mayReplay.periodLimits)] }, budgets.setPeriodLimit)
    .openapi({ ...budgetsRoutes.clearPeriodLimitsRoute, middleware: [auth] }, budgets.clearPeriodLimits)
    .openapi({ ...summaryRoutes.summaryRoute, middleware: [auth] }, summary.get)
    .openapi({ ...forecastRoutes.forecastRoute, middleware: [auth] }, forecast.get)
    .openapi({ ...safeToSpendRoutes.safeToSpendRoute, middleware: [auth] }, safeToSpend.get)
    .openapi({ ...balancesRoutes.balancesRoute, middleware: [auth] }, balances.get)
    .openapi({ ...settlementsRoutes.recordSettlementRoute, middleware: [auth, deps.idempotent(mayReplay.recordSettlement)] }, settlements.record)
    .openapi({ ...settlementsRoutes.listSettlementsRoute, middleware: [auth] }, settlements.list)
    .openapi({ ...settlementsRoutes.getSettlementRoute, middleware: [auth] }, settlements.get)
    .openapi({ ...settlementsRoutes.changeSettlementRoute, middleware: [auth, deps.idempotent(mayReplay.changeSettlement)] }, settlements.change)
    .openapi({ ...settlementsRoutes.deleteSettlementRoute, middleware: [auth] }, settlements.remove)
    .openapi({ ...trendsRoutes.trendsRoute, middleware: [auth] }, trends.get)
    .openapi({ ...yearReviewRoutes.yearReviewRoute, middleware: [auth] }, yearReview.get)
    .openapi({ ...assignableRoutes.assignableRoute, middleware: [auth] }, assignable.get)
    .openapi({ ...dailySpendingRoutes.dailySpendingRoute, middleware: [auth] }, dailySpending.get)
    .openapi({ ...spendingInsightsRoutes.spendingInsightsRoute, middleware: [auth] }, spendingInsights.get)
    .openapi({ ...limitSuggestionsRoutes.limitSuggestionsRoute, middleware: [auth] }, limitSuggestions.get)
    .openapi({ ...overviewRoutes.overviewRoute, middleware: [auth] }, overview.get)
    .openapi({ ...reportsRoutes.createReportRoute, middleware: [auth, deps.idempotent(mayReplay.createReport)] }, reports.create)
    .openapi({ ...reportsRoutes.listReportsRoute, middleware: [auth] }, reports.list)
    .openapi({ ...reportsRoutes.getReportRoute, middleware: [auth] }, reports.get)
    .openapi({ ...membersRoutes.listMembersRoute, middleware: [auth] }, members.list)
    .openapi({ ...membersRoutes.addMemberRoute, middleware: [auth, deps.idempotent(mayReplay.addMember)] }, members.add)
    .openapi({ ...membersRoutes.getMemberRoute, middleware: [auth] }, members.get)
    .openapi({ ...membersRoutes.changeMemberRoute, middleware: [auth, deps.idempotent(mayReplay.changeMember)] }, members.change)
    .openapi({ ...membersRoutes.removeMemberRoute, middleware: [auth] }, members.remove)
    .openapi({ ...invitationsRoutes.createInvitationRoute, middleware: [auth, deps.idempotent(mayReplay.invite)] }, invitations.create)
    .openapi({ ...invitationsRoutes.listInvitationsRoute, middleware: [auth] }, invitations.list)
    .openapi({ ...invitationsRoutes.getInvitationRoute, middleware: [auth] }, invitations.get)
    .openapi({ ...invitationsRoutes.revokeInvitationRoute, middleware: [auth] }, invitations.revoke)
    // Any account may accept (the code is the proof); a read-scoped personal token is refused
    // by requireAuth, as on every POST. Keys are scoped per caller: nothing more to re-check.
    .openapi({ ...invitationsRoutes.acceptInvitationRoute, middleware: [auth, deps.idempotent(callerAlone)] }, invitations.accept);
}
