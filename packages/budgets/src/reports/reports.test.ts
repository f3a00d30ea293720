import { describe, expect, it } from 'vitest';
import { prefersHtml } from './html/negotiate';
import { text } from './html/escape';
import { periodOfReportId, reportIdOf } from './domain/report-math';

describe('prefersHtml (Accept negotiation, JSON by default)', () => {
  it.each([
    [undefined, false],
    ['', false],
    ['*/*', false],
    ['application/json', false],
    ['text/html', true],
    ['TEXT/HTML', true],
    ['text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', true],
    ['application/json, text/html', false],
    ['text/html;q=0.5, application/json', false],
    ['text/html;q=0, */*', false],
    ['text/*, application/json;q=0.9', true],
    ['text/html;q=abc', false],
  ])('%s -> html %s', (accept, html) => {
    expect(prefersHtml(accept)).toBe(html);
  });
});

describe('report ids', () => {
  it('are the period, and only real periods parse back', () => {
    expect(reportIdOf({ start: '2026-10-01', end: '2026-10-31' })).toBe('20261001-20261031');
    expect(periodOfReportId('20261001-20261031')).toEqual({ start: '2026-10-01', end: '2026-10-31' });
    for (const bad of ['20261032-20261101', '20261031-20261001', '2026-10-01', '20261001_20261031', '']) {
      expect(periodOfReportId(bad)).toBeNull();
    }
  });
});

describe('escaping', () => {
  it('turns every markup character into an entity', () => {
    expect(text(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });
});
