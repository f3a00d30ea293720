import type { PlatformDeps } from '@budgeting/platform';
import type { UsersFacade } from '@budgeting/users';
import type { BudgetsRepository } from '../repository/budgets.repository';
import type { MembersRepository } from '../repository/members.repository';
import type { WatchersRepository } from '../repository/watchers.repository';
import type { ReportScheduleRepository, ReportsService } from '../reports';
import type { BudgetsServices } from '../routes';
import type { AccessService } from './access';
import { BudgetsService } from './budgets.service';
import type { OutboxWriter } from './events';
import { MembersService } from './members.service';
import type { SummaryService } from './summary.service';

/**
 * The services behind the budgets routes. The module imports this file when its router is
 * first built, so a cold start that only delivers an event or asks the budgets facade does
 * not load them (issue 11). The summary and access services are built with the module: the
 * facade and the threshold checks use them too.
 */
export function createRouteServices(
  deps: PlatformDeps,
  parts: {
    budgets: BudgetsRepository;
    members: MembersRepository;
    watchers: WatchersRepository;
    reportSchedule: ReportScheduleRepository;
    reports: ReportsService;
    access: AccessService;
    summary: SummaryService;
    outbox: OutboxWriter;
    users: UsersFacade;
  },
): BudgetsServices {
  const { budgets, members, watchers, access, outbox, users } = parts;
  return {
    budgets: new BudgetsService({ clock: deps.clock, logger: deps.logger, budgets, members, reportSchedule: parts.reportSchedule, access, outbox, users }),
    members: new MembersService({ clock: deps.clock, budgets, members, watchers, access, outbox, users }),
    summary: parts.summary,
    reports: parts.reports,
    access,
  };
}
