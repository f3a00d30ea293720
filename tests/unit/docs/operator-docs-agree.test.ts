import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GUARD_METRICS, JOB_METRIC_NAMES } from '@budgeting/app/wiring';
import { loadConfig } from '@budgeting/platform';
import type { Root, RootContent, Table } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { toString } from 'mdast-util-to-string';
import { gfm } from 'micromark-extension-gfm';
import { visit } from 'unist-util-visit';
import { describe, expect, it } from 'vitest';
import { JOB_CATALOGUE } from '../../../packages/app/src/local/job-catalogue/catalogue';

/**
 * The operator docs name only what exists, and name everything an operator needs: a renamed
 * script, job, alarm, variable, metric or secret otherwise leaves README.md false, and the
 * on-call operator stuck. Pure reads of files and of the code's own registries (no DynamoDB).
 *
 * The parser's rules, kept simple on purpose:
 * - Docs are the tracked `*.md` files (`git ls-files`), read as plain text for commands (code
 *   blocks, inline code and prose alike); a README section is the text from its heading to the
 *   next heading of the same or a higher level (its subsections included).
 * - A script is the word after `npm run` (`npm start` and `npm test` are `start` and `test`), in
 *   the root package.json unless `npm --prefix <dir>` or `-w`/`--workspace <dir>` names another.
 * - A job is the word after `npm run job -- ` (an option, `--help`, is none).
 * - An alarm is the first argument of `alarm(...)`/`queueAlarm(...)` in infra/*.ts: a quoted name,
 *   a template (each `${...}` a placeholder) or `componentName('Prefix', row)` (Prefix then the
 *   row in PascalCase: a placeholder). In docs a placeholder is `<anything>`; names are compared
 *   with every placeholder written `<>`.
 * - A name in a doc is an inline code span (`Name`); an alarm of the README "Alarms" table is the
 *   first one in the first cell of a row (the rest of the cell explains it); a variable, any in
 *   the first cell of a row of the "Configuration" table (`SNS_APNS_...`, `SNS_FCM_...` share one).
 *   A defined name with a placeholder also stands for every name it makes: `RuleNotParked<>`
 *   for `RuleNotParkedBudgetsOnExpenses`.
 * - A variable is read by code when non-test source of packages/<m>/src, infra/ (.ts, .mjs) or
 *   sst.config.ts (comments dropped) has `env.NAME`, `env['NAME']` or the string 'NAME'.
 * - A CloudWatch-like name is an inline code span of two or more capitalised words
 *   (`DueUnits`, `JobDueAge-<job>`); from "Configuration" to the end of README.md each must be
 *   something infra/ or the code defines: an alarm, a job or guard metric, an SST component or
 *   secret, or an AWS metric infra/ reads (or a past name in HISTORY, each with its reason).
 */
const ROOT = join(import.meta.dirname, '../../..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');
const tracked = (...patterns: string[]) => execFileSync('git', ['ls-files', ...patterns], { cwd: ROOT, encoding: 'utf8' }).split('\n').filter(Boolean);
const markdownFiles = tracked('*.md');
const infraFiles = tracked('infra/*.ts');
const codeFiles = tracked('packages/*/src/**.ts', 'infra/*.ts', 'infra/*.mjs', 'sst.config.ts').filter((f) => !/\.test\.ts$/.test(f));

const README = read('README.md');
const readmeTree: Root = fromMarkdown(README, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });

/** The nodes of a README section: from its heading to the next heading of its depth or higher. */
function sectionNodes(title: string): RootContent[] {
  const start = readmeTree.children.findIndex((n) => n.type === 'heading' && toString(n) === title);
  if (start < 0) throw new Error(`README.md has no heading "${title}"`);
  const depth = (readmeTree.children[start] as { depth: number }).depth;
  const end = readmeTree.children.findIndex((n, i) => i > start && n.type === 'heading' && n.depth <= depth);
  return readmeTree.children.slice(start, end < 0 ? undefined : end);
}
/** A section's source text (its Markdown as written). */
function sectionText(title: string): string {
  const nodes = sectionNodes(title);
  return README.slice(nodes[0]!.position!.start.offset, nodes.at(-1)!.position!.end.offset);
}
/** The inline code spans of the first cell of each row (the header row too, which names none); `first`: a cell's first only. */
function firstColumnNames(title: string, { first = false } = {}): string[] {
  const table = sectionNodes(title).find((n): n is Table => n.type === 'table');
  if (!table) throw new Error(`README.md "${title}" has no table`);
  return table.children.flatMap((row) => {
    const names: string[] = [];
    visit(row.children[0]!, 'inlineCode', (code) => void names.push(code.value));
    return first ? names.slice(0, 1) : names;
  });
}
const inlineCodes = (text: string) => [...text.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]!);
/** Every `<placeholder>` written `<>`, so `JobDueAge-<job>` and `JobDueAge-${row.name}` compare equal. */
const placeholdersBlank = (name: string) => name.replace(/<[^>]*>/g, '<>');

// ---- 1. npm scripts -------------------------------------------------------------------------

