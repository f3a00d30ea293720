import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixedClock } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crashAfterCommit } from '../../support/crash-after-commit';
import { deliver, tableItems, theEvent } from '../../support/events';
import { expectProblem } from '../../support/problem';
import { withWritesThrottled } from '../../support/throttled-writes';
import { createHarness, type Budget, type Harness, type Team, type User } from './harness';

/**
 * Receipts on expenses, on DynamoDB Local and the local storage stand-in (files in a temporary
 * folder, signed URLs served on loopback: what S3 does with the presigned POST and GET the S3
 * implementation issues, see tests/unit/storage/s3-storage.test.ts). The client's own flow:
 * declare, upload through the returned ticket with fetch, read (confirms), download.
 */
let h: Harness;
let team: Team;
/** The process dying right after a keyed declaration's transaction committed (tests/support/crash-after-commit.ts). */
let crash: ReturnType<typeof crashAfterCommit>;

const clock = fixedClock('2026-11-24T12:00:00Z');
const dir = mkdtempSync(join(tmpdir(), 'attachments-test-'));

beforeAll(async () => {
  // Access tokens outlive the clock jumps past upload tickets below.
  h = await createHarness({ clock, env: { ATTACHMENTS_DIR: dir, ACCESS_TOKEN_TTL_SECONDS: '86400' } });
  crash = crashAfterCommit(h.t.doc);
  team = await h.team();
});
afterAll(async () => {
  await h.destroy();
  rmSync(dir, { recursive: true, force: true });
});

const JPEG = new Uint8Array(Array.from({ length: 3_000 }, (_, i) => (i * 7) % 256));
const collection = (b: Budget, expenseId: string) => `/v1/budgets/${b.id}/expenses/${expenseId}/attachments`;

async function expense(b: Budget = team.budget, who: User = team.owner): Promise<string> {
  const res = await h.call('POST', `/v1/budgets/${b.id}/expenses`, { token: who.token, body: { amount: 1_250, occurredOn: '2026-11-20', merchant: 'Corner Market' } });
  expect(res.status, res.text).toBe(201);
  return res.json.id;
}

const declare = (b: Budget, expenseId: string, body: unknown, who: User = team.owner) => h.call('POST', collection(b, expenseId), { token: who.token, body });

/** What a client does with the ticket: a multipart form POST, the fields, then the file. */
async function upload(ticket: { url: string; fields: Record<string, string> }, bytes: Uint8Array, fields: Record<string, string> = {}) {
  const form = new FormData();
  for (const [k, v] of Object.entries({ ...ticket.fields, ...fields })) form.append(k, v);
  form.append('file', new Blob([new Uint8Array(bytes)]), 'receipt.jpg');
  return fetch(ticket.url, { method: 'POST', body: form });
}

const objectFile = (b: Budget, expenseId: string, id: string) => join(dir, `budgets/${b.id}/expenses/${expenseId}/${id}`);

