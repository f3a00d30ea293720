/**
 * A record as the API shows it: exactly the listed fields, in the listed order (the order of
 * the JSON keys), each left out when the record does not have it. Stored items carry keys and
 * bookkeeping the API never shows; listing what it shows keeps a new stored field private.
 */
export function pickFields<T extends object, const K extends keyof T>(record: T, fields: readonly K[]): Pick<T, K> {
  const picked: Partial<Pick<T, K>> = {};
  for (const field of fields) {
    if (record[field] !== undefined) picked[field] = record[field];
  }
  return picked as Pick<T, K>;
}
