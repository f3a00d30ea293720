import { GUARDS, newId, ProblemError, problems, type Clock, type ObjectStorage } from '@budgeting/platform';
import {
  admitExport,
  DOWNLOAD_URL_SECONDS,
  EXPORT_RETENTION_DAYS,
  EXPORTS_LISTED,
  exportDocumentKey,
} from '../domain/data-export';
import { DATA_EXPORT_JOB } from '../jobs/names';
import { USERS_PROBLEMS } from '../problems';
import type { DataExportRecord, DataExportsRepository } from '../repository/data-exports.repository';
import type { TransactItem } from '../repository/transact';
import type { ExportUnit } from './data-export-work';

/** The export as the API shows it. */
export interface DataExportView {
  id: string;
  status: DataExportRecord['status'];
  createdAt: string;
  completedAt?: string;
  expiresAt?: string;
  size?: number;
  download?: { url: string; expiresAt: string };
}

const MAX_ATTEMPTS = 3;

/**
 * POST /v1/me/export, GET /v1/me/exports[/{exportId}]: starts a data export (admitted by the
 * per-user gate: one at a time, EXPORTS_PER_DAY a day), and shows it, with a download URL
 * minted on each GET once it succeeded (valid DOWNLOAD_URL_SECONDS) until it expires.
 */
export class DataExportService {
  constructor(
    private readonly d: {
      exports: DataExportsRepository;
      storage: ObjectStorage;
      /** A job unit as an item of the start's transaction (platform queuedUnitPut under the module's prefix). */
      queueUnit: (job: string, unit: unknown, tick: Date) => TransactItem;
      /** The account's check in the start's transaction (UsersRepository.accountCheck). */
      accountCheck: (userId: string) => TransactItem;
      clock: Clock;
    },
  ) {}

  async start(userId: string, resourceId?: string): Promise<DataExportView> {
    const exportId = resourceId ?? newId(this.d.clock.now().getTime());
    if (resourceId) {
      // An Idempotency-Key retry after the first attempt committed: the same export.
      const existing = await this.d.exports.get(userId, resourceId);
      if (existing) return this.view(existing);
    }
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const now = this.d.clock.now();
      const seen = await this.d.exports.gate(userId);
      const admission = admitExport(seen, exportId, now);
      if (admission.kind === 'running') {
        throw new ProblemError(USERS_PROBLEMS['export-running'], `Export ${admission.exportId} is still queued or running; wait for it to finish (GET /v1/me/exports/${admission.exportId}).`);
      }
      if (admission.kind === 'limit') {
        // Too many requests in a window (RFC 6585): the problem every 429 of the API is; the
        // access line names the guard. (`export-running` above stays a 409: a state conflict.)
        throw problems.tooManyRequests(GUARDS.dataExportLimit, admission.retryAfterSeconds, 'At most 5 exports a day (UTC); retry after the time in Retry-After.');
      }
      const record: DataExportRecord = {
        exportId,
        userId,
        status: 'queued',
        createdAt: now.toISOString(),
        expiresOn: new Date(now.getTime() + EXPORT_RETENTION_DAYS * 86_400_000).toISOString(),
        // The account part and the budget planner; the planner adds one per budget it finds.
        partsRemaining: 2,
        partPages: {},
        plannedPage: -1,
        budgets: 0,
      };
      const units: ExportUnit[] = [
        { userId, exportId, step: 'account', section: 0, seq: 0 },
        { userId, exportId, step: 'plan', page: 0 },
      ];
      // The two units are items of the export's own transaction (the table stream's relay queues
      // them): a process that dies right after the commit still runs the export, and the start
      // never waits on, nor fails with, the queue. (Until stop 54 they were queued after it: a
      // refusal failed the export, a crash left it queued until the 6-hour "stuck" mark.)
      const queued = units.map((unit) => this.d.queueUnit(DATA_EXPORT_JOB, unit, now));
      const created = await this.d.exports.create(record, admission.next, seen, this.d.accountCheck(userId), queued);
      if (created === 'gate-moved') continue; // read it again
      // Deleted since the request's account check (its cleanups may have run): nothing written.
      if (created === 'account-gone') throw problems.accountGone();
      return this.view((await this.d.exports.get(userId, exportId)) ?? record);
    }
    throw problems.conflict('Another export was started at the same moment; retry.');
  }

  async get(userId: string, exportId: string): Promise<DataExportView> {
    const record = await this.d.exports.get(userId, exportId);
    // Another user's export is simply not found: ids are per account.
    if (!record || this.expired(record)) throw problems.notFound('No export of yours has this id (unknown, another account\'s, or expired).');
    return this.view(record, { download: true });
  }

  async list(userId: string): Promise<DataExportView[]> {
    const records = (await this.d.exports.newest(userId, EXPORTS_LISTED)).filter((r) => !this.expired(r));
    return Promise.all(records.map((r) => this.view(r)));
  }

  private expired(r: DataExportRecord): boolean {
    return Date.parse(r.expiresOn) <= this.d.clock.now().getTime();
  }

  private async view(r: DataExportRecord, options: { download?: boolean } = {}): Promise<DataExportView> {
    const download =
      options.download && r.status === 'succeeded'
        ? await this.d.storage.presignDownload({ key: exportDocumentKey(r.userId, r.exportId), expiresInSeconds: DOWNLOAD_URL_SECONDS, fileName: `budgeting-export-${r.createdAt.slice(0, 10)}.jsonl` })
        : undefined;
    return {
      id: r.exportId,
      status: r.status,
      createdAt: r.createdAt,
      ...(r.completedAt ? { completedAt: r.completedAt } : {}),
      ...(r.status === 'succeeded' ? { expiresAt: r.expiresOn, ...(r.size !== undefined ? { size: r.size } : {}) } : {}),
      ...(download ? { download } : {}),
    };
  }
}
