import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { fixedClock, type JobReport } from '@budgeting/platform';
import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TotpSecretSealer } from '../../../packages/users/src/domain/totp-secret-sealer';
import { mfaResealJob } from '../../../packages/users/src/jobs/mfa-reseal-job';
import { usersKeys } from '../../../packages/users/src/repository/keys';
import { MfaSeals } from '../../../packages/users/src/repository/mfa-seals';
import { as } from '../../support/actors';
import { call } from '../../support/http';
import { createTestSystem, TEST_MFA_SECRETS_KEY, TEST_WEBHOOK_SECRETS_KEY, type TestSystem } from '../../support/test-system';
import { expectProblem, scanTable, signup, type Account } from './helpers';

/**
 * The operator job `users-mfa-reseal` on DynamoDB Local, during a rotation of MFA_SECRETS_KEY:
 * the file's own system seals under TEST_MFA_SECRETS_KEY (the "old" key); a deploy with the
 * new key and the old one as MFA_SECRETS_KEY_PREVIOUS serves the same table and runs the job.
 * Stale seals (v1 under WEBHOOK_SECRETS_KEY, v2 under the old key) end up v2 under the new key
 * and still sign in with a code once the old key is dropped; current and unopenable seals are
 * left as they are (the unopenable one reported with its user's id); a second run reseals
 * nothing; a seal written between the job's read and its write wins; nothing else changes.
 */
const JOB = 'users-mfa-reseal';
const NEW_KEY = Buffer.alloc(32, 0x6e).toString('base64');
const WRONG_KEY = Buffer.alloc(32, 0x77).toString('base64');
const clock = fixedClock('2026-11-24T12:00:10Z');
let t: TestSystem;
const deploys: TestSystem[] = [];

beforeAll(async () => {
  t = await createTestSystem({ clock, modules: ['users'] });
});
afterAll(async () => {
  for (const deploy of deploys) await deploy.destroy();
  await t?.destroy();
});

/** Another deploy serving the file's table, with other keys (a fresh one per run: its report starts at zero). */
async function deployWith(env: Record<string, string>): Promise<TestSystem> {
  const deploy = await createTestSystem({ clock, modules: ['users'], tableName: t.tableName, env });
  deploys.push(deploy);
  return deploy;
}
const rotatingKeys = { MFA_SECRETS_KEY: NEW_KEY, MFA_SECRETS_KEY_PREVIOUS: TEST_MFA_SECRETS_KEY };

const codeFor = (secret: string) => TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: clock.now().getTime() });
const nextStep = () => clock.advance(30_000);
const mfaKey = (userId: string) => ({ pk: `users#user#${userId}`, sk: 'users#mfa' });
const sealedOf = async (userId: string) => (await t.doc.send(new GetCommand({ TableName: t.tableName, Key: mfaKey(userId) }))).Item!.sealedSecret as string;
const setSeal = (userId: string, sealed: string) =>
  t.doc.send(new UpdateCommand({ TableName: t.tableName, Key: mfaKey(userId), UpdateExpression: 'SET sealedSecret = :s', ExpressionAttributeValues: { ':s': sealed } }));
/** Sealed as the code before MFA had its own key did: v1, the same label, under WEBHOOK_SECRETS_KEY. */
const v1Seal = (secret: string, userId: string) => new TotpSecretSealer(TEST_WEBHOOK_SECRETS_KEY).seal(secret, userId).replace(/^v2\./, 'v1.');

/** A signed-up account with two-factor on (sealed by the file's system: the old key). */
async function withMfa(): Promise<Account & { secret: string }> {
  const account = await signup(t.app);
  const me = as(t.app, { token: account.accessToken });
  const enrol = await me('POST', '/v1/me/mfa/totp', { body: { password: account.password } });
  expect(enrol.status, enrol.text).toBe(201);
  const confirm = await me('POST', '/v1/me/mfa/totp/confirm', { body: { code: codeFor(enrol.json.secret) } });
  expect(confirm.status, confirm.text).toBe(200);
  nextStep();
  return { ...account, secret: enrol.json.secret };
}

/** Password, then a code, on `app`: the status of the code step. */
async function signInWithCode(account: Account & { secret: string }, app: TestSystem['app']): Promise<number> {
  nextStep();
  const login = await call(app, 'POST', '/v1/auth/login', { body: { email: account.email, password: account.password } });
  expectProblem(login, 401);
  const res = await call(app, 'POST', '/v1/auth/login/mfa', { body: { mfaToken: login.json.mfaToken, code: codeFor(account.secret) } });
  return res.status;
}

async function runJob(env: Record<string, string> = rotatingKeys): Promise<JobReport> {
  const deploy = await deployWith(env);
  await deploy.system.jobs.plan(JOB, clock.now(), { logger: deploy.system.deps.logger });
  return deploy.system.jobs.metrics.reportOf(JOB);
}

