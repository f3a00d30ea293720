import type { PlacesWrite } from '../domain/sign-in-place';

/**
 * The profile Update's share of a sign-in's places write (domain/sign-in-place.ts
 * `placesWrite`): SET and REMOVE clauses by map path (`knownPlaces.#placeN`), so concurrent
 * sign-ins that each add a place do not overwrite each other's; or the whole map when the
 * profile had none. A place hash is base64url (may hold `-` or start with a digit), never a
 * valid bare path segment: each is an attribute name placeholder. Placeholders `#placeN` and
 * `:places` / `:placeSeenN` are used by no other clause of the Updates it joins.
 */
export interface KnownPlacesClauses {
  set: string[];
  remove: string[];
  names: Record<string, string>;
  values: Record<string, unknown>;
}

export function knownPlacesClauses(write: PlacesWrite): KnownPlacesClauses {
  if ('whole' in write) return { set: ['knownPlaces = :places'], remove: [], names: {}, values: { ':places': write.whole } };
  const out: KnownPlacesClauses = { set: [], remove: [], names: {}, values: {} };
  let n = 0;
  for (const [hash, seen] of Object.entries(write.set)) {
    out.names[`#place${n}`] = hash;
    out.values[`:placeSeen${n}`] = seen;
    out.set.push(`knownPlaces.#place${n} = :placeSeen${n}`);
    n += 1;
  }
  for (const hash of write.remove) {
    out.names[`#place${n}`] = hash;
    out.remove.push(`knownPlaces.#place${n}`);
    n += 1;
  }
  return out;
}

/** An UpdateExpression of `set` and `remove` clauses (each part left out when empty). */
export function updateExpression(set: string[], remove: string[]): string {
  return [set.length ? `SET ${set.join(', ')}` : '', remove.length ? `REMOVE ${remove.join(', ')}` : ''].filter(Boolean).join(' ');
}

/** `ExpressionAttributeNames` when there are any (DynamoDB refuses an empty map). */
export function namesIfAny(names: Record<string, string>): { ExpressionAttributeNames?: Record<string, string> } {
  return Object.keys(names).length ? { ExpressionAttributeNames: names } : {};
}
