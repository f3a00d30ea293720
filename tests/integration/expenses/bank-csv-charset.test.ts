import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../../support/problem';
import { createHarness, type Budget, type Harness, type User } from './harness';

/**
 * POST /v1/budgets/{budgetId}/expenses/import with bank CSV files as banks and Excel write them
 * on DynamoDB Local through the whole system (the app's body checks, the route's decoding, the
 * service, the import job): Windows-1252 bytes read without a charset (not UTF-8, so
 * Windows-1252) and with one in the Content-Type, `DD-MMM-YY` dates, the merchants and dates
 * stored; a mapping's `charset` in the query and in an import profile (`?profile=auto` finding
 * a header with "Empfänger" in Windows-1252); the problems naming what is wrong. UTF-16 files as
 * Excel's "Unicode Text" and banks write them (a byte order mark, tabs), Windows-1250 and
 * ISO-8859-2 files as Central European banks write them (read only when named).
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
    expect(koi.json.errors).toEqual([
      { path: 'header.Content-Type', message: 'charset must be utf-8, utf-16, utf-16le, utf-16be, windows-1252, iso-8859-1, windows-1250, iso-8859-2 or macintosh (or latin1, cp1250, latin2, us-ascii), not "koi8-r"' },
    ]);

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

/**
 * A Polish bank's export as Excel's "Unicode Text" writes it: UTF-16LE with a byte order mark,
 * tab-separated, `DD.MM.YYYY`, `12,50`, spending negative. The text is encoded by Node's Buffer
 * (not the decoder under test); its first bytes are checked by hand below.
 */
const POLISH_TEXT =
  'Data operacji\tKwota\tOdbiorca\tTytuł\r\n' +
  '05.03.2026\t-12,50\tŻabka Łódź\tZakupy spożywcze\r\n' +
  '06.03.2026\t-1.234,00\tŚwięty Mikołaj Sp. z o.o.\tPrezent\r\n' +
  '07.03.2026\t3 000,00\tWynagrodzenie\t\r\n';
const POLISH_MAPPING = {
  dateColumn: 'Data operacji',
  amountColumn: 'Kwota',
  merchantColumn: 'Odbiorca',
  descriptionColumn: 'Tytuł',
  delimiter: 'tab',
  dateFormat: 'DD.MM.YYYY',
  decimalSeparator: ',',
  amountSign: 'negativeIsSpending',
};
const utf16le = (text: string) => new Uint8Array([0xff, 0xfe, ...Buffer.from(text, 'utf16le')]);
const utf16be = (text: string) => new Uint8Array([0xfe, 0xff, ...Buffer.from(text, 'utf16le').swap16()]);

/** "2026-03-05,4.00,,Sklep,Łódź" (our own format) in Windows-1250: Ł 0xA3, ó 0xF3, ź 0x9F; and in ISO-8859-2: ź 0xBC. */
const LODZ_1250 = new Uint8Array([...ascii('2026-03-05,4.00,,Sklep,'), 0xa3, 0xf3, 0x64, 0x9f, 0x0d, 0x0a]);
const LODZ_8859_2 = new Uint8Array([...ascii('2026-03-05,4.00,,Sklep,'), 0xa3, 0xf3, 0x64, 0xbc, 0x0d, 0x0a]);

