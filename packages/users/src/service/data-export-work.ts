import { createEvent, type Clock, type ConcatenateResume, type EmailSender, type ObjectStorage, type WorkQueue } from '@budgeting/platform';
import type { BudgetExportSource, ExportBudgetRole, ExportPage, ExportSourcesPort } from '../contract';
import {
  ACCOUNT_PART,
  ACCOUNT_SECTIONS,
  budgetIndex,
  budgetPart,
  budgetSectionsFor,
  documentSources,
  EXPORT_CONTENT_TYPE,
  EXPORT_FORMAT,
  exportDocumentKey,
  exportLines,
  exportPartKey,
  exportPartsPrefix,
  isOtherModuleSection,
  lineTypeOf,
  PLAN_PART,
  type AccountSection,
} from '../domain/data-export';
import { mfaStatusOf } from '../domain/mfa-status';
import { personalTokenView } from '../domain/personal-token-view';
import { sessionView } from '../domain/session-view';
import { userDataExportFinished } from '../events';
import { toPublicUser } from '../model';
import type { DataExportsRepository } from '../repository/data-exports.repository';
import type { MfaRepository } from '../repository/mfa.repository';
import type { PersonalTokensRepository } from '../repository/personal-tokens.repository';
import type { SessionsRepository } from '../repository/sessions.repository';
import type { UsersRepository } from '../repository/users.repository';
import { DATA_EXPORT_JOB } from '../jobs/names';
import { dataExportReadyMail, exportKeepingLeft } from './data-export-mail';

/**
 * One unit of the data export job. Each carries where it stands (section, cursor, the next
 * page object's number `seq`), so a unit re-queued at its deadline (`again`) or delivered again
 * after a crash goes on from there and rewrites the same objects: every record lands once.
 */
export type ExportUnit = { userId: string; exportId: string } & (
  | { step: 'account'; section: number; cursor?: string; seq: number }
  | { step: 'plan'; page: number; cursor?: string }
  | { step: 'budget'; index: number; budgetId: string; role?: ExportBudgetRole; section: number; cursor?: string; seq: number }
  | { step: 'assemble'; resume?: ConcatenateResume }
);

export interface DataExportWorkDeps {
  exports: DataExportsRepository;
  users: UsersRepository;
  sessions: SessionsRepository;
  personalTokens: PersonalTokensRepository;
  mfa: Pick<MfaRepository, 'get'>;
  sources: ExportSourcesPort;
  storage: ObjectStorage;
  work: WorkQueue;
  mail: EmailSender;
  /**
   * Runs `send` (the ready mail) once per mail id however often the queue hands the assemble
   * unit (mail-job.ts sentOnce): its units are queued straight to the work queue, so no runner
   * claim covers them. Its number of mails sent.
   */
  mailOnce: (mailId: string, send: () => Promise<number>) => Promise<number>;
  clock: Clock;
}

/**
 * The data export's fan-out (GDPR Art. 20). POST queues two units: `account` (the profile,
 * sessions, personal tokens, devices, notifications, webhooks) and `plan` (pages the user's
 * memberships and queues one `budget` unit each, counting them in the export's
 * `partsRemaining`). A `budget` unit writes the budget and the membership and, for an owner or
 * editor, its recurring expenses, rules, reports and expenses, one page per object. Each
 * finished part decrements `partsRemaining` once (conditionally); the one that reaches 0 queues
 * `assemble`, which joins the page objects into the one JSON Lines document, marks the export
 * succeeded (with user.data_export_finished to the outbox) and mails the user. No unit loops over more than its deadline allows.
 */
export class DataExportWork {
  constructor(private readonly d: DataExportWorkDeps) {}

  /** Works `unit` until done (undefined) or `deadline` (epoch ms): the rest, to queue again. */
  async work(unit: ExportUnit, deadline: number): Promise<ExportUnit | undefined> {
    const record = await this.d.exports.get(unit.userId, unit.exportId);
    if (!record) return undefined; // the account (and its exports) was deleted
    if (record.status === 'failed') return undefined;
    if (record.status === 'succeeded') {
      if (unit.step === 'assemble' && !record.notifiedAt) await this.notify(unit.userId, unit.exportId, record.expiresOn);
      return undefined;
    }
    switch (unit.step) {
      case 'account':
        if (record.status === 'queued') await this.d.exports.markRunning(unit.userId, unit.exportId, this.d.clock.now().toISOString());
        return this.account(unit, deadline, record.expiresOn);
      case 'plan':
        return this.plan(unit, deadline, record.expiresOn);
      case 'budget':
        return this.budget(unit, deadline, record.expiresOn);
      case 'assemble':
        return this.assemble(unit, await this.d.exports.partPages(unit.userId, unit.exportId, record.partPages), record.budgets, record.createdAt, record.expiresOn, deadline);
    }
  }

  /** The last attempt of a unit failed: the export fails (it would otherwise read `running` for ever). */
  async fail(unit: ExportUnit, err: Error): Promise<void> {
    const event = await createEvent(userDataExportFinished, { userId: unit.userId, exportId: unit.exportId, status: 'failed' }, this.d.clock);
    await this.d.exports.fail(unit.userId, unit.exportId, { completedAt: this.d.clock.now().toISOString(), error: err.message }, event);
  }

