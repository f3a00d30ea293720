/**
 * Content negotiation between a JSON answer (the default) and an HTML page (the reports, the
 * problem catalogue). HTML is chosen only when the Accept header ranks it strictly above JSON (a browser's
 * `text/html,...,*\/*;q=0.8`); `*\/*`, no header or anything else gets JSON. As in RFC 9110
 * 12.5.1, the most specific range that matches a type gives its weight.
 */
export function prefersHtml(accept: string | undefined): boolean {
  if (!accept) return false;
  const ranges = accept.split(',').flatMap((part) => {
    const [range = '', ...params] = part.trim().toLowerCase().split(';');
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    return Number.isFinite(q) ? [{ range: range.trim(), q }] : [];
  });
  return weight(ranges, 'text/html') > weight(ranges, 'application/json');
}

function weight(ranges: { range: string; q: number }[], type: string): number {
  const [major] = type.split('/');
  for (const range of [type, `${major}/*`, '*/*']) {
    const matches = ranges.filter((r) => r.range === range);
    if (matches.length > 0) return Math.max(...matches.map((r) => r.q));
  }
  return 0;
}
