import * as budgets from '@budgeting/budgets';
import * as expenses from '@budgeting/expenses';
import { isEventContract, type EventContract } from '@budgeting/platform';
import * as users from '@budgeting/users';

/**
 * Every event contract the modules export from their public entries (the only place a
 * contract may come from). Found by shape, so a module adding a contract needs no registration.
 * Their schemas loaded (EventContract.load), for the catalog that documents them.
 */
export async function moduleContracts(entries: Record<string, unknown>[] = [users, budgets, expenses]): Promise<EventContract[]> {
  const found = new Map<string, EventContract>();
  for (const entry of entries) {
    for (const value of Object.values(entry)) {
      if (isEventContract(value)) found.set(`${value.source}/${value.type}/v${value.version}`, value);
    }
  }
  await Promise.all([...found.values()].map((c) => c.load()));
  return [...found.values()];
}