  private async account(unit: Extract<ExportUnit, { step: 'account' }>, deadline: number, expiresOn: string): Promise<ExportUnit | undefined> {
    let { section, cursor, seq } = unit;
    // At least one page per invocation, however late it starts: every delivery makes progress.
    for (let step = 0; section < ACCOUNT_SECTIONS.length; step++) {
      if (step > 0 && Date.now() > deadline) return { ...unit, section, seq, ...(cursor ? { cursor } : { cursor: undefined }) };
      const name = ACCOUNT_SECTIONS[section]!;
      const page = await this.accountPage(name, unit.userId, cursor);
      if (page.records.length > 0) {
        await this.put(unit, ACCOUNT_PART, seq, exportLines(lineTypeOf(name), page.records));
        seq++;
      }
      cursor = page.cursor;
      if (!cursor) section++;
    }
    await this.finish(unit, ACCOUNT_PART, seq, expiresOn);
    return undefined;
  }

  private async accountPage(section: AccountSection, userId: string, cursor: string | undefined): Promise<ExportPage> {
    if (isOtherModuleSection(section)) return this.d.sources.accountPage(section, userId, cursor);
    switch (section) {
      case 'profile': {
        // The public profile: never the password hash or the session epoch.
        const user = await this.d.users.getById(userId);
        return { records: user ? [toPublicUser(user)] : [] };
      }
      case 'sessions': {
        const start = cursor ? (JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>) : undefined;
        const user = await this.d.users.getById(userId);
        if (!user) return { records: [] };
        const page = await this.d.sessions.activePage(userId, user.sessionEpoch, Math.floor(this.d.clock.now().getTime() / 1000), 100, start);
        return {
          records: page.items.map((s) => sessionView(s, undefined)),
          ...(page.lastKey ? { cursor: Buffer.from(JSON.stringify(page.lastKey)).toString('base64url') } : {}),
        };
      }
      case 'personalTokens': {
        // As GET /v1/me/tokens lists them (`expired` too); the secret's hash stays in the table.
        const now = this.d.clock.now();
        return {
          records: (await this.d.personalTokens.list(userId)).map((t) => personalTokenView(t, now)),
        };
      }
      case 'twoFactor':
        // As GET /v1/me/mfa shows it; the sealed secret and the recovery codes' hashes stay in the table.
        return { records: [mfaStatusOf(await this.d.mfa.get(userId))] };
    }
  }

  private async plan(unit: Extract<ExportUnit, { step: 'plan' }>, deadline: number, expiresOn: string): Promise<ExportUnit | undefined> {
    let { page, cursor } = unit;
    for (let step = 0; ; step++) {
      if (step > 0 && Date.now() > deadline) return { ...unit, page, ...(cursor ? { cursor } : { cursor: undefined }) };
      const memberships = await this.d.sources.memberships(unit.userId, cursor);
      const units: ExportUnit[] = memberships.items.map((m, i) => ({
        userId: unit.userId,
        exportId: unit.exportId,
        step: 'budget',
        index: budgetIndex(page, i),
        budgetId: m.budgetId,
        role: m.role,
        section: 0,
        seq: 0,
      }));
      // Counted before they are queued (and the planner's own part is still open): the count
      // cannot reach 0 while budgets remain. A redelivered page is not counted twice.
      await this.d.exports.countPlanned(unit.userId, unit.exportId, page, units.length);
      if (units.length > 0) await this.d.work.enqueue(DATA_EXPORT_JOB, units, this.d.clock.now());
      page++;
      cursor = memberships.cursor;
      if (!cursor) break;
    }
    await this.finish(unit, PLAN_PART, 0, expiresOn);
    return undefined;
  }

  private async budget(unit: Extract<ExportUnit, { step: 'budget' }>, deadline: number, expiresOn: string): Promise<ExportUnit | undefined> {
    const part = budgetPart(unit.index);
    let { section, cursor, seq, role } = unit;
    if (section === 0) {
      // The budget as the user sees it NOW, and their current role (it may have changed since planning).
      const found = await this.d.sources.budget(unit.budgetId, unit.userId);
      if (!found) {
        await this.finish(unit, part, 0, expiresOn); // gone, or no longer theirs: nothing to export
        return undefined;
      }
      role = found.membership.role;
      await this.put(unit, part, 0, exportLines('budget', [found.budget], unit.budgetId) + exportLines('membership', [found.membership], unit.budgetId));
      seq = 1;
      section = 1;
    }
    const sections = budgetSectionsFor(role ?? 'viewer');
    for (let step = unit.section === 0 ? 1 : 0; section < sections.length; step++) {
      if (step > 0 && Date.now() > deadline) return { ...unit, role, section, seq, ...(cursor ? { cursor } : { cursor: undefined }) };
      const name = sections[section] as BudgetExportSource;
      const page = await this.d.sources.budgetPage(name, unit.budgetId, cursor, unit.userId);
      // Read after the page: the user may have left the budget, or changed role, since the
      // unit's first step (often another invocation's). Removed: nothing of the budget, as
      // when gone at the first step (not the pages read while a member, nor what was recorded
      // since). Another role: the budget again from its first step, as they read it now.
      const now = await this.d.sources.budget(unit.budgetId, unit.userId);
      if (!now) {
        await this.finish(unit, part, 0, expiresOn);
        return undefined;
      }
      if (now.membership.role !== role) return { ...unit, role: undefined, section: 0, seq: 0, cursor: undefined };
      if (page.records.length > 0) {
        await this.put(unit, part, seq, exportLines(lineTypeOf(name), page.records, unit.budgetId));
        seq++;
      }
      cursor = page.cursor;
      if (!cursor) section++;
    }
    await this.finish(unit, part, seq, expiresOn);
    return undefined;
  }

