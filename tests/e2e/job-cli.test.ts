import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fixedClock } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createBudget, signUp } from '../support/actors';
import { call } from '../support/http';
import { PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { TotpSecretSealer } from '../../packages/users/src/domain/totp-secret-sealer';
import { createTestSystem, TEST_MFA_SECRETS_KEY, TEST_SIGNING_KEY, TEST_WEBHOOK_SECRETS_KEY, type TestSystem } from '../support/test-system';
import { cloneBudgets } from '../integration/jobs/seed';
import { countBy, itemsOfKind } from '../integration/jobs/support';
import { bundleOperatorClis, type OperatorCli } from '../support/operator-cli-bundle';

/**
 * The operator CLI as an operator runs it, in its own process: against a table of the run's
 * DynamoDB Local, by the same variables `npm start` reads. 40 monthly budgets whose September
 * ended at --at get one report each; the same tick again adds nothing. (The tick's exactness at
 * scale, 250 budgets delivered twice with crashing workers, is
 * tests/integration/jobs/fan-out-scale.test.ts; here the tool itself is under test: 250 took 33 s
 * of CI for nothing more.) Then `npm run dead-letters` lists and replays a dead-lettered unit.
 *
 * How: `npm run job` is `tsx packages/app/src/local/job-cli.ts`. Every command here is a real
 * `node` process with its argv, environment, stdout, stderr, exit code and no TTY, but of the
 * CLIs' sources bundled once for the file by beforeAll (tests/support/operator-cli-bundle.ts):
 * under tsx each of its 42 processes paid tsx's hooks and transpile over the app's import again
 * (0.6-0.7 s for each of the 19 that load the app; the file took 27 s alone, 33-49 s in CI).
 */
const run = promisify(execFile);
const clock = fixedClock('2026-09-10T12:00:00Z');
let t: TestSystem;
let env: NodeJS.ProcessEnv;
let clis: Awaited<ReturnType<typeof bundleOperatorClis>>;
const dataDir = mkdtempSync(join(tmpdir(), 'job-cli-'));

beforeAll(async () => {
  [t, clis] = await Promise.all([createTestSystem({ clock }), bundleOperatorClis()]);
  env = {
    ...process.env,
    DYNAMODB_ENDPOINT: inject('dynamoEndpoint'),
    TABLE_NAME: t.tableName,
    TOKEN_SIGNING_KEY: TEST_SIGNING_KEY,
    WEBHOOK_SECRETS_KEY: TEST_WEBHOOK_SECRETS_KEY,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'SILENT',
  };
});
afterAll(async () => {
  clis?.remove();
  await t?.destroy();
});

const cli = (script: OperatorCli, args: string[], extraEnv: NodeJS.ProcessEnv = {}) =>
  run(process.execPath, [clis.entry(script), ...args], { env: { ...env, ...extraEnv }, timeout: 600_000 }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code?: number; stdout?: string; stderr?: string }) => ({ code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' }),
  );

const summaryOf = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1)!);

