import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../../support/problem';
import { createHarness, type Budget, type Harness, type User } from './harness';

/**
 * POST /v1/budgets/{budgetId}/expenses/import with bank CSV files as banks and Excel write them
 * on DynamoDB Local through the whole system (the app's body checks, the route's decoding, the
 * service, the import job): Windows-1252 bytes read without a charset (not UTF-8, so
 * Windows-1252) and with one in the Content-Type, `DD-MMM-YY` dates, the merchants and dates
 * stored; a mapping's `charset` in the query and in an import profile (`?profile=auto` finding
 * a header with "Empfänger" in Windows-1252); the problems naming what is wrong.
 */
let h: Harness;
let owner: User;

/**
 * A UK-style export in Windows-1252, written byte by byte where it is not ASCII: é = 0xE9,
 * ü = 0xFC, ö = 0xF6, ’ = 0x92, € = 0x80 (none of them valid UTF-8 where they stand).
 */
const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));
const WINDOWS_1252_FILE = new Uint8Array([
  ...ascii('Date,Amount,Payee,Memo\r\n'),
  // 05-Mar-26,12.50,Café Müller,Frühstück
  ...ascii('05-Mar-26,12.50,Caf'), 0xe9, ...ascii(' M'), 0xfc, ...ascii('ller,Fr'), 0xfc, ...ascii('hst'), 0xfc, ...ascii('ck\r\n'),
  // 31-dec-99,3.20,Bäckerei Köhler,5€ Gutschein
  ...ascii('31-dec-99,3.20,B'), 0xe4, ...ascii('ckerei K'), 0xf6, ...ascii('hler,5'), 0x80, ...ascii(' Gutschein\r\n'),
  // 01-JAN-00,7.00,McDonald’s,
  ...ascii('01-JAN-00,7.00,McDonald'), 0x92, ...ascii('s,\r\n'),
  // 32-Mar-26,1.00,Bad day,   and   29-Feb-25,1.00,Not a leap year,
  ...ascii('32-Mar-26,1.00,Bad day,\r\n29-Feb-25,1.00,Not a leap year,\r\n'),
]);

const MAPPING = { dateColumn: 'Date', amountColumn: 'Amount', merchantColumn: 'Payee', descriptionColumn: 'Memo', dateFormat: 'DD-MMM-YY' };

const importCsv = (b: Budget, body: Uint8Array<ArrayBuffer> | string, query: Record<string, string>, contentType = 'text/csv') =>
  h.call('POST', `/v1/budgets/${b.id}/expenses/import?${new URLSearchParams(query).toString()}`, {
    token: owner.token,
    rawBody: body,
    headers: { 'content-type': contentType, prefer: 'wait=25' },
  });

beforeAll(async () => {
  h = await createHarness();
  owner = await h.signup('owner');
});
afterAll(() => h.destroy());

