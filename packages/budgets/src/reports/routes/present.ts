import type { Report } from '../../model';

/** A report as the API returns it: everything but the owner's id. */
export function reportView(report: Report) {
  const { ownerId: _ownerId, ...view } = report;
  return view;
}

export const reportPath = (budgetId: string, reportId: string) => `/v1/budgets/${budgetId}/reports/${reportId}`;