  private async assemble(
    unit: Extract<ExportUnit, { step: 'assemble' }>,
    partPages: Record<string, number>,
    budgets: number,
    createdAt: string,
    expiresOn: string,
    deadline: number,
  ): Promise<ExportUnit | undefined> {
    const prefix = exportPartsPrefix(unit.userId, unit.exportId);
    const header = `${prefix}header.jsonl`;
    const trailer = `${prefix}trailer.jsonl`;
    if (!unit.resume) {
      await this.d.storage.putObject({
        key: header,
        contentType: EXPORT_CONTENT_TYPE,
        body: exportLines('export', [{ format: EXPORT_FORMAT, exportId: unit.exportId, userId: unit.userId, createdAt, budgets }]),
      });
      await this.d.storage.putObject({ key: trailer, contentType: EXPORT_CONTENT_TYPE, body: exportLines('end', [{ exportId: unit.exportId }]) });
    }
    const out = await this.d.storage.concatenate({
      sources: documentSources(unit.userId, unit.exportId, partPages, header, trailer),
      target: exportDocumentKey(unit.userId, unit.exportId),
      contentType: EXPORT_CONTENT_TYPE,
      deadline,
      ...(unit.resume ? { resume: unit.resume } : {}),
    });
    if (!out.finished) return { ...unit, resume: out.resume };
    // user.data_export_finished goes with the status (notifications tells the user in the app).
    const event = await createEvent(userDataExportFinished, { userId: unit.userId, exportId: unit.exportId, status: 'succeeded' }, this.d.clock);
    await this.d.exports.succeed(unit.userId, unit.exportId, { completedAt: this.d.clock.now().toISOString(), size: out.size }, event);
    // The parts are no longer needed; what a late deadline leaves goes with the lifecycle rule.
    await this.d.storage.deletePrefix(prefix, deadline);
    await this.notify(unit.userId, unit.exportId, expiresOn);
    return undefined;
  }

  private async finish(unit: ExportUnit, part: string, pages: number, expiresOn: string): Promise<void> {
    const outcome = await this.d.exports.finishPart(unit.userId, unit.exportId, part, pages, expiresOn);
    if (outcome === 'last') await this.d.work.enqueue(DATA_EXPORT_JOB, [{ userId: unit.userId, exportId: unit.exportId, step: 'assemble' } satisfies ExportUnit], this.d.clock.now());
  }

  private put(unit: ExportUnit, part: string, seq: number, body: string): Promise<void> {
    return this.d.storage.putObject({ key: exportPartKey(unit.userId, unit.exportId, part, seq), body, contentType: EXPORT_CONTENT_TYPE });
  }

  /**
   * Tells the user by email that the export is ready (no link: the download URL is minted when
   * they GET the export, signed in), in their profile's `locale` (data-export-mail.ts: the
   * profile read for the address has it, no other read). Once: two receives of the assemble
   * unit at once both found the export succeeded and not yet notified, and both mailed; the send
   * now runs under its mail id's claim (mailOnce), so the second fails while the first sends (and
   * is handed again later, to find it notified) and one after it sends nothing. Marked after the send.
   */
  private async notify(userId: string, exportId: string, expiresOn: string): Promise<void> {
    const user = await this.d.users.getById(userId);
    if (!user) return;
    // Suspended by support while the export ran: no mail, marked all the same (support.md "No mail
    // to the user", as the sign-in alert's: it would tell the owner to sign in and change a
    // password, which no suspended account can, and a stolen account's mailbox may be the thief's).
    if (user.suspendedAt) {
      await this.d.exports.markNotified(userId, exportId, this.d.clock.now().toISOString());
      return;
    }
    // Sent late (its send failed every attempt, the dead letter replayed days later): the mail states
    // what is left of the export's 7 days; expired meanwhile (or under an hour left), no mail, marked all the same.
    const secondsLeft = exportKeepingLeft(expiresOn, this.d.clock.now());
    if (secondsLeft === undefined) {
      await this.d.exports.markNotified(userId, exportId, this.d.clock.now().toISOString());
      return;
    }
    const mail = dataExportReadyMail(exportId, user.email, user.locale, secondsLeft);
    await this.d.mailOnce(mail.id, async () => {
      await this.d.mail.send(mail);
      return 1;
    });
    await this.d.exports.markNotified(userId, exportId, this.d.clock.now().toISOString());
  }
}
