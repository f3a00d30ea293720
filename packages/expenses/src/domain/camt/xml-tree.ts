import { decodeReferences } from '../markup-text';

/*
 * The few accessors the camt.053 reader reads fast-xml-parser's trees with (statements.ts,
 * transaction.ts, read.ts): a child, every child of a name, an element's text and an attribute,
 * entities decoded the one way XML allows (decodeEntities, also the walk's: markup-walk.ts).
 */

/** A parsed element: a string (text only) or an object of children (arrays where repeated), attributes `@_name`, text `#text`. */
export type XmlNode = string | { [name: string]: unknown };

/** The first child `name` (following `path` of names), or undefined. */
export function node(parent: XmlNode | undefined, ...path: string[]): XmlNode | undefined {
  let current: unknown = parent;
  for (const name of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    const value: unknown = (current as Record<string, unknown>)[name];
    current = Array.isArray(value) ? value[0] : value;
  }
  return current === undefined || current === null ? undefined : (current as XmlNode);
}

/** Every child `name`. */
export function all(parent: XmlNode | undefined, name: string): XmlNode[] {
  if (typeof parent !== 'object' || parent === null) return [];
  const value = parent[name];
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]) as XmlNode[];
}

/** An element's text, entities decoded (empty: undefined). */
export function textOf(element: XmlNode | undefined): string | undefined {
  const raw = typeof element === 'string' ? element : typeof element === 'object' && typeof element['#text'] === 'string' ? element['#text'] : undefined;
  if (raw === undefined) return undefined;
  const value = decodeEntities(raw).trim();
  return value === '' ? undefined : value;
}

export const leaf = (parent: XmlNode | undefined, name: string) => textOf(node(parent, name));

export function attribute(element: XmlNode | undefined, name: string): string | undefined {
  if (typeof element !== 'object') return undefined;
  const value = element[`@_${name}`];
  return typeof value === 'string' && value.trim() !== '' ? decodeEntities(value).trim() : undefined;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** XML's five entities and numeric character references (markup-text.ts); anything else is kept as written. */
export const decodeEntities = (value: string): string => decodeReferences(value, ENTITIES);
