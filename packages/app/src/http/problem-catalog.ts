import * as activity from '@budgeting/activity';
import * as budgets from '@budgeting/budgets';
import * as expenses from '@budgeting/expenses';
import * as notifications from '@budgeting/notifications';
import { isProblemTypes, PLATFORM_PROBLEMS, PROBLEM_TYPE_BASE, problemType, type ProblemText, type ProblemType } from '@budgeting/platform';
import * as users from '@budgeting/users';
import * as budgetsProblems from '@budgeting/budgets/problems';
import { BUDGETS_PROBLEM_TEXTS } from '@budgeting/budgets/problem-texts';
import * as expensesProblems from '@budgeting/expenses/problems';
import { EXPENSES_PROBLEM_TEXTS } from '@budgeting/expenses/problem-texts';
import { PLATFORM_PROBLEM_TEXTS } from '@budgeting/platform/problem-texts';
import * as usersProblems from '@budgeting/users/problems';
import { USERS_PROBLEM_TEXTS } from '@budgeting/users/problem-texts';
import * as webhooks from '@budgeting/webhooks';

/**
 * The catalogue of every problem type the API answers: the platform's generic ones and each
 * module's own (declareProblems in its src/problems.ts, its package's `./problems` export, found
 * here by shape), each with its meaning and action (src/problem-texts.ts, the `./problem-texts`
 * export). Neither is re-exported by the modules' public entries: those load on every cold start,
 * the types are needed only where they are thrown (each module's own files import them) and the
 * texts only here (tests/unit/http/problem-catalog.test.ts checks every module's two files are
 * listed; tests/lambda/cold-http-imports.test.ts that no request loads the texts). Served by GET /problems and
 * GET /problems/{slug} (create-app.ts, loaded on the first request for them) and written to
 * docs/problems.md (scripts/problem-catalog.ts).
 */
export const PROBLEM_CATALOG_COMMAND = 'npx tsx packages/app/scripts/problem-catalog.ts';

/** The modules' entries (a type re-exported there is found too) and their `./problems` exports. */
const MODULE_ENTRIES: Record<string, unknown>[] = [users, budgets, expenses, activity, notifications, webhooks, usersProblems, budgetsProblems, expensesProblems];

/** Every module's texts (the platform's first), by slug: problemTypes pairs them with the declarations. */
export const MODULE_TEXTS: Readonly<Record<string, ProblemText>>[] = [PLATFORM_PROBLEM_TEXTS, USERS_PROBLEM_TEXTS, BUDGETS_PROBLEM_TEXTS, EXPENSES_PROBLEM_TEXTS];

/** A declared problem type with its catalogue texts. */
export type DescribedProblemType = ProblemType & ProblemText;

/**
 * Every declared problem type with its texts, platform's first, then the modules' in slug order.
 * A slug declared twice throws, and so do a type without texts and texts of no declared type
 * (each module's `satisfies ProblemTexts<...>` already makes both a type error; this catches a
 * text file the catalogue does not list).
 */
export function problemTypes(entries: Record<string, unknown>[] = MODULE_ENTRIES, texts: Readonly<Record<string, ProblemText>>[] = MODULE_TEXTS): DescribedProblemType[] {
  const found = new Map<string, ProblemType>();
  const add = (type: ProblemType) => {
    const other = found.get(type.slug);
    if (other && other !== type) throw new Error(`problem type "${type.slug}" is declared by both ${other.module} and ${type.module}`);
    found.set(type.slug, type);
  };
  Object.values(PLATFORM_PROBLEMS).forEach(add);
  const own: ProblemType[] = [];
  for (const entry of entries) {
    for (const value of Object.values(entry)) if (isProblemTypes(value)) own.push(...Object.values(value));
  }
  own.sort((a, b) => a.module.localeCompare(b.module) || a.slug.localeCompare(b.slug)).forEach(add);
  const textOf = new Map(texts.flatMap((t) => Object.entries(t)));
  const orphan = [...textOf.keys()].find((slug) => !found.has(slug));
  if (orphan) throw new Error(`problem texts for "${orphan}", which no module declares`);
  return [...found.values()].map((type) => {
    const text = textOf.get(type.slug);
    if (!text) throw new Error(`problem type "${type.slug}" (${type.module}) has no texts in its module's problem-texts.ts`);
    // The texts' two fields only: the declaration's brand and fields stay as declared.
    return { ...type, meaning: text.meaning, action: text.action };
  });
}

