import { describe, expect, it } from 'vitest';
import { parseExportUnit } from '../jobs/data-export-job';
import {
  admitExport,
  budgetIndex,
  budgetPart,
  budgetSectionsFor,
  documentSources,
  EXPORT_STALE_AFTER_MS,
  exportLines,
  exportPartKey,
  EXPORTS_PER_DAY,
} from './data-export';

const NOW = new Date('2026-11-24T12:00:00.000Z');

describe('admitExport', () => {
  it('admits the first export and counts it for the UTC day', () => {
    expect(admitExport(undefined, 'e1', NOW)).toEqual({
      kind: 'admitted',
      next: { active: 'e1', activeSince: NOW.toISOString(), day: '2026-11-24', count: 1, version: 1 },
    });
  });

  it('refuses while one is in progress, until it is stale', () => {
    const gate = { active: 'e1', activeSince: NOW.toISOString(), day: '2026-11-24', count: 1, version: 3 };
    expect(admitExport(gate, 'e2', new Date(NOW.getTime() + 1000))).toEqual({ kind: 'running', exportId: 'e1' });
    const late = admitExport(gate, 'e2', new Date(NOW.getTime() + EXPORT_STALE_AFTER_MS));
    expect(late).toMatchObject({ kind: 'admitted', next: { active: 'e2', count: 2, version: 4 } });
  });

  it(`refuses the ${EXPORTS_PER_DAY + 1}th of a day until the next UTC midnight, and counts again from 0 then`, () => {
    const gate = { day: '2026-11-24', count: EXPORTS_PER_DAY, version: 9 };
    expect(admitExport(gate, 'e6', NOW)).toEqual({ kind: 'limit', retryAfterSeconds: 12 * 3600 });
    expect(admitExport(gate, 'e6', new Date('2026-11-24T23:59:59.500Z'))).toEqual({ kind: 'limit', retryAfterSeconds: 1 });
    expect(admitExport(gate, 'e6', new Date('2026-11-25T00:00:00.000Z'))).toMatchObject({ kind: 'admitted', next: { day: '2026-11-25', count: 1 } });
  });
});

describe('sections, lines and objects', () => {
  it('a viewer gets the budget, their own comments and calendar feeds; owners and editors everything, sections added later (comments, import profiles, income, calendar feeds, receipts, the restorable deleted expenses and income) last', () => {
    expect(budgetSectionsFor('viewer')).toEqual(['budget', 'comments', 'calendarFeeds']);
    expect(budgetSectionsFor('editor')).toEqual(['budget', 'recurring', 'rules', 'reports', 'settlements', 'expenses', 'comments', 'importProfiles', 'income', 'recurringIncome', 'calendarFeeds', 'attachments', 'deletedExpenses', 'deletedIncome']);
    expect(budgetSectionsFor('owner')).toEqual(budgetSectionsFor('editor'));
  });

  it('writes one JSON object per line, with the budget when given', () => {
    expect(exportLines('expense', [{ id: 'x', amount: 1 }, { id: 'y', amount: 2 }], 'b1')).toBe(
      '{"type":"expense","budgetId":"b1","data":{"id":"x","amount":1}}\n{"type":"expense","budgetId":"b1","data":{"id":"y","amount":2}}\n',
    );
    expect(exportLines('profile', [])).toBe('');
    // A newline inside a value stays escaped: one record, one line.
    expect(exportLines('note', [{ text: 'a\nb' }]).split('\n')).toHaveLength(2);
  });

  it('orders the document: header, the account part, the budgets in membership order, trailer; the planner has no pages', () => {
    const parts = { [budgetPart(budgetIndex(1, 0))]: 1, account: 2, plan: 0, [budgetPart(budgetIndex(0, 3))]: 2, [budgetPart(budgetIndex(0, 12))]: 0 };
    expect(documentSources('u', 'e', parts, 'H', 'T')).toEqual([
      'H',
      exportPartKey('u', 'e', 'account', 0),
      exportPartKey('u', 'e', 'account', 1),
      exportPartKey('u', 'e', budgetPart(3), 0),
      exportPartKey('u', 'e', budgetPart(3), 1),
      exportPartKey('u', 'e', budgetPart(10_000), 0),
      'T',
    ]);
    expect(exportPartKey('u', 'e', 'account', 7)).toBe('exports/u/e/parts/account/000007.jsonl');
  });
});

describe('parseExportUnit', () => {
  it('accepts each step and refuses malformed units', () => {
    const base = { userId: 'u', exportId: 'e' };
    expect(parseExportUnit({ ...base, step: 'account', section: 0, seq: 0 })).toMatchObject({ step: 'account' });
    expect(parseExportUnit({ ...base, step: 'budget', budgetId: 'b', index: 3, role: 'viewer', section: 1, seq: 1, cursor: 'c' })).toMatchObject({ step: 'budget' });
    expect(parseExportUnit({ ...base, step: 'assemble', resume: { next: 2, size: 10 } })).toMatchObject({ step: 'assemble' });
    expect(() => parseExportUnit({ ...base, step: 'nope' })).toThrow();
    expect(() => parseExportUnit({ ...base, step: 'budget', index: 1, section: 0, seq: 0 })).toThrow(/budgetId/);
    expect(() => parseExportUnit({ ...base, step: 'account', section: -1, seq: 0 })).toThrow();
    expect(() => parseExportUnit({ ...base, step: 'budget', budgetId: 'b', index: 1, section: 0, seq: 0, role: 'admin' })).toThrow(/role/);
    expect(() => parseExportUnit({ step: 'plan', page: 0 })).toThrow();
  });
});
