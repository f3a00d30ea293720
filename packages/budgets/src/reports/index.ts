/**
 * Entry of the reports feature (period reports: generation, the hourly job, HTML pages, the
 * report email). The rest of the budgets module imports reports only from here (an
 * architecture test checks it); reports may use the rest of budgets. The routes have their own
 * entry, reports/routes.ts: this one is imported at start, and esbuild would carry the routes'
 * zod schemas (and zod with them) into every cold start through a re-export here.
 */
export { ReportsRepository } from './repository/reports.repository';
export { reportView } from './domain/report-view';
export { ReportScheduleRepository } from './repository/report-schedule.repository';
export { ReportsService } from './service/reports.service';
export { ReportJob } from './jobs/report-job';
export { rekeyDueIndexJob, REKEY_DUE_INDEX } from './jobs/rekey-due-index-job';
export { ReportMail } from './subscriptions/report-mail';
