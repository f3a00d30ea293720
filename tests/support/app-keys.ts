import { newId, type Clock } from '@budgeting/platform';

/**
 * Idempotency-Keys as the mobile app sends them: a ULID made when a label is first used (at
 * `clock`'s time), the same key for every later use of the label, so a retry sends the same
 * key. Such a key names the expense it creates (platform idFromKey).
 */
export function appKeys(clock: Clock): (label: string) => string {
  const keys = new Map<string, string>();
  return (label) => {
    let key = keys.get(label);
    if (key === undefined) keys.set(label, (key = newId(clock.now().getTime())));
    return key;
  };
}
