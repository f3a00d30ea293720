/**
 * Entry of the reports feature (period reports: generation, the hourly job, HTML pages, the
 * report email). The rest of the budgets module imports reports only from here (an
 * architecture test checks it); reports may use the rest of budgets.
 */
export { ReportsRepository } from './repository/reports.repository';
export { ReportScheduleRepository } from './repository/report-schedule.repository';
export { ReportsService } from './service/reports.service';
export type { ReportMail } from './subscriptions/report-mail';
// Loaded on first use (issue 11): the budgets router imports this file, so a cold summary would
// otherwise evaluate the hourly job, the re-key job and the report mail it never runs.
export const loadReportJob = () => import('./jobs/report-job');
export const loadRekeyDueIndexJob = () => import('./jobs/rekey-due-index-job');
export const loadReportMail = () => import('./subscriptions/report-mail');
export { reportsHandlers } from './routes/reports.handlers';
export * as reportsRoutes from './routes/reports.routes';
