import { describe, expect, it } from 'vitest';
import * as attr from './attributes';

describe('typed attribute readers', () => {
  const item = {
    id: 'a1',
    n: 3,
    flag: false,
    gone: null,
    status: 'enabled',
    tags: ['x', 'y'],
    nested: { at: '2026-11-30', count: 2 },
    attempts: [{ attempt: 1 }, { attempt: 2 }],
  };

  it('reads each attribute as its type', () => {
    expect(attr.str(item, 'id')).toBe('a1');
    expect(attr.num(item, 'n')).toBe(3);
    expect(attr.bool(item, 'flag')).toBe(false);
    expect(attr.optionalStr(item, 'missing')).toBeUndefined();
    expect(attr.nullableStr(item, 'gone')).toBeNull();
    expect(attr.nullableNum(item, 'missing')).toBeNull();
    expect(attr.oneOf(item, 'status', ['enabled', 'disabled'])).toBe('enabled');
    expect(attr.nullableStrList(item, 'tags')).toEqual(['x', 'y']);
    expect(attr.nullableListOf(item, 'tags', ['x', 'y', 'z'])).toEqual(['x', 'y']);
    expect(attr.str(attr.map(item, 'nested'), 'at')).toBe('2026-11-30');
    expect(attr.optionalMap(item, 'missing')).toBeUndefined();
    expect(attr.mapList(item, 'attempts').map((a) => attr.num(a, 'attempt'))).toEqual([1, 2]);
  });

  it('reads a declared set of fields, each with its reader', () => {
    expect(attr.fields(item, { id: attr.str, n: attr.num, status: attr.among(['enabled', 'disabled']) })).toEqual({ id: 'a1', n: 3, status: 'enabled' });
    expect(() => attr.fields(item, { id: attr.str, status: attr.among(['on']) })).toThrow('attribute status is not one of on');
  });

  it('throws on a corrupt item, naming the attribute', () => {
    expect(() => attr.str(item, 'n')).toThrow('attribute n is not a string');
    expect(() => attr.num(item, 'id')).toThrow('attribute id is not a number');
    expect(() => attr.bool(item, 'missing')).toThrow('attribute missing is not a boolean');
    expect(() => attr.oneOf(item, 'status', ['on', 'off'])).toThrow('attribute status is not one of on, off');
    expect(() => attr.nullableListOf(item, 'tags', ['x'])).toThrow('attribute tags[1] is not one of x');
    expect(() => attr.map(item, 'tags')).toThrow('attribute tags is not a map');
    expect(() => attr.mapList(item, 'nested')).toThrow('attribute nested is not a list');
    expect(() => attr.mapList({ l: [{}, 'text'] }, 'l')).toThrow('attribute l[1] is not a map');
  });
});
