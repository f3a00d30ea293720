import type { EmailSender, EventEnvelope, HandlerContext } from '@budgeting/platform';
import type { UsersFacade } from '@budgeting/users';
import type { ReportGeneratedData } from '../../events';
import type { ReportsRepository } from '../repository/reports.repository';

/**
 * Emails a generated report to the budget's owner (report.generated). Runs behind the claimed
 * inbox (platform withClaimedInbox): a redelivered event whose mail went out finds its inbox
 * item and sends nothing, and one delivered while another delivery is sending fails without
 * sending (DeliveryInFlightError: delivered again later). A send that fails throws, gives the
 * claim back, and the event is delivered again later. A report
 * whose budget was deleted meanwhile, or an owner whose account is gone, gets no mail. The
 * owner's one profile read (the users facade) gives both their address and their locale, which
 * the mail's amounts and dates are formatted in (none set: the plain formats).
 */
export class ReportMail {
  constructor(
    private readonly d: { reports: ReportsRepository; users: UsersFacade; mail: EmailSender },
  ) {}

  async afterReportGenerated(event: EventEnvelope, ctx: HandlerContext): Promise<void> {
    const data = event.data as ReportGeneratedData;
    const report = await this.d.reports.get(data.budgetId, { start: data.periodStart, end: data.periodEnd });
    if (!report) {
      ctx.logger.info('report mail skipped: the report is gone', { budgetId: data.budgetId, reportId: data.reportId });
      return;
    }
    const owner = await this.d.users.getById(data.ownerId);
    if (!owner) {
      ctx.logger.info('report mail skipped: the owner account is gone', { budgetId: data.budgetId, reportId: data.reportId });
      return;
    }
    // Loaded here, not at start: every cold start builds this subscription (issue 11).
    const { reportEmail } = await import('../html/report-email');
    await this.d.mail.send(reportEmail(report, owner.email, event.id, owner.locale ?? undefined));
  }
}
