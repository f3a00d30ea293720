/**
 * What a mobile developer writes against the generated client: every operation of the API,
 * through openapi-fetch and the types that openapi-typescript generated from /v1/openapi.json
 * (tests/contract/.generated/api.ts). It must compile under `tsc --strict` with no cast, no
 * `any` and no non-null assertion (tests/contract/generated-client.test.ts checks all three),
 * and it really runs, against the app, with every response checked against the document.
 *
 * Two clients, as the README recommends: one for JSON (the default representation), one for
 * the HTML page of a report (the same operations, `Accept: text/html`).
 */
import createClient from 'openapi-fetch';
import { Secret, TOTP } from 'otpauth';
import type { paths } from './.generated/api';

export interface ScenarioRuntime {
  /** Sends each request to the app under test (and records the exchange). */
  fetch: (request: Request) => Promise<Response>;
  /** Moves the server's clock (a period has to end before its report exists). */
  setClock: (iso: string) => void;
}

/** Fails the scenario with what the API answered: a typed `error` or an unexpected status. */
function check<T>(result: { data?: T; error?: unknown; response: Response }, step: string): T {
  if (result.error !== undefined || result.data === undefined) {
    throw new Error(`${step}: HTTP ${result.response.status} ${JSON.stringify(result.error)}`);
  }
  return result.data;
}

function ok(result: { error?: unknown; response: Response }, step: string): void {
  if (!result.response.ok) throw new Error(`${step}: HTTP ${result.response.status} ${JSON.stringify(result.error)}`);
}

