import { beforeAll, describe, expect, it } from 'vitest';
import { problemTypes } from '../../../packages/app/src/http/problem-catalog';
import { fetchOpenApiDocument } from '../../support/openapi';

/**
 * /v1/openapi.json, checked over EVERY operation: first the operations themselves (the
 * document has exactly these, each with its tag, success status and body schema), then the
 * conventions every operation must follow, then what a few schemas must say. No database.
 */
let doc: any;
beforeAll(async () => {
  doc = await fetchOpenApiDocument();
});

const B = '/v1/budgets/{budgetId}';
const EXPENSE = `${B}/expenses/{expenseId}`;
const RECURRING = `${B}/recurring-expenses/{recurringExpenseId}`;
const RULE = `${B}/rules/{ruleId}`;
const PROFILE = `${B}/import-profiles/{profileId}`;

/** method, path, tag, success status, JSON request body schema (or '-'), statuses beyond the conventions below. */
const OPERATIONS: [string, string, string, number, string, number[]][] = [
  ['post', '/v1/auth/signup', 'Auth', 201, 'SignupRequest', [409, 429]],
  ['post', '/v1/auth/login', 'Auth', 200, 'LoginRequest', [401, 429]],
  ['post', '/v1/auth/refresh', 'Auth', 200, 'RefreshRequest', [401, 429]],
  ['post', '/v1/auth/logout', 'Auth', 204, 'LogoutRequest', []],
  ['post', '/v1/auth/password-reset', 'Auth', 202, 'PasswordResetRequest', [429]],
  ['post', '/v1/auth/password-reset/confirm', 'Auth', 200, 'PasswordResetConfirmRequest', [401, 422, 429]],
  ['get', '/v1/me', 'Me', 200, '-', [403]],
  ['patch', '/v1/me', 'Me', 200, 'UpdateMeRequest', [403]],
  ['delete', '/v1/me', 'Me', 204, '-', [403]],
  ['post', '/v1/me/password', 'Me', 200, 'ChangePasswordRequest', [403, 409, 422, 429]],
  ['post', '/v1/me/email', 'Me', 202, 'EmailChangeRequest', [403, 422, 429]],
  ['post', '/v1/me/email/confirm', 'Me', 200, 'EmailChangeConfirmRequest', [403, 404, 409, 410]],
  ['get', '/v1/me/sessions', 'Me', 200, '-', [403]],
  ['delete', '/v1/me/sessions/{sessionId}', 'Me', 204, '-', [403, 404]],
  ['post', '/v1/me/tokens', 'Me', 201, 'CreatePersonalToken', [403, 409]],
  ['get', '/v1/me/tokens', 'Me', 200, '-', [403]],
  ['get', '/v1/me/tokens/{tokenId}', 'Me', 200, '-', [403, 404]],
  ['delete', '/v1/me/tokens/{tokenId}', 'Me', 204, '-', [403, 404]],
  ['post', '/v1/me/export', 'Me', 202, '-', [403, 409, 422]],
  ['post', '/v1/auth/login/mfa', 'Auth', 200, 'MfaLoginRequest', [401, 429]],
  ['get', '/v1/me/mfa', 'Me', 200, '-', [403]],
  ['post', '/v1/me/mfa/totp', 'Me', 201, 'TotpEnrolRequest', [403, 409, 422, 429]],
  ['post', '/v1/me/mfa/totp/confirm', 'Me', 200, 'TotpConfirmRequest', [403, 409, 422]],
  ['delete', '/v1/me/mfa/totp', 'Me', 204, 'MfaVerifiedRequest', [403, 409, 422, 429]],
  ['post', '/v1/me/mfa/recovery-codes', 'Me', 200, 'MfaVerifiedRequest', [403, 409, 422, 429]],
  ['get', '/v1/me/exports', 'Me', 200, '-', [403]],
  ['get', '/v1/me/exports/{exportId}', 'Me', 200, '-', [403, 404]],
  ['post', '/v1/budgets', 'budgets', 201, '(inline)', []],
  ['get', '/v1/budgets', 'budgets', 200, '-', []],
  ['get', B, 'budgets', 200, '-', []],
  ['patch', B, 'budgets', 200, 'UpdateBudget', []],
  ['delete', B, 'budgets', 204, '-', []],
  ['post', `${B}/copy`, 'budgets', 201, 'CopyBudget', [409, 422]],
  ['post', `${B}/archive`, 'budgets', 200, '-', [403, 409, 412]],
  ['post', `${B}/unarchive`, 'budgets', 200, '-', [403, 409, 412]],
  ['post', `${B}/move-money`, 'budgets', 200, 'MoveMoney', [403, 409, 412, 422]],
  ['put', `${B}/period-limits`, 'budgets', 200, 'SetPeriodLimit', [403, 409, 412, 422]],
  ['delete', `${B}/period-limits`, 'budgets', 200, '-', [403, 409, 412]],
  ['get', `${B}/summary`, 'budgets', 200, '-', []],
  ['get', `${B}/forecast`, 'budgets', 200, '-', []],
  ['get', `${B}/safe-to-spend`, 'budgets', 200, '-', []],
  ['get', `${B}/balances`, 'budgets', 200, '-', []],
  ['post', `${B}/settlements`, 'budgets', 201, 'RecordSettlement', [409, 422]],
  ['get', `${B}/settlements`, 'budgets', 200, '-', []],
  ['get', `${B}/settlements/{settlementId}`, 'budgets', 200, '-', [304]],
  ['patch', `${B}/settlements/{settlementId}`, 'budgets', 200, 'ChangeSettlement', [409, 412]],
  ['delete', `${B}/settlements/{settlementId}`, 'budgets', 204, '-', [412]],
  ['get', `${B}/trends`, 'budgets', 200, '-', []],
  ['get', `${B}/year-review`, 'budgets', 200, '-', [422]],
  ['get', `${B}/assignable`, 'budgets', 200, '-', [422]],
  ['get', `${B}/daily-spending`, 'budgets', 200, '-', []],
  ['get', `${B}/spending-insights`, 'budgets', 200, '-', []],
  ['get', `${B}/limit-suggestions`, 'budgets', 200, '-', []],
  ['get', '/v1/me/overview', 'budgets', 200, '-', [304]],
  ['post', `${B}/reports`, 'reports', 201, 'CreateReport', [200]],
  ['get', `${B}/reports`, 'reports', 200, '-', []],
  ['get', `${B}/reports/{reportId}`, 'reports', 200, '-', []],
  ['get', `${B}/members`, 'members', 200, '-', []],
  ['post', `${B}/members`, 'members', 201, 'AddMember', []],
  ['get', `${B}/members/{userId}`, 'members', 200, '-', [304]],
  ['patch', `${B}/members/{userId}`, 'members', 200, 'ChangeMember', []],
  ['delete', `${B}/members/{userId}`, 'members', 204, '-', []],
  ['post', `${B}/invitations`, 'members', 201, 'CreateInvitation', [409]],
  ['get', `${B}/invitations`, 'members', 200, '-', []],
  ['get', `${B}/invitations/{invitationId}`, 'members', 200, '-', [403, 404]],
  ['delete', `${B}/invitations/{invitationId}`, 'members', 204, '-', [409]],
  ['post', '/v1/invitations/accept', 'members', 201, 'AcceptInvitation', [409, 410]],
  ['post', `${B}/expenses/import`, 'Expenses', 202, '-', [200, 413]],
  ['post', `${B}/expenses/{expenseId}/attachments`, 'Attachments', 201, 'CreateAttachment', [409]],
  ['get', `${B}/expenses/{expenseId}/attachments`, 'Attachments', 200, '-', []],
  ['get', `${B}/expenses/{expenseId}/attachments/{attachmentId}`, 'Attachments', 200, '-', []],
  ['delete', `${B}/expenses/{expenseId}/attachments/{attachmentId}`, 'Attachments', 204, '-', []],
  ['post', `${B}/expenses/{expenseId}/comments`, 'Comments', 201, 'CreateComment', [409]],
  ['get', `${B}/expenses/{expenseId}/comments`, 'Comments', 200, '-', []],
  ['get', `${B}/expenses/{expenseId}/comments/{commentId}`, 'Comments', 200, '-', []],
  ['delete', `${B}/expenses/{expenseId}/comments/{commentId}`, 'Comments', 204, '-', []],
  ['get', `${B}/imports/{importId}`, 'Expenses', 200, '-', []],
  ['post', `${B}/imports/{importId}/undo`, 'Expenses', 202, '-', [200, 403, 409]],
  ['get', `${B}/expenses/export`, 'Expenses', 200, '-', []],
  ['post', `${B}/expenses`, 'Expenses', 201, 'CreateExpense', []],
  ['get', `${B}/expenses`, 'Expenses', 200, '-', []],
  ['get', `${B}/expenses/deleted`, 'Expenses', 200, '-', []],
  ['post', `${B}/expenses/{expenseId}/restore`, 'Expenses', 200, '-', [403, 404, 409]],
  ['post', `${B}/expenses/bulk`, 'Expenses', 200, 'BulkEditExpenses', [403, 404]],
  ['post', `${B}/expenses/bulk/{bulkId}/undo`, 'Expenses', 200, '-', [403, 404, 409]],
  ['get', `${B}/expenses/duplicates`, 'Expenses', 200, '-', [400, 404, 422]],
  ['post', `${B}/expenses/duplicates/dismiss`, 'Expenses', 204, 'DismissDuplicates', [400, 403, 404, 422]],
  ['post', `${B}/categories/{categoryId}/reassign`, 'Expenses', 200, 'ReassignCategory', [403, 404]],
  ['get', EXPENSE, 'Expenses', 200, '-', []],
  ['patch', EXPENSE, 'Expenses', 200, 'UpdateExpense', []],
  ['delete', EXPENSE, 'Expenses', 204, '-', []],
  ['post', `${B}/recurring-expenses`, 'Recurring expenses', 201, 'CreateRecurringExpense', []],
  ['get', `${B}/recurring-expenses`, 'Recurring expenses', 200, '-', []],
  ['get', `${B}/recurring-expenses/suggestions`, 'Recurring expenses', 200, '-', [400, 404]],
  ['get', `${B}/recurring-expenses/upcoming`, 'Recurring expenses', 200, '-', [400, 404, 422]],
  ['get', `${B}/recurring-expenses/costs`, 'Recurring expenses', 200, '-', [400, 404, 422]],
  ['get', `${B}/recurring-expenses/status`, 'Recurring expenses', 200, '-', [400, 404]],
  ['get', `${B}/recurring-expenses/price-changes`, 'Recurring expenses', 200, '-', [400, 404, 422]],
  ['get', RECURRING, 'Recurring expenses', 200, '-', []],
  ['patch', RECURRING, 'Recurring expenses', 200, 'UpdateRecurringExpense', []],
  ['delete', RECURRING, 'Recurring expenses', 204, '-', []],
  ['post', `${RECURRING}/skip`, 'Recurring expenses', 200, '-', [403, 404, 409, 412]],
  ['post', `${RECURRING}/record-next`, 'Recurring expenses', 200, 'RecordNextOccurrence', [400, 403, 404, 409, 412]],
  ['post', `${B}/rules`, 'Categorization rules', 201, 'CreateCategorizationRule', []],
  ['get', `${B}/rules`, 'Categorization rules', 200, '-', []],
  ['get', RULE, 'Categorization rules', 200, '-', []],
  ['patch', RULE, 'Categorization rules', 200, 'UpdateCategorizationRule', []],
  ['delete', RULE, 'Categorization rules', 204, '-', []],
  ['post', `${B}/rules/preview`, 'Categorization rules', 200, 'PreviewCategorizationRule', [403, 422]],
  ['get', `${B}/rules/suggestions`, 'Categorization rules', 200, '-', [400, 404]],
  ['post', `${RULE}/apply`, 'Categorization rules', 200, 'ApplyCategorizationRule', [403, 404, 409, 422]],
  ['post', `${B}/income`, 'Income', 201, 'CreateIncome', [403, 409]],
  ['get', `${B}/income`, 'Income', 200, '-', []],
  ['get', `${B}/income/export`, 'Income', 200, '-', [400, 404]],
  ['get', `${B}/income/deleted`, 'Income', 200, '-', []],
  ['post', `${B}/income/{incomeId}/restore`, 'Income', 200, '-', [403, 404, 409]],
  ['get', `${B}/income/{incomeId}`, 'Income', 200, '-', [304]],
  ['patch', `${B}/income/{incomeId}`, 'Income', 200, 'UpdateIncome', [403, 409, 412]],
  ['delete', `${B}/income/{incomeId}`, 'Income', 204, '-', [403, 409, 412]],
  ['get', `${B}/cash-flow`, 'Income', 200, '-', [422]],
  ['get', `${B}/cash-flow/forecast`, 'Income', 200, '-', [400, 404, 422]],
  ['get', `${B}/age-of-money`, 'Income', 200, '-', []],
  ['post', `${B}/recurring-income`, 'Income', 201, 'CreateRecurringIncome', [403, 409]],
  ['get', `${B}/recurring-income`, 'Income', 200, '-', []],
  ['get', `${B}/recurring-income/status`, 'Income', 200, '-', [400, 404]],
  ['get', `${B}/recurring-income/upcoming`, 'Income', 200, '-', [400, 404, 422]],
  ['get', `${B}/recurring-income/{recurringIncomeId}`, 'Income', 200, '-', [304]],
  ['patch', `${B}/recurring-income/{recurringIncomeId}`, 'Income', 200, 'UpdateRecurringIncome', [403, 409, 412]],
  ['delete', `${B}/recurring-income/{recurringIncomeId}`, 'Income', 204, '-', [403, 409, 412]],
  ['post', `${B}/recurring-income/{recurringIncomeId}/skip`, 'Income', 200, '-', [403, 404, 409, 412]],
  ['post', `${B}/recurring-income/{recurringIncomeId}/record-next`, 'Income', 200, 'RecordNextIncome', [400, 403, 404, 409, 412]],
  ['post', `${B}/import-profiles`, 'Import profiles', 201, 'CreateImportProfile', []],
  ['get', `${B}/import-profiles`, 'Import profiles', 200, '-', []],
  ['get', `${B}/import-presets`, 'Import profiles', 200, '-', []],
  ['get', PROFILE, 'Import profiles', 200, '-', []],
  ['patch', PROFILE, 'Import profiles', 200, 'UpdateImportProfile', []],
  ['delete', PROFILE, 'Import profiles', 204, '-', []],
  ['get', `${B}/merchants`, 'Expenses', 200, '-', [400, 404]],
  ['get', `${B}/tags`, 'Expenses', 200, '-', [400, 404]],
  ['get', `${B}/spending`, 'Expenses', 200, '-', [400, 404, 422]],
  ['get', `${B}/spending/monthly`, 'Expenses', 200, '-', [400, 404, 422]],
  ['post', `${B}/merchants/rename`, 'Expenses', 202, 'MerchantRenameRequest', [200]],
  ['get', `${B}/merchant-renames/{renameId}`, 'Expenses', 200, '-', []],
  ['post', `${B}/tags/rename`, 'Expenses', 202, 'TagRenameRequest', [200]],
  ['get', `${B}/tag-renames/{renameId}`, 'Expenses', 200, '-', []],
  ['post', `${B}/calendar-feeds`, 'Calendar feeds', 201, '-', [404, 409]],
  ['get', `${B}/calendar-feeds`, 'Calendar feeds', 200, '-', [404]],
  ['get', `${B}/calendar-feeds/{feedId}`, 'Calendar feeds', 200, '-', [404]],
  ['delete', `${B}/calendar-feeds/{feedId}`, 'Calendar feeds', 204, '-', [404]],
  ['get', '/v1/calendar/{token}.ics', 'Calendar feeds', 200, '-', [304, 404]],
  ['get', `${B}/changes`, 'Expenses', 200, '-', []],
  ['post', `${B}/changes`, 'Expenses', 200, 'PushChanges', []],
  ['get', `${B}/activity`, 'Activity', 200, '-', []],
  ['get', '/v1/notifications', 'Notifications', 200, '-', []],
  ['post', '/v1/notifications/{notificationId}/read', 'Notifications', 200, '-', []],
  ['post', '/v1/notifications/read-all', 'Notifications', 200, '-', []],
  ['post', '/v1/unsubscribe/{token}', 'Me', 200, '-', [404]],
  ['get', '/v1/unsubscribe/{token}', 'Me', 200, '-', [404]],
  ['get', '/v1/me/devices', 'Notifications', 200, '-', [403]],
  ['post', '/v1/me/devices', 'Notifications', 201, 'RegisterDevice', [200, 403]],
  ['get', '/v1/me/devices/{deviceId}', 'Notifications', 200, '-', [403]],
  ['delete', '/v1/me/devices/{deviceId}', 'Notifications', 204, '-', [403]],
  ['post', '/v1/webhooks', 'Webhooks', 201, 'CreateWebhook', []],
  ['get', '/v1/webhooks', 'Webhooks', 200, '-', []],
  ['get', '/v1/webhooks/{webhookId}', 'Webhooks', 200, '-', []],
  ['patch', '/v1/webhooks/{webhookId}', 'Webhooks', 200, 'UpdateWebhook', []],
  ['delete', '/v1/webhooks/{webhookId}', 'Webhooks', 204, '-', []],
  ['post', '/v1/webhooks/{webhookId}/rotate-secret', 'Webhooks', 200, '-', []],
  ['get', '/v1/webhooks/{webhookId}/deliveries', 'Webhooks', 200, '-', []],
  ['post', '/v1/webhooks/{webhookId}/deliveries/{deliveryId}/redeliver', 'Webhooks', 202, '-', []],
  ['post', '/v1/webhooks/{webhookId}/ping', 'Webhooks', 202, '-', []],
  ['get', '/health', 'health', 200, '-', []],
  ['get', '/problems', 'problems', 200, '-', []],
  ['get', '/problems/{slug}', 'problems', 200, '-', [404]],
];

