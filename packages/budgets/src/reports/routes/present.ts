export { reportView } from '../domain/report-view';

export const reportPath = (budgetId: string, reportId: string) => `/v1/budgets/${budgetId}/reports/${reportId}`;
