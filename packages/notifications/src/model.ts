import type { PushPlatform } from '@budgeting/platform';

/** One budget alert for one member: a threshold of a budget (or one category) reached in a period. */
/** What an alert's threshold is about: the whole budget or one category. */
export const ALERT_SCOPES = ['budget', 'category'] as const;

export interface Notification {
  id: string;
  userId: string;
  kind: 'budget.alert';
  budgetId: string;
  budgetName: string;
  currency: string;
  scope: (typeof ALERT_SCOPES)[number];
  categoryId: string | null;
  categoryName: string | null;
  threshold: number;
  spent: number;
  limit: number;
  periodStart: string;
  periodEnd: string;
  createdAt: string;
  readAt: string | null;
}

export interface Device {
  id: string;
  userId: string;
  platform: PushPlatform;
  /** Where pushes go: the SNS endpoint ARN in AWS, a local address otherwise. */
  address: string;
  createdAt: string;
}