/** Every operation of the document as [method, path, operation]. */
const operations = (): [string, string, any][] =>
  Object.entries<Record<string, any>>(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]): [string, string, any] => [method, path, op]));
const key = (method: string, path: string) => `${method} ${path}`;
const params = (op: any, where?: string) => (op.parameters ?? []).filter((p: any) => !where || p.in === where).map((p: any) => p.name.toLowerCase());
const statuses = (op: any) => Object.keys(op.responses).map(Number);
const schemas = () => doc.components.schemas;
const deref = (schema: any) => (schema?.$ref ? schemas()[schema.$ref.replace('#/components/schemas/', '')] : schema);
/** The media type, its schema, or (for objects and arrays) something inside it carries an example. */
const hasExample = (media: any): boolean => media.example !== undefined || media.examples !== undefined || schemaHasExample(media.schema, 0);
const schemaHasExample = (schema: any, depth: number): boolean => {
  const s = deref(schema);
  if (!s || depth > 4) return false;
  if (s.example !== undefined || s.examples !== undefined) return true;
  return Object.values<any>(s.properties ?? {}).some((p) => schemaHasExample(p, depth + 1)) || (s.items !== undefined && schemaHasExample(s.items, depth + 1));
};
/** Violations of `rule` over every operation, as "method path: reason". */
const violations = (rule: (method: string, path: string, op: any) => string | undefined) =>
  operations().flatMap(([method, path, op]) => {
    const reason = rule(method, path, op);
    return reason ? [`${key(method, path)}: ${reason}`] : [];
  });