export async function runScenario(runtime: ScenarioRuntime): Promise<void> {
  const baseUrl = 'http://localhost';
  const api = createClient<paths, `${string}/json`>({ baseUrl, fetch: runtime.fetch });
  const pages = createClient<paths, 'text/html'>({ baseUrl, fetch: runtime.fetch });
  const stamp = Date.now().toString(36);
  runtime.setClock('2026-10-05T09:00:00Z');
  const health = check(await api.GET('/health'), 'health');
  if (health.status !== 'ok') throw new Error('health: not ok');
  // The catalogue of problem types (no token): what each `type` of an error answer means; one type as JSON and as a page.
  const catalogue = check(await api.GET('/problems'), 'list problem types');
  const archivedType = catalogue.items.find((t) => t.slug === 'budget-archived');
  if (!archivedType || archivedType.status !== 409 || !archivedType.type.endsWith('/problems/budget-archived')) throw new Error(`problem catalogue: ${JSON.stringify(archivedType)}`);
  const problemType = check(await api.GET('/problems/{slug}', { params: { path: { slug: 'validation-error' } } }), 'get problem type');
  if (problemType.status !== 400 || problemType.module !== 'platform') throw new Error(`problem type: ${JSON.stringify(problemType)}`);
  const problemPage = check(
    await pages.GET('/problems/{slug}', { params: { path: { slug: 'mfa-required' } }, headers: { Accept: 'text/html' }, parseAs: 'text' }),
    'problem type page',
  );
  if (!problemPage.includes('Second factor required')) throw new Error('problem type page: no title');

  // Accounts: sign up, log in, refresh, profile.
  const owner = check(
    await api.POST('/v1/auth/signup', { body: { email: `owner-${stamp}@example.com`, password: 'correct horse battery', name: 'Ada' } }),
    'signup',
  );
  // Signup may set the locale (as PATCH /v1/me: stored canonical).
  const member = check(
    await api.POST('/v1/auth/signup', { body: { email: `member-${stamp}@example.com`, password: 'correct horse battery', locale: 'fr-fr' } }),
    'signup member',
  );
  if (member.user.locale !== 'fr-FR') throw new Error(`signup locale not canonicalized: ${member.user.locale}`);
  const login = check(await api.POST('/v1/auth/login', { body: { email: owner.user.email, password: 'correct horse battery' } }), 'login');
  const refreshed = check(await api.POST('/v1/auth/refresh', { body: { refreshToken: login.tokens.refreshToken } }), 'refresh');
  const auth = { Authorization: `Bearer ${refreshed.tokens.accessToken}` };
  const me = check(await api.GET('/v1/me', { headers: auth }), 'get me');
  check(await api.PATCH('/v1/me', { headers: auth, body: { name: `${me.name ?? 'Ada'} L.` } }), 'update me');
  // Push quiet hours (do not disturb), in the profile's time zone, with a summary push when they end; null removes them.
  const quiet = check(await api.PATCH('/v1/me', { headers: auth, body: { notifications: { quietHours: { from: '22:00', to: '07:00', summary: true } } } }), 'set quiet hours');
  if (quiet.notifications.quietHours?.from !== '22:00' || quiet.notifications.quietHours.to !== '07:00' || quiet.notifications.quietHours.summary !== true) throw new Error(`quiet hours not kept: ${JSON.stringify(quiet.notifications)}`);
  if (check(await api.PATCH('/v1/me', { headers: auth, body: { notifications: { quietHours: null } } }), 'clear quiet hours').notifications.quietHours !== null) throw new Error('quiet hours not cleared');
  // The locale period reports are formatted in (BCP 47, stored canonical); null clears it.
  if (check(await api.PATCH('/v1/me', { headers: auth, body: { locale: 'de-de' } }), 'set locale').locale !== 'de-DE') throw new Error('locale not canonicalized');
  if (check(await api.PATCH('/v1/me', { headers: auth, body: { locale: null } }), 'clear locale').locale !== null) throw new Error('locale not cleared');

  // Budgets: only name and limit are required; the rest has defaults.
  const minimal = check(await api.POST('/v1/budgets', { headers: auth, body: { name: 'Minimal', limit: 10_000 } }), 'create minimal budget');
  const budget = check(
    await api.POST('/v1/budgets', {
      headers: { ...auth, 'Idempotency-Key': `budget-${stamp}` },
      body: { name: 'Household', limit: 100_000, currency: 'EUR', timezone: 'UTC', categories: [{ name: 'Groceries', limit: 40_000, group: 'Everyday', rollover: true, target: { amount: 100_000, by: '2026-12-31' }, note: ' Weekly shop ' }] },
    }),
    'create budget',
  );
  const budgetId = budget.id;
  const groceries = budget.categories[0];
  // Category rollover: the server says since which period (the budget's first) the category carries.
  if (groceries?.rollover !== true || typeof groceries.rolloverSince !== 'string') throw new Error('create budget: the category rollover is not set');
  // A rollover category's savings target (sinking fund) is kept as sent.
  if (groceries.target?.amount !== 100_000 || groceries.target.by !== '2026-12-31') throw new Error('create budget: the category target is not kept');
  // A category's note is kept trimmed; a category not hidden carries no `hidden`.
  if (groceries.note !== 'Weekly shop' || groceries.hidden !== undefined) throw new Error(`create budget: the category note is not kept: ${JSON.stringify(groceries)}`);
  check(await api.GET('/v1/budgets', { headers: auth, params: { query: { limit: 10 } } }), 'list budgets');
  const fetched = check(await api.GET('/v1/budgets/{budgetId}', { headers: auth, params: { path: { budgetId } } }), 'get budget');
  // A phone revalidating the copy it holds: the same version is a 304 without a body.
  const revalidated = await api.GET('/v1/budgets/{budgetId}', { headers: { ...auth, 'If-None-Match': `"${fetched.version}"` }, params: { path: { budgetId } } });
  if (revalidated.response.status !== 304) throw new Error(`revalidate budget: HTTP ${revalidated.response.status}, not 304`);
  const renamed = check(
    await api.PATCH('/v1/budgets/{budgetId}', {
      headers: { ...auth, 'If-Match': `"${fetched.version}"` },
      params: { path: { budgetId } },
      body: { name: 'Household (shared)' },
    }),
    'update budget',
  );
  // A limit change for every period (fixing a typo): nothing kept in its limit history.
  const retyped = check(
    await api.PATCH('/v1/budgets/{budgetId}', { headers: auth, params: { path: { budgetId: minimal.id } }, body: { limit: 12_000, limitChangesApplyTo: 'allPeriods' } }),
    'update budget limit for all periods',
  );
  if (retyped.limit !== 12_000 || retyped.limitHistory !== undefined) throw new Error(`update budget limit for all periods: ${JSON.stringify(retyped)}`);
  ok(
    await api.DELETE('/v1/budgets/{budgetId}', { headers: { ...auth, 'If-Match': `"${retyped.version}"` }, params: { path: { budgetId: minimal.id } } }),
    'delete budget',
  );
  // Move money (YNAB's): 50.00 of October's limit from one category to another, that period only.
  const envelopes = check(
    await api.POST('/v1/budgets', { headers: auth, body: { name: 'Envelopes', limit: 100_000, timezone: 'UTC', categories: [{ name: 'Food', limit: 40_000 }, { name: 'Fun', limit: 10_000 }] } }),
    'create envelopes budget',
  );
  const [envFood, envFun] = envelopes.categories;
  if (envFood === undefined || envFun === undefined) throw new Error('create envelopes budget: categories missing');
  const moved = check(
    await api.POST('/v1/budgets/{budgetId}/move-money', {
      headers: { ...auth, 'If-Match': `"${envelopes.version}"`, 'Idempotency-Key': `move-${stamp}` },
      params: { path: { budgetId: envelopes.id } },
      body: { from: envFood.id, to: envFun.id, amount: 5_000, date: '2026-10-20' },
    }),
    'move money',
  );
  const movedLimits = moved.periodLimits.map((p) => `${p.periodStart} ${p.categoryId === envFood.id ? 'food' : 'fun'} ${p.limit}`).sort();
  if (movedLimits.join() !== '2026-10-01 food 35000,2026-10-01 fun 15000') throw new Error(`move money: ${JSON.stringify(moved.periodLimits)}`);
  // One category's limit for one period (November's Food: 45.00 instead of 400.00), then clearing October's.
  const set = check(
    await api.PUT('/v1/budgets/{budgetId}/period-limits', {
      headers: { ...auth, 'If-Match': `"${moved.version}"`, 'Idempotency-Key': `period-limit-${stamp}` },
      params: { path: { budgetId: envelopes.id } },
      body: { categoryId: envFood.id, limit: 4_500, date: '2026-11-03' },
    }),
    'set period limit',
  );
  if (set.periodLimits.length !== 3 || set.version !== moved.version + 1) throw new Error(`set period limit: ${JSON.stringify(set.periodLimits)}`);
  const cleared = check(
    await api.DELETE('/v1/budgets/{budgetId}/period-limits', {
      headers: { ...auth, 'If-Match': `"${set.version}"` },
      params: { path: { budgetId: envelopes.id }, query: { before: '2026-11-01' } },
    }),
    'clear period limits',
  );
  const kept = cleared.periodLimits.map((p) => `${p.periodStart} ${p.limit}`);
  if (kept.join() !== '2026-11-01 4500') throw new Error(`clear period limits: ${JSON.stringify(cleared.periodLimits)}`);
  // Last year's budget out of the way (read-only, listed only with archived=true), then back.
  const archived = check(
    await api.POST('/v1/budgets/{budgetId}/archive', { headers: { ...auth, 'If-Match': `"${cleared.version}"` }, params: { path: { budgetId: envelopes.id } } }),
    'archive budget',
  );
  if (archived.archivedAt === undefined || archived.version !== cleared.version + 1) throw new Error(`archive budget: ${JSON.stringify(archived)}`);
  check(await api.GET('/v1/budgets', { headers: auth, params: { query: { archived: 'true' } } }), 'list archived budgets');
  const unarchived = check(
    await api.POST('/v1/budgets/{budgetId}/unarchive', { headers: { ...auth, 'If-Match': `"${archived.version}"` }, params: { path: { budgetId: envelopes.id } } }),
    'unarchive budget',
  );
  if (unarchived.archivedAt !== undefined || unarchived.version !== archived.version + 1) throw new Error(`unarchive budget: ${JSON.stringify(unarchived)}`);
  // All of a category's expenses moved to another (YNAB's "reassign its transactions to"), bounded per call.
  const funSpend = check(
    await api.POST('/v1/budgets/{budgetId}/expenses', {
      headers: auth,
      params: { path: { budgetId: envelopes.id } },
      body: { amount: 900, occurredOn: '2026-10-21', categoryId: envFun.id, merchant: 'Cinema' },
    }),
    'create expense to reassign',
  );
  const reassigned = check(
    await api.POST('/v1/budgets/{budgetId}/categories/{categoryId}/reassign', {
      headers: { ...auth, 'Idempotency-Key': `reassign-${stamp}` },
      params: { path: { budgetId: envelopes.id, categoryId: envFun.id } },
      body: { to: envFood.id },
    }),
    'reassign category expenses',
  );
  if (reassigned.moved.length !== 1 || reassigned.moved[0]?.id !== funSpend.id || reassigned.moved[0].version !== funSpend.version + 1 || reassigned.more || reassigned.failed.length !== 0 || reassigned.cursor !== null) {
    throw new Error(`reassign category expenses: ${JSON.stringify(reassigned)}`);
  }
  // That reassign call undone (its `undo`, through the bulk edit's undo route): the expense back in its category.
  if (!reassigned.undo) throw new Error('reassign category expenses: no undo although an expense was moved');
  const reassignUndone = check(
    await api.POST('/v1/budgets/{budgetId}/expenses/bulk/{bulkId}/undo', { headers: auth, params: { path: { budgetId: envelopes.id, bulkId: reassigned.undo.id } } }),
    'undo category reassign',
  );
  if (reassignUndone.undone.length !== 1 || reassignUndone.undone[0] !== funSpend.id || reassignUndone.kept.length !== 0 || reassignUndone.failed.length !== 0) {
    throw new Error(`undo category reassign: ${JSON.stringify(reassignUndone)}`);
  }
  // Next year's budget from this one: only the name is required.
  check(
    await api.POST('/v1/budgets/{budgetId}/copy', {
      headers: { ...auth, 'Idempotency-Key': `copy-${stamp}` },
      params: { path: { budgetId } },
      body: { name: 'Household next year', include: { members: true } },
    }),
    'copy budget',
  );

  // Members.
  const added = check(
    await api.POST('/v1/budgets/{budgetId}/members', { headers: auth, params: { path: { budgetId } }, body: { email: member.user.email, role: 'viewer' } }),
    'add member',
  );
  const addedMember = check(await api.GET('/v1/budgets/{budgetId}/members/{userId}', { headers: auth, params: { path: { budgetId, userId: added.userId } } }), 'get member');
  if (addedMember.role !== 'viewer' || addedMember.version !== added.version) throw new Error('get member: not the member added');
  check(
    await api.PATCH('/v1/budgets/{budgetId}/members/{userId}', { headers: auth, params: { path: { budgetId, userId: added.userId } }, body: { role: 'editor' } }),
    'change member',
  );
  check(await api.GET('/v1/budgets/{budgetId}/members', { headers: auth, params: { path: { budgetId } } }), 'list members');
  // Settle-up payments: the member paid the owner back; recorded, read, listed, corrected, deleted.
  const paidBack = check(
    await api.POST('/v1/budgets/{budgetId}/settlements', {
      headers: { ...auth, 'Idempotency-Key': `settle-${stamp}` },
      params: { path: { budgetId } },
      body: { fromUserId: added.userId, toUserId: me.id, amount: 1_500, paidOn: '2026-10-04', note: 'Bank transfer' },
    }),
    'record settlement',
  );
  const settled = check(
    await api.GET('/v1/budgets/{budgetId}/settlements/{settlementId}', { headers: auth, params: { path: { budgetId, settlementId: paidBack.id } } }),
    'get settlement',
  );
  const settlements = check(
    await api.GET('/v1/budgets/{budgetId}/settlements', { headers: auth, params: { path: { budgetId }, query: { from: '2026-10-01', to: '2026-10-31', limit: 10 } } }),
    'list settlements',
  );
  if (settled.amount !== 1_500 || settlements.items[0]?.id !== paidBack.id) throw new Error('settlements: not the payment recorded');
  const corrected = check(
    await api.PATCH('/v1/budgets/{budgetId}/settlements/{settlementId}', {
      headers: { ...auth, 'If-Match': `"${settled.version}"` },
      params: { path: { budgetId, settlementId: paidBack.id } },
      body: { amount: 1_600 },
    }),
    'correct settlement',
  );
  if (corrected.amount !== 1_600 || corrected.version !== settled.version + 1 || corrected.id !== paidBack.id) throw new Error('settlements: not the payment corrected');
  const withPayment = check(
    await api.GET('/v1/budgets/{budgetId}/balances', { headers: auth, params: { path: { budgetId }, query: { from: '2026-10-04', to: '2026-10-04' } } }),
    'balances with a payment',
  );
  if (withPayment.members.find((m) => m.userId === me.id)?.received !== 1_600) throw new Error('balances: the corrected payment is not counted');
  // Split by exact amounts (Splitwise's "unequally"): 60.00 of the 90.00 dinner is the partner's.
  const dinner = check(
    await api.POST('/v1/budgets/{budgetId}/expenses', {
      headers: auth,
      params: { path: { budgetId } },
      body: { amount: 9_000, occurredOn: '2026-10-05', merchant: 'Trattoria', sharedAmounts: [{ userId: me.id, amount: 3_000 }, { userId: added.userId, amount: 6_000 }] },
    }),
    'create expense split by exact amounts',
  );
  if (dinner.sharedAmounts?.find((part) => part.userId === added.userId)?.amount !== 6_000) throw new Error(`split by exact amounts: ${JSON.stringify(dinner)}`);
  ok(await api.DELETE('/v1/budgets/{budgetId}/expenses/{expenseId}', { headers: auth, params: { path: { budgetId, expenseId: dinner.id } } }), 'delete expense split by exact amounts');
  ok(await api.DELETE('/v1/budgets/{budgetId}/settlements/{settlementId}', { headers: auth, params: { path: { budgetId, settlementId: paidBack.id } } }), 'delete settlement');
  ok(await api.DELETE('/v1/budgets/{budgetId}/members/{userId}', { headers: auth, params: { path: { budgetId, userId: added.userId } } }), 'remove member');

  // Invitations: the code travels by mail, which a client never sees; a code that opens
  // nothing is a 404 problem.
  const invitation = check(
    await api.POST('/v1/budgets/{budgetId}/invitations', { headers: auth, params: { path: { budgetId } }, body: { email: `partner-${stamp}@example.com`, role: 'editor' } }),
    'invite',
  );
  const invitations = check(await api.GET('/v1/budgets/{budgetId}/invitations', { headers: auth, params: { path: { budgetId } } }), 'list invitations');
  if (!invitations.items.some((i) => i.id === invitation.id && i.status === 'pending')) throw new Error('list invitations: the invitation is missing');
  const invited = check(await api.GET('/v1/budgets/{budgetId}/invitations/{invitationId}', { headers: auth, params: { path: { budgetId, invitationId: invitation.id } } }), 'get invitation');
  if (invited.email !== invitation.email || invited.role !== 'editor') throw new Error('get invitation: not the invitation made');
  const unknownCode = await api.POST('/v1/invitations/accept', { headers: auth, body: { token: `${budgetId}.${invitation.id}.${'A'.repeat(43)}` } });
  if (unknownCode.response.status !== 404) throw new Error(`accept invitation: expected 404, got ${unknownCode.response.status}`);
  // The one-click unsubscribe's URL travels in a mail's header too: a token not made by the API is its 404.
  const notOurs = await api.POST('/v1/unsubscribe/{token}', { params: { path: { token: `${owner.user.id}.reports.${'A'.repeat(22)}` } } });
  if (notOurs.response.status !== 404) throw new Error(`unsubscribe: expected 404, got ${notOurs.response.status}`);
  // Its page, as a browser opens the same URL: the same 404, as a page.
  const notOursPage = await pages.GET('/v1/unsubscribe/{token}', { params: { path: { token: `${owner.user.id}.reports.${'A'.repeat(22)}` } }, headers: { Accept: 'text/html' }, parseAs: 'text' });
  if (notOursPage.response.status !== 404 || !notOursPage.response.headers.get('content-type')?.startsWith('text/html')) {
    throw new Error(`unsubscribe page: expected a 404 page, got ${notOursPage.response.status} ${notOursPage.response.headers.get('content-type')}`);
  }
  ok(await api.DELETE('/v1/budgets/{budgetId}/invitations/{invitationId}', { headers: auth, params: { path: { budgetId, invitationId: invitation.id } } }), 'revoke invitation');

  // Expenses: one by one, and a CSV import and export.
  const expense = check(
    await api.POST('/v1/budgets/{budgetId}/expenses', {
      headers: { ...auth, 'Idempotency-Key': `expense-${stamp}` },
      params: { path: { budgetId } },
      body: { amount: 1_250, occurredOn: '2026-10-03', categoryId: groceries?.id ?? null, merchant: 'Corner Market' },
    }),
    'record expense',
  );
  const got = check(await api.GET('/v1/budgets/{budgetId}/expenses/{expenseId}', { headers: auth, params: { path: { budgetId, expenseId: expense.id } } }), 'get expense');
  const changed = check(
    await api.PATCH('/v1/budgets/{budgetId}/expenses/{expenseId}', {
      headers: { ...auth, 'If-Match': `"${got.version}"` },
      params: { path: { budgetId, expenseId: expense.id } },
      body: { amount: 1_500 },
    }),
    'update expense',
  );
  check(await api.GET('/v1/budgets/{budgetId}/expenses', { headers: auth, params: { path: { budgetId }, query: { from: '2026-10-01', to: '2026-10-31' } } }), 'list expenses');
  // A refund: part of the purchase returned; `amount` stays positive and the expense says `refund: true`.
  const refund = check(
    await api.POST('/v1/budgets/{budgetId}/expenses', {
      headers: { ...auth, 'Idempotency-Key': `refund-${stamp}` },
      params: { path: { budgetId } },
      body: { amount: 250, occurredOn: '2026-10-03', categoryId: groceries?.id ?? null, merchant: 'Corner Market', refund: true },
    }),
    'record refund',
  );
  if (refund.refund !== true || refund.amount !== 250) throw new Error(`record refund: ${JSON.stringify(refund)}`);
  // A receipt: declared here, its bytes go straight to storage with `upload` (not through the API).
  const receiptPath = { budgetId, expenseId: expense.id };
  const receipt = check(
    await api.POST('/v1/budgets/{budgetId}/expenses/{expenseId}/attachments', {
      headers: { ...auth, 'Idempotency-Key': `receipt-${stamp}` },
      params: { path: receiptPath },
      body: { contentType: 'image/jpeg', size: 734_003, fileName: 'receipt.jpg' },
    }),
    'attach receipt',
  );
  if (receipt.status !== 'pending' || receipt.upload?.method !== 'POST') throw new Error(`attach receipt: ${JSON.stringify(receipt)}`);
  check(await api.GET('/v1/budgets/{budgetId}/expenses/{expenseId}/attachments', { headers: auth, params: { path: receiptPath } }), 'list receipts');
  check(
    await api.GET('/v1/budgets/{budgetId}/expenses/{expenseId}/attachments/{attachmentId}', { headers: auth, params: { path: { ...receiptPath, attachmentId: receipt.id } } }),
    'get receipt',
  );
  ok(
    await api.DELETE('/v1/budgets/{budgetId}/expenses/{expenseId}/attachments/{attachmentId}', { headers: auth, params: { path: { ...receiptPath, attachmentId: receipt.id } } }),
    'delete receipt',
  );
  // A comment: "what was this?"
  const remark = check(
    await api.POST('/v1/budgets/{budgetId}/expenses/{expenseId}/comments', {
      headers: { ...auth, 'Idempotency-Key': `comment-${stamp}` },
      params: { path: receiptPath },
      body: { text: 'Birthday present for Sam' },
    }),
    'comment on expense',
  );
  const remarks = check(await api.GET('/v1/budgets/{budgetId}/expenses/{expenseId}/comments', { headers: auth, params: { path: receiptPath, query: { limit: 10 } } }), 'list comments');
  if (remarks.items[0]?.id !== remark.id) throw new Error(`list comments: ${JSON.stringify(remarks)}`);
  const remarked = check(
    await api.GET('/v1/budgets/{budgetId}/expenses/{expenseId}/comments/{commentId}', { headers: auth, params: { path: { ...receiptPath, commentId: remark.id } } }),
    'get comment',
  );
  if (remarked.text !== remark.text) throw new Error(`get comment: ${JSON.stringify(remarked)}`);
  ok(
    await api.DELETE('/v1/budgets/{budgetId}/expenses/{expenseId}/comments/{commentId}', { headers: auth, params: { path: { ...receiptPath, commentId: remark.id } } }),
    'delete comment',
  );
  const imported = check(
    await api.POST('/v1/budgets/{budgetId}/expenses/import', {
      headers: { ...auth, 'Content-Type': 'text/csv', Prefer: 'wait=25' },
      // No bill to match here; the parameter is part of the contract (false: every row imported).
      params: { path: { budgetId }, query: { matchRecurring: 'false' } },
      body: 'date,amount,category,description,merchant\r\n2026-10-04,7.20,Groceries,Bread,Bakery\r\n',
      bodySerializer: (csv) => csv,
    }),
    'import csv',
  );
  if (!('id' in imported) || imported.imported !== 1 || imported.matched !== 0) throw new Error(`import: ${JSON.stringify(imported)}`);
  // A bank's export previewed through a column mapping (dry run): its debit is the row just
  // imported; with credits=refunds its credit is previewed as a refund row (not skipped).
  const mapped = check(
    await api.POST('/v1/budgets/{budgetId}/expenses/import', {
      headers: { ...auth, 'Content-Type': 'text/csv' },
      params: {
        path: { budgetId },
        query: {
          dryRun: 'true',
          dateColumn: 'Buchungstag',
          amountColumn: 'Betrag',
          categoryColumn: 'Kategorie',
          descriptionColumn: 'Verwendungszweck',
          merchantColumn: 'Empfänger',
          delimiter: ';',
          dateFormat: 'DD.MM.YYYY',
          decimalSeparator: ',',
          amountSign: 'negativeIsSpending',
          skipLines: 1,
          credits: 'refunds',
          // Tags are no part of a row's identity: the debit is still the row imported above.
          tagsColumn: 'Tags',
          tagsSeparator: '|',
        },
      },
      body: 'Konto;DE00 1234\r\nBuchungstag;Empfänger;Verwendungszweck;Kategorie;Betrag;Tags\r\n04.10.2026;Bakery;Bread;Groceries;-7,20;Trip|Food\r\n05.10.2026;Employer;Salary;;1.500,00;\r\n',
      bodySerializer: (csv) => csv,
    }),
    'import bank csv (dry run)',
  );
  if (!('dryRun' in mapped) || mapped.duplicates !== 1 || mapped.imported !== 1 || mapped.skipped !== 0 || mapped.matchedCount !== 0 || mapped.matched.length !== 0) throw new Error(`bank csv dry run: ${JSON.stringify(mapped)}`);
  // The same mapping saved as an import profile (debits and credits in two columns this time),
  // then a dry run of a UK-style file through it, with one parameter overriding the profile's.
  const profile = check(
    await api.POST('/v1/budgets/{budgetId}/import-profiles', {
      headers: { ...auth, 'Idempotency-Key': `profile-${stamp}` },
      params: { path: { budgetId } },
      body: { name: `Bank ${stamp}`, mapping: { dateColumn: 'Date', merchantColumn: 'Payee', debitColumn: 'Paid out', creditColumn: 'Paid in', dateFormat: 'DD/MM/YYYY', skipLines: 0 } },
    }),
    'create import profile',
  );
  const profiles = check(await api.GET('/v1/budgets/{budgetId}/import-profiles', { headers: auth, params: { path: { budgetId } } }), 'list import profiles');
  if (!profiles.items.some((p) => p.id === profile.id)) throw new Error('list import profiles: the new one is missing');
  const profileNow = check(
    await api.GET('/v1/budgets/{budgetId}/import-profiles/{profileId}', { headers: auth, params: { path: { budgetId, profileId: profile.id } } }),
    'get import profile',
  );
  const profileChanged = check(
    await api.PATCH('/v1/budgets/{budgetId}/import-profiles/{profileId}', {
      headers: { ...auth, 'If-Match': `"${profileNow.version}"` },
      params: { path: { budgetId, profileId: profile.id } },
      body: { mapping: { ...profileNow.mapping, decimalSeparator: '.' } },
    }),
    'update import profile',
  );
  const viaProfile = check(
    await api.POST('/v1/budgets/{budgetId}/expenses/import', {
      headers: { ...auth, 'Content-Type': 'text/csv' },
      params: { path: { budgetId }, query: { dryRun: 'true', profile: profile.id, skipLines: 1 } },
      body: 'Sort code 00-00-00\r\nDate,Payee,Paid out,Paid in\r\n04/10/2026,Bakery,7.20,\r\n05/10/2026,Employer,,"1,500.00"\r\n',
      bodySerializer: (csv) => csv,
    }),
    'import bank csv with a profile (dry run)',
  );
  if (!('dryRun' in viaProfile) || viaProfile.total !== 1 || viaProfile.errorCount !== 0 || viaProfile.skipped !== 1) throw new Error(`profile dry run: ${JSON.stringify(viaProfile)}`);
  // The same file with ?profile=auto: the budget's profile whose columns its header has, named in the answer.
  const viaAuto = check(
    await api.POST('/v1/budgets/{budgetId}/expenses/import', {
      headers: { ...auth, 'Content-Type': 'text/csv' },
      params: { path: { budgetId }, query: { dryRun: 'true', profile: 'auto', skipLines: 1 } },
      body: 'Sort code 00-00-00\r\nDate,Payee,Paid out,Paid in\r\n04/10/2026,Bakery,7.20,\r\n',
      bodySerializer: (csv) => csv,
    }),
    'import bank csv with profile=auto (dry run)',
  );
  if (!('dryRun' in viaAuto) || viaAuto.profileId !== profile.id || viaAuto.total !== 1) throw new Error(`auto profile dry run: ${JSON.stringify(viaAuto)}`);
  // The built-in presets (read-only), and a YNAB export read by one of them.
  const presets = check(await api.GET('/v1/budgets/{budgetId}/import-presets', { headers: auth, params: { path: { budgetId } } }), 'list import presets');
  if (!presets.items.some((p) => p.id === 'ynab' && p.mapping.debitColumn === 'Outflow')) throw new Error(`import presets: ${JSON.stringify(presets)}`);
  ok(
    await api.DELETE('/v1/budgets/{budgetId}/import-profiles/{profileId}', {
      headers: { ...auth, 'If-Match': `"${profileChanged.version}"` },
      params: { path: { budgetId, profileId: profile.id } },
    }),
    'delete import profile',
  );
  // Income (money that came in) and the cash flow it feeds.
  const salary = check(
    await api.POST('/v1/budgets/{budgetId}/income', {
      headers: { ...auth, 'Idempotency-Key': `income-${stamp}` },
      params: { path: { budgetId } },
      body: { amount: 250000, receivedOn: '2026-10-01', source: 'Acme payroll', description: 'October salary' },
    }),
    'record income',
  );
  const incomes = check(await api.GET('/v1/budgets/{budgetId}/income', { headers: auth, params: { path: { budgetId }, query: { from: '2026-10-01', limit: 10 } } }), 'list income');
  if (!incomes.items.some((i) => i.id === salary.id)) throw new Error('list income: the new one is missing');
  const salaryNow = check(await api.GET('/v1/budgets/{budgetId}/income/{incomeId}', { headers: auth, params: { path: { budgetId, incomeId: salary.id } } }), 'get income');
  const salaryChanged = check(
    await api.PATCH('/v1/budgets/{budgetId}/income/{incomeId}', {
      headers: { ...auth, 'If-Match': `"${salaryNow.version}"` },
      params: { path: { budgetId, incomeId: salary.id } },
      body: { amount: 260000, source: null },
    }),
    'update income',
  );
  const flow = check(await api.GET('/v1/budgets/{budgetId}/cash-flow', { headers: auth, params: { path: { budgetId }, query: { from: '2026-09', to: '2026-10' } } }), 'cash flow');
  const flowOctober = flow.months.find((m) => m.month === '2026-10');
  if (flow.months.length !== 2 || flowOctober?.income !== 260000 || flowOctober.net !== 260000 - flowOctober.spent) throw new Error(`cash flow: ${JSON.stringify(flow)}`);
  // Age of Money at October's end: the same income entries and running totals, first in first out.
  const age = check(await api.GET('/v1/budgets/{budgetId}/age-of-money', { headers: auth, params: { path: { budgetId }, query: { date: '2026-10-31' } } }), 'age of money');
  if (age.date !== '2026-10-31' || age.history.length !== 12 || age.history.at(-1)?.days !== age.days || (age.days === null) !== (age.reason !== null)) {
    throw new Error(`age of money: ${JSON.stringify(age)}`);
  }
  // Ready to assign in October: the cash flow's income less the categories' limits of October.
  const assignable = check(await api.GET('/v1/budgets/{budgetId}/assignable', { headers: auth, params: { path: { budgetId }, query: { month: '2026-10' } } }), 'ready to assign');
  const assignedSum = assignable.categories.reduce((sum, c) => sum + c.assigned, 0);
  if (
    assignable.income !== flowOctober.income ||
    assignable.assigned !== assignedSum ||
    assignable.readyToAssign !== assignable.income - assignable.assigned ||
    assignable.overAssigned !== assignable.readyToAssign < 0 ||
    !assignable.categories.some((c) => c.name === 'Groceries')
  ) {
    throw new Error(`ready to assign: ${JSON.stringify(assignable)}`);
  }
  // The income as CSV: the changed entry (2,600.00 on Oct 1, its source removed, its description kept).
  const incomeCsv = check(
    await api.GET('/v1/budgets/{budgetId}/income/export', { headers: auth, params: { path: { budgetId }, query: { from: '2026-10-01', to: '2026-10-31' } }, parseAs: 'text' }),
    'export income csv',
  );
  if (!incomeCsv.includes('2026-10-01,2600.00,,October salary')) throw new Error(`export income: ${incomeCsv}`);
  ok(
    await api.DELETE('/v1/budgets/{budgetId}/income/{incomeId}', {
      headers: { ...auth, 'If-Match': `"${salaryChanged.version}"` },
      params: { path: { budgetId, incomeId: salary.id } },
    }),
    'delete income',
  );
  // Undo of an income delete: listed as deleted, restored (same id, next version), then deleted again.
  const deletedIncome = check(await api.GET('/v1/budgets/{budgetId}/income/deleted', { headers: auth, params: { path: { budgetId }, query: { limit: 10 } } }), 'list deleted income');
  if (!deletedIncome.items.some((d) => d.id === salary.id && d.restorableUntil > d.deletedAt)) throw new Error('deleted income: the deleted entry is missing');
  const salaryBack = check(
    await api.POST('/v1/budgets/{budgetId}/income/{incomeId}/restore', {
      headers: { ...auth, 'Idempotency-Key': `income-restore-${stamp}` },
      params: { path: { budgetId, incomeId: salary.id } },
    }),
    'restore income',
  );
  if (salaryBack.id !== salary.id || salaryBack.version !== salaryChanged.version + 1 || salaryBack.amount !== 260000) throw new Error(`restore income: ${JSON.stringify(salaryBack)}`);
  ok(
    await api.DELETE('/v1/budgets/{budgetId}/income/{incomeId}', {
      headers: { ...auth, 'If-Match': `"${salaryBack.version}"` },
      params: { path: { budgetId, incomeId: salary.id } },
    }),
    'delete restored income',
  );
  // Income on a schedule (a monthly salary): its next occurrence listed as upcoming.
  const payday = check(
    await api.POST('/v1/budgets/{budgetId}/recurring-income', {
      headers: { ...auth, 'Idempotency-Key': `recurring-income-${stamp}` },
      params: { path: { budgetId } },
      body: { amount: 250000, source: 'Acme payroll', schedule: { frequency: 'monthly', startsOn: '2026-10-28' } },
    }),
    'schedule income',
  );
  const paydays = check(await api.GET('/v1/budgets/{budgetId}/recurring-income', { headers: auth, params: { path: { budgetId }, query: { limit: 10 } } }), 'list recurring income');
  if (!paydays.items.some((r) => r.id === payday.id)) throw new Error('list recurring income: the new one is missing');
  const comingIn = check(
    await api.GET('/v1/budgets/{budgetId}/recurring-income/upcoming', { headers: auth, params: { path: { budgetId }, query: { to: '2026-11-03' } } }),
    'upcoming income',
  );
  if (comingIn.count !== 1 || comingIn.items[0]?.receivedOn !== '2026-10-28') throw new Error(`upcoming income: ${JSON.stringify(comingIn)}`);
  // The cash flow forecast over the same days: the salary's day, whatever bills fall there too, from a known balance.
  const outlook = check(
    await api.GET('/v1/budgets/{budgetId}/cash-flow/forecast', { headers: auth, params: { path: { budgetId }, query: { to: '2026-11-03', startingBalance: 10000 } } }),
    'cash flow forecast',
  );
  const salaryDay = outlook.days.find((d) => d.income.some((i) => i.recurringIncomeId === payday.id));
  const lastDay = outlook.days.at(-1);
  if (salaryDay?.date !== '2026-10-28' || outlook.totals.income !== comingIn.total || lastDay?.runningNet !== 10000 + outlook.totals.net || outlook.lowestRunningNet.amount > 10000) {
    throw new Error(`cash flow forecast: ${JSON.stringify(outlook)}`);
  }
  // The same with the everyday spending estimate: every day carries the same estimate, or none is made and the answer says why.
  const withEstimate = check(
    await api.GET('/v1/budgets/{budgetId}/cash-flow/forecast', { headers: auth, params: { path: { budgetId }, query: { to: '2026-11-03', spending: 'estimate' } } }),
    'cash flow forecast with the spending estimate',
  );
  const perDay = withEstimate.estimate?.perDay;
  if (perDay === undefined ? withEstimate.estimateReason !== 'too-little-history' : withEstimate.days.some((d) => d.estimatedSpending !== perDay)) {
    throw new Error(`cash flow forecast with the estimate: ${JSON.stringify(withEstimate)}`);
  }
  const paydayNow = check(
    await api.GET('/v1/budgets/{budgetId}/recurring-income/{recurringIncomeId}', { headers: auth, params: { path: { budgetId, recurringIncomeId: payday.id } } }),
    'get recurring income',
  );
  // October's paycheck skipped; November's came early: recorded now, linked to its definition.
  const paydaySkipped = check(
    await api.POST('/v1/budgets/{budgetId}/recurring-income/{recurringIncomeId}/skip', {
      headers: { ...auth, 'If-Match': `"${paydayNow.version}"`, 'Idempotency-Key': `skip-income-${payday.id}` },
      params: { path: { budgetId, recurringIncomeId: payday.id } },
    }),
    'skip recurring income',
  );
  if (paydaySkipped.nextOccurrenceOn !== '2026-11-28') throw new Error(`skip recurring income: ${JSON.stringify(paydaySkipped)}`);
  const paidEarly = check(
    await api.POST('/v1/budgets/{budgetId}/recurring-income/{recurringIncomeId}/record-next', {
      headers: { ...auth, 'If-Match': `"${paydaySkipped.version}"`, 'Idempotency-Key': `record-next-income-${payday.id}` },
      params: { path: { budgetId, recurringIncomeId: payday.id } },
    }),
    'record next recurring income',
  );
  if (paidEarly.income.recurringIncomeId !== payday.id || paidEarly.income.receivedOn !== '2026-11-28' || paidEarly.recurringIncome.nextOccurrenceOn !== '2026-12-28') {
    throw new Error(`record next recurring income: ${JSON.stringify(paidEarly)}`);
  }
  // The definition's entries alone (its paychecks): the one record-next wrote.
  const paychecks = check(
    await api.GET('/v1/budgets/{budgetId}/income', { headers: auth, params: { path: { budgetId }, query: { recurringIncomeId: payday.id, limit: 10 } } }),
    'list a recurring income entries',
  );
  if (paychecks.items.length !== 1 || paychecks.items[0]?.id !== paidEarly.income.id) throw new Error(`list a recurring income entries: ${JSON.stringify(paychecks)}`);
  // November's paychecks: the Nov 28 date received (the entry record-next wrote, 2,500.00); October's Oct 28 skipped.
  const paycheckNovember = check(
    await api.GET('/v1/budgets/{budgetId}/recurring-income/status', { headers: auth, params: { path: { budgetId }, query: { month: '2026-11' } } }),
    'paycheck status',
  );
  const novemberDates = paycheckNovember.items.find((i) => i.recurringIncomeId === payday.id)?.dates;
  if (novemberDates?.length !== 1 || novemberDates[0]?.status !== 'received' || novemberDates[0].incomeId !== paidEarly.income.id || novemberDates[0].amount !== 250000) {
    throw new Error(`paycheck status: ${JSON.stringify(paycheckNovember)}`);
  }
  const octoberPaychecks = check(
    await api.GET('/v1/budgets/{budgetId}/recurring-income/status', { headers: auth, params: { path: { budgetId }, query: { month: '2026-10' } } }),
    'paycheck status of October',
  );
  if (octoberPaychecks.items.find((i) => i.recurringIncomeId === payday.id)?.dates[0]?.status !== 'skipped') throw new Error(`paycheck status of October: ${JSON.stringify(octoberPaychecks)}`);
  const paydayChanged = check(
    await api.PATCH('/v1/budgets/{budgetId}/recurring-income/{recurringIncomeId}', {
      headers: { ...auth, 'If-Match': `"${paidEarly.recurringIncome.version}"` },
      params: { path: { budgetId, recurringIncomeId: payday.id } },
      body: { amount: 260000, paused: true },
    }),
    'update recurring income',
  );
  if (paydayChanged.nextOccurrenceOn !== null) throw new Error(`paused recurring income: ${JSON.stringify(paydayChanged)}`);
  ok(
    await api.DELETE('/v1/budgets/{budgetId}/recurring-income/{recurringIncomeId}', {
      headers: { ...auth, 'If-Match': `"${paydayChanged.version}"` },
      params: { path: { budgetId, recurringIncomeId: payday.id } },
    }),
    'delete recurring income',
  );
  const progress = check(await api.GET('/v1/budgets/{budgetId}/imports/{importId}', { headers: auth, params: { path: { budgetId, importId: imported.id } } }), 'get import');
  if (progress.status !== 'succeeded' || progress.imported !== 1) throw new Error(`import resource: ${JSON.stringify(progress)}`);
  const csv = check(
    await api.GET('/v1/budgets/{budgetId}/expenses/export', { headers: auth, params: { path: { budgetId }, query: { from: '2026-10-01', to: '2026-10-31' } }, parseAs: 'text' }),
    'export csv',
  );
  if (!csv.includes('Bakery')) throw new Error('export: the imported row is missing');
  // The imported row needs review: listed by ?reviewed=false until a member marks it reviewed.
  const toReview = check(
    await api.GET('/v1/budgets/{budgetId}/expenses', { headers: auth, params: { path: { budgetId }, query: { reviewed: 'false' } } }),
    'list expenses to review',
  );
  const bread = toReview.items[0];
  if (toReview.items.length !== 1 || bread?.merchant !== 'Bakery' || bread.reviewed !== false) throw new Error(`to review: ${JSON.stringify(toReview)}`);
  const approved = check(
    await api.POST('/v1/budgets/{budgetId}/expenses/bulk', {
      headers: auth,
      params: { path: { budgetId } },
      body: { expenseIds: [bread.id], action: { type: 'markReviewed' } },
    }),
    'bulk mark reviewed',
  );
  if (approved.results[0]?.expense?.reviewed !== true) throw new Error(`mark reviewed: ${JSON.stringify(approved)}`);
  // Payee autocomplete: the imported row's merchant, found by a prefix.
  const merchants = check(
    await api.GET('/v1/budgets/{budgetId}/merchants', { headers: auth, params: { path: { budgetId }, query: { q: 'bak', limit: 5 } } }),
    'merchant suggestions',
  );
  if (merchants.items[0]?.merchant !== 'Bakery' || !merchants.window.complete) throw new Error(`merchants: ${JSON.stringify(merchants)}`);
  // Spending breakdown: October's spending by merchant holds the imported row's.
  const byMerchant = check(
    await api.GET('/v1/budgets/{budgetId}/spending', { headers: auth, params: { path: { budgetId }, query: { by: 'merchant', from: '2026-10-01', to: '2026-10-31', limit: 10 } } }),
    'spending by merchant',
  );
  const bakery = byMerchant.items.find((i) => i.key === 'bakery');
  if (byMerchant.by !== 'merchant' || !bakery || bakery.label !== 'Bakery' || bakery.count < 1 || byMerchant.total < bakery.amount) {
    throw new Error(`spending: ${JSON.stringify(byMerchant)}`);
  }
  // The same merchant month by month (September to November, asked in capitals): October's figure is the breakdown's, the empty months zeros.
  const bakeryMonthly = check(
    await api.GET('/v1/budgets/{budgetId}/spending/monthly', { headers: auth, params: { path: { budgetId }, query: { merchant: 'BAKERY', from: '2026-09', to: '2026-11' } } }),
    'spending of a merchant month by month',
  );
  const bakeryOctober = bakeryMonthly.months.find((m) => m.month === '2026-10');
  if (
    bakeryMonthly.merchant !== 'BAKERY' ||
    bakeryMonthly.label !== 'Bakery' ||
    bakeryMonthly.months.length !== 3 ||
    bakeryOctober?.spent !== bakery.amount ||
    bakeryOctober.count !== bakery.count ||
    bakeryMonthly.averagePerMonth !== Math.floor(bakeryMonthly.total / 3)
  ) {
    throw new Error(`spending monthly: ${JSON.stringify(bakeryMonthly)}`);
  }
  // Possible duplicates of October (none of its expenses alike), then the recorded expense and the imported row marked as not duplicates (idempotent: 204).
  const possible = check(
    await api.GET('/v1/budgets/{budgetId}/expenses/duplicates', { headers: auth, params: { path: { budgetId }, query: { from: '2026-10-01', to: '2026-10-31' } } }),
    'possible duplicates',
  );
  if (possible.from !== '2026-10-01' || possible.to !== '2026-10-31' || possible.scanned < 2) throw new Error(`duplicates: ${JSON.stringify(possible)}`);
  ok(
    await api.POST('/v1/budgets/{budgetId}/expenses/duplicates/dismiss', { headers: auth, params: { path: { budgetId } }, body: { expenseIds: [expense.id, bread.id] } }),
    'dismiss possible duplicates',
  );
  // Merchant rename: the bank's spelling into one payee, as a job awaited with Prefer: wait.
  const renameStarted = check(
    await api.POST('/v1/budgets/{budgetId}/merchants/rename', {
      headers: { ...auth, Prefer: 'wait=25' },
      params: { path: { budgetId } },
      // remember: new expenses spelled BAKERY are renamed when recorded (a rename rule).
      body: { from: ['BAKERY'], to: 'Bakery', remember: true },
    }),
    'rename merchant',
  );
  if (renameStarted.ruleIds?.length !== 1) throw new Error(`rename remember: ${JSON.stringify(renameStarted)}`);
  const rename = check(await api.GET('/v1/budgets/{budgetId}/merchant-renames/{renameId}', { headers: auth, params: { path: { budgetId, renameId: renameStarted.id } } }), 'get rename');
  // Matched ignoring case, but already exactly `to`: examined, nothing to write.
  if (rename.status !== 'succeeded' || rename.examined < 1 || rename.renamed !== 0) throw new Error(`rename: ${JSON.stringify(rename)}`);
  // Tag rename: a tag no expense carries, removed (to: null): examined, nothing to write; then GET it.
  const tagRenameStarted = check(
    await api.POST('/v1/budgets/{budgetId}/tags/rename', { headers: { ...auth, Prefer: 'wait=25' }, params: { path: { budgetId } }, body: { from: ['no-such-tag'], to: null } }),
    'rename tag',
  );
  const tagRename = check(await api.GET('/v1/budgets/{budgetId}/tag-renames/{renameId}', { headers: auth, params: { path: { budgetId, renameId: tagRenameStarted.id } } }), 'get tag rename');
  if (tagRename.status !== 'succeeded' || tagRename.to !== null || tagRename.examined < 1 || tagRename.renamed !== 0) throw new Error(`tag rename: ${JSON.stringify(tagRename)}`);

  // Delta sync: the first call, then one after a delete (the item says which kind it is).
  const first = check(await api.GET('/v1/budgets/{budgetId}/changes', { headers: auth, params: { path: { budgetId } } }), 'changes');
  ok(
    await api.DELETE('/v1/budgets/{budgetId}/expenses/{expenseId}', {
      headers: { ...auth, 'If-Match': `"${changed.version}"` },
      params: { path: { budgetId, expenseId: expense.id } },
    }),
    'delete expense',
  );
  const next = check(
    await api.GET('/v1/budgets/{budgetId}/changes', { headers: auth, params: { path: { budgetId }, query: { since: first.serverKnowledge } } }),
    'changes since',
  );
  for (const item of next.expenses) {
    switch (item.kind) {
      case 'deleted':
        if (item.id !== expense.id) throw new Error('changes: another expense was deleted');
        break;
      case 'expense':
        if (item.amount <= 0) throw new Error('changes: an expense without an amount');
        break;
    }
  }
  // Undo: the deleted expense is listed, restored (same id, next version), then deleted again.
  const deleted = check(await api.GET('/v1/budgets/{budgetId}/expenses/deleted', { headers: auth, params: { path: { budgetId }, query: { limit: 10 } } }), 'list deleted expenses');
  if (!deleted.items.some((d) => d.id === expense.id && d.restorableUntil > d.deletedAt)) throw new Error('deleted list: the deleted expense is missing');
  const restored = check(
    await api.POST('/v1/budgets/{budgetId}/expenses/{expenseId}/restore', {
      headers: { ...auth, 'Idempotency-Key': `restore-${stamp}` },
      params: { path: { budgetId, expenseId: expense.id } },
    }),
    'restore expense',
  );
  if (restored.id !== expense.id || restored.version !== changed.version + 1) throw new Error(`restore: ${JSON.stringify(restored)}`);
  ok(
    await api.DELETE('/v1/budgets/{budgetId}/expenses/{expenseId}', {
      headers: { ...auth, 'If-Match': `"${restored.version}"` },
      params: { path: { budgetId, expenseId: expense.id } },
    }),
    'delete restored expense',
  );
  // Undo of an import ("I imported the wrong file"): a file of its own, undone whole.
  const wrongFile = check(
    await api.POST('/v1/budgets/{budgetId}/expenses/import', {
      headers: { ...auth, 'Content-Type': 'text/csv', Prefer: 'wait=25' },
      params: { path: { budgetId } },
      body: 'date,amount,category,description,merchant\r\n2026-10-06,3.10,,Wrong file,Undo Shop\r\n',
      bodySerializer: (csv) => csv,
    }),
    'import the wrong file',
  );
  if ('dryRun' in wrongFile || wrongFile.imported !== 1) throw new Error(`wrong file import: ${JSON.stringify(wrongFile)}`);
  const undone = check(
    await api.POST('/v1/budgets/{budgetId}/imports/{importId}/undo', {
      headers: { ...auth, Prefer: 'wait=25', 'Idempotency-Key': `undo-import-${stamp}` },
      params: { path: { budgetId, importId: wrongFile.id } },
    }),
    'undo import',
  );
  if (undone.undo?.status !== 'succeeded' || undone.undo.removed !== 1 || undone.undo.kept !== 0 || undone.undo.total !== 1) throw new Error(`undo import: ${JSON.stringify(undone)}`);
  if (first.budget && first.budget.name !== renamed.name) throw new Error('changes: the budget is not the current one');

  // Offline push: a queued create, an income entry's (`type: income`) and a bill set up offline
  // (`type: recurringExpense`), answered per mutation (told apart by `status`).
  const pushed = check(
    await api.POST('/v1/budgets/{budgetId}/changes', {
      headers: { ...auth, 'Idempotency-Key': `push-${stamp}` },
      params: { path: { budgetId } },
      body: {
        mutations: [
          { op: 'create', expense: { amount: 700, occurredOn: '2026-10-12', merchant: 'Offline cafe' } },
          { type: 'income', op: 'create', income: { amount: 1500, receivedOn: '2026-10-12', source: 'Offline tips' } },
          { type: 'recurringExpense', op: 'create', recurringExpense: { amount: 999, merchant: 'Offline gym', schedule: { frequency: 'monthly', startsOn: '2026-11-01' } } },
        ],
      },
    }),
    'push changes',
  );
  for (const result of pushed.results) {
    switch (result.status) {
      case 'applied':
        if (result.version < 1) throw new Error('push: applied without a version');
        break;
      case 'conflict':
        // `kind` tells the server's copy apart: expense, income, recurringExpense, recurringIncome or deleted.
        throw new Error(`push: a new item conflicted (${result.current.kind})`);
      case 'error':
        throw new Error(`push: ${result.problem.title}`);
    }
  }

  // The pushed income entry comes with the next sync, in `income` (told apart by `kind`).
  const pushedIncome = pushed.results.flatMap((r) => (r.status === 'applied' && r.income ? [r.income] : []));
  if (pushedIncome.length !== 1 || pushedIncome[0]?.source !== 'Offline tips') throw new Error(`push: the income entry is missing: ${JSON.stringify(pushed)}`);
  const afterPush = check(
    await api.GET('/v1/budgets/{budgetId}/changes', { headers: auth, params: { path: { budgetId }, query: { since: next.serverKnowledge } } }),
    'changes after push',
  );
  const syncedIncome = (afterPush.income ?? []).flatMap((item) => (item.kind === 'income' ? [item] : []));
  if (!syncedIncome.some((i) => i.id === pushedIncome[0]?.id && i.amount === 1500)) throw new Error(`changes: the pushed income is missing: ${JSON.stringify(afterPush)}`);
  // The pushed bill, as GET answers it, comes with that sync too (`recurringExpenses`); paused offline next.
  const pushedBill = pushed.results.flatMap((r) => (r.status === 'applied' && r.recurringExpense ? [r.recurringExpense] : []))[0];
  if (pushedBill?.merchant !== 'Offline gym' || pushedBill.paused) throw new Error(`push: the recurring expense is missing: ${JSON.stringify(pushed)}`);
  if (!(afterPush.recurringExpenses ?? []).some((d) => d.kind === 'recurringExpense' && d.id === pushedBill.id)) throw new Error(`changes: the pushed recurring expense is missing: ${JSON.stringify(afterPush)}`);
  // Its first date skipped offline: the date the phone saw as next, at the version it saw.
  const skippedOffline = check(
    await api.POST('/v1/budgets/{budgetId}/changes', {
      headers: auth,
      params: { path: { budgetId } },
      body: { mutations: [{ type: 'recurringExpense', op: 'skip', id: pushedBill.id, baseVersion: pushedBill.version, nextOccurrenceOn: pushedBill.nextOccurrenceOn ?? '' }] },
    }),
    'push a skip',
  ).results[0];
  if (skippedOffline?.status !== 'applied' || skippedOffline.recurringExpense?.nextOccurrenceOn !== '2026-12-01') throw new Error(`push: the skip: ${JSON.stringify(skippedOffline)}`);
  const pausedOffline = check(
    await api.POST('/v1/budgets/{budgetId}/changes', {
      headers: auth,
      params: { path: { budgetId } },
      body: { mutations: [{ type: 'recurringExpense', op: 'update', id: pushedBill.id, baseVersion: skippedOffline.version, patch: { paused: true } }] },
    }),
    'push a pause',
  ).results[0];
  if (pausedOffline?.status !== 'applied' || pausedOffline.recurringExpense?.paused !== true) throw new Error(`push: the pause: ${JSON.stringify(pausedOffline)}`);
  ok(
    await api.DELETE('/v1/budgets/{budgetId}/recurring-expenses/{recurringExpenseId}', { headers: auth, params: { path: { budgetId, recurringExpenseId: pushedBill.id } } }),
    'delete the pushed recurring expense',
  );

  // Bulk edit: the pushed expense tagged with the others of the batch, answered per expense.
  const pushedIds = pushed.results.flatMap((r) => (r.status === 'applied' && r.expense ? [r.expense.id] : []));
  const edited = check(
    await api.POST('/v1/budgets/{budgetId}/expenses/bulk', {
      headers: { ...auth, 'Idempotency-Key': `bulk-${stamp}` },
      params: { path: { budgetId } },
      body: { expenseIds: pushedIds, action: { type: 'addTags', tags: ['offline'] } },
    }),
    'bulk edit expenses',
  );
  for (const result of edited.results) {
    if (result.status !== 200 || !result.expense?.tags?.includes('offline')) throw new Error(`bulk edit: ${JSON.stringify(result)}`);
  }
  if (edited.succeeded !== pushedIds.length || edited.failed !== 0) throw new Error('bulk edit: not every expense was tagged');
  // Tag autocomplete: the tag just added, found by a prefix.
  const tagSuggestions = check(
    await api.GET('/v1/budgets/{budgetId}/tags', { headers: auth, params: { path: { budgetId }, query: { q: 'off', limit: 5 } } }),
    'tag suggestions',
  );
  if (tagSuggestions.items[0]?.tag !== 'offline' || tagSuggestions.items[0].count < 1) throw new Error(`tags: ${JSON.stringify(tagSuggestions)}`);
  // Undo of that bulk edit (within its 24 h): each tagged expense, unchanged since, loses the tag again.
  if (!edited.undo) throw new Error('bulk edit: no undo although expenses were written');
  const bulkUndone = check(
    await api.POST('/v1/budgets/{budgetId}/expenses/bulk/{bulkId}/undo', { headers: auth, params: { path: { budgetId, bulkId: edited.undo.id } } }),
    'undo bulk edit',
  );
  if (bulkUndone.undone.length !== pushedIds.length || bulkUndone.kept.length !== 0 || bulkUndone.failed.length !== 0) throw new Error(`undo bulk edit: ${JSON.stringify(bulkUndone)}`);

  // Activity, notifications, devices.
  check(await api.GET('/v1/budgets/{budgetId}/activity', { headers: auth, params: { path: { budgetId } } }), 'activity');
  const notes = check(await api.GET('/v1/notifications', { headers: auth }), 'list notifications');
  const note = notes.items[0];
  const read = await api.POST('/v1/notifications/{notificationId}/read', {
    headers: auth,
    params: { path: { notificationId: note?.id ?? '01JDNOTIFICATION0000000001' } },
  });
  // Alerts arrive asynchronously: with none yet, an unknown id is a documented 404.
  if (note) ok(read, 'mark notification read');
  else if (read.response.status !== 404) throw new Error(`mark notification read: ${read.response.status}`);
  const device = check(
    await api.POST('/v1/me/devices', { headers: auth, body: { platform: 'apns', token: '740f4707bebcf74f9b7c25d48e3358945f6aa01da5ddb387462c7eaf61bb78ad' } }),
    'register device',
  );
  const devices = check(await api.GET('/v1/me/devices', { headers: auth }), 'list devices');
  if (!devices.items.some((d) => d.id === device.id)) throw new Error('list devices: the registered device is missing');
  const oneDevice = check(await api.GET('/v1/me/devices/{deviceId}', { headers: auth, params: { path: { deviceId: device.id } } }), 'get device');
  if (oneDevice.id !== device.id || oneDevice.platform !== 'apns') throw new Error(`get device: ${JSON.stringify(oneDevice)}`);
  ok(await api.DELETE('/v1/me/devices/{deviceId}', { headers: auth, params: { path: { deviceId: device.id } } }), 'remove device');
  const readAll = check(await api.POST('/v1/notifications/read-all', { headers: auth }), 'mark all notifications read');
  if ((readAll.readUpTo === null) !== (note === undefined)) throw new Error('mark all notifications read: readUpTo does not match the list');

  // Webhooks: register (the secret is shown once), read, change, rotate, deliveries, delete.
  const hook = check(
    await api.POST('/v1/webhooks', {
      headers: { ...auth, 'Idempotency-Key': `webhook-${stamp}` },
      body: { url: 'https://93.184.215.14/hooks/budgets', budgetIds: [budgetId], eventTypes: ['expense.recorded'], description: 'Dashboard' },
    }),
    'create webhook',
  );
  if (!hook.secret.startsWith('whsec_')) throw new Error('create webhook: no whsec_ secret');
  const hooks = check(await api.GET('/v1/webhooks', { headers: auth }), 'list webhooks');
  if (!hooks.items.some((w) => w.id === hook.id)) throw new Error('list webhooks: the new one is missing');
  const hookNow = check(await api.GET('/v1/webhooks/{webhookId}', { headers: auth, params: { path: { webhookId: hook.id } } }), 'get webhook');
  const hookChanged = check(
    await api.PATCH('/v1/webhooks/{webhookId}', {
      headers: { ...auth, 'If-Match': `"${hookNow.version}"` },
      params: { path: { webhookId: hook.id } },
      body: { eventTypes: null, enabled: false },
    }),
    'update webhook',
  );
  const rotated = check(
    await api.POST('/v1/webhooks/{webhookId}/rotate-secret', { headers: { ...auth, 'Idempotency-Key': `rotate-${stamp}` }, params: { path: { webhookId: hook.id } } }),
    'rotate webhook secret',
  );
  if (rotated.secret === hook.secret || rotated.previousSecretExpiresAt === null) throw new Error('rotate webhook secret: not rotated');
  const deliveries = check(await api.GET('/v1/webhooks/{webhookId}/deliveries', { headers: auth, params: { path: { webhookId: hook.id } } }), 'list deliveries');
  const redelivery = await api.POST('/v1/webhooks/{webhookId}/deliveries/{deliveryId}/redeliver', {
    headers: { ...auth, 'Idempotency-Key': `redeliver-${stamp}` },
    params: { path: { webhookId: hook.id, deliveryId: deliveries.items[0]?.id ?? 'msg_01JDQ5B1C2D3E4F5G6H7J8K9M0' } },
  });
  // Deliveries come from events, asynchronously: with none yet, an unknown id is a documented 404.
  if (deliveries.items[0]) ok(redelivery, 'redeliver');
  else if (redelivery.response.status !== 404) throw new Error(`redeliver: ${redelivery.response.status}`);
  // A test event: queued as a delivery of its own (also to this disabled webhook), no budget.
  const pinged = check(
    await api.POST('/v1/webhooks/{webhookId}/ping', { headers: { ...auth, 'Idempotency-Key': `ping-${stamp}` }, params: { path: { webhookId: hook.id } } }),
    'ping webhook',
  );
  if (pinged.eventType !== 'webhook.ping' || pinged.budgetId !== null || pinged.sequence !== null) throw new Error('ping webhook: not a ping delivery');
  ok(
    await api.DELETE('/v1/webhooks/{webhookId}', { headers: { ...auth, 'If-Match': `"${hookChanged.version + 1}"` }, params: { path: { webhookId: hook.id } } }),
    'delete webhook',
  );

  // Categorization rules: a new expense without a category takes the matching rule's.
  const rule = check(
    await api.POST('/v1/budgets/{budgetId}/rules', {
      headers: { ...auth, 'Idempotency-Key': `rule-${stamp}` },
      params: { path: { budgetId } },
      body: { merchant: { contains: 'bakery' }, categoryId: groceries?.id ?? '', tags: ['bread'] },
    }),
    'create rule',
  );
  const rules = check(await api.GET('/v1/budgets/{budgetId}/rules', { headers: auth, params: { path: { budgetId } } }), 'list rules');
  if (!rules.items.some((r) => r.id === rule.id)) throw new Error('list rules: the new one is missing');
  const ruleNow = check(await api.GET('/v1/budgets/{budgetId}/rules/{ruleId}', { headers: auth, params: { path: { budgetId, ruleId: rule.id } } }), 'get rule');
  const ruleChanged = check(
    await api.PATCH('/v1/budgets/{budgetId}/rules/{ruleId}', {
      headers: { ...auth, 'If-Match': `"${ruleNow.version}"` },
      params: { path: { budgetId, ruleId: rule.id } },
      body: { position: -1 },
    }),
    'update rule',
  );
  const ruled = check(
    await api.POST('/v1/budgets/{budgetId}/expenses', {
      headers: auth,
      params: { path: { budgetId } },
      body: { amount: 300, occurredOn: '2026-10-04', merchant: 'The Bakery' },
    }),
    'create expense by rule',
  );
  if (ruled.categoryId !== rule.categoryId) throw new Error('create expense by rule: not categorized');
  // Rules learnt from how the members categorize: the bakery has a rule, so it is never suggested.
  const ruleSuggestions = check(
    await api.GET('/v1/budgets/{budgetId}/rules/suggestions', { headers: auth, params: { path: { budgetId }, query: { limit: 5 } } }),
    'rule suggestions',
  );
  if (ruleSuggestions.window.expensesExamined < 1 || ruleSuggestions.items.some((s) => s.merchant === 'The Bakery')) throw new Error(`rule suggestions: ${JSON.stringify(ruleSuggestions)}`);
  // Testing a rule with an amount condition against the expenses recorded (nothing is written).
  const preview = check(
    await api.POST('/v1/budgets/{budgetId}/rules/preview', {
      headers: auth,
      params: { path: { budgetId } },
      body: { rule: { merchant: { contains: 'bakery' }, amount: { max: 300 }, categoryId: groceries?.id ?? '' }, from: '2026-10-01', to: '2026-10-31' },
    }),
    'preview rule',
  );
  if (!preview.matches.some((m) => m.id === ruled.id) || preview.more) throw new Error(`preview rule: ${JSON.stringify(preview)}`);
  // The saved rule applied to the expenses recorded: the one created by it already is as it makes it.
  const applied = check(
    await api.POST('/v1/budgets/{budgetId}/rules/{ruleId}/apply', {
      headers: { ...auth, 'Idempotency-Key': `rule-apply-${stamp}` },
      params: { path: { budgetId, ruleId: rule.id } },
      body: { from: '2026-10-01', to: '2026-10-31' },
    }),
    'apply rule',
  );
  if (applied.applied.some((a) => a.id === ruled.id) || applied.unchanged < 1 || applied.failed.length > 0 || applied.more || applied.cursor !== null || (applied.applied.length > 0) !== (applied.undo !== null)) throw new Error(`apply rule: ${JSON.stringify(applied)}`);
  // A rename rule: the bank's spelling becomes the payee, then the category rule files it.
  const renaming = check(
    await api.POST('/v1/budgets/{budgetId}/rules', {
      headers: auth,
      params: { path: { budgetId } },
      body: { merchant: { equals: 'BKRY 123' }, renameTo: 'The Bakery' },
    }),
    'create rename rule',
  );
  const renamedByRule = check(
    await api.POST('/v1/budgets/{budgetId}/expenses', {
      headers: auth,
      params: { path: { budgetId } },
      body: { amount: 200, occurredOn: '2026-10-04', merchant: 'bkry 123' },
    }),
    'create expense renamed by rule',
  );
  if (renamedByRule.merchant !== renaming.renameTo || renamedByRule.categoryId !== rule.categoryId) throw new Error(`rename rule: ${JSON.stringify(renamedByRule)}`);
  ok(
    await api.DELETE('/v1/budgets/{budgetId}/rules/{ruleId}', {
      headers: { ...auth, 'If-Match': `"${renaming.version}"` },
      params: { path: { budgetId, ruleId: renaming.id } },
    }),
    'delete rename rule',
  );
  ok(
    await api.DELETE('/v1/budgets/{budgetId}/rules/{ruleId}', {
      headers: { ...auth, 'If-Match': `"${ruleChanged.version}"` },
      params: { path: { budgetId, ruleId: rule.id } },
    }),
    'delete rule',
  );

  // Recurring expenses.
  const recurring = check(
    await api.POST('/v1/budgets/{budgetId}/recurring-expenses', {
      headers: auth,
      params: { path: { budgetId } },
      body: { amount: 4_000, description: 'Internet', schedule: { frequency: 'monthly', startsOn: '2026-10-20' } },
    }),
    'create recurring',
  );
  const recurringId = recurring.id;
  check(await api.GET('/v1/budgets/{budgetId}/recurring-expenses', { headers: auth, params: { path: { budgetId } } }), 'list recurring');
  // The bill finder: this budget's few expenses hold no bill, but the window examined them.
  const suggestions = check(await api.GET('/v1/budgets/{budgetId}/recurring-expenses/suggestions', { headers: auth, params: { path: { budgetId } } }), 'recurring suggestions');
  if (suggestions.window.expensesExamined < 1 || !suggestions.window.complete) throw new Error(`recurring suggestions: ${JSON.stringify(suggestions)}`);
  const current = check(
    await api.GET('/v1/budgets/{budgetId}/recurring-expenses/{recurringExpenseId}', { headers: auth, params: { path: { budgetId, recurringExpenseId: recurringId } } }),
    'get recurring',
  );
  const paused = check(
    await api.PATCH('/v1/budgets/{budgetId}/recurring-expenses/{recurringExpenseId}', {
      headers: { ...auth, 'If-Match': `"${current.version}"` },
      params: { path: { budgetId, recurringExpenseId: recurringId } },
      body: { amount: 4_500 },
    }),
    'update recurring',
  );
  // The period forecast counts its October occurrence, not recorded yet (the clock is on Oct 5).
  const forecast = check(
    await api.GET('/v1/budgets/{budgetId}/forecast', { headers: auth, params: { path: { budgetId }, query: { date: '2026-10-10' } } }),
    'forecast',
  );
  if (!forecast.upcoming.some((o) => o.recurringExpenseId === recurringId && o.occurredOn === '2026-10-20' && o.amount === 4_500)) {
    throw new Error('forecast: the recurring expense is not scheduled');
  }
  // The upcoming bills of the next 30 days hold the same occurrence; its cost over the year ahead counts Oct 20 .. Sep 20.
  const bills = check(
    await api.GET('/v1/budgets/{budgetId}/recurring-expenses/upcoming', { headers: auth, params: { path: { budgetId }, query: { days: 30 } } }),
    'upcoming bills',
  );
  if (!bills.items.some((o) => o.recurringExpenseId === recurringId && o.occurredOn === '2026-10-20' && o.amount === 4_500)) throw new Error(`upcoming bills: ${JSON.stringify(bills)}`);
  // October's bill status: its Oct 20 date is still to come (the clock is on Oct 5), 45.00 due.
  const status = check(
    await api.GET('/v1/budgets/{budgetId}/recurring-expenses/status', { headers: auth, params: { path: { budgetId }, query: { date: '2026-10-05' } } }),
    'bill status',
  );
  const statusItem = status.items.find((i) => i.recurringExpenseId === recurringId);
  if (statusItem?.dates[0]?.occurredOn !== '2026-10-20' || statusItem.dates[0].status !== 'due' || status.totals.due !== 4_500) throw new Error(`bill status: ${JSON.stringify(status)}`);
  // Safe to spend on Oct 5: the Oct 20 bill (45.00) is still to come, so it is held back from October's remaining.
  const safe = check(
    await api.GET('/v1/budgets/{budgetId}/safe-to-spend', { headers: auth, params: { path: { budgetId }, query: { date: '2026-10-05' } } }),
    'safe to spend',
  );
  if (
    safe.periodStart !== '2026-10-01' ||
    !safe.upcomingBills.items.some((b) => b.recurringExpenseId === recurringId && b.dueOn === '2026-10-20' && b.amount === 4_500) ||
    safe.safeToSpend !== safe.remaining - safe.upcomingBills.total
  ) {
    throw new Error(`safe to spend: ${JSON.stringify(safe)}`);
  }
  const costs = check(await api.GET('/v1/budgets/{budgetId}/recurring-expenses/costs', { headers: auth, params: { path: { budgetId } } }), 'recurring costs');
  const cost = costs.items.find((i) => i.recurringExpenseId === recurringId);
  if (cost?.occurrences !== 12 || cost.yearly !== 54_000 || cost.monthly !== 4_500) throw new Error(`recurring costs: ${JSON.stringify(costs)}`);
  // Price changes: none of its merchant's payments (there are none) differ from its amount.
  const priceChanges = check(
    await api.GET('/v1/budgets/{budgetId}/recurring-expenses/price-changes', { headers: auth, params: { path: { budgetId }, query: { days: 120 } } }),
    'recurring price changes',
  );
  if (priceChanges.items.some((i) => i.recurringExpenseId === recurringId)) throw new Error(`recurring price changes: ${JSON.stringify(priceChanges)}`);
  // A calendar feed of the upcoming bills: its URL (shown once) is read without a bearer token.
  const feed = check(await api.POST('/v1/budgets/{budgetId}/calendar-feeds', { headers: auth, params: { path: { budgetId } } }), 'create calendar feed');
  const feeds = check(await api.GET('/v1/budgets/{budgetId}/calendar-feeds', { headers: auth, params: { path: { budgetId } } }), 'list calendar feeds');
  if (!feeds.items.some((f) => f.id === feed.id)) throw new Error('calendar feeds: the new feed is not listed');
  const ownFeed = check(await api.GET('/v1/budgets/{budgetId}/calendar-feeds/{feedId}', { headers: auth, params: { path: { budgetId, feedId: feed.id } } }), 'get calendar feed');
  if (ownFeed.id !== feed.id || 'url' in ownFeed) throw new Error(`get calendar feed: ${JSON.stringify(ownFeed)}`);
  const token = new URL(feed.url).pathname.replace(/^\/v1\/calendar\//, '').replace(/\.ics$/, '');
  const ics = check(await api.GET('/v1/calendar/{token}.ics', { params: { path: { token } }, parseAs: 'text' }), 'read calendar feed');
  if (!ics.includes('DTSTART;VALUE=DATE:20261020') || !ics.includes('SUMMARY:Internet: 45.00 EUR')) throw new Error(`calendar feed: ${ics}`);
  ok(await api.DELETE('/v1/budgets/{budgetId}/calendar-feeds/{feedId}', { headers: auth, params: { path: { budgetId, feedId: feed.id } } }), 'revoke calendar feed');
  // Skip that October occurrence: the next one is November's.
  const skipped = check(
    await api.POST('/v1/budgets/{budgetId}/recurring-expenses/{recurringExpenseId}/skip', {
      headers: { ...auth, 'If-Match': `"${paused.version}"`, 'Idempotency-Key': `skip-${recurringId}` },
      params: { path: { budgetId, recurringExpenseId: recurringId } },
    }),
    'skip recurring',
  );
  if (skipped.nextOccurrenceOn !== '2026-11-20' || skipped.paused) throw new Error('skip: not moved to the next occurrence');
  // Paid November's early, today: recorded now (dated today), the definition moves on to December's.
  const recordedNow = check(
    await api.POST('/v1/budgets/{budgetId}/recurring-expenses/{recurringExpenseId}/record-next', {
      headers: { ...auth, 'If-Match': `"${skipped.version}"`, 'Idempotency-Key': `record-next-${recurringId}` },
      params: { path: { budgetId, recurringExpenseId: recurringId } },
      body: { occurredOn: '2026-10-05' },
    }),
    'record next recurring',
  );
  if (
    recordedNow.expense.amount !== 4_500 ||
    recordedNow.expense.occurredOn !== '2026-10-05' ||
    recordedNow.recurringExpense.nextOccurrenceOn !== '2026-12-20' ||
    recordedNow.recurringExpense.version !== skipped.version + 1
  ) {
    throw new Error(`record next: ${JSON.stringify(recordedNow)}`);
  }
  ok(
    await api.DELETE('/v1/budgets/{budgetId}/recurring-expenses/{recurringExpenseId}', {
      headers: { ...auth, 'If-Match': `"${recordedNow.recurringExpense.version}"` },
      params: { path: { budgetId, recurringExpenseId: recurringId } },
    }),
    'delete recurring',
  );
  // Its payments, the definition deleted: the expense record-next recorded still names it.
  const payments = check(
    await api.GET('/v1/budgets/{budgetId}/expenses', { headers: auth, params: { path: { budgetId }, query: { recurringExpenseId: recurringId } } }),
    'list expenses of a recurring expense',
  );
  if (payments.items.map((e) => e.id).join() !== recordedNow.expense.id || payments.items[0]?.recurringExpenseId !== recurringId) {
    throw new Error(`list by recurringExpenseId: ${JSON.stringify(payments)}`);
  }

  // Summary and reports (a period must have ended: move to November).
  const october = check(await api.GET('/v1/budgets/{budgetId}/summary', { headers: auth, params: { path: { budgetId }, query: { date: '2026-10-10' } } }), 'summary');
  // The category's group sums it (its only category): same limit and spending.
  if (october.groups[0]?.name !== 'Everyday' || october.groups[0].spent !== october.categories[0]?.spent || october.groups[0].limit !== 40_000) {
    throw new Error('summary: the Everyday group is not its category');
  }
  // Groceries rolls over: its line carries carriedOver and available (October is its first period: nothing carried yet).
  const groceriesLine = october.categories[0];
  if (groceriesLine?.carriedOver !== 0 || groceriesLine.available !== 40_000 || groceriesLine.remaining !== groceriesLine.available - groceriesLine.spent) {
    throw new Error('summary: the rollover category has no carriedOver/available');
  }
  // Its target: October, November, December left; funded exactly when what is set aside reaches the amount.
  const target = groceriesLine.target;
  if (target?.periodsLeft !== 3 || target.amount !== 100_000 || (target.status === 'funded') !== groceriesLine.remaining >= 100_000) {
    throw new Error(`summary: the category target's figures are wrong: ${JSON.stringify(target)}`);
  }
  // A group whose category rolls over carries its carriedOver and available.
  if (october.groups[0].carriedOver !== 0 || october.groups[0].available !== 40_000) throw new Error('summary: the rollover group has no carriedOver/available');
  // Paced on the asked 10 October (today is the 5th, the period is current): 1..10 elapsed, 10..31 left,
  // and the daily allowance never spends more than what remains.
  const { pace } = october;
  if (pace.daysInPeriod !== 31 || pace.daysElapsed !== 10 || pace.daysLeft !== 22 || pace.dailyAllowance * 22 > Math.max(0, october.remaining)) {
    throw new Error('summary: not paced on the asked day');
  }
  // October's spending by category: the summary's spent as total, Groceries' spent as its item, uncategorized as the summary's.
  const byCategory = check(
    await api.GET('/v1/budgets/{budgetId}/spending', { headers: auth, params: { path: { budgetId }, query: { by: 'category', from: '2026-10-01', to: '2026-10-31' } } }),
    'spending by category',
  );
  const groceriesItem = byCategory.items.find((i) => i.key === groceriesLine.categoryId);
  const uncategorizedItem = byCategory.items.find((i) => i.key === 'uncategorized');
  if (
    byCategory.by !== 'category' ||
    byCategory.total !== october.spent ||
    (groceriesItem?.amount ?? 0) !== groceriesLine.spent ||
    (groceriesLine.spent > 0 && groceriesItem?.label !== groceriesLine.name) ||
    (uncategorizedItem?.amount ?? 0) !== october.uncategorizedSpent
  ) {
    throw new Error(`spending by category: ${JSON.stringify(byCategory)}`);
  }
  // Settle-up balances of October: everything paid is split, so the nets add up to zero.
  const balances = check(
    await api.GET('/v1/budgets/{budgetId}/balances', { headers: auth, params: { path: { budgetId }, query: { from: '2026-10-01', to: '2026-10-31' } } }),
    'balances',
  );
  if (balances.members.reduce((sum, m) => sum + m.net, 0) !== 0 || balances.members.reduce((sum, m) => sum + m.owes, 0) !== balances.total) {
    throw new Error('balances: the parts do not add up');
  }
  // Spending trends of August..October: the last period is the summary's October.
  const trends = check(
    await api.GET('/v1/budgets/{budgetId}/trends', { headers: auth, params: { path: { budgetId }, query: { periods: 3, date: '2026-10-10' } } }),
    'trends',
  );
  if (trends.periods.length !== 3 || trends.periods[2]?.periodStart !== '2026-10-01' || trends.periods[2].spent !== october.spent) {
    throw new Error('trends: not the three periods ending with October');
  }
  // The year in review of 2026: October's month is the summary's October.
  const review = check(
    await api.GET('/v1/budgets/{budgetId}/year-review', { headers: auth, params: { path: { budgetId }, query: { year: 2026 } } }),
    'year in review',
  );
  if (review.year !== 2026 || review.months.length !== 12 || review.months[9]?.spent !== october.spent) {
    throw new Error(`year in review: ${JSON.stringify(review.months)}`);
  }
  // October day by day against September: its running sum ends at the summary's October spending.
  const daily = check(
    await api.GET('/v1/budgets/{budgetId}/daily-spending', { headers: auth, params: { path: { budgetId }, query: { date: '2026-10-10' } } }),
    'daily spending',
  );
  if (daily.period.start !== '2026-10-01' || daily.period.spent !== october.spent || daily.previous.end !== '2026-09-30') {
    throw new Error(`daily spending: ${JSON.stringify(daily.period)}`);
  }
  // Unusual spending on October's last day: its spent so far is the whole of October, the summary's.
  const insights = check(
    await api.GET('/v1/budgets/{budgetId}/spending-insights', { headers: auth, params: { path: { budgetId }, query: { date: '2026-10-31', periods: 3, minDifference: 0 } } }),
    'spending insights',
  );
  if (insights.dayOfPeriod !== 31 || insights.total.spentSoFar !== october.spent || insights.total.difference !== october.spent - insights.total.usualSoFar || insights.periods > 3) {
    throw new Error(`spending insights: ${JSON.stringify(insights.total)}`);
  }
  // Quick budget for November: October's spending as each category's limit, and the PATCH applying it.
  const quick = await api.GET('/v1/budgets/{budgetId}/limit-suggestions', {
    headers: auth,
    params: { path: { budgetId }, query: { basis: 'last-period-spent', periods: 1, date: '2026-11-10', roundTo: 1 } },
  });
  const limits = check(quick, 'limit suggestions');
  const octoberGroceries = Math.max(0, october.categories[0]?.spent ?? -1);
  if (limits.from !== '2026-10-01' || limits.categories[0]?.suggested !== octoberGroceries || limits.patch.categories[0]?.limit !== octoberGroceries) {
    throw new Error(`limit suggestions: not October's spending: ${JSON.stringify(limits)}`);
  }
  // The patch carries the category as PATCH takes it: its note kept.
  if (limits.patch.categories[0]?.note !== 'Weekly shop') throw new Error(`limit suggestions: the patch drops the category note: ${JSON.stringify(limits.patch)}`);
  if (!/^"\d+"$/.test(quick.response.headers.get('etag') ?? '')) throw new Error('limit suggestions: no budget ETag');
  // The home overview: this budget's current period, as its summary (today's) answers it.
  const overview = check(await api.GET('/v1/me/overview', { headers: auth, params: { query: { limit: 25 } } }), 'overview');
  const today = check(await api.GET('/v1/budgets/{budgetId}/summary', { headers: auth, params: { path: { budgetId } } }), 'current summary');
  const mine = overview.items.find((b) => b.budgetId === budgetId);
  if (!mine || mine.spent !== today.spent || mine.remaining !== today.remaining || mine.period.start !== today.periodStart || JSON.stringify(mine.pace) !== JSON.stringify(today.pace)) {
    throw new Error('overview: not the budget\'s current summary');
  }
  // Its badge: what ?reviewed=false lists (fewer than 99 here).
  const inbox = check(
    await api.GET('/v1/budgets/{budgetId}/expenses', { headers: auth, params: { path: { budgetId }, query: { reviewed: 'false', limit: 98 } } }),
    'review inbox for the badge',
  );
  if (inbox.nextCursor !== null || mine.toReview !== inbox.items.length || mine.toReviewMore !== false) {
    throw new Error(`overview: toReview ${mine.toReview} (more: ${mine.toReviewMore}), the inbox lists ${inbox.items.length}`);
  }
  runtime.setClock('2026-11-02T08:00:00Z');
  const later = check(await api.POST('/v1/auth/login', { body: { email: owner.user.email, password: 'correct horse battery' } }), 'login again');
  const auth2 = { Authorization: `Bearer ${later.tokens.accessToken}` };
  const report = check(
    await api.POST('/v1/budgets/{budgetId}/reports', { headers: { ...auth2, 'Idempotency-Key': `report-${stamp}` }, params: { path: { budgetId } }, body: { date: '2026-10-15' } }),
    'generate report',
  );
  const reports = check(await api.GET('/v1/budgets/{budgetId}/reports', { headers: auth2, params: { path: { budgetId } } }), 'list reports');
  const json = check(await api.GET('/v1/budgets/{budgetId}/reports/{reportId}', { headers: auth2, params: { path: { budgetId, reportId: report.id } } }), 'get report');
  if (json.spent !== reports.items[0]?.spent) throw new Error('reports: the list and the report disagree');
  const page = check(
    await pages.GET('/v1/budgets/{budgetId}/reports/{reportId}', {
      headers: { ...auth2, Accept: 'text/html' },
      params: { path: { budgetId, reportId: report.id } },
      parseAs: 'text',
    }),
    'get report page',
  );
  if (!page.startsWith('<!doctype html>')) throw new Error('report page: not HTML');
  const list = check(
    await pages.GET('/v1/budgets/{budgetId}/reports', { headers: { ...auth2, Accept: 'text/html' }, params: { path: { budgetId } }, parseAs: 'text' }),
    'list reports page',
  );
  if (!list.includes(report.id)) throw new Error('reports page: the report is not linked');

  // Personal access tokens: made with the session, used by a script, listed, revoked.
  const pat = check(
    await api.POST('/v1/me/tokens', { headers: { ...auth2, 'Idempotency-Key': `token-${stamp}` }, body: { name: 'Spreadsheet sync', scope: 'read', expiresInDays: 30 } }),
    'create personal token',
  );
  const byScript = check(await api.GET('/v1/budgets', { headers: { Authorization: `Bearer ${pat.token}` } }), 'list budgets with a personal token');
  if (!byScript.items.some((b) => b.id === budgetId)) throw new Error('personal token: the owner\'s budget is not listed');
  const scriptWrite = await api.POST('/v1/budgets', { headers: { Authorization: `Bearer ${pat.token}` }, body: { name: 'Not allowed', limit: 1 } });
  if (scriptWrite.response.status !== 403) throw new Error(`personal token: a read token's POST got ${scriptWrite.response.status}`);
  const tokens = check(await api.GET('/v1/me/tokens', { headers: auth2 }), 'list personal tokens');
  if (tokens.items.length !== 1 || tokens.items[0]?.id !== pat.id || JSON.stringify(tokens).includes(pat.token)) throw new Error('list personal tokens: not the one token, without its secret');
  const oneToken = check(await api.GET('/v1/me/tokens/{tokenId}', { headers: auth2, params: { path: { tokenId: pat.id } } }), 'get personal token');
  if (oneToken.id !== pat.id || JSON.stringify(oneToken).includes(pat.token)) throw new Error('get personal token: not the token, or with its secret');
  ok(await api.DELETE('/v1/me/tokens/{tokenId}', { headers: auth2, params: { path: { tokenId: pat.id } } }), 'revoke personal token');

  // Data export (GDPR Art. 20): start it, list it, read it (queued, running or already done).
  const dataExport = check(await api.POST('/v1/me/export', { headers: { ...auth2, 'Idempotency-Key': `export-${stamp}` } }), 'start data export');
  const dataExports = check(await api.GET('/v1/me/exports', { headers: auth2 }), 'list data exports');
  if (!dataExports.items.some((e) => e.id === dataExport.id)) throw new Error('list data exports: the started export is missing');
  const oneExport = check(await api.GET('/v1/me/exports/{exportId}', { headers: auth2, params: { path: { exportId: dataExport.id } } }), 'get data export');
  if (oneExport.status === 'succeeded' && !oneExport.download?.url) throw new Error('get data export: succeeded without a download URL');

  // Leaving: log out, delete the other account.
  ok(await api.POST('/v1/auth/logout', { body: { refreshToken: later.tokens.refreshToken } }), 'logout');
  const bye = check(await api.POST('/v1/auth/login', { body: { email: member.user.email, password: 'correct horse battery' } }), 'member login');
  const byeAuth = { Authorization: `Bearer ${bye.tokens.accessToken}` };

  // Account security: where the member is signed in, sign the signup's session out, change the password.
  const sessions = check(await api.GET('/v1/me/sessions', { headers: byeAuth, params: { query: { limit: 10 } } }), 'list sessions');
  const other = sessions.items.find((s) => !s.current);
  if (sessions.items.length !== 2 || !other) throw new Error('list sessions: expected this session and the signup\'s');
  ok(await api.DELETE('/v1/me/sessions/{sessionId}', { headers: byeAuth, params: { path: { sessionId: other.id } } }), 'end session');
  const wrong = await api.POST('/v1/me/password', { headers: byeAuth, body: { currentPassword: 'not the password', newPassword: 'a new correct horse battery' } });
  if (wrong.response.status !== 422) throw new Error(`change password: wrong current password got ${wrong.response.status}`);
  const newPassword = check(
    await api.POST('/v1/me/password', { headers: byeAuth, body: { currentPassword: 'correct horse battery', newPassword: 'a new correct horse battery' } }),
    'change password',
  );
  // Email change: accepted (the same whether or not the address is free); the code goes to the
  // new address, so the confirmation is tried with a made-up one (the refusal names `token`).
  const byeAfter = { Authorization: `Bearer ${newPassword.tokens.accessToken}` };
  const emailRequested = check(
    await api.POST('/v1/me/email', { headers: byeAfter, body: { newEmail: `moved-${stamp}@example.com`, password: 'a new correct horse battery' } }),
    'request email change',
  );
  if (emailRequested.status !== 'accepted') throw new Error(`request email change: ${JSON.stringify(emailRequested)}`);
  const badEmailCode = await api.POST('/v1/me/email/confirm', { headers: byeAfter, body: { token: 'made-up.code' } });
  if (badEmailCode.response.status !== 404 || !JSON.stringify(badEmailCode.error).includes('"path":"token"')) {
    throw new Error(`confirm email change: a made-up code got ${badEmailCode.response.status}`);
  }
  // Forgot password: the request is accepted for any email; the mailed code never reaches this
  // client, so the confirmation is tried with a made-up one (the refusal names `token`).
  const resetRequested = check(await api.POST('/v1/auth/password-reset', { body: { email: member.user.email } }), 'request password reset');
  if (resetRequested.status !== 'accepted') throw new Error(`request password reset: ${JSON.stringify(resetRequested)}`);
  const badReset = await api.POST('/v1/auth/password-reset/confirm', { body: { token: 'made-up.code', newPassword: 'a third correct horse battery' } });
  if (badReset.response.status !== 422 || !JSON.stringify(badReset.error).includes('"path":"token"')) {
    throw new Error(`confirm password reset: a made-up code got ${badReset.response.status}`);
  }

  // Two-factor sign-in: enrol an authenticator app (the codes an app would show are computed
  // from the secret at the server's clock), confirm it, sign in with the second step, get new
  // recovery codes, turn it off with one of them.
  const password = 'a new correct horse battery';
  const mfaAuth = byeAfter;
  const codeAt = (secret: string, iso: string) => {
    runtime.setClock(iso);
    return TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: Date.parse(iso) });
  };
  const enrolment = check(await api.POST('/v1/me/mfa/totp', { headers: mfaAuth, body: { password } }), 'enrol authenticator');
  const firstCodes = check(await api.POST('/v1/me/mfa/totp/confirm', { headers: mfaAuth, body: { code: codeAt(enrolment.secret, '2026-11-02T08:00:00Z') } }), 'confirm authenticator');
  const mfaState = check(await api.GET('/v1/me/mfa', { headers: mfaAuth }), 'two-factor state');
  if (mfaState.totp !== 'on' || mfaState.recoveryCodesLeft !== 10) throw new Error(`two-factor state: ${JSON.stringify(mfaState)}`);
  const passwordStep = await api.POST('/v1/auth/login', { body: { email: member.user.email, password } });
  // The problem+json error is not typed by this JSON client (its media is `${string}/json`): read as unknown.
  const refusal: unknown = passwordStep.error;
  const mfaToken = typeof refusal === 'object' && refusal !== null && 'mfaToken' in refusal ? refusal.mfaToken : undefined;
  if (passwordStep.response.status !== 401 || typeof mfaToken !== 'string') throw new Error(`login with two-factor on: HTTP ${passwordStep.response.status}`);
  const secondStep = check(await api.POST('/v1/auth/login/mfa', { body: { mfaToken, code: codeAt(enrolment.secret, '2026-11-02T08:00:30Z') } }), 'login second factor');
  const secondAuth = { Authorization: `Bearer ${secondStep.tokens.accessToken}` };
  const newCodes = check(
    await api.POST('/v1/me/mfa/recovery-codes', { headers: secondAuth, body: { password, code: codeAt(enrolment.secret, '2026-11-02T08:01:00Z') } }),
    'new recovery codes',
  );
  const recoveryCode = newCodes.recoveryCodes[0];
  if (recoveryCode === undefined || firstCodes.recoveryCodes.includes(recoveryCode)) throw new Error('new recovery codes: not new');
  ok(await api.DELETE('/v1/me/mfa/totp', { headers: secondAuth, body: { password, code: recoveryCode } }), 'turn two-factor off');

  // Deletion needs a sign-in within the last 10 minutes: byeAfter's session began with the
  // password change (a sign-in: the password was checked) one minute ago on the server's clock.
  ok(await api.DELETE('/v1/me', { headers: byeAfter }), 'delete account');

}
