import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GUARD_METRICS, JOB_METRIC_NAMES, JOB_METRICS, SCHEDULES } from '@budgeting/app/wiring';
import { loadConfig } from '@budgeting/platform';
import type { Root, RootContent, Table } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { toString } from 'mdast-util-to-string';
import { gfm } from 'micromark-extension-gfm';
import { visit } from 'unist-util-visit';
import { describe, expect, it } from 'vitest';
import { scheduleRules } from '../../../infra/wiring';
import { openCliSystem } from '../../../packages/app/src/local/cli-system';
import { startLocalScheduler } from '../../../packages/app/src/local/events-scheduler';
import { JOB_CATALOGUE } from '../../../packages/app/src/local/job-catalogue/catalogue';
import { JOB_OPTIONS, OPERATION_COMMON_OPTIONS } from '../../../packages/app/src/local/job-cli-options';

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
 * - A rate in prose is `hourly`, `daily` or `every <n> minutes|hours|days` (`every minute` is
 *   every 1 minute). The README's schedules are the paragraph of "Deploying to AWS" that says
 *   "schedules run", cut into clauses at `;`: a clause's first rate is the rate of every job
 *   name (a kebab-case inline code span) in it, and a count before "<rate> schedules" ("Four hourly schedules")
 *   is how many it names. In any doc, a rate right before a job's span ("the daily
 *   `expenses-totals-verify`", "hourly job `x`") or in parentheses right after it ("`x` (daily")
 *   is that job's schedule.
 * - A job's options in a doc are the `--<option>`s after `npm run job -- <name>` up to the end
 *   of its line, code span or shell comment (`#`), `;`, `|` or `&`.
 * - The dashboard's metrics are read from infra/dashboard.ts: AWS's through its helpers
 *   (`lambda('Errors')` is AWS/Lambda Errors), the jobs' by their JOB_METRICS keys in JOB_GRAPHS,
 *   the guards' through GUARD_METRICS.
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

// ---- 6. schedules ---------------------------------------------------------------------------

const RATE_PHRASE = /\b(hourly|daily|every (\d+ )?(minute|hour|day)s?)\b/;
const RATE_WORDS = '(?:hourly|daily|every (?:\\d+ )?(?:minute|hour|day)s?)';
/** A rate in prose as the EventBridge expression it means: `hourly` is `rate(1 hour)`. */
function rateOfPhrase(phrase: string): string {
  if (phrase === 'hourly') return 'rate(1 hour)';
  if (phrase === 'daily') return 'rate(1 day)';
  const m = /^every (?:(\d+) )?(minute|hour|day)s?$/.exec(phrase);
  if (!m) throw new Error(`not a rate: "${phrase}"`);
  const n = Number(m[1] ?? 1);
  return `rate(${n} ${m[2]}${n === 1 ? '' : 's'})`;
}
/** Milliseconds between two runs of a rate expression (read here, not by the code's parseRate). */
function periodMsOf(expression: string): number {
  const m = /^rate\((\d+) (minute|hour|day)s?\)$/.exec(expression);
  if (!m) throw new Error(`not a rate expression: "${expression}"`);
  return Number(m[1]) * { minute: 60_000, hour: 3_600_000, day: 86_400_000 }[m[2] as 'minute' | 'hour' | 'day'];
}
const isJobLike = (name: string) => /^[a-z][a-z0-9]*(?:-[a-z0-9]+)+$/.test(name);
const COUNTS: Record<string, number> = { one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10 };

interface ToldSchedule {
  name: string;
  rate: string;
}
/** The schedules a paragraph names: per `;` clause, its first rate and its job names (see the rules). */
function schedulesInParagraph(text: string): { told: ToldSchedule[]; miscounted: string[] } {
  const told: ToldSchedule[] = [];
  const miscounted: string[] = [];
  // Lines joined first: a code span may run over a line's end (`GET\n/v1/...`).
  for (const clause of text.replace(/\s+/g, ' ').split(';')) {
    const names = inlineCodes(clause).filter(isJobLike);
    if (names.length === 0) continue;
    const phrase = RATE_PHRASE.exec(clause);
    if (!phrase) throw new Error(`a clause names schedules without a rate: "${clause.trim()}"`);
    told.push(...names.map((name) => ({ name, rate: rateOfPhrase(phrase[1]!) })));
    const count = new RegExp(`\\b(\\w+) ${RATE_WORDS} schedules\\b`).exec(clause)?.[1]?.toLowerCase();
    if (count && count in COUNTS && COUNTS[count] !== names.length) miscounted.push(`"${clause.trim().slice(0, 40)}...": ${count}, names ${names.length}`);
  }
  return { told, miscounted };
}
/** The README's schedules paragraph: in "Deploying to AWS", the one that says "schedules run". */
function readmeSchedulesParagraph(): string {
  const paragraph = sectionNodes('Deploying to AWS').find((n) => n.type === 'paragraph' && /schedules run/.test(toString(n)));
  if (!paragraph) throw new Error('README "Deploying to AWS" has no paragraph saying "schedules run"');
  return README.slice(paragraph.position!.start.offset, paragraph.position!.end.offset);
}
/** A rate written right next to a job's span in a doc: "daily `x`", "hourly job `x`", "`x` (every 15 minutes". */
function ratesNextToJobs(file: string, text: string, jobs: readonly string[]): { where: string; name: string; rate: string }[] {
  const flat = text.replace(/\s+/g, ' ');
  const before = new RegExp(`\\b(${RATE_WORDS})(?: job| schedule| tick)?,? \`([a-z][a-z0-9-]+)\``, 'g');
  const after = new RegExp(`\`([a-z][a-z0-9-]+)\` \\((${RATE_WORDS})\\b`, 'g');
  return [
    ...[...flat.matchAll(before)].map((m) => ({ name: m[2]!, phrase: m[1]! })),
    ...[...flat.matchAll(after)].map((m) => ({ name: m[1]!, phrase: m[2]! })),
  ]
    .filter(({ name }) => jobs.includes(name))
    .map(({ name, phrase }) => ({ where: file, name, rate: rateOfPhrase(phrase) }));
}
const infraSchedules = scheduleRules(SCHEDULES).map((row) => ({ name: row.name, rate: row.expression }));
const byName = <T extends { name: string }>(rows: T[]) => [...rows].sort((a, b) => a.name.localeCompare(b.name));

// ---- 7. the dashboard -----------------------------------------------------------------------

const dashboardSource = withoutComments(read('infra/dashboard.ts'));
/** The AWS metrics the dashboard graphs, `<namespace> <name>`, through its helpers (`lambda('Errors')`). */
function awsMetricsGraphed(source: string): string[] {
  const helpers = new Map([...source.matchAll(/const (\w+) = \(metricName: string[^)]*\): Metric => \['(AWS\/\w+)', metricName/g)].map((m) => [m[1]!, m[2]!]));
  return [...source.matchAll(/\b(\w+)\('([^']+)'/g)].filter((m) => helpers.has(m[1]!)).map((m) => `${helpers.get(m[1]!)} ${m[2]}`);
}
/** The JOB_METRICS keys the dashboard's JOB_GRAPHS graph. */
function jobMetricKeysGraphed(source: string): string[] {
  const block = /const JOB_GRAPHS[\s\S]*?\n\];/.exec(source)?.[0] ?? '';
  return [...block.matchAll(/metrics: \[([^\]]*)\]/g)].flatMap((m) => [...m[1]!.matchAll(/'(\w+)'/g)].map((k) => k[1]!));
}
/**
 * AWS emits these, not the code: the names of its metric references (Lambda function metrics,
 * API Gateway HTTP API metrics, DynamoDB and SQS metrics). A name not here is a typo or a
 * metric to look up in AWS's reference before adding it.
 */