// The calendar feed and the unsubscribe link (its GET page and its POST): the URL's token is the credential (no Authorization).
const PUBLIC = ['/v1/auth/signup', '/v1/auth/login', '/v1/auth/login/mfa', '/v1/auth/refresh', '/v1/auth/logout', '/v1/auth/password-reset', '/v1/auth/password-reset/confirm', '/health', '/v1/calendar/{token}.ics', '/problems', '/problems/{slug}', '/v1/unsubscribe/{token}'];
/** Changing these is not guarded by an ETag (a member's role, the caller's own account). */
// An attachment is never changed, only created and deleted: no version to match.
const WITHOUT_IF_MATCH = [
  // A calendar feed is never changed, only created and revoked: no version to match.
  `${B}/calendar-feeds/{feedId}`,
  `${B}/expenses/{expenseId}/attachments/{attachmentId}`,
  // A comment is never changed: deleted as it is.
  `${B}/expenses/{expenseId}/comments/{commentId}`,
  `${B}/members/{userId}`,
  // An invitation is replaced by inviting again, never changed in place: no version to match.
  `${B}/invitations/{invitationId}`,
  '/v1/me',
  '/v1/me/devices/{deviceId}',
  '/v1/me/sessions/{sessionId}',
  '/v1/me/tokens/{tokenId}',
  // Turning two-factor off needs the password and a code, not a version.
  '/v1/me/mfa/totp',
];
/** Account management: a session's access token only (a personal access token gets 403 there). */
// The home overview lives under /v1/me (the caller's own view) but reads only budgets and
// notifications, as GET /v1/budgets does: a personal access token (read) may ask it.
const NOT_ACCOUNT = ['/v1/me/overview'];
const ACCOUNT = (path: string) => (path === '/v1/me' || path.startsWith('/v1/me/')) && !NOT_ACCOUNT.includes(path);
/**
 * POSTs that create nothing a retry could duplicate: marking a notification (or all of them)
 * read is idempotent by itself, and a device is keyed by its push token (registering it again answers 200). A
 * password change answers a refresh token, which an Idempotency-Key record must never store
 * (as signup); a retry finds the current password changed and gets 422. An email-change
 * request replaces the account's one pending change (a retry mails a new code and voids the
 * first), and its confirmation spends it (a retry gets 404).
 */
