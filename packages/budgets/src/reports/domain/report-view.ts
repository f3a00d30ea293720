import type { Report } from '../../model';

/** A report as the API returns it (and the data export writes it): everything but the owner's id. */
export function reportView(report: Report) {
  const { ownerId: _ownerId, ...view } = report;
  return view;
}