interface ScriptUse {
  where: string;
  packageDir: string;
  script: string;
}
/** Each `npm run <script>`, `npm start`, `npm test` of a text, with the package it refers to. */
function scriptUses(file: string, text: string): ScriptUse[] {
  const uses: ScriptUse[] = [];
  const command = /\bnpm\s+(?:(?:--prefix|-w|--workspace)[\s=]+(\S+)\s+)?(?:run(?:-script)?\s+([\w:.-]+)|(start|test)\b)/g;
  for (const m of text.matchAll(command)) {
    const line = text.slice(0, m.index).split('\n').length;
    uses.push({ where: `${file}:${line}`, packageDir: m[1] ?? '.', script: m[2] ?? m[3]! });
  }
  return uses;
}
const scriptsOf = (packageDir: string): string[] => Object.keys(JSON.parse(read(join(packageDir, 'package.json'))).scripts ?? {});

// ---- 2. jobs --------------------------------------------------------------------------------

/** Each `npm run job -- <name>` of a text (not `npm run job -- --help`). */
function jobUses(text: string): string[] {
  return [...text.matchAll(/\bnpm\s+run\s+job\s+--\s+([a-z][a-z0-9-]*)/g)].map((m) => m[1]!);
}
const registered = [...JOB_CATALOGUE.jobs, ...JOB_CATALOGUE.operations.map((o) => o.name)];

// ---- 3. alarms ------------------------------------------------------------------------------

/** The alarm names an infra/ source creates, placeholders written `<>`. */
function alarmNamesIn(source: string): string[] {
  const names: string[] = [];
  for (const m of source.matchAll(/\b(?:alarm|queueAlarm)\(\s*(?:'([^']+)'|`([^`]+)`|componentName\(\s*'([^']+)')/g)) {
    if (m[1] !== undefined) names.push(m[1]);
    else if (m[2] !== undefined) names.push(m[2].replace(/\$\{[^}]*\}/g, '<>'));
    else names.push(`${m[3]}<>`);
  }
  return names;
}
const infraAlarms = infraFiles.flatMap((f) => alarmNamesIn(read(f)));

// ---- 4. environment variables ---------------------------------------------------------------

const withoutComments = (source: string) => source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
const code = codeFiles.map((f) => withoutComments(read(f))).join('\n');
const readByCode = (name: string, source = code) =>
  new RegExp(`\\benv(?:\\.${name}\\b|\\[['"]${name}['"]\\])|['"\`]${name}['"\`]`).test(source);

/** Every variable loadConfig reads: it is handed an environment that records each name asked for. */
function variablesTheConfigLoaderReads(): string[] {
  const asked = new Set<string>();
  const env = new Proxy({} as NodeJS.ProcessEnv, {
    get: (_target, key) => {
      if (typeof key === 'string') asked.add(key);
      return undefined;
    },
  });
  expect(() => loadConfig(env)).toThrow(/Invalid configuration/); // TOKEN_SIGNING_KEY and the keys are required
  return [...asked];
}

// ---- 5. CloudWatch and SST names ------------------------------------------------------------

