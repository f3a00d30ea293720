import { formatMinorUnits } from '@budgeting/platform';
import type { Report } from '../../model';
import { text } from './escape';

/**
 * The report's two charts as inline SVG (no script, no external asset): spend by category
 * (horizontal bars) and cumulative spend through the period against the limit (a line).
 * Coordinates are computed here; every label is escaped.
 */
const WIDTH = 640;

export function categoryBars(report: Report): string {
  const rows = [
    ...report.byCategory.map((c) => ({ label: c.name, spent: c.spent, limit: c.limit })),
    ...(report.uncategorizedSpent !== 0 ? [{ label: 'Uncategorized', spent: report.uncategorizedSpent, limit: null }] : []),
  ];
  if (rows.length === 0) return '<p>No categories.</p>';
  const rowHeight = 28;
  const labelWidth = 180;
  const barSpace = WIDTH - labelWidth - 110;
  const max = Math.max(1, ...rows.map((r) => Math.max(r.spent, r.limit ?? 0)));
  const height = rows.length * rowHeight + 10;
  const bars = rows
    .map((r, i) => {
      const y = 5 + i * rowHeight;
      const width = Math.max(0, (r.spent / max) * barSpace);
      const over = r.limit !== null && r.spent > r.limit;
      const limitMark =
        r.limit === null
          ? ''
          : `<line x1="${x(labelWidth + (r.limit / max) * barSpace)}" x2="${x(labelWidth + (r.limit / max) * barSpace)}" y1="${y}" y2="${y + 20}" stroke="#222" stroke-dasharray="3 2"/>`;
      return (
        `<text x="${labelWidth - 8}" y="${y + 15}" text-anchor="end">${text(r.label)}</text>` +
        `<rect x="${labelWidth}" y="${y}" width="${x(width)}" height="20" fill="${over ? '#c0392b' : '#2e86c1'}"/>` +
        limitMark +
        `<text x="${x(labelWidth + width + 6)}" y="${y + 15}">${text(formatMinorUnits(r.spent, report.currency))}</text>`
      );
    })
    .join('');
  return svg('Spend by category', height, bars);
}

export function cumulativeLine(report: Report): string {
  const height = 240;
  const pad = { left: 70, right: 20, top: 15, bottom: 30 };
  const plotW = WIDTH - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  let running = 0;
  const cumulative = report.byDay.map((d) => (running += d.spent));
  const max = Math.max(1, report.limit, report.available, ...cumulative);
  const n = Math.max(1, report.byDay.length - 1);
  const px = (i: number) => x(pad.left + (i / n) * plotW);
  const py = (v: number) => x(pad.top + plotH - (Math.max(0, v) / max) * plotH);
  const points = cumulative.map((v, i) => `${px(i)},${py(v)}`).join(' ');
  const limitY = Number(py(report.limit));
  const first = report.byDay[0]?.date ?? report.periodStart;
  const last = report.byDay.at(-1)?.date ?? report.periodEnd;
  const body =
    `<line x1="${pad.left}" y1="${pad.top + plotH}" x2="${pad.left + plotW}" y2="${pad.top + plotH}" stroke="#888"/>` +
    `<line x1="${pad.left}" y1="${x(limitY)}" x2="${pad.left + plotW}" y2="${x(limitY)}" stroke="#c0392b" stroke-dasharray="6 4"/>` +
    `<text x="${pad.left - 6}" y="${x(limitY + 4)}" text-anchor="end" fill="#c0392b">limit</text>` +
    `<text x="${pad.left - 6}" y="${x(limitY + 18)}" text-anchor="end" fill="#c0392b">${text(formatMinorUnits(report.limit, report.currency))}</text>` +
    `<polyline points="${points}" fill="none" stroke="#2e86c1" stroke-width="2"/>` +
    `<text x="${pad.left}" y="${height - 8}">${text(first)}</text>` +
    `<text x="${pad.left + plotW}" y="${height - 8}" text-anchor="end">${text(last)}</text>`;
  return svg('Cumulative spend against the limit', height, body);
}

function svg(title: string, height: number, body: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" ` +
    `font-family="sans-serif" font-size="12"><title>${text(title)}</title>${body}</svg>`
  );
}

/** A coordinate with at most one decimal. */
const x = (value: number) => String(Math.round(value * 10) / 10);
