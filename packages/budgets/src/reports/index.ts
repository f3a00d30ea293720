/**
 * Entry of the reports feature (period reports: generation, the hourly job, HTML pages, the
 * report email). The rest of the budgets module imports reports only from here (an
 * architecture test checks it); reports may use the rest of budgets.
 */
export { ReportsRepository } from './repository/reports.repository';
export { ReportScheduleRepository } from './repository/report-schedule.repository';
export { ReportsService } from './service/reports.service';
export { ReportJob } from './jobs/report-job';
export { rekeyDueIndexJob, REKEY_DUE_INDEX } from './jobs/rekey-due-index-job';
export { ReportMail } from './subscriptions/report-mail';
export { reportsHandlers } from './routes/reports.handlers';
export * as reportsRoutes from './routes/reports.routes';
