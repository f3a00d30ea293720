import { ProblemError, changesNothing, keyInUse, newId, problems, type Clock, type CursorCodec, type KeyCompletion, PLATFORM_PROBLEMS } from '@budgeting/platform';
import type { BudgetsFacade } from '@budgeting/budgets';
import { requireAChange } from '../domain/expense-rules';
import { IMPORT_PRESETS } from '../domain/import-presets';
import { wholeListPage } from '../domain/whole-list-page';
import type { ImportProfile } from '../model';
import { ImportProfileChangedError, ImportProfileNameTakenError, type ImportProfilesRepository } from '../repository/import-profiles.repository';
import type { CreateImportProfileInput, ListImportProfilesInput, UpdateImportProfileInput } from '../schemas/import-profiles.schemas';
import { authorize } from './access';
import { guardedItem, guardedWrite, type GuardedItem } from './guarded-write';

export interface ImportProfilesServiceDeps {
  repository: ImportProfilesRepository;
  budgets: BudgetsFacade;
  clock: Clock;
  cursors: CursorCodec;
}

/**
 * CRUD of a budget's import profiles (saved column mappings for bank CSV files; the import reads
 * one with `?profile=`, CsvImportService). Written by those who may import (owners and editors:
 * access.ts 'write'), read by every member. The mapping was validated by the route with the
 * import's own schema; names are unique per budget by nameKey (409 naming `name`). No events:
 * profiles are settings, as rules are.
 */
export class ImportProfilesService {
  /**
   * As for rules (guarded-write.ts guardedItem): a lost race is re-read; If-Match is checked on
   * every read; the write carries the budgets module's guard against a racing archive.
   */
  private readonly profiles: GuardedItem<ImportProfile>;

  constructor(private readonly deps: ImportProfilesServiceDeps) {
    this.profiles = guardedItem(deps, 'write', {
      notFound: 'Import profile not found.',
      lostRace: (err) => err instanceof ImportProfileChangedError,
      busyDetail: 'The import profile is being changed by others right now; retry.',
    });
  }

  async create(budgetId: string, userId: string, input: CreateImportProfileInput, reservedId?: string, completeKey?: KeyCompletion<ImportProfile>): Promise<ImportProfile> {
    await authorize(this.deps.budgets, budgetId, userId, 'write');
    const timestamp = this.deps.clock.now().toISOString();
    const profile: ImportProfile = {
      id: reservedId ?? newId(this.deps.clock.now().getTime()),
      budgetId,
      name: input.name,
      mapping: input.mapping,
      ...(input.credits === undefined ? {} : { credits: input.credits }),
      createdBy: userId,
      version: 1,
      createdAt: timestamp,
      updatedAt: timestamp,
    };
    // A keyed create's answer is committed with the profile: a retry after a crash between the
    // commit and the answer replays it, even once the profile was changed or deleted.
    const also = completeKey ? [completeKey.item(profile)] : [];
    const outcome = await guardedWrite(this.deps.budgets, budgetId, userId, 'write', (guard) => this.deps.repository.create(profile, guard, also));
    if (outcome === 'key-taken') throw keyInUse();
    if (outcome === 'created') {
      completeKey?.committed();
      return profile;
    }
    if (outcome === 'budget-closed') throw problems.notFound('Budget not found.');
    if (outcome === 'name-taken') throw nameTaken(input.name);
    if (outcome === 'full') {
      const max = this.deps.repository.maxPerBudget;
      throw problems.limitReached('importProfiles', max, `A budget can have at most ${max} import profiles; delete one first.`);
    }
    const existing = await this.deps.repository.get(budgetId, profile.id);
    if (!existing || existing.createdBy !== userId) {
      throw problems.conflict('This Idempotency-Key already created a resource that is no longer available.');
    }
    return existing;
  }

  async get(budgetId: string, userId: string, id: string): Promise<ImportProfile> {
    await authorize(this.deps.budgets, budgetId, userId, 'read');
    return this.profiles.mustGet(budgetId, id);
  }

  /** The built-in presets (domain/import-presets.ts), for members only; nothing read but the membership. */
  async presets(budgetId: string, userId: string) {
    await authorize(this.deps.budgets, budgetId, userId, 'read');
    return IMPORT_PRESETS.map((p) => ({ id: p.id, name: p.name, mapping: p.mapping, columns: [...p.signature] }));
  }

  /** A page of the profiles, oldest first (by id; read whole: the cap bounds them); the cursor is the page's last id, bound to the budget. */
  async list(budgetId: string, userId: string, query: ListImportProfilesInput) {
    await authorize(this.deps.budgets, budgetId, userId, 'read');
    const binding = `expenses:import-profiles:${budgetId}`;
    const from = this.deps.cursors.decode(query.cursor, binding) as { i: string } | undefined;
    const ordered = (await this.deps.repository.all(budgetId)).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const page = wholeListPage(ordered, query.limit, from && ((p: ImportProfile) => p.id > from.i));
    return { items: page.items, nextCursor: this.deps.cursors.encode(page.last && { i: page.last.id }, binding) };
  }

  async update(budgetId: string, userId: string, id: string, input: UpdateImportProfileInput, ifMatch: ReadonlySet<number> | undefined): Promise<ImportProfile> {
    requireAChange(input);
    await authorize(this.deps.budgets, budgetId, userId, 'write');
    try {
      return await this.profiles.optimistically(budgetId, userId, id, ifMatch, async (current, guard) => {
        const next: ImportProfile = {
          ...current,
          ...(input.name !== undefined ? { name: input.name } : {}),
          ...(input.mapping !== undefined ? { mapping: input.mapping } : {}),
          ...(input.credits ? { credits: input.credits } : {}),
          version: current.version + 1,
          updatedAt: this.deps.clock.now().toISOString(),
        };
        // null: the profile no longer says (the import's default applies).
        if (input.credits === null) delete next.credits;
        // The profile as it is (a client saving a form untouched): nothing to write, no new
        // version, as an income entry's PATCH. If-Match was checked on this read.
        if (changesNothing(current, next)) return current;
        await this.deps.repository.replace(current, next, guard);
        return next;
      });
    } catch (err) {
      if (err instanceof ImportProfileNameTakenError) throw nameTaken(input.name ?? '');
      throw err;
    }
  }

  async remove(budgetId: string, userId: string, id: string, ifMatch: ReadonlySet<number> | undefined): Promise<void> {
    await authorize(this.deps.budgets, budgetId, userId, 'write');
    await this.profiles.optimistically(budgetId, userId, id, ifMatch, (current, guard) => this.deps.repository.remove(current, guard));
  }

}

/** 409 naming `name`: another profile of the budget has it (ignoring case and spacing). */
function nameTaken(name: string): ProblemError {
  return new ProblemError(PLATFORM_PROBLEMS['conflict'], `The budget already has an import profile named "${name}".`, {
    errors: [{ path: 'name', message: 'Another import profile of this budget has this name (names are compared ignoring case)' }],
  });
}