const NOT_CREATING = [
  '/v1/notifications/{notificationId}/read',
  '/v1/notifications/read-all',
  '/v1/me/devices',
  '/v1/me/password',
  '/v1/me/email',
  '/v1/me/email/confirm',
  // Two-factor: the answers carry a TOTP secret or recovery codes, which no Idempotency-Key
  // record may store; a retried enrolment replaces the pending one, a retried confirmation or
  // regeneration gets 409 or 422 (the code was spent).
  '/v1/me/mfa/totp',
  '/v1/me/mfa/totp/confirm',
  '/v1/me/mfa/recovery-codes',
  // The answer carries the feed's secret URL, which no Idempotency-Key record may store; a
  // retry makes a second feed (at most 5 per member and budget; the extra one is revoked).
  `${B}/calendar-feeds`,
  // A rule's test run: it writes nothing, so a retry is as harmless as a GET's.
  `${B}/rules/preview`,
  // Possible duplicates marked "not duplicates": idempotent as a PUT (a retry stores nothing more and answers 204 again).
  `${B}/expenses/duplicates/dismiss`,
  // Archive and unarchive: a state, not a creation; a retry finds it set and answers 200 with no change.
  `${B}/archive`,
  `${B}/unarchive`,
  // A bulk edit's undo: its outcome is stored on the bulk edit's record, so a retry answers the same and writes nothing.
  `${B}/expenses/bulk/{bulkId}/undo`,
];

/**
 * The only operations that never read or write the store, so never answer 503: everything else
 * does when DynamoDB still throttles (or fails) after the SDK's retries (platform aws-errors.ts),
 * the authenticated ones at least through requireAuth's account check. Each with why.
 */
const STORELESS: Record<string, string> = {
  'get /health': 'liveness: answers `{"status":"ok"}` from the function alone (create-app.ts)',
  'get /problems': 'the problem catalogue, built from the modules\' declarations in code (problem-catalog.ts)',
  'get /problems/{slug}': 'one entry of that catalogue, or its 404',
};
/** Parameter schema keywords the validator checks beyond `type: string` (so a bad value is a 400). */
const CONSTRAINTS = ['pattern', 'minLength', 'maxLength', 'enum', 'const', 'format', 'minimum', 'maximum'];