describe('npm run job', { timeout: 1_200_000 }, () => {
  it('one tick reports 40 ended budgets once each; the same tick again adds nothing', async () => {
    const owner = await signUp(t.app, 'cli-owner');
    const template = await createBudget(t.app, owner, { currency: 'EUR', limit: 10_000, period: 'monthly', timezone: 'UTC' });
    const ids = [template.id, ...(await cloneBudgets(t, template.id, 39))];

    const first = await cli('job-cli.ts', ['budget-reports', '--at', '2026-10-01T00:00:00Z']);
    expect(first.code, first.stderr).toBe(0);
    expect(summaryOf(first.stdout)).toMatchObject({ job: 'budget-reports', at: '2026-10-01T00:00:00.000Z', dueUnits: 40, processed: 40, deadLettered: 0, notDueReads: 0 });
    // Not a TTY here: plain progress lines, not a bar.
    expect(first.stdout).not.toContain('\r');

    const again = await cli('job-cli.ts', ['budget-reports', '--at', '2026-10-01T00:00:00Z']);
    expect(again.code, again.stderr).toBe(0);
    expect(summaryOf(again.stdout)).toMatchObject({ dueUnits: 0, processed: 0 });

    const perBudget = countBy(await itemsOfKind(t, 'report'), 'budgetId');
    expect(perBudget.size).toBe(40);
    expect(ids.every((id) => perBudget.get(id) === 1)).toBe(true);
  });

  it('notifications-quiet-summary: a tick before a summary is due reads each of the 4 index shards once; the tick after its end works it; the next finds nothing', async () => {
    // A reservation as a held push writes it (its shard is the planner's business: it reads all
    // 4), of a user without a profile: its unit sends nothing ("off") and takes it out of the index.
    const Item = {
      pk: 'notifications#user#cli-quiet-user', sk: 'notifications#summary#2026-11-25T06:00:00.000Z', kind: 'quiet-summary',
      windowStart: '2026-11-24T21:00:00.000Z', windowEnd: '2026-11-25T06:00:00.000Z', expiresAt: 1_796_796_000,
      gsi1pk: 'notifications#summarydue#2', gsi1sk: 'notifications#summarydue#2026-11-25T06:00:00.000Z#cli-quiet-user',
    };
    await t.doc.send(new PutCommand({ TableName: t.tableName, Item }));
    const early = await cli('job-cli.ts', ['notifications-quiet-summary', '--at', '2026-11-25T05:45:00Z']);
    expect(early.code, early.stderr).toBe(0);
    expect(summaryOf(early.stdout)).toMatchObject({ job: 'notifications-quiet-summary', dueUnits: 0, processed: 0, plannerPages: 4 });
    const due = await cli('job-cli.ts', ['notifications-quiet-summary', '--at', '2026-11-25T06:00:00Z']);
    expect(due.code, due.stderr).toBe(0);
    expect(summaryOf(due.stdout)).toMatchObject({ dueUnits: 1, processed: 1, deadLettered: 0, report: { off: 1 } });
    const again = await cli('job-cli.ts', ['notifications-quiet-summary', '--at', '2026-11-25T06:15:00Z']);
    expect(summaryOf(again.stdout)).toMatchObject({ dueUnits: 0, plannerPages: 4 });
  });

  it('refuses an unknown job or a bad --at, naming the problem', async () => {
    const unknown = await cli('job-cli.ts', ['no-such-job']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('budget-reports|budgets-rekey-due-index|budgets-category-ids-backfill|recurring-expenses');
    expect(unknown.stderr).toContain('notifications-quiet-summary');
    const badTime = await cli('job-cli.ts', ['budget-reports', '--at', 'yesterday']);
    expect(badTime.code).toBe(2);
    expect(badTime.stderr).toContain('--at');
    // Each ran a tick at another time than the one typed (exit 0): "October 1" and "1" as 2001
    // (Date's legacy parse, in the machine's zone), the 30th of February as March 2nd, and a time
    // without its zone in whatever zone the operator's laptop is in.
    // The time given without its --at was dropped, and the tick ran now (exit 0).
    const bare = await cli('job-cli.ts', ['budget-reports', '2026-10-01T01:00:00Z']);
    expect(bare.code, bare.stdout).toBe(2);
    expect(bare.stderr).toContain('unexpected argument "2026-10-01T01:00:00Z": the tick\'s time is --at <ISO-8601 time>');
    for (const at of ['October 1', '1', '2026-02-30T00:00:00Z', '2026-10-01T24:30:00Z', '2026-10-01T01:00:00']) {
      const refused = await cli('job-cli.ts', ['budget-reports', '--at', at]);
      expect(refused.code, `${at}: ${refused.stdout}`).toBe(2);
      expect(refused.stderr).toContain(`--at must be an ISO-8601 time with its offset (e.g. 2026-10-01T01:00:00Z), got "${at}"`);
    }
  });

  it('names an unknown job first, table or not; a bad JOB_CONCURRENCY or a missing table is refused as bad input too (exit 2)', async () => {
    const alone = { DYNAMODB_ENDPOINT: undefined, TABLE_NAME: undefined, AWS_REGION: undefined, WEBHOOK_SECRETS_KEY: undefined };
    // Without a table it said "Set DYNAMODB_ENDPOINT" (exit 1), naming no job.
    // An empty DYNAMODB_ENDPOINT or another bad variable is no reason not to name the job either
    // (the names were read under the operator's environment: "Set DYNAMODB_ENDPOINT", or
    // "Invalid configuration" with exit 1).
    for (const extra of [{}, alone, { DYNAMODB_ENDPOINT: '' }, { LOG_LEVEL: 'LOUD' }, { TOKEN_SIGNING_KEY: 'short' }]) {
      const unknown = await cli('job-cli.ts', ['no-such-job', '--at', '2026-10-01T00:00:00Z'], extra);
      expect(unknown.code, unknown.stderr).toBe(2);
      expect(unknown.stderr.split('\n')[0]).toBe('unknown job "no-such-job"');
      expect(unknown.stderr).toContain('usage: npm run job -- <');
      expect(unknown.stderr).not.toContain('Set DYNAMODB_ENDPOINT');
    }
    // It exited 1, as a failed run does.
    const concurrency = await cli('job-cli.ts', ['budget-reports'], { JOB_CONCURRENCY: 'eight' });
    expect(concurrency.code, concurrency.stderr).toBe(2);
    expect(concurrency.stderr).toContain('JOB_CONCURRENCY must be a whole number of units, at least 1, got "eight"');
    const noTable = await cli('job-cli.ts', ['budget-reports'], alone);
    expect(noTable.code, noTable.stderr).toBe(2);
    expect(noTable.stderr).toContain('Set DYNAMODB_ENDPOINT');
    // A bad variable of a run is refused as bad input too (it exited 1, as a failed run does).
    const badLevel = await cli('job-cli.ts', ['budget-reports'], { LOG_LEVEL: 'LOUD' });
    expect(badLevel.code, badLevel.stderr).toBe(2);
    expect(badLevel.stderr).toContain('LOG_LEVEL');
  });

  it('lists the jobs without a table: no job name, or --help, prints the usage (every job and operation, --operator included)', async () => {
    const alone = { DYNAMODB_ENDPOINT: undefined, TABLE_NAME: undefined, AWS_REGION: undefined, WEBHOOK_SECRETS_KEY: undefined };
    // It was refused for want of DYNAMODB_ENDPOINT (naming no job), and --help was an unknown option.
    const listings = [];
    for (const extra of [alone, { DYNAMODB_ENDPOINT: '' }, { LOG_LEVEL: 'LOUD' }]) {
      // With an empty DYNAMODB_ENDPOINT or a bad LOG_LEVEL, --help was refused (exit 2, exit 1).
      const listed = await cli('job-cli.ts', ['--help'], extra);
      expect(listed.code, listed.stderr).toBe(0);
      expect(listed.stdout).toContain('budget-reports|budgets-rekey-due-index|budgets-category-ids-backfill|recurring-expenses');
      listings.push(listed);
    }
    // `--help` without a table: the first of the three (the same command, run once).
    const help = listings[0]!;
    expect(help.stdout).toContain('npm run job -- users-mfa-reset --email <email> --reason <reason> [--operator <');
    expect(help.stdout).toContain('npm run job -- users-suspend --email <email> --reason <reason> [--operator <');
    expect(help.stdout).toContain('npm run job -- users-unsuspend --email <email> --reason <reason> [--operator <');
    expect(help.stdout).toContain('npm run job -- users-show --email <email> [--operator <');
    expect(help.stdout).not.toContain('Set DYNAMODB_ENDPOINT');
    const none = await cli('job-cli.ts', [], alone);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('usage: npm run job -- <');
    expect(none.stderr).not.toContain('Set DYNAMODB_ENDPOINT');
  });

  it('users-suspend and users-unsuspend: sign-in refused (403) until lifted, the operator named in each audit record, users-show reads them back; a missing --reason, an unknown option or an unknown email is refused (exit 2), nothing changed', async () => {
    const user = await signUp(t.app, 'cli-suspended');
    const login = () => call(t.app, 'POST', '/v1/auth/login', { body: { email: user.email, password: user.password } });
    const noReason = await cli('job-cli.ts', ['users-suspend', '--email', user.email]);
    expect(noReason.code).toBe(2);
    expect(noReason.stderr).toContain('--reason is required');
    const misspelt = await cli('job-cli.ts', ['users-suspend', '--email', user.email, '--reson', 'TICKET-77']);
    expect(misspelt.code).toBe(2);
    expect(misspelt.stderr).toContain('usage: npm run job -- users-suspend --email <');
    expect((await login()).status).toBe(200);

    const suspended = await cli('job-cli.ts', ['users-suspend', '--email', user.email, '--reason', 'TICKET-77', '--operator', 'support-cli']);
    expect(suspended.code, suspended.stderr).toBe(0);
    expect(summaryOf(suspended.stdout)).toMatchObject({ operation: 'users-suspend', outcome: 'suspended', userId: user.id });
    expect(suspended.stdout).not.toContain('TICKET-77');
    const refused = await login();
    expect([refused.status, refused.json.type]).toEqual([403, 'https://budgeting.dev/problems/account-suspended']);
    const again = await cli('job-cli.ts', ['users-suspend', '--email', user.email, '--reason', 'TICKET-77', '--operator', 'support-cli']);
    expect(summaryOf(again.stdout)).toMatchObject({ outcome: 'already-suspended' });

    // --operator defaults to $OPERATOR.
    const lifted = await cli('job-cli.ts', ['users-unsuspend', '--email', user.email, '--reason', 'TICKET-77 resolved'], { OPERATOR: 'support-env' });
    expect(lifted.code, lifted.stderr).toBe(0);
    expect(summaryOf(lifted.stdout)).toMatchObject({ operation: 'users-unsuspend', outcome: 'unsuspended', userId: user.id });
    expect((await login()).status).toBe(200);
    const audits = (await itemsOfKind(t, 'audit')).filter((i) => i.userId === user.id);
    expect(audits.map((i) => [i.action, i.operator]).sort()).toEqual([
      ['suspended-by-operator', 'support-cli'],
      ['unsuspended-by-operator', 'support-env'],
    ]);

    // users-show reads it back: the state and both records, newest first (the reason is internal
    // to support, and support is who runs this); an unknown email is the operator's input error.
    const shown = await cli('job-cli.ts', ['users-show', '--email', user.email.toUpperCase(), '--operator', 'support-cli']);
    expect(shown.code, shown.stderr).toBe(0);
    const overview = summaryOf(shown.stdout);
    // (No session count asserted: the CLI counts by the wall clock, and this file's sessions were made at its fixed clock, long expired by now.)
    expect(overview).toMatchObject({ operation: 'users-show', userId: user.id, email: user.email, mfaOn: false, suspendedAt: null, personalTokens: { listed: 0, usable: 0 }, audit: { more: false } });
    expect(overview.audit.records.map((r: { action: string; operator: string; reason: string }) => [r.action, r.operator, r.reason])).toEqual([
      ['unsuspended-by-operator', 'support-env', 'TICKET-77 resolved'],
      ['suspended-by-operator', 'support-cli', 'TICKET-77'],
    ]);
    expect(shown.stdout).not.toContain('$scrypt$');
    const unknown = await cli('job-cli.ts', ['users-show', '--email', 'nobody-at-all@example.com']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no account has the email nobody-at-all@example.com');
  });

  it('an operator operation does not lose a delayed send it takes up from DATA_DIR: worked (here dead-lettered) before it exits', async () => {
    // A deferred send npm start left in .data/delayed-work, its instant passed: any `npm run job`
    // on that DATA_DIR takes it up (README "How to operate"). users-show took it (the file gone)
    // and exited while its delivery was still under way: neither worked, kept nor dead-lettered.
    const own = mkdtempSync(join(tmpdir(), 'job-cli-delayed-'));
    mkdirSync(join(own, 'delayed-work'));
    const message = { type: 'unit', job: 'no-such-job', tick: '2026-10-01T00:00:00.000Z', unit: { n: 1 } };
    writeFileSync(join(own, 'delayed-work', '1000-left-by-npm-start.json'), JSON.stringify({ notBefore: 1000, messages: [message] }));
    const user = await signUp(t.app, 'cli-delayed');

    const shown = await cli('job-cli.ts', ['users-show', '--email', user.email, '--operator', 'support-cli'], { DATA_DIR: own });
    expect(shown.code, shown.stderr).toBe(0);
    expect(summaryOf(shown.stdout)).toMatchObject({ operation: 'users-show', userId: user.id });
    const kept = readdirSync(join(own, 'delayed-work')).filter((f) => f.endsWith('.json'));
    const deadLettered = await cli('dead-letters-cli.ts', ['list'], { DATA_DIR: own });
    // Still waiting, or worked: a unit of no job fails every attempt and lands in the dead letters.
    expect(kept.length > 0 || deadLettered.stdout.includes('job no-such-job unit {"n":1}'), deadLettered.stdout).toBe(true);
  });

  it('expenses-totals-check: a corrupted month total is reported (exit 1), --repair yes without --reason is refused (exit 2), with one sets it (exit 0), the summary listing its record', async () => {
    const owner = await signUp(t.app, 'cli-totals');
    const budget = await createBudget(t.app, owner, { currency: 'EUR', limit: 10_000, period: 'monthly', timezone: 'UTC' });
    const posted = await call(t.app, 'POST', `/v1/budgets/${budget.id}/expenses`, { token: owner.token, body: { amount: 1234, occurredOn: '2026-09-05' } });
    expect(posted.status, posted.text).toBe(201);
    const monthItems = await t.doc.send(
      new QueryCommand({ TableName: t.tableName, KeyConditionExpression: 'pk = :pk AND begins_with(sk, :m)', ExpressionAttributeValues: { ':pk': `expenses#totals#${budget.id}`, ':m': 'expenses#month#2026-09#' }, ConsistentRead: true }),
    );
    const item = monthItems.Items!.find((i) => i.total === 1234)!;
    await t.doc.send(new UpdateCommand({ TableName: t.tableName, Key: { pk: item.pk, sk: item.sk }, UpdateExpression: 'ADD #t :x', ExpressionAttributeNames: { '#t': 'total' }, ExpressionAttributeValues: { ':x': 66 } }));

    const found = await cli('job-cli.ts', ['expenses-totals-check', '--budget', budget.id]);
    expect(found.code, found.stderr).toBe(1);
    expect(summaryOf(found.stdout)).toMatchObject({ operation: 'expenses-totals-check', expensesRead: 1, differences: [{ month: '2026-09', figure: 'total', stored: 1300, expected: 1234 }], ok: false });
    const refused = await cli('job-cli.ts', ['expenses-totals-check', '--budget', budget.id, '--repair', 'yes']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--reason is required');
    const repaired = await cli('job-cli.ts', ['expenses-totals-check', '--budget', budget.id, '--repair', 'yes', '--reason', 'TICKET-7']);
    expect(repaired.code, repaired.stderr).toBe(0);
    expect(summaryOf(repaired.stdout)).toMatchObject({ repaired: ['2026-09'], busy: [], ok: true, repairs: [{ reason: 'TICKET-7', month: '2026-09', figures: [{ figure: 'total', from: 1300, to: 1234 }] }] });
    expect((await call(t.app, 'GET', `/v1/budgets/${budget.id}/summary?date=2026-09-15`, { token: owner.token })).json.spent).toBe(1234);
  });

  it('users-mfa-reseal: refused without MFA_SECRETS_KEY; with the rotation\'s keys its summary carries the report, and a second run reseals nothing', async () => {
    const userId = 'cli-mfa-user';
    const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
    const oldSeal = new TotpSecretSealer(TEST_MFA_SECRETS_KEY).seal(secret, userId);
    const Item = { pk: `users#user#${userId}`, sk: 'users#mfa', kind: 'mfa', state: 'on', sealedSecret: oldSeal, createdAt: clock.now().toISOString(), recoveryHashes: new Set(['h']) };
    await t.doc.send(new PutCommand({ TableName: t.tableName, Item }));

    const refused = await cli('job-cli.ts', ['users-mfa-reseal'], { MFA_SECRETS_KEY: undefined });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('set it (and MFA_SECRETS_KEY_PREVIOUS');

    const newKey = Buffer.alloc(32, 0x6e).toString('base64');
    const keys = { MFA_SECRETS_KEY: newKey, MFA_SECRETS_KEY_PREVIOUS: TEST_MFA_SECRETS_KEY };
    const first = await cli('job-cli.ts', ['users-mfa-reseal'], keys);
    expect(first.code, first.stderr).toBe(0);
    expect(summaryOf(first.stdout)).toMatchObject({ job: 'users-mfa-reseal', deadLettered: 0, report: { mfaItems: 1, resealed: 1, alreadyCurrent: 0, unopenable: 0, failed: 0 } });
    expect(first.stdout).not.toContain(secret);
    const again = await cli('job-cli.ts', ['users-mfa-reseal'], keys);
    expect(summaryOf(again.stdout)).toMatchObject({ report: { mfaItems: 1, resealed: 0, alreadyCurrent: 1 } });
  });
});

describe('npm run dead-letters', { timeout: 300_000 }, () => {
  it('lists a dead-lettered job unit and replays it (removed once it succeeds)', async () => {
    const dir = join(dataDir, 'dead-letters');
    mkdirSync(dir, { recursive: true });
    const message = { type: 'unit', job: 'budget-reports', tick: '2026-10-01T00:00:00.000Z', unit: { budgetId: 'no-such-budget' } };
    writeFileSync(join(dir, '2026-10-01T00-00-00.000Z-jobs-budget-reports-x.json'), JSON.stringify({ queue: 'jobs', error: 'boom', attempts: 5, message }));

    const listed = await cli('dead-letters-cli.ts', ['list']);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toContain('job budget-reports unit {"budgetId":"no-such-budget"}');
    expect(listed.stdout).toContain('after 5 attempts: boom');
    // `list` only reads the folder: it works as the README shows it, without naming a table
    // (it was refused for want of DYNAMODB_ENDPOINT, which only `replay` needs).
    const listedAlone = await cli('dead-letters-cli.ts', ['list'], { DYNAMODB_ENDPOINT: undefined, TABLE_NAME: undefined });
    expect(listedAlone.code, listedAlone.stderr).toBe(0);
    expect(listedAlone.stdout).toContain('job budget-reports unit {"budgetId":"no-such-budget"}');
    expect(listedAlone.stdout).toContain('1 dead letters');
    // `replay` delivers, so it still names a table: without one it is refused and the letter stays.
    const replayedAlone = await cli('dead-letters-cli.ts', ['replay'], { DYNAMODB_ENDPOINT: undefined, TABLE_NAME: undefined, AWS_REGION: undefined });
    // A refused input, as the job CLI's: exit 2 (it exited 1, as a replay that fails does).
    expect(replayedAlone.code).toBe(2);
    expect(replayedAlone.stderr).toContain('Set DYNAMODB_ENDPOINT');
    expect(readdirSync(dir)).toHaveLength(1);

    const replayed = await cli('dead-letters-cli.ts', ['replay']);
    expect(replayed.code, replayed.stderr).toBe(0);
    expect(summaryOf(replayed.stdout)).toEqual({ replayed: 1, failed: 0, newDeadLetters: 0 });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('lists a webhook delivery message the local delivery queue dead-lettered and replays it through the worker', async () => {
    const dir = join(dataDir, 'dead-letters');
    mkdirSync(dir, { recursive: true });
    // As local/delivery-queue.ts writes it: the body the queue carried (a delivery long gone, which the worker drops).
    const message = { kind: 'webhook-delivery', webhookId: 'wh_gone', ownerId: 'u_gone', deliveryId: 'msg_gone' };
    writeFileSync(join(dir, '2026-10-01T00-00-00.000Z-webhooks-msg_gone-x.json'), JSON.stringify({ queue: 'webhooks', error: 'boom', attempts: 5, message }));

    const listed = await cli('dead-letters-cli.ts', ['list'], { DYNAMODB_ENDPOINT: undefined, TABLE_NAME: undefined });
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toContain('webhook delivery msg_gone of webhook wh_gone');
    expect(listed.stdout).toContain('after 5 attempts: boom');

    const replayed = await cli('dead-letters-cli.ts', ['replay']);
    expect(replayed.code, replayed.stderr).toBe(0);
    expect(summaryOf(replayed.stdout)).toEqual({ replayed: 1, failed: 0, newDeadLetters: 0 });
    expect(readdirSync(dir)).toEqual([]);
  });

  it("replays a schedule's run the local scheduler dead-lettered by running its job, as the function dispatches a Scheduled Event", async () => {
    const dir = join(dataDir, 'dead-letters');
    mkdirSync(dir, { recursive: true });
    const scheduled = (job: string) => ({
      version: '0', id: `ev-${job}`, 'detail-type': 'Scheduled Event', source: 'aws.events', account: '000000000000',
      time: '2026-09-10T12:00:00Z', region: 'local', resources: [`arn:aws:events:local:000000000000:rule/local-${job}`], detail: {},
    });
    writeFileSync(join(dir, '2026-09-10T12-00-00Z-notifications-quiet-summary-x.json'), JSON.stringify({ rule: 'notifications-quiet-summary', error: 'boom', attempts: 3, event: scheduled('notifications-quiet-summary') }));
    writeFileSync(join(dir, '2026-09-10T12-00-01Z-no-such-job-x.json'), JSON.stringify({ rule: 'no-such-job', error: 'boom', attempts: 3, event: scheduled('no-such-job') }));

    const replayed = await cli('dead-letters-cli.ts', ['replay']);
    // The job's run is replayed; a rule whose job is gone is refused and stays.
    expect(summaryOf(replayed.stdout)).toEqual({ replayed: 1, failed: 1, newDeadLetters: 0 });
    expect(replayed.stderr).toContain('no scheduled job for rule');
    expect(readdirSync(dir)).toEqual(['2026-09-10T12-00-01Z-no-such-job-x.json']);
    rmSync(join(dir, '2026-09-10T12-00-01Z-no-such-job-x.json'));
  });

  it('drops a dead letter by the name list prints (no table needed); an unknown name is refused and nothing is removed', async () => {
    const dir = join(dataDir, 'dead-letters');
    mkdirSync(dir, { recursive: true });
    const message = { type: 'unit', job: 'expenses-import-watchdog', tick: '2026-10-01T00:00:00.000Z', unit: { importId: 'x' } };
    const keep = join(dir, '2026-10-01T00-00-00.000Z-jobs-keep.json');
    const drop = join(dir, '2026-10-01T00-00-01.000Z-jobs-drop.json');
    for (const f of [keep, drop]) writeFileSync(f, JSON.stringify({ queue: 'jobs', error: 'boom', attempts: 5, message }));
    const alone = { DYNAMODB_ENDPOINT: undefined, TABLE_NAME: undefined, AWS_REGION: undefined };

    const unknown = await cli('dead-letters-cli.ts', ['drop', drop, join(dir, 'no-such.json')], alone);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no-such.json');
    expect(readdirSync(dir).sort()).toHaveLength(2);

    // The full path list prints, or the file name alone.
    const dropped = await cli('dead-letters-cli.ts', ['drop', '2026-10-01T00-00-01.000Z-jobs-drop.json'], alone);
    expect(dropped.code, dropped.stderr).toBe(0);
    expect(dropped.stdout).toContain('dropped');
    expect(dropped.stdout).toContain('job expenses-import-watchdog unit {"importId":"x"}');
    expect(readdirSync(dir)).toEqual(['2026-10-01T00-00-00.000Z-jobs-keep.json']);
    // The same letter named twice (its path and its name): dropped once, exit 0 (it exited 1 on
    // the second removal's ENOENT, after removing it).
    const byPath = await cli('dead-letters-cli.ts', ['drop', keep, '2026-10-01T00-00-00.000Z-jobs-keep.json'], alone);
    expect(byPath.code, byPath.stderr).toBe(0);
    expect(byPath.stdout.match(/dropped/g)).toHaveLength(1);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a dead-letter file that is not one (cut short) is listed as unreadable and can be dropped; the others are still listed and replayed', async () => {
    // It made every command fail (exit 1, "Unterminated string in JSON"): nothing listed, replayed
    // or dropped, the cut file included, until someone deleted it by hand.
    const own = mkdtempSync(join(tmpdir(), 'dead-letters-cut-'));
    const dir = join(own, 'dead-letters');
    mkdirSync(dir);
    const cut = '2026-10-01T00-00-00.000Z-jobs-cut.json';
    writeFileSync(join(dir, cut), '{"queue":"jobs","error":"boom","attem');
    const message = { type: 'unit', job: 'budget-reports', tick: '2026-10-01T00:00:00.000Z', unit: { budgetId: 'no-such-budget' } };
    writeFileSync(join(dir, '2026-10-01T00-00-01.000Z-jobs-whole.json'), JSON.stringify({ queue: 'jobs', error: 'boom', attempts: 5, message }));
    const alone = { DATA_DIR: own, DYNAMODB_ENDPOINT: undefined, TABLE_NAME: undefined, AWS_REGION: undefined };

    const listed = await cli('dead-letters-cli.ts', ['list'], alone);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toContain(`${join(dir, cut)}\n  unreadable`);
    expect(listed.stdout).toContain('job budget-reports unit {"budgetId":"no-such-budget"}');
    expect(listed.stdout).toContain('2 dead letters');

    // A replay works the readable one and leaves the cut one, saying so (exit 1: something is left).
    const replayed = await cli('dead-letters-cli.ts', ['replay'], { DATA_DIR: own });
    expect(replayed.code).toBe(1);
    expect(summaryOf(replayed.stdout)).toEqual({ replayed: 1, failed: 1, newDeadLetters: 0 });
    expect(replayed.stderr).toContain(`${join(dir, cut)}: unreadable`);
    expect(readdirSync(dir)).toEqual([cut]);

    const dropped = await cli('dead-letters-cli.ts', ['drop', cut], alone);
    expect(dropped.code, dropped.stderr).toBe(0);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a replayed event the delivery refuses (a detail its subscriber no longer accepts) is not counted replayed nor removed', async () => {
    // It was: `{"replayed":1}`, exit 0, the file gone, while no subscriber ran (the delivery
    // answers a refusal rather than throwing, and the replay read only a throw as failure).
    const own = mkdtempSync(join(tmpdir(), 'dead-letters-refused-'));
    const dir = join(own, 'dead-letters');
    mkdirSync(dir);
    const name = '2026-10-01T00-00-00Z-budgets-on-budgets-e1.json';
    const event = {
      version: '0', id: 'e1', 'detail-type': 'budget.deleted', source: 'budgeting.budgets', account: '000000000000', time: '2026-10-01T00:00:00Z',
      region: 'local', resources: ['arn:aws:events:local:000000000000:rule/local/budgets-on-budgets'], detail: { not: 'a budget.deleted envelope' },
    };
    writeFileSync(join(dir, name), JSON.stringify({ rule: 'budgets-on-budgets', error: 'boom', attempts: 5, event }));

    const replayed = await cli('dead-letters-cli.ts', ['replay'], { DATA_DIR: own });
    expect(replayed.code).toBe(1);
    expect(summaryOf(replayed.stdout)).toEqual({ replayed: 0, failed: 1, newDeadLetters: 0 });
    expect(replayed.stderr).toContain(`${join(dir, name)}: refused:`);
    expect(readdirSync(dir)).toEqual([name]);
  });

  it('refuses an unknown option or an option without its value with exit 2 and the usage, as the job CLI does', async () => {
    // Both exited 1 (node's parseArgs error escaped main), as a replay that fails does.
    for (const args of [['list', '--bogus'], ['replay', '--max'], ['drop', '--force', 'x.json']]) {
      const refused = await cli('dead-letters-cli.ts', args, { DYNAMODB_ENDPOINT: undefined, TABLE_NAME: undefined, AWS_REGION: undefined });
      expect(refused.code, `${args.join(' ')}: ${refused.stderr}`).toBe(2);
      expect(refused.stderr).toContain('usage: npm run dead-letters -- list|replay');
    }
  });

  it('refuses `replay <file>` (exit 2, nothing replayed): replay takes no names, it replays every letter', async () => {
    // `replay <one file>`, as `drop` takes them, replayed every dead letter in the folder (exit 0).
    const own = mkdtempSync(join(tmpdir(), 'dead-letters-named-'));
    const dir = join(own, 'dead-letters');
    mkdirSync(dir);
    const message = { type: 'unit', job: 'budget-reports', tick: '2026-10-01T00:00:00.000Z', unit: { budgetId: 'no-such-budget' } };
    const names = ['2026-10-01T00-00-00.000Z-jobs-one.json', '2026-10-01T00-00-01.000Z-jobs-other.json'];
    for (const n of names) writeFileSync(join(dir, n), JSON.stringify({ queue: 'jobs', error: 'boom', attempts: 5, message }));
    for (const command of ['replay', 'list']) {
      const refused = await cli('dead-letters-cli.ts', [command, names[0]!], { DATA_DIR: own });
      expect(refused.code, `${command}: ${refused.stdout}`).toBe(2);
      expect(refused.stderr).toContain(`${command} takes no file names`);
    }
    expect(readdirSync(dir).sort()).toEqual(names);
  });
});
