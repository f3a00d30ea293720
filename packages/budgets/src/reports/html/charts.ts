import { type LocaleFormat } from '@budgeting/platform';
import { localeMessages, type LocaleMessages } from '@budgeting/platform/locale-messages';
import type { Report } from '../../model';
import { text } from './escape';
import { hiddenName } from './hidden-name';
import { textExtentOf } from './text-extent';
import { clipTo } from './text-width';

/**
 * The report's two charts as inline SVG (no script, no external asset): spend by category
 * (horizontal bars) and cumulative spend through the period against the limit (a line).
 * Coordinates are computed here; every label is escaped. Each chart scales to its container
 * (a viewBox and no fixed width), so a phone shows it whole, and says in words what its
 * colours and dashes mean. Amounts and dates as the rest of the page (`format`: platform locale-format.ts),
 * and its words (`words`: platform locale-messages.ts; English without a locale).
 */
const WIDTH = 640;
const BLUE = '#2e86c1';
const RED = '#c0392b';
/** A bar's label at most (characters): a longer one is cut to 25 and "…". */
const LABEL_WIDTH = 26;
/** The bars' room at most, and at least (past that the chart grows wider and is scaled down to fit). */
const BAR_SPACE = 340;
const MIN_BAR_SPACE = 160;

export function categoryBars(report: Report, format: LocaleFormat, words: LocaleMessages = localeMessages(undefined)): string {
  const { fill } = words;
  const rows = [
    // A rollover category's spending is drawn against what it had available (limit + carried over), as its "Left" is.
    // A hidden category's label carries the mark, as its table row (cut so that the mark stays whole).
    // A category with a color (its line's `color`, validated #RRGGBB) has its bar in it, else the default blue.
    // Its emoji comes before the label, as in the table, and is never cut: the name gives up its room
    // (an emoji draws about two characters wide, plus the space).
    ...report.byCategory.map((c) => ({
      emoji: c.emoji,
      label: truncate(c.hidden ? hiddenName(c.name, words, labelWidthOf(c.emoji)) : c.name, labelWidthOf(c.emoji)),
      spent: c.spent,
      limit: c.available ?? c.limit,
      color: c.color,
    })),
    ...(report.uncategorizedSpent !== 0 ? [{ emoji: undefined, label: truncate(fill('report.uncategorized'), LABEL_WIDTH), spent: report.uncategorizedSpent, limit: null as number | null, color: undefined }] : []),
  ].map((r) => ({ ...r, amount: r.limit === null ? format.money(r.spent) : fill('chart.spentOf', { spent: format.money(r.spent), limit: format.money(r.limit) }) }));
  if (rows.length === 0) return `<p>${fill('chart.noCategories')}</p>`;
  const rowHeight = 28;
  // The names' column: as wide as the widest name may draw (text-extent.ts), 180 at least.
  // "HOUSEHOLD SUPPLIES AND GR…" in capitals needs some 230: at a fixed 180 it was cut at the chart's left edge.
  const labelWidth = Math.max(180, Math.ceil(Math.max(...rows.map((r) => textExtentOf(r.emoji ? `${r.emoji} ${r.label}` : r.label))) + 12));
  // Room to the right of the longest bar or marker for the longest amount label ("12.345,67 € von
  // 15.000,00 €" is some 27 characters): the bars give it up, down to MIN_BAR_SPACE; past that the
  // chart is made wider (its viewBox: the page scales it down to fit), so no amount is ever cut.
  const amountRoom = 8 + Math.max(...rows.map((r) => textExtentOf(r.amount))) + 4;
  const barSpace = Math.max(MIN_BAR_SPACE, Math.min(BAR_SPACE, WIDTH - labelWidth - amountRoom));
  const chartWidth = Math.max(WIDTH, Math.ceil(labelWidth + barSpace + amountRoom));
  const max = Math.max(1, ...rows.map((r) => Math.max(r.spent, r.limit ?? 0)));
  const height = rows.length * rowHeight + 10;
  const bars = rows
    .map((r, i) => {
      const y = 5 + i * rowHeight;
      const width = Math.max(0, (r.spent / max) * barSpace);
      const over = r.limit !== null && r.spent > r.limit;
      const limitX = r.limit === null ? undefined : labelWidth + (Math.max(0, r.limit) / max) * barSpace;
      const limitMark =
        limitX === undefined
          ? ''
          : `<line x1="${x(limitX)}" x2="${x(limitX)}" y1="${y - 2}" y2="${y + 22}" stroke="#222" stroke-width="2" stroke-dasharray="3 2"/>`;
      // The amount starts after both the bar and the limit marker, so neither covers it.
      const labelX = Math.max(labelWidth + width, limitX ?? 0) + 8;
      return (
        `<text x="${labelWidth - 8}" y="${y + 15}" text-anchor="end">${r.emoji ? `${text(r.emoji)} ` : ''}${text(r.label)}</text>` +
        barRect(labelWidth, y, width, r.color, over) +
        limitMark +
        `<text x="${x(labelX)}" y="${y + 15}">${text(r.amount)}</text>`
      );
    })
    .join('');
  return (
    svg(fill('report.byCategory'), height, bars, chartWidth) +
    legend([
      [`<span style="color:${BLUE}">&#9632;</span> ${fill('chart.spentInCategory')}`],
      [`<span style="color:${RED}">&#9632;</span> ${fill('chart.overLimit')}`],
      [`&#9476; ${fill('chart.marker')}`],
    ])
  );
}