describe('UTF-16 and Central European CSV files', { timeout: 120_000 }, () => {
  it('a UTF-16LE tab-separated bank file with a mapping: dry run says utf-16le, the import stores the merchants; in UTF-16BE and in UTF-8 it is the same rows', async () => {
    const file = utf16le(POLISH_TEXT);
    // FF FE, then "Da" as 44 00 61 00: little-endian with its byte order mark.
    expect([...file.subarray(0, 6)]).toEqual([0xff, 0xfe, 0x44, 0x00, 0x61, 0x00]);
    const b = await h.createBudget(owner, { currency: 'PLN', categories: [] });

    const dry = await importCsv(b, file, { ...POLISH_MAPPING, dryRun: 'true' }, 'application/vnd.ms-excel');
    expect(dry.status, dry.text).toBe(200);
    expect(dry.json).toMatchObject({ dryRun: true, charset: 'utf-16le', total: 2, imported: 2, errorCount: 0, importLines: [2, 3], skipped: 1, skippedLines: [4] });

    const res = await importCsv(b, file, POLISH_MAPPING, 'application/vnd.ms-excel');
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ status: 'succeeded', total: 2, imported: 2, errorCount: 0, skipped: 1 });
    const stored = (await h.listExpenses(b, owner.token)).map((e) => ({ occurredOn: e.occurredOn, amount: e.amount, merchant: e.merchant, description: e.description }));
    expect(stored.sort((x, y) => (x.occurredOn < y.occurredOn ? -1 : 1))).toEqual([
      { occurredOn: '2026-03-05', amount: 1250, merchant: 'Żabka Łódź', description: 'Zakupy spożywcze' },
      { occurredOn: '2026-03-06', amount: 123400, merchant: 'Święty Mikołaj Sp. z o.o.', description: 'Prezent' },
    ]);

    // Big-endian (its BOM says so, the Content-Type too), and the text in UTF-8: duplicates.
    for (const [body, contentType, charset] of [
      [utf16be(POLISH_TEXT), 'text/csv; charset=UTF-16BE', 'utf-16be'],
      [utf16be(POLISH_TEXT), 'application/vnd.ms-excel', 'utf-16be'],
      [new TextEncoder().encode(POLISH_TEXT), 'text/csv', 'utf-8'],
    ] as const) {
      const dryAgain = await importCsv(b, body, { ...POLISH_MAPPING, dryRun: 'true' }, contentType);
      expect(dryAgain.json, contentType).toMatchObject({ charset, imported: 0, duplicates: 2 });
      const again = await importCsv(b, body, POLISH_MAPPING, contentType);
      expect(again.json, contentType).toMatchObject({ status: 'succeeded', imported: 0, duplicates: 2 });
    }
    // Without its byte order mark, named by the query's charset, and not named at all (its zero bytes tell).
    const bare = file.subarray(2);
    for (const query of [{ ...POLISH_MAPPING, charset: 'utf-16le' }, { ...POLISH_MAPPING, charset: 'utf-16' }, POLISH_MAPPING]) {
      const dryBare = await importCsv(b, new Uint8Array(bare), { ...query, dryRun: 'true' }, 'application/vnd.ms-excel');
      expect(dryBare.json, JSON.stringify(query)).toMatchObject({ charset: 'utf-16le', imported: 0, duplicates: 2 });
    }
    expect(await h.listExpenses(b, owner.token)).toHaveLength(2);
  });

  it('a UTF-16 file in our own format (comma) imports without a mapping; one of an odd number of bytes is a 400 naming body, or charset when the query named it', async () => {
    const b = await h.createBudget(owner, { currency: 'PLN', categories: [] });
    const own = utf16le('date,amount,category,description,merchant\r\n2026-03-05,4.00,,Sklep,Łódź\r\n');
    const res = await importCsv(b, own, {}, 'text/csv; charset=utf-16');
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ status: 'succeeded', total: 1, imported: 1 });
    expect((await h.listExpenses(b, owner.token)).map((e) => e.merchant)).toEqual(['Łódź']);
    // Excel's "Unicode Text" of our format: tabs, read with delimiter=tab alone.
    const tabbed = await importCsv(b, utf16le('2026-03-05\t4.00\t\tSklep\tŁódź\r\n'), { delimiter: 'tab', dryRun: 'true' }, 'application/vnd.ms-excel');
    expect(tabbed.json).toMatchObject({ charset: 'utf-16le', total: 1, imported: 0, duplicates: 1 });
    // A tab character itself (%09 in the URL) reads as delimiter=tab.
    const tabItself = await importCsv(b, utf16le('2026-03-05\t4.00\t\tSklep\tŁódź\r\n'), { delimiter: '\t', dryRun: 'true' }, 'application/vnd.ms-excel');
    expect(tabItself.json).toMatchObject({ charset: 'utf-16le', total: 1, imported: 0, duplicates: 1 });

    const odd = new Uint8Array([...own, 0x0a]);
    const refused = await importCsv(b, odd, {}, 'application/vnd.ms-excel');
    expectProblem(refused, 400);
    expect(refused.json.errors).toEqual([
      { path: 'body', message: `Must be valid UTF-16LE (the body held ${odd.length} bytes, an odd number: each UTF-16 unit is 2 bytes; the file starts with a UTF-16LE byte order mark)` },
    ]);
    const oddBare = odd.subarray(2);
    const named = await importCsv(b, new Uint8Array(oddBare), { charset: 'utf-16le', dryRun: 'true' }, 'application/vnd.ms-excel');
    expectProblem(named, 400);
    expect(named.json.errors).toEqual([
      { path: 'query.charset', message: `Must be valid UTF-16LE (the body held ${oddBare.length} bytes, an odd number: each UTF-16 unit is 2 bytes; the mapping says charset=utf-16le)` },
    ]);
    // Not named: its zero bytes made it UTF-16, so the body is at fault.
    const guessed = await importCsv(b, new Uint8Array(oddBare), { dryRun: 'true' }, 'application/vnd.ms-excel');
    expectProblem(guessed, 400, ['body']);
    expect(guessed.json.errors[0].message).toContain("every other byte of the file's start is zero");
    // ?profile=auto on such a file (a saved profile in the budget): no profile reads a header it cannot decode; the body is at fault.
    const saved = await h.call('POST', `/v1/budgets/${b.id}/import-profiles`, { token: owner.token, body: { name: 'Bank', mapping: { dateColumn: 'Datum', amountColumn: 'Betrag' } } });
    expect(saved.status, saved.text).toBe(201);
    const auto = await importCsv(b, new Uint8Array(oddBare), { profile: 'auto', dryRun: 'true' }, 'application/vnd.ms-excel');
    expectProblem(auto, 400);
    expect(auto.json.errors).toEqual(guessed.json.errors);
    // An unpaired surrogate (0xD800 then "2"), named in the Content-Type.
    const lone = await importCsv(b, new Uint8Array([0xff, 0xfe, 0x00, 0xd8, 0x32, 0x00]), {}, 'text/csv; charset=utf-16le');
    expectProblem(lone, 400);
    expect(lone.json.errors).toEqual([{ path: 'body', message: 'Must be valid UTF-16LE (the body held an unpaired surrogate; the file starts with a UTF-16LE byte order mark)' }]);
    expect(await h.listExpenses(b, owner.token)).toHaveLength(1);
  });

  it('a Windows-1250 file named in the Content-Type imports Łódź; ISO-8859-2 bytes named so are the same row; not named, neither is guessed', async () => {
    const b = await h.createBudget(owner, { currency: 'PLN', categories: [] });
    const res = await importCsv(b, LODZ_1250, {}, 'application/vnd.ms-excel; charset=windows-1250');
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ status: 'succeeded', imported: 1 });
    expect((await h.listExpenses(b, owner.token)).map((e) => ({ merchant: e.merchant, description: e.description, amount: e.amount }))).toEqual([
      { merchant: 'Łódź', description: 'Sklep', amount: 400 },
    ]);

    // The same text by each name: the same row (a duplicate).
    for (const [body, query, contentType, charset] of [
      [LODZ_1250, {}, 'text/csv; charset=CP1250', 'windows-1250'],
      [LODZ_1250, { charset: 'cp1250' }, 'application/vnd.ms-excel', 'windows-1250'],
      [LODZ_8859_2, {}, 'application/vnd.ms-excel; charset=iso-8859-2', 'iso-8859-2'],
      [LODZ_8859_2, {}, 'application/vnd.ms-excel; charset=latin2', 'iso-8859-2'],
      [LODZ_8859_2, { charset: 'l2' }, 'application/vnd.ms-excel', 'iso-8859-2'],
    ] as const) {
      const dry = await importCsv(b, body, { ...query, dryRun: 'true' }, contentType);
      expect(dry.status, dry.text).toBe(200);
      expect(dry.json, `${contentType} ${JSON.stringify(query)}`).toMatchObject({ charset, imported: 0, duplicates: 1 });
    }
    // Read as the other code page, ź (0x9F) is a C1 control there (ISO-8859-2 has no letter at 0x80-0x9F): the row's error, not a merchant ending in an invisible character (until 2026-12-07 it was stored so).
    const crossed = await importCsv(b, LODZ_1250, { charset: 'iso-8859-2', dryRun: 'true' }, 'application/vnd.ms-excel');
    expect(crossed.json).toMatchObject({ charset: 'iso-8859-2', imported: 0, duplicates: 0, errors: [{ message: 'merchant must be well-formed text without NUL or other control characters' }] });
    // Not named: not UTF-8, so Windows-1252 as before (never guessed as Windows-1250).
    const unnamed = await importCsv(b, LODZ_1250, { dryRun: 'true' }, 'application/vnd.ms-excel');
    expect(unnamed.json).toMatchObject({ charset: 'windows-1252', imported: 1, duplicates: 0 });
    // Two different names: the Content-Type's and the query's disagree.
    const twice = await importCsv(b, LODZ_1250, { charset: 'iso-8859-2', dryRun: 'true' }, 'application/vnd.ms-excel; charset=windows-1250');
    expectProblem(twice, 400);
    expect(twice.json.errors).toEqual([{ path: 'query.charset', message: 'The Content-Type says charset=windows-1250: give one of the two, or the same charset in both' }]);
    expect(await h.listExpenses(b, owner.token)).toHaveLength(1);
  });

  it('a Mac Roman file (Excel for Mac\'s "CSV (Macintosh)") named in the Content-Type or the query imports Café Müller; not named, it is not guessed', async () => {
    const b = await h.createBudget(owner, { categories: [] });
    // "2026-03-05,4.00,,Frühstück,Café Müller" in our own format: é 0x8E, ü 0x9F (Apple's ROMAN.TXT).
    const cafe = new Uint8Array([...ascii('2026-03-05,4.00,,Fr'), 0x9f, ...ascii('hst'), 0x9f, ...ascii('ck,Caf'), 0x8e, ...ascii(' M'), 0x9f, ...ascii('ller'), 0x0d, 0x0a]);
    const res = await importCsv(b, cafe, {}, 'application/vnd.ms-excel; charset=macintosh');
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ status: 'succeeded', imported: 1 });
    expect((await h.listExpenses(b, owner.token)).map((e) => ({ merchant: e.merchant, description: e.description, amount: e.amount }))).toEqual([
      { merchant: 'Café Müller', description: 'Frühstück', amount: 400 },
    ]);
    const byQuery = await importCsv(b, cafe, { charset: 'x-mac-roman', dryRun: 'true' }, 'application/vnd.ms-excel');
    expect(byQuery.json).toMatchObject({ charset: 'macintosh', imported: 0, duplicates: 1 });
    // Not named: Windows-1252 (CafŽ MŸller), another row.
    const unnamed = await importCsv(b, cafe, { dryRun: 'true' }, 'application/vnd.ms-excel');
    expect(unnamed.json).toMatchObject({ charset: 'windows-1252', imported: 1, duplicates: 0 });
  });

  it('a profile saves the new charsets; an unknown charset is still a 415 (Content-Type) or a 400 (query, profile)', async () => {
    const b = await h.createBudget(owner, { currency: 'PLN', categories: [] });
    const profile = await h.call('POST', `/v1/budgets/${b.id}/import-profiles`, { token: owner.token, body: { name: 'mBank', mapping: { ...POLISH_MAPPING, charset: 'windows-1250' } } });
    expect(profile.status, profile.text).toBe(201);
    expect(profile.json.mapping).toMatchObject({ charset: 'windows-1250', delimiter: 'tab' });
    for (const charset of ['utf-16', 'utf-16le', 'utf-16be', 'cp1250', 'iso-8859-2', 'latin2', 'l2']) {
      const other = await h.call('POST', `/v1/budgets/${b.id}/import-profiles`, { token: owner.token, body: { name: `Bank ${charset}`, mapping: { charset } } });
      expect(other.status, other.text).toBe(201);
      expect(other.json.mapping).toEqual({ charset });
    }
    // The profile's Windows-1250 reads a tab-separated file whose header holds "Tytuł" (ł = 0xB3).
    const file = new Uint8Array([
      ...ascii('Data operacji\tKwota\tOdbiorca\tTytu'), 0xb3, ...ascii('\r\n'),
      ...ascii('05.03.2026\t-12,50\t'), 0xaf, ...ascii('abka '), 0xa3, 0xf3, 0x64, 0x9f, ...ascii('\tZakupy\r\n'),
    ]);
    const read = await importCsv(b, file, { profile: profile.json.id, dryRun: 'true' }, 'application/vnd.ms-excel');
    expect(read.status, read.text).toBe(200);
    expect(read.json).toMatchObject({ charset: 'windows-1250', imported: 1, errorCount: 0, profileId: profile.json.id });
    const imported = await importCsv(b, file, { profile: profile.json.id }, 'application/vnd.ms-excel');
    expect(imported.json).toMatchObject({ status: 'succeeded', imported: 1 });
    expect((await h.listExpenses(b, owner.token)).map((e) => ({ merchant: e.merchant, description: e.description }))).toEqual([{ merchant: 'Żabka Łódź', description: 'Zakupy' }]);

    for (const label of ['koi8-r', 'utf-32', 'windows-1251', 'iso-8859-15']) {
      const refused = await importCsv(b, LODZ_1250, {}, `text/csv; charset=${label}`);
      expectProblem(refused, 415);
      expect(refused.json.errors[0].path).toBe('header.Content-Type');
      expect(refused.json.detail).toContain(`charset "${label}" is not supported`);
    }
    expectProblem(await importCsv(b, LODZ_1250, { charset: 'windows-1251', dryRun: 'true' }), 400, ['query.charset']);
    expectProblem(await h.call('POST', `/v1/budgets/${b.id}/import-profiles`, { token: owner.token, body: { name: 'Bad', mapping: { charset: 'utf-32' } } }), 400, ['mapping.charset']);
  });
});
