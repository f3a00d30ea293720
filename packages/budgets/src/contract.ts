import type { EventContract } from '@budgeting/platform';
import type { z } from 'zod';

/**
 * The budgets module's public contract: what other modules may ask of it, and the port it
 * needs from whoever records spending (implemented by the expenses module, wired by the app;
 * budgets never imports expenses, so the package graph has no cycle).
 */
export type BudgetRole = 'owner' | 'editor' | 'viewer';
export type BudgetPeriod = 'weekly' | 'monthly' | 'yearly';

export interface BudgetCategoryRef {
  id: string;
  name: string;
  limit?: number;
}

/** What another module needs to authorize and validate a request against one budget. */
export interface BudgetAccess {
  budgetId: string;
  role: BudgetRole;
  currency: string;
  timezone: string;
  period: BudgetPeriod;
  categories: BudgetCategoryRef[];
}

export interface BudgetsFacade {
  /** The caller's access to a budget, or null when the budget does not exist or is not visible to them. */
  getAccess(budgetId: string, userId: string): Promise<BudgetAccess | null>;
}

/** Spending in a date range (inclusive, YYYY-MM-DD), in the budget's minor units. */
export interface SpendingTotals {
  total: number;
  byCategory: Record<string, number>;
  uncategorized: number;
}

export interface SpendingPort {
  /** Must cost a bounded number of requests regardless of how many expenses exist. */
  totalsBetween(budgetId: string, from: string, to: string): Promise<SpendingTotals>;
  /** Removes every expense (and running total) of a budget; idempotent. */
  deleteAllForBudget(budgetId: string): Promise<void>;
}

/** What budgets reads from an expense event (expense.recorded|updated|deleted) to re-check thresholds. */
export interface ExpenseFacts {
  budgetId: string;
  occurredOn: string;
  categoryId: string | null;
}

/**
 * The expense events budgets subscribes to. Their contracts belong to the expenses module,
 * which budgets may not import (expenses imports budgets), so the app hands them in: events
 * are still validated against the publisher's own schema.
 */
export type ExpenseEventContracts = EventContract<string, z.ZodType<ExpenseFacts>>[];