describe('the operations of /v1/openapi.json', () => {
  it('are exactly the API routes, none missing and none undocumented', () => {
    // +: served but not in OPERATIONS (add its row above); -: in OPERATIONS but not served (or the document is stale: npm run openapi:generate).
    expect(operations().map(([m, p]) => key(m, p)).sort(), 'OPERATIONS (this file) must list exactly the operations of the generated document').toEqual(
      OPERATIONS.map(([m, p]) => key(m, p)).sort(),
    );
  });

  it.each(OPERATIONS)('%s %s: tag, success status, body schema and its own statuses', (method, path, tag, success, body, extra) => {
    const op = doc.paths[path][method];
    expect(op.tags).toEqual([tag]);
    expect(op.summary).toEqual(expect.any(String));
    expect(op.responses[String(success)]).toBeDefined();
    for (const status of extra) expect(op.responses[String(status)], String(status)).toBeDefined();
    if (body === '-') expect(op.requestBody?.content?.['application/json']).toBeUndefined();
    // The new budget's body is inline, so its defaulted fields stay optional in generated clients.
    else if (body === '(inline)') expect(op.requestBody.content['application/json'].schema.required).toEqual(['name', 'limit']);
    else expect(op.requestBody.content['application/json'].schema).toEqual({ $ref: `#/components/schemas/${body}` });
  });

  it('each carry a unique operationId', () => {
    const ids = OPERATIONS.map(([method, path]) => doc.paths[path][method].operationId);
    for (const id of ids) expect(id).toMatch(/^[a-z][A-Za-z]+$/);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('every operation', () => {
  it('needs a bearer token and may answer 401, except signup, login, refresh, logout, the password reset, the calendar feed and the problem catalogue', () => {
    expect(violations((_m, path, op) => (PUBLIC.includes(path) ? (JSON.stringify(op.security) === '[]' ? undefined : 'public but does not say security: []') : undefined))).toEqual([]);
    expect(
      violations((_m, path, op) => {
        if (PUBLIC.includes(path)) return undefined;
        const expected = ACCOUNT(path) ? [{ bearerAuth: [] }] : [{ bearerAuth: [] }, { personalAccessToken: [] }];
        if (JSON.stringify(op.security) !== JSON.stringify(expected)) return `security ${JSON.stringify(op.security)}`;
        return op.responses['401'] ? undefined : 'no 401';
      }),
    ).toEqual([]);
  });

  it('takes a personal access token everywhere but account management (/v1/me and below: 403), and documents the read scope\'s 403 on every non-GET', () => {
    expect(doc.components.securitySchemes.personalAccessToken).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: expect.stringContaining('bgt_') });
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
    expect(
      violations((method, path, op) => {
        if (PUBLIC.includes(path)) return undefined;
        if (ACCOUNT(path)) {
          // One example, or named ones (a step-up route's 403 also shows `mfa-code-required`).
          const problem = op.responses['403']?.content?.['application/problem+json'];
          const types = [problem?.example, ...Object.values<any>(problem?.examples ?? {}).map((e) => e.value)].map((e) => e?.type);
          return types.some((type) => type?.endsWith('/personal-token-not-allowed')) ? undefined : 'no 403 personal-token-not-allowed';
        }
        // A route that takes a personal access token must not say it refuses one (a `read` token's 403 is `insufficient-scope`).
        if (JSON.stringify(op.responses['403'] ?? {}).includes('/personal-token-not-allowed')) return '403 personal-token-not-allowed, but it takes a personal access token';
        return method === 'get' || op.responses['403']?.description?.includes('insufficient-scope') ? undefined : 'no 403 insufficient-scope';
      }),
    ).toEqual([]);
  });

  it('may answer 405 with an Allow header (a method its path does not have)', () => {
    expect(
      violations((_m, _p, op) => (op.responses['405']?.headers?.Allow?.$ref === '#/components/headers/Allow' ? undefined : 'no 405 with Allow')),
    ).toEqual([]);
    expect(doc.components.headers.Allow.schema).toEqual({ type: 'string' });
  });

  it('that is rate limited (signup, login, refresh, password reset) answers 429 with Retry-After, and the document says API Gateway may throttle any', () => {
    for (const path of ['/v1/auth/signup', '/v1/auth/login', '/v1/auth/refresh', '/v1/auth/password-reset', '/v1/auth/password-reset/confirm']) {
      expect(doc.paths[path].post.responses['429'].headers['Retry-After'], path).toEqual({ $ref: '#/components/headers/Retry-After' });
    }
    expect(doc.info.description).toContain('429');
  });

  it("answers errors as application/problem+json Problem documents (the unsubscribe link's 404 also as a page, for a browser)", () => {
    expect(
      violations((_m, path, op) => {
        // A mail's reader who follows a broken unsubscribe link in a browser reads words, not JSON: that 404 is also text/html.
        const types = path === '/v1/unsubscribe/{token}' ? 'application/problem+json,text/html' : 'application/problem+json';
        const bad = Object.entries<any>(op.responses).filter(
          ([status, r]) =>
            Number(status) >= 400 &&
            (Object.keys(r.content ?? {}).join() !== (status === '404' ? types : 'application/problem+json') ||
              r.content['application/problem+json'].schema?.$ref !== '#/components/schemas/Problem'),
        );
        return bad.length ? `errors ${bad.map(([s]) => s).join(', ')} are not problem+json Problems` : undefined;
      }),
    ).toEqual([]);
  });

  it('with a request body may answer 400 and 415; with a JSON body, names a component schema', () => {
    expect(
      violations((_m, path, op) => {
        if (!op.requestBody) return undefined;
        const missing = [400, 415].filter((s) => !statuses(op).includes(s));
        if (missing.length) return `no ${missing.join(', ')}`;
        const json = op.requestBody.content['application/json'];
        // The new budget's body is inline on purpose (see the operations above).
        return json && path !== '/v1/budgets' && !/^#\/components\/schemas\/\w+$/.test(json.schema?.$ref ?? '') ? 'inline JSON body schema' : undefined;
      }),
    ).toEqual([]);
  });

  it('that is a POST, PUT or PATCH may answer 415 even without a body of its own (requireContentType judges any body sent)', () => {
    // e.g. POST /v1/notifications/read-all sent `hello` as text/plain: 415 before the route runs.
    expect(violations((method, _p, op) => (['post', 'put', 'patch'].includes(method) && !op.responses['415'] ? 'no 415' : undefined))).toEqual([]);
  });

  it('that reads or writes the store may answer 503 with Retry-After; only the few that touch none do not', () => {
    expect(
      violations((method, path, op) => {
        const answer = op.responses['503'];
        if (key(method, path) in STORELESS) return answer ? `declares 503, but it touches no store (${STORELESS[key(method, path)]})` : undefined;
        if (!answer) return 'no 503';
        return answer.headers?.['Retry-After']?.$ref === '#/components/headers/Retry-After' ? undefined : '503 without Retry-After';
      }),
    ).toEqual([]);
    // The list names real operations (a renamed path must not leave a stale exemption behind).
    expect(Object.keys(STORELESS).filter((k) => !operations().some(([m, p]) => key(m, p) === k))).toEqual([]);
  });

  it('whose If-Match, Idempotency-Key or a constrained path parameter is checked may answer 400', () => {
    expect(
      violations((_m, _p, op) => {
        const checked = (op.parameters ?? []).filter(
          (p: any) =>
            (p.in === 'header' && ['if-match', 'idempotency-key'].includes(p.name.toLowerCase())) ||
            (p.in === 'path' && CONSTRAINTS.some((c) => c in (p.schema ?? {}))),
        );
        return checked.length && !op.responses['400'] ? `no 400 (checks ${checked.map((p: any) => p.name).join(', ')})` : undefined;
      }),
    ).toEqual([]);
  });

  it('with query parameters may answer 400', () => {
    expect(violations((_m, _p, op) => (params(op, 'query').length && !op.responses['400'] ? 'no 400' : undefined))).toEqual([]);
  });

  it('declares each {parameter} of its path, and one under a budget may answer 404', () => {
    expect(
      violations((_m, path, op) => {
        const missing = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).filter((name) => !(op.parameters ?? []).some((p: any) => p.in === 'path' && p.name === name && p.required));
        if (missing.length) return `path parameters ${missing.join(', ')} not declared`;
        return path.includes('{budgetId}') && !op.responses['404'] ? 'no 404' : undefined;
      }),
    ).toEqual([]);
  });

  it('that creates (POST with a token) takes an Idempotency-Key and may answer 409 and 422', () => {
    expect(
      violations((method, path, op) => {
        if (method !== 'post' || PUBLIC.includes(path) || NOT_CREATING.includes(path)) return undefined;
        if (!params(op, 'header').includes('idempotency-key')) return 'no Idempotency-Key';
        return op.responses['409'] && op.responses['422'] ? undefined : 'no 409 or 422';
      }),
    ).toEqual([]);
  });

  it("states the Idempotency-Key's bounds as the server checks them: 1..255 visible ASCII characters (else a 400)", () => {
    const accepts = (schema: any, key: string) =>
      key.length >= (schema.minLength ?? 0) && key.length <= (schema.maxLength ?? Infinity) && (schema.pattern === undefined || new RegExp(schema.pattern, 'u').test(key));
    expect(
      violations((_m, _p, op) => {
        const header = (op.parameters ?? []).find((p: any) => p.in === 'header' && p.name.toLowerCase() === 'idempotency-key');
        if (!header) return undefined;
        const wrong = [
          ['01JDQ7SZQ4W8E2R6T0Y4U8I2O6', true],
          ['~'.repeat(255), true],
          ['!'.repeat(256), false],
          ['', false],
          ['has space', false],
          ['caf\u00e9', false],
        ].filter(([key, ok]) => accepts(header.schema ?? {}, key as string) !== ok);
        return wrong.length ? `its schema ${JSON.stringify(header.schema)} ${wrong.map(([key, ok]) => `${ok ? 'refuses' : 'accepts'} ${JSON.stringify(key)}`).join(', ')}` : undefined;
      }),
    ).toEqual([]);
  });

  it('that changes or deletes under a budget may answer 403; one guarded by an ETag takes If-Match and may answer 412', () => {
    expect(
      violations((method, path, op) => {
        if (!['post', 'patch', 'delete'].includes(method)) return undefined;
        if (path.startsWith(B) && !op.responses['403']) return 'no 403';
        if (method === 'post' || WITHOUT_IF_MATCH.includes(path)) return undefined;
        if (!params(op, 'header').includes('if-match')) return 'no If-Match';
        return op.responses['412'] ? undefined : 'no 412';
      }),
    ).toEqual([]);
  });

  it('shows an example of each request body and each success body, except the HTML report pages and /health', () => {
    const missing = operations().flatMap(([method, path, op]) => [
      ...Object.entries<any>(op.requestBody?.content ?? {}).filter(([, media]) => !hasExample(media)).map(([type]) => `${key(method, path)} body ${type}`),
      ...Object.entries<any>(op.responses)
        .filter(([status]) => Number(status) < 300)
        .flatMap(([status, r]) => Object.entries<any>(r.content ?? {}).filter(([, media]) => !hasExample(media)).map(([type]) => `${key(method, path)} ${status} ${type}`)),
    ]);
    expect(missing.sort()).toEqual(['get /health 200 application/json', `get ${B}/reports 200 text/html`, `get ${B}/reports/{reportId} 200 text/html`]);
  });
});

describe('the schemas', () => {
  it("list every declared problem type as an example of the Problem's `type`, never as an enum (a new type must not break a client)", () => {
    const type = doc.components.schemas.Problem.properties.type;
    expect(type.enum).toBeUndefined();
    expect(type.examples).toEqual(problemTypes().map((t) => `https://budgeting.dev/problems/${t.slug}`));
    expect(type.examples).toContain('https://budgeting.dev/problems/idempotent-answer-not-kept');
    expect(type.description).toContain('GET /problems');
  });

  it('refuse unknown fields in every request body', () => {
    const bodies = operations().flatMap(([, , op]) => (op.requestBody?.content?.['application/json'] ? [deref(op.requestBody.content['application/json'].schema)] : []));
    expect(bodies.length).toBeGreaterThan(10);
    for (const body of bodies) expect(body.additionalProperties, JSON.stringify(body).slice(0, 80)).toBe(false);
    expect(schemas().RecurringSchedule.additionalProperties).toBe(false);
  });

  it('list the items of each list response', () => {
    for (const [list, item] of [['ExpenseList', 'Expense'], ['RecurringExpenseList', 'RecurringExpense']]) {
      expect(schemas()[list!].properties.items.items, list).toEqual({ $ref: `#/components/schemas/${item}` });
    }
  });

  it('carry the limits and examples clients rely on', () => {
    const s = schemas();
    expect(s.SignupRequest.required).toEqual(['email', 'password']);
    expect(s.SignupRequest.properties.password).toMatchObject({ minLength: 10, maxLength: 128 });
    expect(s.AuthResponse.example.tokens).toHaveProperty('refreshToken');
    expect(doc.paths['/v1/budgets'].post.requestBody.content['application/json'].schema.example).toBeDefined();
    for (const name of ['UpdateBudget', 'AddMember', 'ChangeMember', 'UpdateExpense']) expect(s[name].example, name).toBeDefined();
    expect(s.Budget.properties.limit.example).toEqual(expect.any(Number));
    expect(s.BudgetSummary.properties.thresholdsCrossed.example).toEqual(expect.any(Array));
    expect(s.Member.properties.email.example).toEqual(expect.any(String));
    expect(s.CreateExpense.example).toMatchObject({ amount: expect.any(Number) });
    expect(s.Expense.properties.amount.example).toEqual(expect.any(Number));
    expect(s.Expense.properties.occurredOn.example).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(s.RecurringSchedule.properties.frequency.enum).toEqual(['daily', 'weekly', 'monthly', 'yearly']);
    expect(s.RecurringSchedule.required).toEqual(['frequency']);
    expect(s.RecurringExpense.properties.nextOccurrenceOn.example).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('document the list filters and pagination of expenses', () => {
    expect(params(doc.paths[`${B}/expenses`].get)).toEqual(expect.arrayContaining(['from', 'to', 'categoryid', 'tag', 'reviewed', 'limit', 'cursor']));
  });

  it("document the export's QIF date formats: the dateFormat parameter with its three values, named in the route's description", () => {
    const op = doc.paths[`${B}/expenses/export`].get;
    const dateFormat = op.parameters.find((p: { name: string }) => p.name === 'dateFormat');
    expect(dateFormat).toMatchObject({ in: 'query', required: false });
    expect(dateFormat.schema.enum).toEqual(['YYYY-MM-DD', 'MM/DD/YYYY', 'DD/MM/YYYY']);
    expect(op.description).toContain('`dateFormat`');
    expect(op.description).toContain('`YYYY-MM-DD` (default), `MM/DD/YYYY` (Quicken US) or `DD/MM/YYYY`');
  });

  it("document the income export: its range and recurringIncomeId filter (the list's too), a CSV file with an example, an attachment's Content-Disposition", () => {
    const op = doc.paths[`${B}/income/export`].get;
    expect(params(op, 'query')).toEqual(['from', 'to', 'recurringincomeid']);
    // The list's filter of one recurring income's entries, beside its range and pages.
    expect(params(doc.paths[`${B}/income`].get, 'query')).toEqual(['from', 'to', 'recurringincomeid', 'limit', 'cursor']);
    const ok = op.responses['200'];
    expect(Object.keys(ok.content)).toEqual(['text/csv']);
    expect(ok.content['text/csv'].schema.example).toMatch(/^date,amount,source,description,recurringIncomeId\r\n2026-11-28,3200\.00,/);
    expect(ok.headers['Content-Disposition'].description).toContain('attachment; filename="income-');
  });

  it('document income in delta sync and offline push: an optional `income` array beside `expenses`, `type: income` mutations, their results', () => {
    const s = schemas();
    const changes = s.ExpenseChanges;
    expect(changes.required).toEqual(['serverKnowledge', 'hasMore', 'expenses']);
    expect(changes.properties.income.items.discriminator).toEqual({
      propertyName: 'kind',
      mapping: { income: '#/components/schemas/ChangedIncome', deleted: '#/components/schemas/DeletedIncome' },
    });
    expect(changes.properties.income.description).toContain('`limit` counts expenses and income entries together');
    expect(s.ChangedIncome.allOf[0]).toEqual({ $ref: '#/components/schemas/Income' });
    expect(s.DeletedIncome.required).toEqual(['kind', 'id', 'deleted']);
    expect(changes.example.income[0]).toMatchObject({ kind: 'income', amount: expect.any(Number), receivedOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });

    // A mutation is an expense's (no `type` needed: existing clients unchanged) or an income entry's (`type: income`, the income routes' bodies).
    const push = s.PushChanges;
    const [expenseOps, incomeOps] = push.properties.mutations.items.oneOf.map((o: { oneOf: any[] }) => o.oneOf);
    expect(expenseOps.map((o: any) => [o.properties.op.enum[0], o.properties.type.enum, o.required.includes('type')])).toEqual([
      ['create', ['expense'], false],
      ['update', ['expense'], false],
      ['delete', ['expense'], false],
    ]);
    expect(incomeOps.map((o: any) => [o.properties.op.enum[0], o.properties.type.enum, o.required])).toEqual([
      ['create', ['income'], ['type', 'op', 'income']],
      ['update', ['income'], ['type', 'op', 'id', 'baseVersion', 'patch']],
      ['delete', ['income'], ['type', 'op', 'id', 'baseVersion']],
    ]);
    expect(incomeOps[0].properties.income).toEqual({ $ref: '#/components/schemas/CreateIncome' });
    expect(incomeOps[1].properties.patch).toEqual({ $ref: '#/components/schemas/UpdateIncome' });
    expect(push.example.mutations).toContainEqual(expect.objectContaining({ type: 'income', op: 'create' }));
    expect(s.PushApplied.properties.income.allOf[0]).toEqual({ $ref: '#/components/schemas/Income' });
    expect(s.PushConflict.properties.current.discriminator.mapping).toEqual({
      expense: '#/components/schemas/ChangedExpense',
      deleted: '#/components/schemas/DeletedExpense',
      income: '#/components/schemas/ChangedIncome',
      recurringExpense: '#/components/schemas/ChangedRecurringExpense',
      recurringIncome: '#/components/schemas/ChangedRecurringIncome',
    });
  });

  it('document the push of recurring definitions: `type: recurringExpense | recurringIncome` with their routes\' bodies, their results and conflicts', () => {
    const s = schemas();
    const kinds = s.PushChanges.properties.mutations.items.oneOf.map((o: { oneOf: any[] }) => o.oneOf);
    expect(kinds).toHaveLength(4);
    const [, , expenseDefs, incomeDefs] = kinds;
    expect(expenseDefs.map((o: any) => [o.properties.op.enum[0], o.properties.type.enum, o.required])).toEqual([
      ['create', ['recurringExpense'], ['type', 'op', 'recurringExpense']],
      ['update', ['recurringExpense'], ['type', 'op', 'id', 'baseVersion', 'patch']],
      ['delete', ['recurringExpense'], ['type', 'op', 'id', 'baseVersion']],
      // The actions: at the version and the next date the client saw; record-next's body fields beside them.
      ['skip', ['recurringExpense'], ['type', 'op', 'id', 'baseVersion', 'nextOccurrenceOn']],
      ['recordNext', ['recurringExpense'], ['type', 'op', 'id', 'baseVersion', 'nextOccurrenceOn']],
    ]);
    expect(incomeDefs.map((o: any) => [o.properties.op.enum[0], o.properties.type.enum, o.required])).toEqual([
      ['create', ['recurringIncome'], ['type', 'op', 'recurringIncome']],
      ['update', ['recurringIncome'], ['type', 'op', 'id', 'baseVersion', 'patch']],
      ['delete', ['recurringIncome'], ['type', 'op', 'id', 'baseVersion']],
      ['skip', ['recurringIncome'], ['type', 'op', 'id', 'baseVersion', 'nextOccurrenceOn']],
      ['recordNext', ['recurringIncome'], ['type', 'op', 'id', 'baseVersion', 'nextOccurrenceOn']],
    ]);
    expect(Object.keys(expenseDefs[4].properties)).toEqual(['type', 'op', 'id', 'baseVersion', 'nextOccurrenceOn', 'occurredOn']);
    expect(Object.keys(incomeDefs[4].properties)).toEqual(['type', 'op', 'id', 'baseVersion', 'nextOccurrenceOn', 'receivedOn']);
    expect(expenseDefs[0].properties.recurringExpense).toEqual({ $ref: '#/components/schemas/CreateRecurringExpense' });
    expect(expenseDefs[1].properties.patch).toEqual({ $ref: '#/components/schemas/UpdateRecurringExpense' });
    expect(incomeDefs[0].properties.recurringIncome).toEqual({ $ref: '#/components/schemas/CreateRecurringIncome' });
    expect(incomeDefs[1].properties.patch).toEqual({ $ref: '#/components/schemas/UpdateRecurringIncome' });
    expect(s.PushApplied.properties.recurringExpense.allOf[0]).toEqual({ $ref: '#/components/schemas/RecurringExpense' });
    expect(s.PushApplied.properties.recurringIncome.allOf[0]).toEqual({ $ref: '#/components/schemas/RecurringIncome' });
    expect(s.PushChanges.example.mutations).toContainEqual(expect.objectContaining({ type: 'recurringExpense', op: 'update', patch: { paused: true } }));
    expect(s.PushResults.example.results).toContainEqual(expect.objectContaining({ status: 'applied', recurringExpense: expect.objectContaining({ paused: true, nextOccurrenceOn: null }) }));
    // A recordNext: the expense it recorded beside the definition moved on.
    expect(s.PushChanges.example.mutations).toContainEqual(expect.objectContaining({ type: 'recurringExpense', op: 'recordNext', nextOccurrenceOn: '2026-12-01' }));
    expect(s.PushResults.example.results).toContainEqual(expect.objectContaining({ status: 'applied', expense: expect.objectContaining({ recurringExpenseId: '01JDRECURRING0000000000002' }), recurringExpense: expect.objectContaining({ nextOccurrenceOn: '2027-01-01' }) }));
  });

  it('describe the CSV import job: 202 with Location, Prefer wait, dry run and the import resource', () => {
    const op = doc.paths[`${B}/expenses/import`].post;
    expect(op.responses['202'].headers.Location).toBeDefined();
    expect(op.responses['202'].headers['Preference-Applied']).toBeDefined();
    expect(params(op, 'header')).toEqual(expect.arrayContaining(['prefer', 'idempotency-key']));
    // dryRun, bill matching's opt-out, bank credits as refunds, a saved import profile, and a bank CSV file's layout (column mapping and formats).
    expect(params(op, 'query')).toEqual([
      'dryrun',
      'matchrecurring',
      'credits',
      'profile',
      'datecolumn',
      'amountcolumn',
      'debitcolumn',
      'creditcolumn',
      'typecolumn',
      'categorycolumn',
      'descriptioncolumn',
      'merchantcolumn',
      'tagscolumn',
      'tagsseparator',
      'delimiter',
      'dateformat',
      'decimalseparator',
      'currencysymbol',
      'amountsign',
      'skiplines',
      'charset',
    ]);
    // A space sent as itself is `space`, as a tab is `tab` for the delimiter.
    expect(op.parameters.find((p: { name: string }) => p.name === 'tagsSeparator').schema).toMatchObject({ type: 'string', enum: [',', ';', '|', 'space', ' '] });
    expect(op.parameters.find((p: { name: string }) => p.name === 'credits').schema).toMatchObject({ type: 'string', enum: ['skip', 'refunds', 'income'] });
    const charset = op.parameters.find((p: { name: string }) => p.name === 'charset');
    expect(charset.schema).toMatchObject({
      type: 'string',
      enum: ['utf-8', 'utf-16', 'utf-16le', 'utf-16be', 'windows-1252', 'cp1252', 'iso-8859-1', 'latin1', 'windows-1250', 'cp1250', 'iso-8859-2', 'latin2', 'l2', 'macintosh', 'mac', 'x-mac-roman'],
    });
    expect(charset.description).toContain('`windows-1250` (`cp1250`) and `iso-8859-2` (`latin2`, `l2`)');
    // The dry run says which decoding it read (each name above comes to one of these).
    expect(schemas().ImportDryRun.properties.charset.enum).toEqual(['utf-8', 'utf-16le', 'utf-16be', 'windows-1252', 'windows-1250', 'iso-8859-2', 'macintosh']);
    // A profile's mapping is the same definition.
    expect(schemas().ImportMapping.properties.charset.enum).toEqual(charset.schema.enum);
    // A profile's credits: the query parameter's values, optional, PATCH's nullable.
    for (const name of ['CreateImportProfile', 'ImportProfile']) {
      expect(schemas()[name].properties.credits, name).toMatchObject({ type: 'string', enum: ['skip', 'refunds', 'income'] });
      expect(schemas()[name].required, name).not.toContain('credits');
    }
    expect(schemas().UpdateImportProfile.properties.credits).toMatchObject({ type: ['string', 'null'], enum: ['skip', 'refunds', 'income', null] });
    const dateFormat = op.parameters.find((p: { name: string }) => p.name === 'dateFormat');
    expect(dateFormat.schema.enum).toEqual(expect.arrayContaining(['DD.MM.YY', 'MM/DD/YY', 'DD MMM YYYY', 'D MMM YYYY', 'MMM D, YYYY', 'DD-MMM-YY', 'DD-MMM-YYYY']));
    const skipLines = op.parameters.find((p: { name: string }) => p.name === 'skipLines');
    expect(skipLines.schema).toMatchObject({ type: 'integer', minimum: 0, maximum: 20 });
    expect(deref(op.responses['202'].content['application/json'].schema)).toBe(schemas().Import);
    expect(op.responses['202'].content['application/json'].example).toBeDefined();
    const imp = schemas().Import;
    expect(imp.properties.status.enum).toEqual(['queued', 'running', 'succeeded', 'failed']);
    expect(imp.required).toEqual(expect.arrayContaining(['id', 'status', 'total', 'processed', 'imported', 'duplicates', 'matched', 'errors']));
    expect(schemas().ImportDryRun.required).toEqual(expect.arrayContaining(['dryRun', 'importLines', 'duplicateLines', 'errors', 'matched', 'matchedCount']));
    const matchRecurring = op.parameters.find((p: { name: string }) => p.name === 'matchRecurring');
    expect(matchRecurring.schema).toMatchObject({ type: 'string', enum: ['true', 'false'] });
    const get = doc.paths[`${B}/imports/{importId}`].get;
    expect(get.operationId).toBe('getImport');
    expect(deref(get.responses['200'].content['application/json'].schema)).toBe(schemas().Import);
  });

  it('show a failed import and a failed merchant rename with their failureCode, beside a finished one', () => {
    const codes = ['stalled', 'budget-deleted', 'part-failed', 'not-started']; // JOB_FAILURE_CODES
    for (const [path, schema] of [[`${B}/imports/{importId}`, 'Import'], [`${B}/merchant-renames/{renameId}`, 'MerchantRename']] as const) {
      const media = doc.paths[path].get.responses['200'].content['application/json'];
      expect(deref(media.schema), path).toBe(schemas()[schema]);
      expect(media.examples.succeeded.value.status, path).toBe('succeeded');
      expect(media.examples.succeeded.value.failureCode, path).toBeUndefined();
      const failed = media.examples.failed.value;
      expect(failed.status, path).toBe('failed');
      expect(codes, path).toContain(failed.failureCode);
      // The reason in words beside the code: line 0 of an import's `errors`, a rename's `failure`.
      if (schema === 'Import') expect(failed.errors[0]).toEqual({ line: 0, message: expect.any(String) });
      else expect(failed.failure).toEqual(expect.any(String));
      expect(failed.finishedAt, path).toEqual(expect.any(String));
    }
  });

  it("document the recorded paycheck's notification and its opt-in switch (push.income, default off)", () => {
    const kinds = schemas().Notification.oneOf.map((s: any) => deref(s).properties.kind.enum?.[0] ?? deref(s).properties.kind.const);
    expect(kinds).toContain('income.recorded');
    const paycheck = schemas().IncomeRecordedNotification;
    expect(paycheck.required).toEqual(expect.arrayContaining(['incomeId', 'recurringIncomeId', 'receivedOn', 'amount', 'currency', 'message']));
    expect(paycheck.example).toMatchObject({ kind: 'income.recorded', message: 'Salary 3200.00 USD from Acme payroll recorded (2026-11-28).' });
    const push = schemas().UpdateMeRequest.properties.notifications.properties.push.properties;
    expect(push.income.type).toBe('boolean');
    expect(push.income.description).toContain('default false');
    expect(schemas().User.properties.notifications.properties.push.required).toContain('income');
  });

  it('show the spending breakdown by merchant and by category (with the uncategorized item), each adding up', () => {
    const media = doc.paths[`${B}/spending`].get.responses['200'].content['application/json'];
    expect(deref(media.schema)).toBe(schemas().SpendingBreakdown);
    expect(Object.keys(media.examples).sort()).toEqual(['category', 'merchant']);
    for (const by of ['merchant', 'category']) {
      const example = media.examples[by].value;
      expect(example.by, by).toBe(by);
      // by merchant and by category the amounts with `other` are `total`; each share is amount / total to 4 decimals.
      const amounts = example.items.reduce((sum: number, i: { amount: number }) => sum + i.amount, example.other.amount);
      expect(amounts, by).toBe(example.total);
      for (const item of example.items) expect(item.share, `${by} ${item.key}`).toBe(Math.round((item.amount / example.total) * 10_000) / 10_000);
    }
    expect(media.examples.merchant.value.items).toContainEqual(expect.objectContaining({ key: '', label: null }));
    expect(media.examples.category.value.items).toContainEqual(expect.objectContaining({ key: 'uncategorized', label: 'Uncategorized' }));
  });

  it("show a merchant's monthly spending adding up: every month listed, the total, the count and the average floored", () => {
    const media = doc.paths[`${B}/spending/monthly`].get.responses['200'].content['application/json'];
    expect(deref(media.schema)).toBe(schemas().SpendingMonthly);
    const example = media.examples.merchant.value;
    expect(example.months.map((m: { month: string }) => m.month)).toEqual(['2025-11', '2025-12', '2026-01', '2026-02', '2026-03']);
    expect(example.months.reduce((sum: number, m: { spent: number }) => sum + m.spent, 0)).toBe(example.total);
    expect(example.months.reduce((sum: number, m: { count: number }) => sum + m.count, 0)).toBe(example.count);
    // 7001 / 5 = 1400.2, rounded down.
    expect(example).toMatchObject({ total: 7001, averagePerMonth: 1400 });
    expect(schemas().SpendingMonthly.example).toEqual(example);
    const params = doc.paths[`${B}/spending/monthly`].get.parameters.map((p: { name: string }) => p.name).sort();
    expect(params).toEqual(['budgetId', 'from', 'merchant', 'tag', 'to']);
  });
});

describe('the renames POST 202', () => {
  // Since stop 54 unit 0 is written with the rename record (the stream relay queues it): the
  // request never sends to the queue, so it can no longer answer a rename `failed` `not-started`.
  it.each([`${B}/merchants/rename`, `${B}/tags/rename`])('%s does not promise a not-started failure', (path) => {
    const description: string = doc.paths[path].post.responses['202'].description;
    expect(description).toMatch(/runs as a job/);
    expect(description).not.toMatch(/not-started/);
  });
});
