import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createLogger, declareProblems, loadConfig, PROBLEM_TYPE_BASE, ProblemError, problems, useProblemTypeBase, type ProblemTexts } from '@budgeting/platform';
import { PLATFORM_PROBLEM_TEXTS } from '@budgeting/platform/problem-texts';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../../packages/app/src/http/create-app';
import { MODULE_TEXTS, PROBLEM_CATALOG_COMMAND, problemTypes, renderProblemCatalog } from '../../../packages/app/src/http/problem-catalog';

/**
 * The catalogue of problem types (GET /problems, docs/problems.md). ProblemError takes a
 * declared type (a type error otherwise); what the compiler cannot see is scanned here: the
 * slugs written as text (OpenAPI examples, comparisons) and the declarations nobody uses.
 */
const repoRoot = join(import.meta.dirname, '../../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name === 'scripts' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}
const SOURCES = sourceFiles(join(repoRoot, 'packages')).map((file) => ({ file: relative(repoRoot, file), text: readFileSync(file, 'utf8') }));
const DECLARED = new Set(problemTypes().map((t) => t.slug));

const app = () => createApp({ logger: createLogger('SILENT'), modules: [], corsOrigins: [] });
const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

afterEach(() => useProblemTypeBase(PROBLEM_TYPE_BASE));

describe('the problem types in the source', () => {
  it('are all declared: every slug written as text (problemType(...), a comparison with .slug, a problems/ URI)', () => {
    const written = SOURCES.flatMap(({ file, text }) => [
      ...[...text.matchAll(/problemType\(\s*'([^']+)'\s*\)/g)].map((m) => ({ file, slug: m[1]! })),
      ...[...text.matchAll(/slug\s*===\s*'([^']+)'/g)].map((m) => ({ file, slug: m[1]! })),
      ...[...text.matchAll(/BUDGET_ARCHIVED\s*=\s*'([^']+)'/g)].map((m) => ({ file, slug: m[1]! })),
      ...[...text.matchAll(/budgeting\.dev\/problems\/([a-z0-9-]+)/g)].map((m) => ({ file, slug: m[1]! })),
    ]);
    expect(written.length).toBeGreaterThan(40);
    expect(written.filter((w) => !DECLARED.has(w.slug))).toEqual([]);
  });

  it('build no ProblemError from a status and a slug of their own (only from a declared type)', () => {
    const raw = SOURCES.filter(({ text }) => /new ProblemError\(\s*\d|super\(\s*\d{3}\s*,\s*'/.test(text)).map((s) => s.file);
    expect(raw).toEqual([]);
  });

  it('are each used: every declared slug is thrown or answered somewhere outside its declaration', () => {
    const unused = problemTypes().filter((t) => {
      const used = new RegExp(`(?:PROBLEMS|\\bP)(?:\\['${t.slug}'\\]|\\.${t.slug}\\b)`);
      return !SOURCES.some(({ text }) => used.test(text));
    });
    expect(unused.map((t) => `${t.module}: ${t.slug}`)).toEqual([]);
  });

  it("are each found by the catalogue: every module's src/problems.ts and src/problem-texts.ts are its package's `./problems` and `./problem-texts` exports, neither re-exported by the public entry", async () => {
    const modules = readdirSync(join(repoRoot, 'packages')).filter((m) => SOURCES.some(({ file }) => file === `packages/${m}/src/problems.ts`));
    expect(modules.sort()).toEqual(['budgets', 'expenses', 'users']);
    const withTexts = readdirSync(join(repoRoot, 'packages')).filter((m) => SOURCES.some(({ file }) => file.startsWith(`packages/${m}/src/`) && file.endsWith('/problem-texts.ts')));
    expect(withTexts.sort()).toEqual(['budgets', 'expenses', 'platform', 'users']);
    const listed = new Set(problemTypes().map((t) => t.slug));
    const listedTexts = new Set(MODULE_TEXTS);
    for (const m of withTexts) {
      const exportsOf = JSON.parse(readFileSync(join(repoRoot, 'packages', m, 'package.json'), 'utf8')).exports;
      const textsFile = m === 'platform' ? 'src/http/problem-texts.ts' : 'src/problem-texts.ts';
      expect(exportsOf['./problem-texts'], m).toBe(`./${textsFile}`);
      // The public entry loads on every cold start; the texts only for the catalogue (cold-http-imports.test.ts).
      expect(readFileSync(join(repoRoot, 'packages', m, 'src/index.ts'), 'utf8'), m).not.toMatch(/problem-texts'/);
      const texts = Object.values(await import(join(repoRoot, 'packages', m, textsFile)));
      expect(texts.length, m).toBe(1);
      expect(listedTexts.has(texts[0] as never), `${m}'s texts are not in MODULE_TEXTS`).toBe(true);
      if (m === 'platform') continue;
      expect(exportsOf['./problems'], m).toBe('./src/problems.ts');
      expect(readFileSync(join(repoRoot, 'packages', m, 'src/index.ts'), 'utf8'), m).not.toMatch(/from '\.\/problems'/);
      const declared = Object.values(await import(join(repoRoot, 'packages', m, 'src/problems.ts'))).flatMap((v) => Object.values(v as object) as { slug: string }[]);
      expect(declared.length, m).toBeGreaterThan(0);
      expect(declared.filter((t) => !listed.has(t.slug)), m).toEqual([]);
      expect(Object.keys(texts[0] as object).sort(), m).toEqual(declared.map((t) => t.slug).sort());
    }
  });

  it('have one module each, a status of an error, a title and both sentences', () => {
    const types = problemTypes();
    expect(types.length).toBeGreaterThanOrEqual(40);
    expect(new Set(types.map((t) => t.slug)).size).toBe(types.length);
    for (const t of types) {
      expect(t.status, t.slug).toBeGreaterThanOrEqual(400);
      expect(t.status, t.slug).toBeLessThan(600);
      expect(t.title.length, t.slug).toBeGreaterThan(2);
      expect(t.meaning, t.slug).toMatch(/\.$/);
      expect(t.action, t.slug).toMatch(/\.$/);
    }
    expect(types.find((t) => t.slug === 'budget-archived')).toMatchObject({ module: 'budgets', status: 409 });
    expect(types.find((t) => t.slug === 'mfa-required')).toMatchObject({ module: 'users', status: 401 });
    expect(types.find((t) => t.slug === 'validation-error')).toMatchObject({ module: 'platform', status: 400 });
  });

  it('refuses a slug two modules declare, and a slug that is not kebab-case', () => {
    const a = declareProblems('alpha', { 'gone-away': { status: 410, title: 'Gone' } });
    const b = declareProblems('beta', { 'gone-away': { status: 410, title: 'Gone' } });
    // The platform's types are always listed, so their texts too.
    const texts = [PLATFORM_PROBLEM_TEXTS, { 'gone-away': { meaning: 'Gone.', action: 'Stop.' } }];
    expect(() => problemTypes([{ a }, { b }], texts)).toThrow('problem type "gone-away" is declared by both alpha and beta');
    expect(() => problemTypes([{ a }, { other: 1 }], texts)).not.toThrow();
    expect(() => declareProblems('alpha', { Gone_Away: { status: 410, title: 'Gone' } })).toThrow('not kebab-case');
  });

  it('each have their texts, kept apart (problem-texts.ts): a type without texts, or texts of no type, is refused', () => {
    const a = declareProblems('alpha', { 'gone-away': { status: 410, title: 'Gone' } });
    expect(problemTypes([{ a }], [PLATFORM_PROBLEM_TEXTS, { 'gone-away': { meaning: 'Gone.', action: 'Stop.' } }]).find((t) => t.slug === 'gone-away')).toMatchObject({
      slug: 'gone-away',
      module: 'alpha',
      status: 410,
      meaning: 'Gone.',
      action: 'Stop.',
    });
    expect(() => problemTypes([{ a }], [PLATFORM_PROBLEM_TEXTS])).toThrow('problem type "gone-away" (alpha) has no texts');
    expect(() => problemTypes([], [PLATFORM_PROBLEM_TEXTS, { 'gone-away': { meaning: 'Gone.', action: 'Stop.' } }])).toThrow('problem texts for "gone-away", which no module declares');
    // With its texts, a type is still the declared one: a ProblemError takes it.
    const [archived] = problemTypes().filter((t) => t.slug === 'budget-archived');
    expect(new ProblemError(archived!, 'd').slug).toBe('budget-archived');
  });

  it('must give every declared slug both texts, and no other slug (a type error: tsc checks this file)', () => {
    const declared = declareProblems('alpha', { 'gone-away': { status: 410, title: 'Gone' }, 'too-late': { status: 410, title: 'Too late' } });
    const complete = {
      'gone-away': { meaning: 'Gone.', action: 'Stop.' },
      'too-late': { meaning: 'Late.', action: 'Stop.' },
    } satisfies ProblemTexts<typeof declared>;
    // @ts-expect-error -- 'too-late' has no texts
    const missing = { 'gone-away': { meaning: 'Gone.', action: 'Stop.' } } satisfies ProblemTexts<typeof declared>;
    const extra = {
      'gone-away': { meaning: 'Gone.', action: 'Stop.' },
      'too-late': { meaning: 'Late.', action: 'Stop.' },
      // @ts-expect-error -- not a declared slug
      'made-up': { meaning: 'No.', action: 'No.' },
    } satisfies ProblemTexts<typeof declared>;
    // @ts-expect-error -- an action is required
    const half = { 'gone-away': { meaning: 'Gone.' }, 'too-late': { meaning: 'Late.', action: 'Stop.' } } satisfies ProblemTexts<typeof declared>;
    expect([complete, missing, extra, half].map((t) => Object.keys(t).length)).toEqual([2, 1, 3, 2]);
    expect(Object.keys(declared)).toEqual(Object.keys(complete));
  });

  it('give a ProblemError its slug, title and status (http-error: the status it is given)', () => {
    const [archived] = problemTypes().filter((t) => t.slug === 'budget-archived');
    const error = new ProblemError(archived!, 'Budget b1 is archived.');
    expect(error.toBody()).toEqual({ type: 'https://budgeting.dev/problems/budget-archived', title: 'The budget is archived', status: 409, detail: 'Budget b1 is archived.' });
    expect(problems.conflict('x').toBody()).toMatchObject({ type: 'https://budgeting.dev/problems/conflict', status: 409, title: 'Conflict' });
  });

  it('cannot be made up at a call site: a ProblemError of an undeclared type does not compile (tsc checks this file)', () => {
    const madeUp = { slug: 'made-up', status: 409, title: 'Made up', module: 'nobody' };
    // @ts-expect-error -- not a declared type: only declareProblems makes one (its brand)
    expect(new ProblemError(madeUp, 'd').slug).toBe('made-up');
  });
});

describe('docs/problems.md', () => {
  it('is up to date with the declarations', () => {
    const committed = readFileSync(join(repoRoot, 'docs/problems.md'), 'utf8');
    expect(committed === renderProblemCatalog(problemTypes()), `docs/problems.md is out of date: run \`${PROBLEM_CATALOG_COMMAND}\``).toBe(true);
  });

  it('lists every type under its module, with its status', () => {
    const text = renderProblemCatalog(problemTypes());
    expect(text).toContain('| `budget-archived` | 409 | The budget is archived |');
    expect(text).toContain('## users');
    expect(text.indexOf('## Generic (platform)')).toBeLessThan(text.indexOf('## budgets'));
  });
});

describe('GET /problems and GET /problems/{slug}', () => {
  it('list every type as JSON, without a token', async () => {
    const res = await app().request('/problems');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('vary')).toMatch(/Accept/);
    const body = (await res.json()) as { items: { slug: string; type: string }[] };
    expect(body.items.map((i) => i.slug).sort()).toEqual([...DECLARED].sort());
    expect(body.items.find((i) => i.slug === 'sync-expired')).toEqual({
      type: 'https://budgeting.dev/problems/sync-expired',
      slug: 'sync-expired',
      status: 410,
      title: 'Sync token expired',
      meaning: expect.stringContaining('90 days'),
      action: expect.stringContaining('without `since`'),
      module: 'expenses',
    });
  });

  it('answer one type as JSON by default and as a page to a browser', async () => {
    const json = await app().request('/problems/idempotent-answer-not-kept', { headers: { accept: '*/*' } });
    expect(json.status).toBe(200);
    expect(await json.json()).toMatchObject({ slug: 'idempotent-answer-not-kept', status: 409, module: 'platform' });

    const html = await app().request('/problems/mfa-required', { headers: { accept: BROWSER } });
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    expect(html.headers.get('content-security-policy')).toContain("default-src 'none'");
    // As the report's page (budgets reports.handlers.ts): no framing, in CSP too (review54f).
    expect(html.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    const page = await html.text();
    expect(page).toContain('<h1>Second factor required</h1>');
    expect(page).toContain('https://budgeting.dev/problems/mfa-required');
    expect(page).toContain('<code>mfaToken</code>');
    expect(page).not.toContain('<script');

    const index = await app().request('/problems', { headers: { accept: BROWSER } });
    expect(await index.text()).toContain('<a href="/problems/budget-archived">budget-archived</a>');
  });

  it('answer an unknown slug with a 404 problem, and another method with 405', async () => {
    const res = await app().request('/problems/budget-archive');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(await res.json()).toMatchObject({ type: 'https://budgeting.dev/problems/not-found', detail: 'No problem type is called "budget-archive"; GET /problems lists them.' });
    const odd = await app().request('/problems/%3Cb%3E');
    expect(((await odd.json()) as { detail: string }).detail).toBe('No problem type has this slug; GET /problems lists them.');
    expect((await app().request('/problems', { method: 'POST' })).status).toBe(405);
  });
});

describe('PROBLEM_TYPE_BASE', () => {
  const KEYS = { TOKEN_SIGNING_KEY: 'k'.repeat(32), WEBHOOK_SECRETS_KEY: Buffer.alloc(32, 1).toString('base64'), MFA_SECRETS_KEY: Buffer.alloc(32, 2).toString('base64') };

  it('defaults to https://budgeting.dev/problems/, which clients match on', () => {
    expect(PROBLEM_TYPE_BASE).toBe('https://budgeting.dev/problems/');
    expect(loadConfig(KEYS).problemTypeBase).toBe('https://budgeting.dev/problems/');
  });

  it("is read once by loadConfig: an http(s) URL ending in '/', or the start fails naming it", () => {
    expect(loadConfig({ ...KEYS, PROBLEM_TYPE_BASE: 'https://api.example.com/problems/' }).problemTypeBase).toBe('https://api.example.com/problems/');
    expect(() => loadConfig({ ...KEYS, PROBLEM_TYPE_BASE: 'https://api.example.com/problems' })).toThrow('PROBLEM_TYPE_BASE: must end with "/"');
    expect(() => loadConfig({ ...KEYS, PROBLEM_TYPE_BASE: 'ftp://x/' })).toThrow('PROBLEM_TYPE_BASE: must be an http(s) URL');
    // The value is used as written, so it must be the URL's own form: no query or fragment the slug
    // would land in, no space around it, nothing a URL parser would rewrite (review54f).
    for (const base of ['https://api.example.com/problems/?v=/', 'https://api.example.com/problems/#/', ' https://api.example.com/problems/', 'https:/api.example.com/problems/', 'https://API.example.com/problems/']) {
      expect(() => loadConfig({ ...KEYS, PROBLEM_TYPE_BASE: base }), base).toThrow('PROBLEM_TYPE_BASE:');
    }
  });

  it('once set, is the base of every answer and of the catalogue', async () => {
    useProblemTypeBase('https://api.example.com/problems/');
    const missing = await app().request('/nowhere');
    expect(((await missing.json()) as { type: string }).type).toBe('https://api.example.com/problems/not-found');
    const listed = (await (await app().request('/problems/conflict')).json()) as { type: string };
    expect(listed.type).toBe('https://api.example.com/problems/conflict');
  });
});