describe('the users-mfa-reseal job', { timeout: 120_000 }, () => {
  it('reseals v1 and previous-key seals under the current key, leaves current and unopenable ones, and a second run reseals nothing', async () => {
    const legacy = await withMfa();
    const previous = await withMfa();
    const current = await withMfa();
    const unopenable = await withMfa();
    await setSeal(legacy.user.id, v1Seal(legacy.secret, legacy.user.id));
    await setSeal(current.user.id, new TotpSecretSealer(NEW_KEY).seal(current.secret, current.user.id));
    await setSeal(unopenable.user.id, new TotpSecretSealer(WRONG_KEY).seal(unopenable.secret, unopenable.user.id));
    // Another module's item with the same sort key, and a users item with another one: never touched.
    const foreign = { pk: 'budgets#budget#b-1', sk: 'users#mfa', sealedSecret: v1Seal(legacy.secret, 'b-1') };
    const otherSk = { pk: `users#user#${legacy.user.id}`, sk: 'users#mfa-notes', sealedSecret: v1Seal(legacy.secret, legacy.user.id) };
    for (const Item of [foreign, otherSk]) await t.doc.send(new PutCommand({ TableName: t.tableName, Item }));

    const stale = new Set([legacy.user.id, previous.user.id].map((id) => mfaKey(id).pk));
    const isStaleMfa = (i: Record<string, unknown>) => stale.has(String(i.pk)) && i.sk === 'users#mfa';
    const before = await scanTable(t.doc, t.tableName);
    const beforeSeals = new Map([legacy, previous, current, unopenable].map((a) => [a.user.id, '']));
    for (const id of beforeSeals.keys()) beforeSeals.set(id, await sealedOf(id));

    const report = await runJob();
    expect(report).toMatchObject({ mfaItems: 4, resealed: 2, alreadyCurrent: 1, changedMeanwhile: 0, unopenable: 1, unopenableUsers: [unopenable.user.id], failed: 0, failedUsers: [] });
    expect(report.scanned).toBe(before.length);
    expect(JSON.stringify(report)).not.toContain(legacy.secret);

    // The stale ones: v2, opened by the new key alone, to the same secret; nothing else of the item changed.
    for (const account of [legacy, previous]) {
      const sealed = await sealedOf(account.user.id);
      expect(sealed).toMatch(/^v2\./);
      expect(sealed).not.toBe(beforeSeals.get(account.user.id));
      expect(new TotpSecretSealer(NEW_KEY).open(sealed, account.user.id)).toBe(account.secret);
    }
    const after = await scanTable(t.doc, t.tableName);
    const strip = ({ sealedSecret: _s, ...rest }: Record<string, unknown>) => rest;
    expect(after.filter(isStaleMfa).map(strip)).toEqual(before.filter(isStaleMfa).map(strip));
    // Every other item (the current and unopenable seals, profiles, sessions, the foreign items) as it was.
    expect(after.filter((i) => !isStaleMfa(i))).toEqual(before.filter((i) => !isStaleMfa(i)));

    // Again: every seal has a fresh IV, so any rewrite would show; nothing is rewritten.
    const second = await runJob();
    expect(second).toMatchObject({ mfaItems: 4, resealed: 0, alreadyCurrent: 3, unopenable: 1, unopenableUsers: [unopenable.user.id], failed: 0 });
    expect(await scanTable(t.doc, t.tableName)).toEqual(after);

    // The old keys dropped (MFA_SECRETS_KEY_PREVIOUS unset, WEBHOOK_SECRETS_KEY another): a code still signs in.
    const rotated = await deployWith({ MFA_SECRETS_KEY: NEW_KEY, WEBHOOK_SECRETS_KEY: WRONG_KEY });
    for (const account of [legacy, previous, current]) expect(await signInWithCode(account, rotated.app)).toBe(200);
    expect(await signInWithCode(unopenable, rotated.app)).toBe(500);
  });

  it('never overwrites a seal written between its read and its write', async () => {
    const account = await withMfa();
    const deploy = await deployWith(rotatingKeys);
    const store = deploy.system.deps.storeFor('users');
    const real = new MfaSeals(store, usersKeys(store));
    // A code's own reseal (or a new enrolment) commits right after the job's page read it.
    const meanwhile = new TotpSecretSealer(NEW_KEY).seal(account.secret, account.user.id);
    const racing = {
      async page(...args: Parameters<MfaSeals['page']>) {
        const page = await real.page(...args);
        if (page.sealed.some((i) => i.userId === account.user.id)) await setSeal(account.user.id, meanwhile);
        return page;
      },
      reseal: real.reseal.bind(real),
    } as unknown as MfaSeals;
    const job = mfaResealJob({ seals: racing, sealer: new TotpSecretSealer(NEW_KEY, TEST_WEBHOOK_SECRETS_KEY, TEST_MFA_SECRETS_KEY), segments: 1 });
    const [unit] = (await job.plan!(clock.now(), undefined, { logger: deploy.system.deps.logger })).units;
    const outcome = await job.work(await job.parseUnit(JSON.parse(JSON.stringify(unit))), clock.now(), { logger: deploy.system.deps.logger, deadline: Date.now() + 60_000 });

    expect(outcome?.report).toMatchObject({ changedMeanwhile: 1 });
    expect(await sealedOf(account.user.id)).toBe(meanwhile);
  });

  it('pages a segment across units when its time is up', async () => {
    const accounts = [await withMfa(), await withMfa(), await withMfa()];
    const deploy = await deployWith(rotatingKeys);
    const store = deploy.system.deps.storeFor('users');
    // One segment, two items per page, no time: each unit does one page and queues the rest.
    const job = mfaResealJob({ seals: new MfaSeals(store, usersKeys(store), 2), sealer: new TotpSecretSealer(NEW_KEY, TEST_WEBHOOK_SECRETS_KEY, TEST_MFA_SECRETS_KEY), segments: 1 });
    let [unit] = (await job.plan!(clock.now(), undefined, { logger: deploy.system.deps.logger })).units;
    let units = 0;
    while (unit) {
      const outcome = await job.work(await job.parseUnit(JSON.parse(JSON.stringify(unit))), clock.now(), { logger: deploy.system.deps.logger, deadline: 0 });
      units++;
      unit = outcome?.again;
    }
    expect(units).toBeGreaterThan(2);
    for (const a of accounts) expect(new TotpSecretSealer(NEW_KEY).open(await sealedOf(a.user.id), a.user.id)).toBe(a.secret);
    expect(() => job.parseUnit({ segment: 1, totalSegments: 1 })).toThrow('segment < totalSegments');
  });
});