describe('bank CSV charsets and month-name dates', { timeout: 120_000 }, () => {
  it('reads a Windows-1252 file with DD-MMM-YY dates without a charset: dry run, import, merchants and dates stored; the same file labelled again adds nothing', async () => {
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(WINDOWS_1252_FILE)).toThrow();
    const b = await h.createBudget(owner, { currency: 'EUR', categories: [] });
    const errors = [
      { line: 5, message: 'date must be a calendar date DD-MMM-YY (dateFormat; MMM: an English, German or French month name or abbreviation), not "32-Mar-26"' },
      { line: 6, message: 'date must be a calendar date DD-MMM-YY (dateFormat; MMM: an English, German or French month name or abbreviation), not "29-Feb-25"' },
    ];

    const dry = await importCsv(b, WINDOWS_1252_FILE, { ...MAPPING, dryRun: 'true' });
    expect(dry.status, dry.text).toBe(200);
    expect(dry.json).toMatchObject({ dryRun: true, charset: 'windows-1252', total: 5, imported: 3, errorCount: 2, importLines: [2, 3, 4], errors });

    const res = await importCsv(b, WINDOWS_1252_FILE, MAPPING);
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ status: 'succeeded', total: 5, imported: 3, errorCount: 2, errors });
    const stored = (await h.listExpenses(b, owner.token)).map((e) => ({ occurredOn: e.occurredOn, amount: e.amount, merchant: e.merchant, description: e.description }));
    expect(stored.sort((x, y) => (x.occurredOn < y.occurredOn ? -1 : 1))).toEqual([
      { occurredOn: '1999-12-31', amount: 320, merchant: 'Bäckerei Köhler', description: '5€ Gutschein' },
      { occurredOn: '2000-01-01', amount: 700, merchant: 'McDonald’s', description: undefined },
      { occurredOn: '2026-03-05', amount: 1250, merchant: 'Café Müller', description: 'Frühstück' },
    ]);

    // Named in the Content-Type (latin1 is read as Windows-1252 too): the same rows, duplicates now.
    // Excel's media type for a .csv (what API Gateway passes as bytes) is read the same.
    for (const contentType of ['text/csv; charset=windows-1252', 'text/csv; charset=latin1', 'application/vnd.ms-excel']) {
      const again = await importCsv(b, WINDOWS_1252_FILE, MAPPING, contentType);
      expect(again.status, again.text).toBe(200);
      expect(again.json).toMatchObject({ status: 'succeeded', imported: 0, duplicates: 3, errorCount: 2 });
    }
    // The same file converted to UTF-8 (and labelled so) is the same rows as well.
    const converted = new TextEncoder().encode(
      'Date,Amount,Payee,Memo\r\n05-Mar-26,12.50,Café Müller,Frühstück\r\n31-dec-99,3.20,Bäckerei Köhler,5€ Gutschein\r\n01-JAN-00,7.00,McDonald’s,\r\n',
    );
    const asUtf8 = await importCsv(b, converted, MAPPING, 'text/csv; charset=utf-8');
    expect(asUtf8.json).toMatchObject({ status: 'succeeded', imported: 0, duplicates: 3 });
    expect(await h.listExpenses(b, owner.token)).toHaveLength(3);
  });

  it('a charset the Content-Type names that is not read is a 415 naming it; charset=utf-8 on Windows-1252 bytes a 400 naming body', async () => {
    const b = await h.createBudget(owner, { currency: 'EUR', categories: [] });
    const koi = await importCsv(b, WINDOWS_1252_FILE, MAPPING, 'text/csv; charset=koi8-r');
    expectProblem(koi, 415);
    expect(koi.json.detail).toContain('charset "koi8-r" is not supported');
    expect(koi.json.errors).toEqual([{ path: 'header.Content-Type', message: 'charset must be utf-8, windows-1252 or iso-8859-1 (or latin1, us-ascii), not "koi8-r"' }]);

    const wrong = await importCsv(b, WINDOWS_1252_FILE, MAPPING, 'text/csv; charset=utf-8');
    expectProblem(wrong, 400);
    expect(wrong.json.errors).toEqual([{ path: 'body', message: 'Must be valid UTF-8 (the body held bytes that are not; the Content-Type says charset=utf-8)' }]);
    expect(await h.listExpenses(b, owner.token)).toEqual([]);
  });

  it('the query charset: decodes the bytes, a wrong one is a 400 naming query.charset, an unknown one too, and it must agree with the Content-Type', async () => {
    const b = await h.createBudget(owner, { currency: 'EUR', categories: [] });
    const dry = await importCsv(b, WINDOWS_1252_FILE, { ...MAPPING, charset: 'iso-8859-1', dryRun: 'true' });
    expect(dry.json).toMatchObject({ charset: 'windows-1252', imported: 3 });

    const utf8 = await importCsv(b, WINDOWS_1252_FILE, { ...MAPPING, charset: 'utf-8', dryRun: 'true' });
    expectProblem(utf8, 400);
    expect(utf8.json.errors).toEqual([{ path: 'query.charset', message: 'Must be valid UTF-8 (the body held bytes that are not; the mapping says charset=utf-8)' }]);

    expectProblem(await importCsv(b, WINDOWS_1252_FILE, { ...MAPPING, charset: 'koi8-r', dryRun: 'true' }), 400, ['query.charset']);
    // (ASCII bytes: Windows-1252 bytes labelled utf-8 are refused first, as in the test above.)
    const asciiFile = 'Date,Amount,Payee,Memo\r\n05-Mar-26,12.50,Cafe,\r\n';
    const twice = await importCsv(b, asciiFile, { ...MAPPING, charset: 'windows-1252', dryRun: 'true' }, 'text/csv; charset=utf-8');
    expectProblem(twice, 400);
    expect(twice.json.errors).toEqual([{ path: 'query.charset', message: 'The Content-Type says charset=utf-8: give one of the two, or the same charset in both' }]);
    // Two names of one decoding agree.
    const agreeing = await importCsv(b, WINDOWS_1252_FILE, { ...MAPPING, charset: 'windows-1252', dryRun: 'true' }, 'text/csv; charset=ISO-8859-1');
    expect(agreeing.json).toMatchObject({ charset: 'windows-1252', imported: 3 });

    // Our own format with a charset: no mapping needed for it.
    const own = await importCsv(b, new Uint8Array([...ascii('2026-03-05,4.00,,,Caf'), 0xe9, 0x0a]), { charset: 'windows-1252' });
    expect(own.json).toMatchObject({ status: 'succeeded', imported: 1 });
    expect((await h.listExpenses(b, owner.token)).map((e) => e.merchant)).toEqual(['Café']);
  });

  it('profiles save the new dateFormat values and a charset; ?profile=auto finds a Windows-1252 header by its accented column and decodes with the profile', async () => {
    const b = await h.createBudget(owner, { currency: 'EUR', categories: [] });
    const profile = await h.call('POST', `/v1/budgets/${b.id}/import-profiles`, {
      token: owner.token,
      body: {
        name: 'Sparkasse',
        mapping: { dateColumn: 'Buchungstag', amountColumn: 'Betrag', merchantColumn: 'Empfänger', delimiter: ';', dateFormat: 'DD.MM.YY', decimalSeparator: ',', amountSign: 'negativeIsSpending', charset: 'windows-1252' },
      },
    });
    expect(profile.status, profile.text).toBe(201);
    expect(profile.json.mapping).toMatchObject({ dateFormat: 'DD.MM.YY', charset: 'windows-1252' });
    const read = await h.call('GET', `/v1/budgets/${b.id}/import-profiles/${profile.json.id}`, { token: owner.token });
    expect(read.json.mapping).toMatchObject({ dateFormat: 'DD.MM.YY', charset: 'windows-1252' });
    for (const dateFormat of ['DD MMM YYYY', 'D MMM YYYY', 'MMM D, YYYY', 'DD-MMM-YY', 'DD-MMM-YYYY', 'DD/MM/YY', 'MM/DD/YY']) {
      const other = await h.call('POST', `/v1/budgets/${b.id}/import-profiles`, { token: owner.token, body: { name: `Bank ${dateFormat}`, mapping: { dateFormat } } });
      expect(other.status, other.text).toBe(201);
    }
    expectProblem(await h.call('POST', `/v1/budgets/${b.id}/import-profiles`, { token: owner.token, body: { name: 'Bad', mapping: { charset: 'koi8-r' } } }), 400, ['mapping.charset']);

    // Buchungstag;Empfänger;Betrag / 03.11.26;Bäckerei;-2,50 in Windows-1252 (ä = 0xE4).
    const file = new Uint8Array([
      ...ascii('Buchungstag;Empf'), 0xe4, ...ascii('nger;Betrag\r\n'),
      ...ascii('03.11.26;B'), 0xe4, ...ascii('ckerei;-2,50\r\n'),
      ...ascii('29.02.25;Kiosk;-1,00\r\n'),
    ]);
    const res = await importCsv(b, file, { profile: 'auto' });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ status: 'succeeded', profileId: profile.json.id, imported: 1, errorCount: 1, errors: [{ line: 3, message: 'date must be a calendar date DD.MM.YY (dateFormat), not "29.02.25"' }] });
    expect((await h.listExpenses(b, owner.token)).map((e) => ({ occurredOn: e.occurredOn, merchant: e.merchant, amount: e.amount }))).toEqual([{ occurredOn: '2026-11-03', merchant: 'Bäckerei', amount: 250 }]);

    // The profile's charset=utf-8 on those bytes: a 400 naming query.profile, the message the field.
    const patched = await h.call('PATCH', `/v1/budgets/${b.id}/import-profiles/${profile.json.id}`, {
      token: owner.token,
      body: { mapping: { ...profile.json.mapping, charset: 'utf-8' } },
      headers: { 'if-match': `"${read.json.version}"` },
    });
    expect(patched.status, patched.text).toBe(200);
    const strict = await importCsv(b, file, { profile: profile.json.id, dryRun: 'true' });
    expectProblem(strict, 400);
    expect(strict.json.errors).toEqual([{ path: 'query.profile', message: "The profile's charset: Must be valid UTF-8 (the body held bytes that are not; the mapping says charset=utf-8)" }]);
  });
});
