import type { Budget } from '../model';

/**
 * Tests only: a monthly budget created on 2026-01-10 in UTC (limit 10,000, no categories, no
 * rollover), with `overrides` on top. Shared by the domain tests whose hand-worked figures
 * start from it (period-limits, limit-history, category-rollover, category-target, summary-math)
 * and the summary service's.
 */
export const testBudget = (overrides: Partial<Budget> = {}): Budget => ({
  id: 'b1',
  ownerId: 'u1',
  name: 'Home',
  currency: 'EUR',
  period: 'monthly',
  timezone: 'UTC',
  limit: 10_000,
  categories: [],
  rollover: false,
  alertThresholds: [80, 100],
  version: 1,
  createdAt: '2026-01-10T09:00:00.000Z',
  updatedAt: '2026-01-10T09:00:00.000Z',
  ...overrides,
});
