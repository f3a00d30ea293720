import type { AccountExportSource, BudgetExportSource, ExportBudgetRole } from '../contract';

/**
 * The pure parts of the data export (GDPR Art. 20): its limits, the admission of a new export,
 * where its objects are, its sections and the JSON Lines it writes.
 */

/** Exports a user may start per UTC day (a 6th is a 429 with Retry-After: the next UTC midnight). */
export const EXPORTS_PER_DAY = 5;
/** How long an export's document (and its item) is kept: the bucket's lifecycle rule on `exports/` says the same. */
export const EXPORT_RETENTION_DAYS = 7;
/** The download URL's lifetime: minted on each GET of the export. */
export const DOWNLOAD_URL_SECONDS = 15 * 60;
/**
 * An export still `queued` or `running` this long after it started no longer blocks a new
 * one (its units died without their last attempt marking it failed: a lost queue message).
 */
export const EXPORT_STALE_AFTER_MS = 6 * 60 * 60 * 1000;
/** The newest exports GET /v1/me/exports lists. */
export const EXPORTS_LISTED = 20;
export const EXPORT_CONTENT_TYPE = 'application/x-ndjson';
export const EXPORT_FORMAT = 'budgeting-export/1';

export type ExportStatus = 'queued' | 'running' | 'succeeded' | 'failed';

/** The per-user admission state: the export in progress and the day's count. */
export interface ExportGate {
  active?: string;
  activeSince?: string;
  /** UTC day (YYYY-MM-DD) `count` is for. */
  day?: string;
  count?: number;
  version: number;
}

export type Admission =
  | { kind: 'admitted'; next: ExportGate }
  | { kind: 'running'; exportId: string }
  | { kind: 'limit'; retryAfterSeconds: number };

/** Whether a new export may start at `now`, and the gate it leaves. */
export function admitExport(gate: ExportGate | undefined, exportId: string, now: Date): Admission {
  const day = now.toISOString().slice(0, 10);
  if (gate?.active && gate.activeSince && now.getTime() - Date.parse(gate.activeSince) < EXPORT_STALE_AFTER_MS) {
    return { kind: 'running', exportId: gate.active };
  }
  const count = gate?.day === day ? (gate.count ?? 0) : 0;
  if (count >= EXPORTS_PER_DAY) {
    const midnight = Date.parse(`${day}T00:00:00.000Z`) + 86_400_000;
    return { kind: 'limit', retryAfterSeconds: Math.max(1, Math.ceil((midnight - now.getTime()) / 1000)) };
  }
  return { kind: 'admitted', next: { active: exportId, activeSince: now.toISOString(), day, count: count + 1, version: (gate?.version ?? 0) + 1 } };
}

/** Every object of a user's exports (account deletion removes them). */
export const userExportsPrefix = (userId: string) => `exports/${userId}/`;
export const exportPrefix = (userId: string, exportId: string) => `${userExportsPrefix(userId)}${exportId}/`;
export const exportPartsPrefix = (userId: string, exportId: string) => `${exportPrefix(userId, exportId)}parts/`;
/** The document the user downloads. */
export const exportDocumentKey = (userId: string, exportId: string) => `${exportPrefix(userId, exportId)}export.jsonl`;
/** Page `seq` of part `part` (zero-padded so a listing sorts them as the document does). */
export const exportPartKey = (userId: string, exportId: string, part: string, seq: number) =>
  `${exportPartsPrefix(userId, exportId)}${part}/${String(seq).padStart(6, '0')}.jsonl`;

/** The part of the account's own data, and of budget number `index` (padded: parts sort by name). */
export const ACCOUNT_PART = 'account';
export const PLAN_PART = 'plan';
export const budgetPart = (index: number) => `budget-${String(index).padStart(9, '0')}`;
/** Budget indexes: memberships page `page`, item `i` (a page holds far fewer than this). */
export const budgetIndex = (page: number, i: number) => page * 10_000 + i;

/**
 * The account's sections, in the document's order: the users module's own, then the other
 * modules'; a section added later goes last (`twoFactor`), so a unit queued before it existed
 * (its section index) still means the same section.
 */
export const ACCOUNT_SECTIONS = ['profile', 'sessions', 'personalTokens', 'devices', 'notifications', 'webhooks', 'twoFactor'] as const;
export type AccountSection = (typeof ACCOUNT_SECTIONS)[number];
export const isOtherModuleSection = (s: AccountSection): s is AccountSection & AccountExportSource =>
  s === 'devices' || s === 'notifications' || s === 'webhooks';

/**
 * A budget's sections for a member of `role`: a viewer gets the budget, their membership, the
 * comments they wrote (their own words, whatever their role now) and their calendar feeds of it;
 * an owner or editor also what they manage and record in it. Sections added later go last
 * (`comments`, then `importProfiles`, then `income`, then `recurringIncome`, then `calendarFeeds`,
 * then `attachments`, then `deletedExpenses` and `deletedIncome`),
 * so a unit queued before one existed (its section index) still means the same section.
 */
export function budgetSectionsFor(role: ExportBudgetRole): readonly ('budget' | BudgetExportSource)[] {
  return role === 'viewer'
    ? ['budget', 'comments', 'calendarFeeds']
    : ['budget', 'recurring', 'rules', 'reports', 'settlements', 'expenses', 'comments', 'importProfiles', 'income', 'recurringIncome', 'calendarFeeds', 'attachments', 'deletedExpenses', 'deletedIncome'];
}

/** The `type` of a section's lines: one record each. */
const LINE_TYPES: Record<string, string> = {
  profile: 'profile',
  sessions: 'session',
  personalTokens: 'personalToken',
  devices: 'device',
  notifications: 'notification',
  webhooks: 'webhook',
  twoFactor: 'twoFactor',
  recurring: 'recurringExpense',
  rules: 'categorizationRule',
  reports: 'report',
  settlements: 'settlement',
  expenses: 'expense',
  comments: 'comment',
  importProfiles: 'importProfile',
  income: 'income',
  recurringIncome: 'recurringIncome',
  calendarFeeds: 'calendarFeed',
  attachments: 'attachment',
  deletedExpenses: 'deletedExpense',
  deletedIncome: 'deletedIncome',
};
export const lineTypeOf = (section: string) => LINE_TYPES[section] ?? section;

/** JSON Lines: one `{type, [budgetId,] data}` object per line, each ending in "\n". */
export function exportLines(type: string, records: readonly unknown[], budgetId?: string): string {
  return records.map((data) => `${JSON.stringify({ type, ...(budgetId ? { budgetId } : {}), data })}\n`).join('');
}

/**
 * The sources of the document in order: its header, each finished part's pages (parts sorted by
 * name: the account, then the budgets in membership order), its trailer.
 */
export function documentSources(userId: string, exportId: string, partPages: Record<string, number>, header: string, trailer: string): string[] {
  const parts = Object.keys(partPages).filter((p) => p !== PLAN_PART).sort();
  return [header, ...parts.flatMap((part) => Array.from({ length: partPages[part]! }, (_, seq) => exportPartKey(userId, exportId, part, seq))), trailer];
}