export function cumulativeLine(report: Report, format: LocaleFormat, words: LocaleMessages = localeMessages(undefined)): string {
  const { fill } = words;
  const height = 240;
  let running = 0;
  const cumulative = report.byDay.map((d) => (running += d.spent));
  const max = niceCeiling(Math.max(1, report.limit, report.available, ...cumulative));
  // The y axis: 0, half and the top of the scale, in the report's currency. Its labels sit left
  // of the plot, which starts after the widest of them ("Rp 20.000.000,00" needs more than 80).
  const tickValues = [0, max / 2, max].map((v) => Math.round(v));
  const tickWidth = Math.max(...tickValues.map((v) => textExtentOf(format.money(v))));
  const pad = { left: Math.max(80, Math.ceil(8 + tickWidth + 4)), right: 20, top: 15, bottom: 30 };
  const plotW = WIDTH - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const n = Math.max(1, report.byDay.length - 1);
  const px = (i: number) => pad.left + (i / n) * plotW;
  const py = (v: number) => pad.top + plotH - (Math.max(0, v) / max) * plotH;
  const points = cumulative.map((v, i) => `${x(px(i))},${x(py(v))}`).join(' ');
  const money = (v: number) => text(format.money(v));
  const ticks = tickValues
    .map(
      (v) =>
        `<line x1="${pad.left - 4}" y1="${x(py(v))}" x2="${pad.left + plotW}" y2="${x(py(v))}" stroke="#e5e5e5"/>` +
        `<text x="${pad.left - 8}" y="${x(py(v) + 4)}" text-anchor="end" fill="#555">${money(v)}</text>`,
    )
    .join('');
  const first = report.byDay[0]?.date ?? report.periodStart;
  const last = report.byDay.at(-1)?.date ?? report.periodEnd;
  const total = cumulative.at(-1) ?? 0;
  const end = cumulative.length > 0 ? { x: px(cumulative.length - 1), y: py(total) } : undefined;
  const body =
    ticks +
    `<line x1="${pad.left}" y1="${pad.top}" x2="${pad.left}" y2="${pad.top + plotH}" stroke="#888"/>` +
    `<line x1="${pad.left}" y1="${pad.top + plotH}" x2="${pad.left + plotW}" y2="${pad.top + plotH}" stroke="#888"/>` +
    `<line x1="${pad.left}" y1="${x(py(report.limit))}" x2="${pad.left + plotW}" y2="${x(py(report.limit))}" stroke="${RED}" stroke-dasharray="6 4"/>` +
    `<polyline points="${points}" fill="none" stroke="${BLUE}" stroke-width="2"/>` +
    (end
      ? `<circle cx="${x(end.x)}" cy="${x(end.y)}" r="3.5" fill="${BLUE}"/>` +
        `<text x="${x(end.x - 6)}" y="${x(Math.max(pad.top + 12, end.y - 8))}" text-anchor="end" font-weight="bold">${fill('chart.total', { amount: money(total) })}</text>`
      : '') +
    `<text x="${pad.left}" y="${height - 8}">${text(format.date(first))}</text>` +
    `<text x="${pad.left + plotW}" y="${height - 8}" text-anchor="end">${text(format.date(last))}</text>`;
  return (
    svg(fill('chart.cumulativeTitle'), height, body) +
    legend([
      [`<span style="color:${BLUE}">&#9472;</span> ${fill('chart.spentSinceStart', { amount: money(total) })}`],
      [`<span style="color:${RED}">&#9476;</span> ${fill('chart.budgetLimit', { amount: money(report.limit) })}`],
    ])
  );
}

/**
 * A bar of the spend-by-category chart: the default palette (blue, red over the limit), or the
 * category's own color, then outlined in red when over the limit (so the legend's red still
 * means over). The color is validated `#RRGGBB`; it still goes through the escaping.
 */
function barRect(left: number, y: number, width: number, color: string | undefined, over: boolean): string {
  const geometry = `x="${left}" y="${y}" width="${x(width)}" height="20"`;
  if (color === undefined) return `<rect ${geometry} fill="${over ? RED : BLUE}"/>`;
  return `<rect ${geometry} fill="${text(color)}"${over ? ` stroke="${RED}" stroke-width="2"` : ''}/>`;
}

function svg(title: string, height: number, body: string, width = WIDTH): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 ${width} ${height}" ` +
    `style="display:block;width:100%;max-width:${WIDTH}px;height:auto" font-family="sans-serif" font-size="12">` +
    `<title>${text(title)}</title>${body}</svg>`
  );
}

function legend(items: string[][]): string {
  return `<ul class="legend">${items.map(([item]) => `<li>${item}</li>`).join('')}</ul>`;
}

/** A round number at or above `value` for the top of an axis (1, 2 or 5 times a power of ten). */
function niceCeiling(value: number): number {
  const power = 10 ** Math.floor(Math.log10(value));
  return ([1, 2, 5, 10].map((m) => m * power).find((v) => v >= value) ?? 10 * power);
}

/** Room for a bar's name: LABEL_WIDTH, less three characters when an emoji comes first. */
function labelWidthOf(emoji: string | undefined): number {
  return emoji ? LABEL_WIDTH - 3 : LABEL_WIDTH;
}

/** Never cut inside a character (an emoji's surrogate pair, a flag, an accent): text-width.ts. */
function truncate(label: string, length: number): string {
  return clipTo(label, length);
}

/** A coordinate with at most one decimal. */
const x = (value: number) => String(Math.round(value * 10) / 10);
