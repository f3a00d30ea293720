import type { Item } from './module-store';

/**
 * Typed reads of a stored item's attributes, so every module's repositories map items into
 * the module's types without casts. A module wrote each of its items itself; an attribute of
 * the wrong type means a corrupt item, and reading it throws (naming the attribute) instead of
 * passing a wrong value on. Nested maps are read with the same functions: `map()` answers one
 * as an Item.
 */
/** Reads one attribute of an item; every reader below is one, to name in a `fields` spec. */
export type Reader<T> = (item: Item, field: string) => T;

/**
 * Reads each field of `spec` with its reader: a stored item mapped to a module type by one
 * declaration, `fields(item, { id: str, total: num, status: among(STATUSES) })`.
 */
export function fields<S extends Record<string, Reader<unknown>>>(item: Item, spec: S): { [K in keyof S]: ReturnType<S[K]> } {
  return Object.fromEntries(Object.entries(spec).map(([field, read]) => [field, read(item, field)])) as { [K in keyof S]: ReturnType<S[K]> };
}

/** The reader of a string attribute that must be one of `values` (see oneOf). */
export function among<const V extends string>(values: readonly V[]): Reader<V> {
  return (item, field) => oneOf(item, field, values);
}

function corrupt(field: string, expected: string): never {
  throw new TypeError(`stored item: attribute ${field} is not ${expected}`);
}

function absent(item: Item, field: string): boolean {
  return item[field] === undefined || item[field] === null;
}

export function str(item: Item, field: string): string {
  const value = item[field];
  return typeof value === 'string' ? value : corrupt(field, 'a string');
}

export function num(item: Item, field: string): number {
  const value = item[field];
  return typeof value === 'number' ? value : corrupt(field, 'a number');
}

export function bool(item: Item, field: string): boolean {
  const value = item[field];
  return typeof value === 'boolean' ? value : corrupt(field, 'a boolean');
}

/** A string attribute that may be absent (undefined). */
export function optionalStr(item: Item, field: string): string | undefined {
  return item[field] === undefined ? undefined : str(item, field);
}

/** A string attribute stored as null (or absent) when unset. */
export function nullableStr(item: Item, field: string): string | null {
  return absent(item, field) ? null : str(item, field);
}

/** A number attribute stored as null (or absent) when unset. */
export function nullableNum(item: Item, field: string): number | null {
  return absent(item, field) ? null : num(item, field);
}

/** A string attribute that must be one of `values` (a union type's list). */
export function oneOf<const V extends string>(item: Item, field: string, values: readonly V[]): V {
  const value = str(item, field);
  return values.find((v) => v === value) ?? corrupt(field, `one of ${values.join(', ')}`);
}

/** A list of strings stored as null (or absent) when unset. */
export function nullableStrList(item: Item, field: string): string[] | null {
  return absent(item, field) ? null : elements(item, field, str);
}

/** A list of strings, each one of `values`, stored as null (or absent) when unset. */
export function nullableListOf<const V extends string>(item: Item, field: string, values: readonly V[]): V[] | null {
  return absent(item, field) ? null : elements(item, field, (holder, name) => oneOf(holder, name, values));
}

/** A nested map, to read with these same functions. */
export function map(item: Item, field: string): Item {
  const value = item[field];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return corrupt(field, 'a map');
  return Object.fromEntries(Object.entries(value));
}

/** A nested map that may be absent (undefined). */
export function optionalMap(item: Item, field: string): Item | undefined {
  return item[field] === undefined ? undefined : map(item, field);
}

/** A list of maps, each to read with these same functions. */
export function mapList(item: Item, field: string): Item[] {
  return elements(item, field, map);
}

/** A list attribute, each element read by `read` (an error names it `field[i]`). */
function elements<T>(item: Item, field: string, read: (holder: Item, name: string) => T): T[] {
  const value = item[field];
  if (!Array.isArray(value)) return corrupt(field, 'a list');
  return value.map((element: unknown, i) => {
    const name = `${field}[${i}]`;
    return read({ [name]: element }, name);
  });
}
