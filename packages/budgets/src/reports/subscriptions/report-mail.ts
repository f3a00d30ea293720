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
 * whose budget was deleted meanwhile (read here: its report may still be there, until the
 * budget.deleted cleanup has run), or an owner whose account is gone, gets no mail. The
 * owner's one profile read (the users facade) gives their address, their locale, which the
 * mail's amounts and dates are formatted in (none set: the plain formats), and whether they
 * want report mails at all (`notifications.email.reports`, on unless turned off).
 */
export class ReportMail {
  constructor(
    private readonly d: { reports: ReportsRepository; users: UsersFacade; mail: EmailSender },
  ) {}

  async afterReportGenerated(event: EventEnvelope, ctx: HandlerContext): Promise<void> {
    const data = event.data as ReportGeneratedData;
    // The budget itself, not only its report: a deleted budget's reports are removed by its
    // budget.deleted cleanup, a delivery of its own that may come after this one.
    const [report, budgetExists] = await Promise.all([
      this.d.reports.get(data.budgetId, { start: data.periodStart, end: data.periodEnd }),
      this.d.reports.budgetStillExists(data.budgetId),
    ]);
    if (!report || !budgetExists) {
      ctx.logger.info('report mail skipped: the budget or its report is gone', { budgetId: data.budgetId, reportId: data.reportId });
      return;
    }
    const owner = await this.d.users.getById(data.ownerId);
    if (!owner) {
      ctx.logger.info('report mail skipped: the owner account is gone', { budgetId: data.budgetId, reportId: data.reportId });
      return;
    }
    // Turned off in the owner's preferences (PATCH /v1/me notifications.email.reports): the
    // report is there in the app all the same; only its mail is not sent.
    if (!owner.notifications.email.reports) {
      ctx.logger.info('report mail skipped: the owner turned report mails off', { budgetId: data.budgetId, reportId: data.reportId });
      return;
    }
    // Loaded here, not at start: every cold start builds this subscription (issue 11).
    const { reportEmail } = await import('../html/report-email');
    // With its one-click unsubscribe (RFC 8058: the List-Unsubscribe headers) where PUBLIC_API_URL is set.
    const unsubscribeUrl = this.d.users.unsubscribeUrl(owner.id, 'reports');
    await this.d.mail.send({ ...reportEmail(report, owner.email, event.id, owner.locale ?? undefined), ...(unsubscribeUrl ? { unsubscribeUrl } : {}) });
  }
}