const AWS_METRICS = new Set(
  [
    'AWS/Lambda Invocations Errors Throttles Duration ConcurrentExecutions IteratorAge DestinationDeliveryFailures',
    'AWS/ApiGateway Count 4xx 5xx Latency IntegrationLatency DataProcessed',
    'AWS/DynamoDB ConsumedReadCapacityUnits ConsumedWriteCapacityUnits ReadThrottleEvents WriteThrottleEvents ThrottledRequests SystemErrors UserErrors',
    'AWS/SQS ApproximateNumberOfMessagesVisible ApproximateAgeOfOldestMessage ApproximateNumberOfMessagesNotVisible NumberOfMessagesSent NumberOfMessagesDeleted',
  ].flatMap((line) => {
    const [namespace, ...names] = line.split(' ');
    return names.map((name) => `${namespace} ${name}`);
  }),
);

// ---- 8. job options -------------------------------------------------------------------------

/** Each `npm run job -- <name> --<option> ...` of a text, with the options it gives. */
function jobOptionUses(file: string, text: string): { where: string; name: string; options: string[] }[] {
  return [...text.matchAll(/\bnpm\s+run\s+job\s+--\s+([a-z][a-z0-9-]*)([^\n`#;|&]*)/g)].map((m) => ({
    where: `${file}:${text.slice(0, m.index).split('\n').length}`,
    name: m[1]!,
    options: [...m[2]!.matchAll(/(?:^|[\s[])--([a-z][a-z0-9-]*)/g)].map((o) => o[1]!),
  }));
}
/** The options the job CLI accepts for a name: a job's tick options, or an operation's own and the common ones. */
function optionsAccepted(name: string): string[] | undefined {
  if (JOB_CATALOGUE.jobs.includes(name)) return Object.keys(JOB_OPTIONS);
  const operation = JOB_CATALOGUE.operations.find((o) => o.name === name);
  return operation && [...operation.options, ...OPERATION_COMMON_OPTIONS];
}

describe('the operator docs agree with the code', () => {
  it('reads what it checks', () => {
    expect(markdownFiles).toContain('packages/webhooks/README.md');
    expect(scriptUses('README.md', README).length).toBeGreaterThan(20);
    expect(jobUses(README)).toContain('budgets-rekey-due-index');
    expect(infraAlarms).toEqual(expect.arrayContaining(['FunctionErrors', 'JobDueAge-<>', 'DeadLettersAlarm']));
    expect(firstColumnNames('Configuration')).toContain('TABLE_NAME');
    expect(sstSecrets).toContain('TokenSigningKey');
    expect(schedulesInParagraph(readmeSchedulesParagraph()).told).toContainEqual({ name: 'notifications-quiet-summary', rate: 'rate(15 minutes)' });
    expect(markdownFiles.flatMap((f) => ratesNextToJobs(f, read(f), JOB_CATALOGUE.jobs)).length).toBeGreaterThan(5);
    expect(awsMetricsGraphed(dashboardSource)).toContain('AWS/Lambda Errors');
    expect(jobMetricKeysGraphed(dashboardSource)).toContain('unitsFailed');
    expect(markdownFiles.flatMap((f) => jobOptionUses(f, read(f))).flatMap((u) => u.options)).toEqual(expect.arrayContaining(['at', 'email', 'reason', 'operator', 'repair']));
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

  it('6. README names every schedule infra/ deploys at its rate and no other, and any doc giving a job a rate gives its own', () => {
    const { told, miscounted } = schedulesInParagraph(readmeSchedulesParagraph());
    expect(byName(told), 'README "Deploying to AWS": the schedules (job and rate) of infra/triggers.ts (SCHEDULES)').toEqual(byName(infraSchedules));
    expect(miscounted, 'the count in the prose says how many it names').toEqual([]);
    const rates = new Map(infraSchedules.map((s) => [s.name, s.rate]));
    const wrong = markdownFiles
      .flatMap((f) => ratesNextToJobs(f, read(f), JOB_CATALOGUE.jobs))
      .filter((use) => rates.get(use.name) !== use.rate)
      .map((use) => `${use.where}: ${use.name} ${use.rate}, deployed ${rates.get(use.name) ?? 'with no schedule'}`);
    expect(wrong, 'the rate a doc gives a job is its schedule in SCHEDULES').toEqual([]);
  });

  it('6b. npm start runs the very schedules infra/ deploys, at the same rates', () => {
    // infra/: one sst.aws.Cron per row of scheduleRules(SCHEDULES), at its expression.
    expect(read('infra/triggers.ts')).toMatch(/scheduleRules\(SCHEDULES\)\.map\(\s*\(job\) =>\s*new sst\.aws\.Cron\([\s\S]*?schedule: job\.expression/);
    // npm start: the local events with their default rows (SCHEDULES) and the scheduler on (the
    // host is the system, its schedules; only the job units go to the work queue itself: sendWorked).
    const startCall = /startLocalEvents\((?:system|\{ \.\.\.system, jobs: jobs\.queue \}), \{([^}]*)\}\)/.exec(read('packages/app/src/local/start.ts'));
    expect(startCall?.[1], 'start.ts starts the local events').toBeDefined();
    expect(startCall![1], 'npm start runs the default rows with the scheduler on').not.toMatch(/scheduleRows|scheduler/);
    expect(read('packages/app/src/local/events-runtime.ts')).toMatch(/startLocalScheduler\(\{ rows: options\.scheduleRows \?\? SCHEDULES, jobs: host\.schedules/);
    // The local scheduler on the jobs the app registers, its clock stopped: each job's next run is one period away.
    const { system } = openCliSystem({ DYNAMODB_ENDPOINT: 'http://127.0.0.1:9', TOKEN_SIGNING_KEY: 'schedules-only-never-signs-anything-00000000', LOG_LEVEL: 'SILENT' });
    const now = Date.parse('2026-01-01T00:00:00Z');
    const scheduler = startLocalScheduler({ rows: SCHEDULES, jobs: system.schedules, logger: system.deps.logger, now: () => new Date(now) });
    const nextRuns = scheduler.nextRuns();
    scheduler.stop();
    system.doc.destroy();
    const local = Object.entries(nextRuns).map(([name, at]) => ({ name, periodMs: Date.parse(at) - now }));
    expect(byName(local), 'the jobs npm start runs, each every period').toEqual(byName(infraSchedules.map((s) => ({ name: s.name, periodMs: periodMsOf(s.rate) }))));
  });

  it('7. the dashboard graphs only metrics the code (or AWS) emits, and every job metric', () => {
    const aws = awsMetricsGraphed(dashboardSource);
    expect(aws.filter((m) => !AWS_METRICS.has(m)), 'not a metric AWS emits (AWS_METRICS)').toEqual([]);
    const keys = jobMetricKeysGraphed(dashboardSource);
    expect(keys.filter((k) => !(k in JOB_METRICS)), 'not a metric the jobs emit (JOB_METRICS)').toEqual([]);
    expect(Object.keys(JOB_METRICS).filter((k) => !keys.includes(k)), 'a job metric the dashboard leaves out').toEqual([]);
    // Its own namespaces only through the registries: the guards' from GUARD_METRICS, the jobs' by everyJob.
    expect(dashboardSource.match(/\[guardMetricsNamespace, [^\]]*\]/g)).toEqual(['[guardMetricsNamespace, m.metricName]']);
    expect(dashboardSource).toMatch(/GUARD_METRICS\.map\(\(m\): Metric => \[guardMetricsNamespace, m\.metricName\]\)/);
    expect(dashboardSource.match(/jobMetricsNamespace\(/g), 'the jobs namespace once, in everyJob').toHaveLength(1);
    expect(dashboardSource.match(/\['(?!AWS\/)[^']*\/[^']*'/g), 'no other namespace written out').toBeNull();
  });

  it('8. every --<option> a doc gives `npm run job -- <name>` is one the job CLI accepts for it', () => {
    const wrong = markdownFiles
      .flatMap((f) => jobOptionUses(f, read(f)))
      .flatMap((use) => use.options.filter((o) => !(optionsAccepted(use.name) ?? []).includes(o)).map((o) => `${use.where}: ${use.name} --${o}`));
    expect(wrong, 'the CLI refuses it (packages/app/src/local/job-cli-options.ts, the catalogue\'s options)').toEqual([]);
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

    expect(rateOfPhrase('every 15 minutes')).toBe('rate(15 minutes)');
    expect(rateOfPhrase('every minute')).toBe('rate(1 minute)');
    expect(schedulesInParagraph('Two hourly schedules: `a-b` and `c-d`; a third, every 2 days, `e-f` (`X_Y`)')).toEqual({
      told: [
        { name: 'a-b', rate: 'rate(1 hour)' },
        { name: 'c-d', rate: 'rate(1 hour)' },
        { name: 'e-f', rate: 'rate(2 days)' },
      ],
      miscounted: [],
    });
    expect(schedulesInParagraph('Mail goes out. Three daily schedules: `a-b`').miscounted).toHaveLength(1);
    expect(ratesNextToJobs('x.md', 'the daily\n`a-b` and `c-d` (every 15 minutes, and `e-f` (daily', ['a-b', 'c-d'])).toEqual([
      { where: 'x.md', name: 'a-b', rate: 'rate(1 day)' },
      { where: 'x.md', name: 'c-d', rate: 'rate(15 minutes)' },
    ]);
    expect(awsMetricsGraphed("const lambda = (metricName: string): Metric => ['AWS/Lambda', metricName, 'FunctionName', f];\nlambda('Errors'), dynamo('X')")).toEqual(['AWS/Lambda Errors']);
    expect(jobOptionUses('x.md', 'npm run job -- a-b --at 1 # ends by --bad\n`npm run job -- c --email <e> [--operator <n>]` --not')).toEqual([
      { where: 'x.md:1', name: 'a-b', options: ['at'] },
      { where: 'x.md:2', name: 'c', options: ['email', 'operator'] },
    ]);
    expect(optionsAccepted('users-show')).toEqual(['email', 'operator']);
  });
});