describe('attachments', { timeout: 120_000 }, () => {
  it('declares, uploads through the ticket, confirms on GET and downloads the same bytes; editors delete, viewers read, strangers see nothing', async () => {
    const b = team.budget;
    const expenseId = await expense();
    const created = await declare(b, expenseId, { contentType: 'image/jpeg', size: JPEG.length, fileName: 'receipt.jpg' }, team.editor);
    expect(created.status, created.text).toBe(201);
    expect(created.json).toMatchObject({ id: expect.any(String), budgetId: b.id, expenseId, status: 'pending', contentType: 'image/jpeg', size: JPEG.length, fileName: 'receipt.jpg', createdBy: team.editor.id });
    expect(created.json.upload).toMatchObject({ method: 'POST', url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/upload$/), fields: expect.any(Object) });
    // Valid 15 minutes.
    expect(Date.parse(created.json.upload.expiresAt) - h.t.clock.now().getTime()).toBe(15 * 60 * 1000);
    const location = created.headers.get('location')!;
    expect(location).toBe(`${collection(b, expenseId)}/${created.json.id}`);

    const before = await h.call('GET', location, { token: team.viewer.token });
    expect(before.status, before.text).toBe(200);
    expect(before.json.status).toBe('pending');
    expect('download' in before.json).toBe(false);

    const put = await upload(created.json.upload, JPEG);
    expect(put.status, await put.clone().text()).toBe(204);

    const after = await h.call('GET', location, { token: team.viewer.token });
    expect(after.status, after.text).toBe(200);
    expect(after.json).toMatchObject({ status: 'uploaded', uploadedAt: h.t.clock.now().toISOString() });
    expect(Date.parse(after.json.download.expiresAt) - h.t.clock.now().getTime()).toBe(5 * 60 * 1000);
    const download = await fetch(after.json.download.url);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('image/jpeg');
    expect(download.headers.get('content-disposition')).toContain('receipt.jpg');
    // The receipt is fetched with no Authorization: no-store, as every credentialed answer of the API, so no cache keeps it on disk.
    expect(download.headers.get('cache-control')).toBe('no-store');
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(JPEG);
    // A forged download (another key under the same signature) is refused.
    // (The last character changed to one it is not: a ULID ends in X one time in 32.)
    const id: string = created.json.id;
    const forged = after.json.download.url.replace(id, `${id.slice(0, -1)}${id.endsWith('X') ? 'Y' : 'X'}`);
    expect(forged).not.toBe(after.json.download.url);
    expect((await fetch(forged)).status).toBe(403);
    // And an expired one (5 minutes).
    clock.advance(5 * 60 * 1000 + 1);
    try {
      expect((await fetch(after.json.download.url)).status).toBe(403);
    } finally {
      clock.advance(-(5 * 60 * 1000 + 1));
    }

    const listed = await h.call('GET', collection(b, expenseId), { token: team.viewer.token });
    expect(listed.status, listed.text).toBe(200);
    expect(listed.json.items.map((a: { id: string; status: string }) => [a.id, a.status])).toEqual([[created.json.id, 'uploaded']]);

    expectProblem(await declare(b, expenseId, { contentType: 'image/png', size: 10 }, team.viewer), 403);
    expectProblem(await h.call('DELETE', location, { token: team.viewer.token }), 403);
    expectProblem(await h.call('GET', location, { token: team.stranger.token }), 404);
    expectProblem(await h.call('GET', collection(b, expenseId), { token: team.stranger.token }), 404);
    expectProblem(await declare(b, expenseId, { contentType: 'image/png', size: 10 }, team.stranger), 404);
    expectProblem(await declare(b, 'no-such-expense', { contentType: 'image/png', size: 10 }), 404);

    expect(existsSync(objectFile(b, expenseId, created.json.id))).toBe(true);
    expect((await h.call('DELETE', location, { token: team.editor.token })).status).toBe(204);
    expect(existsSync(objectFile(b, expenseId, created.json.id))).toBe(false);
    expectProblem(await h.call('GET', location, { token: team.owner.token }), 404);
    expect((await h.call('GET', collection(b, expenseId), { token: team.owner.token })).json.items).toEqual([]);
  });

  /** An uploaded receipt on a new expense: its address and its file. */
  async function uploadedReceipt(b: Budget = team.budget) {
    const expenseId = await expense(b);
    const created = await declare(b, expenseId, { contentType: 'image/jpeg', size: JPEG.length });
    expect((await upload(created.json.upload, JPEG)).status).toBe(204);
    const location = `${collection(b, expenseId)}/${created.json.id}`;
    expect((await h.call('GET', location, { token: team.owner.token })).json.status).toBe('uploaded');
    return { location, file: objectFile(b, expenseId, created.json.id) };
  }

  it('a DELETE that died after its first step leaves no file once retried: the file goes before the item (a crash after the item\'s commit)', async () => {
    const { location, file } = await uploadedReceipt();
    expect((await crash.during(() => h.call('DELETE', location, { token: team.owner.token }))).status).toBe(500);
    // The client retries: done (or already done), and no file is left that no item names.
    expect([204, 404]).toContain((await h.call('DELETE', location, { token: team.owner.token })).status);
    expectProblem(await h.call('GET', location, { token: team.owner.token }), 404);
    expect(existsSync(file)).toBe(false);
  });

  it('a DELETE whose storage call failed once is finished by its retry: the item is still there to delete, and the file goes', async () => {
    const { location, file } = await uploadedReceipt();
    const storage = h.t.system.storage;
    const deleteKeys = storage.deleteKeys;
    storage.deleteKeys = async () => {
      storage.deleteKeys = deleteKeys;
      throw new Error('S3 unavailable');
    };
    try {
      expect((await h.call('DELETE', location, { token: team.owner.token })).status).toBe(500);
    } finally {
      storage.deleteKeys = deleteKeys;
    }
    expect((await h.call('DELETE', location, { token: team.owner.token })).status).toBe(204);
    expect(existsSync(file)).toBe(false);
  });

  it('a DELETE that died between its two steps (the file gone, the item\'s transaction not made) is finished by its retry', async () => {
    const { location, file } = await uploadedReceipt();
    const id = location.split('/').at(-1)!;
    const died = await withWritesThrottled(h.t.doc, id, () => h.call('DELETE', location, { token: team.owner.token }), undefined, () => new Error('process died'));
    expect(died.result.status).toBe(500);
    expect(existsSync(file)).toBe(false);
    expect((await h.call('GET', location, { token: team.owner.token })).status).toBe(200); // listed, its file gone
    expect((await h.call('DELETE', location, { token: team.owner.token })).status).toBe(204);
    expectProblem(await h.call('GET', location, { token: team.owner.token }), 404);
  });

  it("names the download by the content type's extension: a name that contradicts it gets the type's extension appended, one without gets it", async () => {
    const b = team.budget;
    const expenseId = await expense();
    // What the client sent, kept and shown as sent; the download's name (Content-Disposition) is what a browser or OS opens the file as.
    const cases: [fileName: string, contentType: string, downloadedAs: string][] = [
      ['invoice.html', 'image/png', 'invoice.html.png'], // would open as HTML
      ['scan', 'application/pdf', 'scan.pdf'],
      ['photo.png', 'image/jpeg', 'photo.png.jpg'],
      ['IMG_0001.JPEG', 'image/jpeg', 'IMG_0001.JPEG'], // any of the type's extensions, in any case, is kept
      ['receipt.pdf.', 'application/pdf', 'receipt.pdf'], // trailing dots go (Windows drops them when saving)
    ];
    for (const [fileName, contentType, downloadedAs] of cases) {
      const created = await declare(b, expenseId, { contentType, size: JPEG.length, fileName });
      expect(created.status, created.text).toBe(201);
      expect(created.json.fileName).toBe(fileName);
      expect((await upload(created.json.upload, JPEG)).status).toBe(204);
      const got = await h.call('GET', created.headers.get('location')!, { token: team.viewer.token });
      expect(got.json).toMatchObject({ status: 'uploaded', fileName });
      const download = await fetch(got.json.download.url);
      expect(download.status).toBe(200);
      expect(download.headers.get('content-type')).toBe(contentType);
      expect(download.headers.get('content-disposition'), fileName).toBe(`attachment; filename="${downloadedAs}"; filename*=UTF-8''${downloadedAs}`);
    }
  });

  it('the upload endpoint refuses another size, another type, a forged or an expired ticket, as S3 would', async () => {
    const b = team.budget;
    const expenseId = await expense();
    const created = await declare(b, expenseId, { contentType: 'application/pdf', size: JPEG.length });
    expect(created.status, created.text).toBe(201);
    const ticket = created.json.upload;
    expect((await upload(ticket, new Uint8Array(JPEG.length + 1))).status).toBe(400); // EntityTooLarge
    expect((await upload(ticket, JPEG.slice(1))).status).toBe(400); // EntityTooSmall
    expect((await upload(ticket, JPEG, { 'Content-Type': 'image/jpeg' })).status).toBe(403); // not the signed type
    expect((await upload(ticket, JPEG, { key: `budgets/${b.id}/expenses/${expenseId}/other` })).status).toBe(403);
    expect((await upload(ticket, JPEG, { 'x-signature': 'A'.repeat(ticket.fields['x-signature'].length) })).status).toBe(403);
    expect(existsSync(objectFile(b, expenseId, created.json.id))).toBe(false);
    const still = await h.call('GET', created.headers.get('location')!, { token: team.owner.token });
    expect(still.json.status).toBe('pending');

    clock.advance(15 * 60 * 1000 + 1);
    try {
      expect((await upload(ticket, JPEG)).status).toBe(403); // expired
    } finally {
      clock.advance(-(15 * 60 * 1000 + 1));
    }
    expect((await upload(ticket, JPEG)).status).toBe(204);
    const got = await h.call('GET', created.headers.get('location')!, { token: team.owner.token });
    expect(got.json.status).toBe('uploaded');
  });

  it('an Idempotency-Key retry answers the first declaration (same attachment and ticket), never a second one', async () => {
    const b = team.budget;
    const expenseId = await expense();
    const send = () => h.call('POST', collection(b, expenseId), { token: team.owner.token, body: { contentType: 'image/png', size: 500 }, headers: { 'idempotency-key': `receipt-${expenseId}` } });
    const first = await send();
    const again = await send();
    expect(first.status, first.text).toBe(201);
    expect(again.status, again.text).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.json).toEqual(first.json);
    const listed = await h.call('GET', collection(b, expenseId), { token: team.owner.token });
    expect(listed.json.items).toHaveLength(1);
  });

  it('a keyed declaration whose answer was lost (crash after the commit), retried once the lease ran out: the first 201 (its ticket still uploads), one attachment', async () => {
    const b = team.budget;
    const expenseId = await expense();
    const send = () => h.call('POST', collection(b, expenseId), { token: team.owner.token, body: { contentType: 'image/jpeg', size: JPEG.length }, headers: { 'idempotency-key': `lost-${expenseId}` } });
    const lost = await crash.during(send);
    expect(lost.status).toBeGreaterThanOrEqual(500); // the client never got its answer
    const made = (await h.call('GET', collection(b, expenseId), { token: team.owner.token })).json.items as { id: string }[];
    expect(made).toHaveLength(1);

    clock.advance(61_000);
    const retry = await send();
    expect(retry.status, retry.text).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.json.id).toBe(made[0]!.id);
    expect(retry.headers.get('location')).toBe(`${collection(b, expenseId)}/${made[0]!.id}`);
    // The stored ticket is the first one, still valid (15 minutes from the declaration).
    expect((await upload(retry.json.upload, JPEG)).status).toBe(204);
    const listed = await h.call('GET', collection(b, expenseId), { token: team.owner.token });
    expect(listed.json.items.map((a: { id: string; status: string }) => [a.id, a.status])).toEqual([[made[0]!.id, 'uploaded']]);
  });

  it('refuses bad declarations with a 400 naming the field', async () => {
    const expenseId = await expense();
    const b = team.budget;
    expectProblem(await declare(b, expenseId, { contentType: 'image/gif', size: 10 }), 400, ['contentType']);
    expectProblem(await declare(b, expenseId, { contentType: 'image/png', size: 0 }), 400, ['size']);
    expectProblem(await declare(b, expenseId, { contentType: 'image/png', size: 10 * 1024 * 1024 + 1 }), 400, ['size']);
    expectProblem(await declare(b, expenseId, { contentType: 'image/png', size: 1.5 }), 400, ['size']);
    expectProblem(await declare(b, expenseId, { contentType: 'image/png' }), 400, ['size']);
    expectProblem(await declare(b, expenseId, { contentType: 'image/png', size: 10, fileName: '../etc/passwd' }), 400, ['fileName']);
    // Line breaks and controls have no place in a file name; a right-to-left override makes "\u202egnp.exe" show as "exe.png".
    // A name of only invisible characters shows nothing (and downloads as ".png").
    for (const fileName of ['a\r\nb.png', 'tab\there.png', '\u202egnp.exe', 'x\u2067y.pdf', 'a\u0085b.jpg', '\u200b', '\u00ad\u3164', '\u200b\u200b']) {
      expectProblem(await declare(b, expenseId, { contentType: 'image/png', size: 10, fileName }), 400, ['fileName']);
    }
    expectProblem(await declare(b, expenseId, { contentType: 'image/png', size: 10, url: 'x' }), 400, ['url']);
    expect((await declare(b, expenseId, { contentType: 'image/png', size: 10 * 1024 * 1024 })).status).toBe(201);
  });

  it('holds at most 10 per expense (409, also when declared at once); an abandoned upload gives its place back', async () => {
    const b = team.budget;
    const expenseId = await expense();
    const all = await Promise.all(Array.from({ length: 12 }, () => declare(b, expenseId, { contentType: 'image/webp', size: 100 })));
    expect(all.map((r) => r.status).sort()).toEqual([...Array(10).fill(201), 409, 409]);
    const full = await declare(b, expenseId, { contentType: 'image/webp', size: 100 });
    expectProblem(full, 409);
    expect(full.json).toMatchObject({ type: 'https://budgeting.dev/problems/limit-reached', title: 'Limit reached', limit: 10, collection: 'attachments' });
    expect(full.json.detail).toContain('at most 10 attachments');
    const first = all.find((r) => r.status === 201)!;
    expect((await upload(first.json.upload, new Uint8Array(100))).status).toBe(204);

    // 20 minutes on: the other 9 tickets expired unused (plus the grace): abandoned.
    clock.advance(21 * 60 * 1000);
    try {
      const again = await declare(b, expenseId, { contentType: 'image/webp', size: 100 });
      expect(again.status, again.text).toBe(201);
      const listed = await h.call('GET', collection(b, expenseId), { token: team.owner.token });
      expect(listed.json.items.map((a: { id: string; status: string }) => [a.id, a.status])).toEqual([
        [first.json.id, 'uploaded'],
        [again.json.id, 'pending'],
      ]);
      const count = (await tableItems(h.t.doc, h.t.tableName)).find((i) => i.sk === `expenses#attachment#${expenseId}#count`);
      expect(count?.count).toBe(2);
    } finally {
      clock.advance(-21 * 60 * 1000);
    }
  });

  it('deleting the expense deletes its attachments, items and files (expense.deleted)', async () => {
    const b = team.budget;
    const [doomed, kept] = [await expense(), await expense()];
    const ids: Record<string, string[]> = {};
    for (const e of [doomed, kept]) {
      ids[e] = [];
      for (let i = 0; i < 2; i++) {
        const created = await declare(b, e, { contentType: 'image/jpeg', size: JPEG.length });
        expect((await upload(created.json.upload, JPEG)).status).toBe(204);
        ids[e]!.push(created.json.id);
      }
    }
    const itemsOf = async (e: string) => (await tableItems(h.t.doc, h.t.tableName)).filter((i) => String(i.sk).includes(`#${e}`) && String(i.sk).startsWith('expenses#attachment'));
    expect(await itemsOf(doomed)).toHaveLength(3); // two attachments and the count
    expect((await h.call('DELETE', `/v1/budgets/${b.id}/expenses/${doomed}`, { token: team.owner.token })).status).toBe(204);
    const deleted = await theEvent(h.t, 'expense.deleted', { expenseId: doomed });
    await deliver(h.t, deleted);
    expect(await itemsOf(doomed)).toEqual([]);
    for (const id of ids[doomed]!) expect(existsSync(objectFile(b, doomed, id))).toBe(false);
    expect(await itemsOf(kept)).toHaveLength(3);
    for (const id of ids[kept]!) expect(existsSync(objectFile(b, kept, id))).toBe(true);
    await deliver(h.t, deleted); // again: nothing left, no error
    // Nothing can be attached to it any more (checked in the create's transaction).
    expectProblem(await declare(b, doomed, { contentType: 'image/jpeg', size: 10 }), 404);
    expect(await itemsOf(doomed)).toEqual([]);
  });

  it("a deleted expense's receipt is a 404 at once, before its cascade ran: no fresh download of it, as its list", async () => {
    const { location } = await uploadedReceipt();
    const expenseId = location.split('/')[5]!;
    expect((await h.call('DELETE', `/v1/budgets/${team.budget.id}/expenses/${expenseId}`, { token: team.owner.token })).status).toBe(204);
    // expense.deleted not delivered yet: the item and its file are still there.
    expectProblem(await h.call('GET', collection(team.budget, expenseId), { token: team.viewer.token }), 404);
    const got = await h.call('GET', location, { token: team.viewer.token });
    expectProblem(got, 404);
    expect(got.json.detail).toBe('Expense not found.');
    await deliver(h.t, await theEvent(h.t, 'expense.deleted', { expenseId }));
    expectProblem(await h.call('GET', location, { token: team.viewer.token }), 404);
  });

  it('deleting the budget deletes every attachment, items and files (budget.deleted cleanup)', async () => {
    const b = await h.createBudget(team.owner);
    const other = await h.createBudget(team.owner);
    const [e1, e2, e3] = [await expense(b), await expense(b), await expense(other)];
    const files: string[] = [];
    for (const [budget, e] of [[b, e1], [b, e2], [other, e3]] as const) {
      const created = await declare(budget, e!, { contentType: 'image/png', size: JPEG.length });
      expect((await upload(created.json.upload, JPEG)).status).toBe(204);
      files.push(objectFile(budget, e!, created.json.id));
    }
    expect((await h.call('DELETE', `/v1/budgets/${b.id}`, { token: team.owner.token })).status).toBe(204);
    await deliver(h.t, await theEvent(h.t, 'budget.deleted', { budgetId: b.id }));
    expect(files.map((f) => existsSync(f))).toEqual([false, false, true]);
    const left = (await tableItems(h.t.doc, h.t.tableName)).filter((i) => i.pk === `expenses#budget#${b.id}` && String(i.kind).startsWith('attachment'));
    expect(left).toEqual([]);
  });
});