const isCloudWatchLike = (name: string) => /^[A-Z][a-z0-9]+(?:[A-Z][A-Za-z0-9]*)+(?:-?<[^>]+>)?$/.test(name);
const infraSource = infraFiles.map((f) => read(f)).join('\n');
const sstSecrets = [...infraSource.matchAll(/new sst\.Secret\('([^']+)'/g)].map((m) => m[1]!);
const sstComponents = [...infraSource.matchAll(/new sst\.aws\.\w+\('([^']+)'/g)].map((m) => m[1]!);
const awsMetricsInfraReads = [...infraSource.matchAll(/metricName: '([^']+)'/g)].map((m) => m[1]!);
const guardMetricNames = GUARD_METRICS.map((m) => m.metricName);
/** Names the README may mention that no longer exist, each with why. */
const HISTORY: Record<string, string> = {
  JobAlarms: 'the SNS topic of stages deployed before 2026-12-01, named so their operators subscribe again',
};
const definedNames = new Set<string>(
  [...infraAlarms, ...JOB_METRIC_NAMES, ...guardMetricNames, ...sstSecrets, ...sstComponents, ...awsMetricsInfraReads, ...Object.keys(HISTORY)].map(
    placeholdersBlank,
  ),
);
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const definedPatterns = [...definedNames].filter((name) => name.includes('<>')).map((name) => new RegExp(`^${escapeRegExp(name).replaceAll('<>', '[A-Za-z0-9.-]+')}$`));
const isDefined = (name: string) => definedNames.has(placeholdersBlank(name)) || definedPatterns.some((pattern) => pattern.test(name));
/** README from "Configuration" to its end: what an operator reads (earlier sections name code). */
const operatorText = README.slice(README.indexOf('\n## Configuration\n'));

describe('the operator docs agree with the code', () => {
  it('reads what it checks', () => {
    expect(markdownFiles).toContain('packages/webhooks/README.md');
    expect(scriptUses('README.md', README).length).toBeGreaterThan(20);
    expect(jobUses(README)).toContain('budgets-rekey-due-index');
    expect(infraAlarms).toEqual(expect.arrayContaining(['FunctionErrors', 'JobDueAge-<>', 'DeadLettersAlarm']));
    expect(firstColumnNames('Configuration')).toContain('TABLE_NAME');
    expect(sstSecrets).toContain('TokenSigningKey');
  });

  it('1. every npm script a doc runs is a script of the package.json it names', () => {
    const unknown = markdownFiles
      .flatMap((f) => scriptUses(f, read(f)))
      .filter((use) => !scriptsOf(use.packageDir).includes(use.script))
      .map((use) => `${use.where}: npm run ${use.script} (${use.packageDir}/package.json)`);
    expect(unknown, 'rename the script in the doc, or add it to package.json').toEqual([]);
  });

  it('2. every `npm run job -- <name>` is a registered job or operation, and each is in "How to operate"', () => {
    const unknown = markdownFiles.flatMap((f) => jobUses(read(f)).filter((name) => !registered.includes(name)).map((name) => `${f}: ${name}`));
    expect(unknown, 'a job the job CLI refuses (packages/app/src/local/job-catalogue/catalogue.ts)').toEqual([]);
    const told = new Set(jobUses(sectionText('How to operate')));
    expect(
      registered.filter((name) => !told.has(name)),
      'say in README "How to operate" when and how to run it',
    ).toEqual([]);
  });

  it('3. every alarm infra/ creates is in README "Alarms", and every alarm there exists', () => {
    const documented = firstColumnNames('Alarms', { first: true }).map(placeholdersBlank);
    expect(
      infraAlarms.filter((name) => !documented.includes(name)),
      'describe it in README "Alarms"',
    ).toEqual([]);
    expect(
      documented.filter((name) => !infraAlarms.includes(name)),
      'no such alarm in infra/',
    ).toEqual([]);
  });

  it('4. every variable of README "Configuration" is read by the code, and every one the config loader reads is there', () => {
    const listed = firstColumnNames('Configuration').filter((name) => /^[A-Z][A-Z0-9_]+$/.test(name));
    expect(
      listed.filter((name) => !readByCode(name)),
      'no code reads it',
    ).toEqual([]);
    expect(
      variablesTheConfigLoaderReads().filter((name) => !listed.includes(name)),
      'list it in README "Configuration"',
    ).toEqual([]);
  });

  it('5. every metric, alarm, component and secret the operator sections name exists, and every emitted metric and secret is named', () => {
    const unknown = inlineCodes(operatorText)
      .filter(isCloudWatchLike)
      .filter((name) => !isDefined(name));
    expect([...new Set(unknown)], 'no such name in infra/ or the metric registries').toEqual([]);
    const told = new Set(inlineCodes(sectionText('How to operate')));
    expect(
      [...JOB_METRIC_NAMES, ...guardMetricNames].filter((name) => !told.has(name)),
      'say in README "How to operate" what the metric counts',
    ).toEqual([]);
    const deploying = sectionText('Deploying to AWS');
    expect(
      sstSecrets.filter((name) => !inlineCodes(deploying).includes(name)),
      'name the secret in README "Deploying to AWS"',
    ).toEqual([]);
    const setInDocs = markdownFiles.flatMap((f) => [...read(f).matchAll(/npx sst secret set (\w+)/g)].map((m) => `${f}: ${m[1]}`));
    expect(
      setInDocs.filter((use) => !sstSecrets.includes(use.split(': ')[1]!)),
      'no such secret in infra/secrets.ts',
    ).toEqual([]);
  });

  it('tells a wrong name from a right one', () => {
    expect(scriptUses('x.md', 'run `npm run lint`, then npm test; npm --prefix packages/app run build')).toEqual([
      { where: 'x.md:1', packageDir: '.', script: 'lint' },
      { where: 'x.md:1', packageDir: '.', script: 'test' },
      { where: 'x.md:1', packageDir: 'packages/app', script: 'build' },
    ]);
    expect(jobUses('`npm run job -- users-show --email a`; npm run job -- --help')).toEqual(['users-show']);
    expect(alarmNamesIn("alarm('A', {}); queueAlarm(`B-${row.name}`, {}); alarm(componentName('C', row), {})")).toEqual(['A', 'B-<>', 'C<>']);
    expect(readByCode('FOO', "const x = process.env.FOO ?? 'a';")).toBe(true);
    expect(readByCode('FOO', withoutComments("// process.env.FOO\nportFrom(env, 'FOOBAR') /* env.FOO */"))).toBe(false);
    expect(isCloudWatchLike('JobDueAge-<job>')).toBe(true);
    expect(isCloudWatchLike('TABLE_NAME')).toBe(false);
    expect(isDefined('RuleNotParkedBudgetsOnExpenses')).toBe(true);
    expect(isDefined('RuleNotParked-<row>')).toBe(false);
    expect(isDefined('JobDueAge-<job>')).toBe(true);
  });
});
