import type { Clock } from '@budgeting/platform';
import type { App } from '../../packages/app/src/http/create-app';
import { tokenAtClock } from './actors';
import { createTestSystem, type TestSystem, type TestSystemOptions } from './test-system';

/**
 * The setup most integration files share: one test system and one account signed up on it
 * (with the folder's own signup helper, so its defaults hold). Call it in beforeAll and
 * destroy `t` in afterAll.
 */
export async function systemWithAccount<A>(
  signUpAs: (app: App, label: string) => Promise<A>,
  label: string,
  options: TestSystemOptions = {},
): Promise<{ t: TestSystem; account: A }> {
  const t = await createTestSystem(options);
  return { t, account: await signUpAs(t.app, label) };
}

/** Moves a fixed clock; `account`'s access token is re-issued at the new time (tokens live 15 minutes). */
export async function setClockFor(
  t: TestSystem,
  clock: Clock & { set(when: string): void },
  account: { id: string; token: string },
  when: string,
): Promise<void> {
  clock.set(when);
  account.token = await tokenAtClock(t, account);
}