/** One problem type as GET /problems and GET /problems/{slug} answer it (JSON). */
export interface ProblemTypeView {
  type: string;
  slug: string;
  status: number;
  title: string;
  meaning: string;
  action: string;
  module: string;
}

export const problemTypeView = (t: DescribedProblemType): ProblemTypeView => ({
  type: problemType(t.slug),
  slug: t.slug,
  status: t.status,
  title: t.title,
  meaning: t.meaning,
  action: t.action,
  module: t.module,
});

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
/** `code` spans of the texts, as in the Markdown catalogue. */
const inline = (text: string) => escapeHtml(text).replace(/`([^`]+)`/g, '<code>$1</code>');

const page = (title: string, body: string) =>
  '<!doctype html><html lang="en"><head><meta charset="utf-8">' +
  `<meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title><link rel="icon" href="data:,">` +
  '<style>body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#1f2328}' +
  'code{background:#f3f4f6;padding:0 .2em;border-radius:3px}dt{font-weight:600;margin-top:.8rem}td,th{text-align:left;padding:.2rem .6rem .2rem 0;vertical-align:top}</style>' +
  `</head><body>${body}</body></html>`;

/** The page of one problem type (GET /problems/{slug} with Accept: text/html): self-contained, no script. */
export function problemTypePage(t: DescribedProblemType): string {
  const v = problemTypeView(t);
  return page(
    `${v.title} (${v.status})`,
    `<p><a href="/problems">All problem types</a></p><h1>${escapeHtml(v.title)}</h1>` +
      `<p><code>${escapeHtml(v.type)}</code>: HTTP ${v.status}</p>` +
      `<dl><dt>What it means</dt><dd>${inline(v.meaning)}</dd><dt>What to do</dt><dd>${inline(v.action)}</dd></dl>` +
      '<p>Every error of the API is an RFC 9457 problem (<code>application/problem+json</code>): ' +
      '<code>type</code> (this URI), <code>title</code>, <code>status</code>, <code>detail</code> (this occurrence, in words), ' +
      'and <code>errors</code> (<code>[{path, message}]</code>) naming each field at fault.</p>',
  );
}

/** The index page (GET /problems with Accept: text/html). */
export function problemIndexPage(types: DescribedProblemType[]): string {
  const rows = types
    .map((t) => `<tr><td><a href="/problems/${t.slug}">${t.slug}</a></td><td>${t.status}</td><td>${inline(t.meaning)}</td></tr>`)
    .join('');
  return page('Problem types', `<h1>Problem types</h1><table><tr><th>type</th><th>status</th><th>meaning</th></tr>${rows}</table>`);
}

/** docs/problems.md: every problem type, grouped by the module that declares it. Pure, so a test compares it with the committed file. */
export function renderProblemCatalog(types: DescribedProblemType[]): string {
  const out = [
    '# Problem types',
    '',
    `<!-- Generated by \`${PROBLEM_CATALOG_COMMAND}\`; do not edit. A test fails when it is out of date. -->`,
    '',
    'Every error the API answers is an RFC 9457 problem (`application/problem+json`): `type`, `title`,',
    '`status`, `detail` (this occurrence, in words) and, for bad input, `errors: [{path, message}]`.',
    `\`type\` is \`${PROBLEM_TYPE_BASE}<slug>\` (the default base; README, "Configuration":`,
    '`PROBLEM_TYPE_BASE`); match on it, never on `title` or `detail`. A new type may appear in any',
    'release, so a client treats an unknown one by its `status`. A running instance serves this list',
    'at `GET /problems` and each type at `GET /problems/{slug}` (an HTML page for a browser).',
    '',
    "Declared by the platform (the generic ones) and by each module (`declareProblems` in its `src/problems.ts`);",
    'no answer can carry a type that is not declared.',
    '',
  ];
  const modules = [...new Set(types.map((t) => t.module))];
  for (const module of modules) {
    out.push(`## ${module === 'platform' ? 'Generic (platform)' : module}`, '', '| type | status | title | meaning | what to do |', '| --- | --- | --- | --- | --- |');
    for (const t of types.filter((x) => x.module === module)) {
      out.push(`| \`${t.slug}\` | ${t.status} | ${t.title} | ${t.meaning.replaceAll('|', '\\|')} | ${t.action.replaceAll('|', '\\|')} |`);
    }
    out.push('');
  }
  return out.join('\n');
}
