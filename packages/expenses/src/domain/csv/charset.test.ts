import { describe, expect, it } from 'vitest';
import { csvCharsetOfLabel, decodeCsv, sameDecoding } from './charset';

/** "Café Müller;12,50" as a Windows-1252 export writes it: é = 0xE9, ü = 0xFC, one byte each. */
const CAFE_MUELLER_1252 = new Uint8Array([0x43, 0x61, 0x66, 0xe9, 0x20, 0x4d, 0xfc, 0x6c, 0x6c, 0x65, 0x72, 0x3b, 0x31, 0x32, 0x2c, 0x35, 0x30]);
/** The same text in UTF-8: é = 0xC3 0xA9, ü = 0xC3 0xBC. */
const CAFE_MUELLER_UTF8 = new Uint8Array([0x43, 0x61, 0x66, 0xc3, 0xa9, 0x20, 0x4d, 0xc3, 0xbc, 0x6c, 0x6c, 0x65, 0x72, 0x3b, 0x31, 0x32, 0x2c, 0x35, 0x30]);
/** Windows-1252's own characters in 0x80-0x9F: € (0x80), ’ (0x92), Š (0x8A), – (0x96). */
const CP1252_HIGH = new Uint8Array([0x35, 0x80, 0x20, 0x4d, 0x63, 0x44, 0x92, 0x73, 0x20, 0x8a, 0x20, 0x96]);
const BOM = [0xef, 0xbb, 0xbf];

describe('decodeCsv', () => {
  it('without a charset: UTF-8 bytes as UTF-8', () => {
    expect(decodeCsv(CAFE_MUELLER_UTF8)).toEqual({ ok: true, text: 'Café Müller;12,50', charset: 'utf-8' });
  });

  it('without a charset: bytes that are not UTF-8 as Windows-1252, never U+FFFD', () => {
    expect(decodeCsv(CAFE_MUELLER_1252)).toEqual({ ok: true, text: 'Café Müller;12,50', charset: 'windows-1252' });
    expect(decodeCsv(CP1252_HIGH)).toEqual({ ok: true, text: '5€ McD’s Š –', charset: 'windows-1252' });
  });

  it.each(['windows-1252', 'iso-8859-1'] as const)('charset %s: Windows-1252, the 0x80-0x9F characters included', (charset) => {
    expect(decodeCsv(CAFE_MUELLER_1252, { charset, by: 'the Content-Type says' })).toEqual({ ok: true, text: 'Café Müller;12,50', charset: 'windows-1252' });
    expect(decodeCsv(CP1252_HIGH, { charset, by: 'the Content-Type says' })).toEqual({ ok: true, text: '5€ McD’s Š –', charset: 'windows-1252' });
  });

  it('charset windows-1252 reads UTF-8 bytes as what they are in Windows-1252 (the caller said so)', () => {
    expect(decodeCsv(CAFE_MUELLER_UTF8, { charset: 'windows-1252', by: 'the mapping says' })).toEqual({ ok: true, text: 'CafÃ© MÃ¼ller;12,50', charset: 'windows-1252' });
  });

  it('charset utf-8: strict, naming who said so', () => {
    expect(decodeCsv(CAFE_MUELLER_UTF8, { charset: 'utf-8', by: 'the Content-Type says' })).toEqual({ ok: true, text: 'Café Müller;12,50', charset: 'utf-8' });
    expect(decodeCsv(CAFE_MUELLER_1252, { charset: 'utf-8', by: 'the Content-Type says' })).toEqual({
      ok: false,
      message: 'Must be valid UTF-8 (the body held bytes that are not; the Content-Type says charset=utf-8)',
    });
  });

  it('a UTF-8 BOM: UTF-8 whatever is given, the BOM dropped', () => {
    const withBom = new Uint8Array([...BOM, ...CAFE_MUELLER_UTF8]);
    expect(decodeCsv(withBom)).toEqual({ ok: true, text: 'Café Müller;12,50', charset: 'utf-8' });
    expect(decodeCsv(withBom, { charset: 'windows-1252', by: 'the mapping says' })).toEqual({ ok: true, text: 'Café Müller;12,50', charset: 'utf-8' });
    expect(decodeCsv(new Uint8Array([...BOM, ...CAFE_MUELLER_1252]))).toEqual({
      ok: false,
      message: 'Must be valid UTF-8 (the body held bytes that are not; the file starts with a UTF-8 byte order mark)',
    });
  });

  it('ASCII is the same either way', () => {
    const ascii = new Uint8Array([0x64, 0x61, 0x74, 0x65]);
    expect(decodeCsv(ascii)).toEqual({ ok: true, text: 'date', charset: 'utf-8' });
    expect(decodeCsv(ascii, { charset: 'windows-1252', by: 'the mapping says' })).toEqual({ ok: true, text: 'date', charset: 'windows-1252' });
  });
});

describe('Content-Type charset labels', () => {
  it.each([
    ['utf-8', 'utf-8'],
    ['UTF8', 'utf-8'],
    ['us-ascii', 'utf-8'],
    ['windows-1252', 'windows-1252'],
    ['CP1252', 'windows-1252'],
    ['iso-8859-1', 'iso-8859-1'],
    ['ISO_8859-1', 'iso-8859-1'],
    ['latin1', 'iso-8859-1'],
    [' Latin-1 ', 'iso-8859-1'],
  ] as const)('%j is %s', (label, charset) => {
    expect(csvCharsetOfLabel(label)).toBe(charset);
  });

  it.each(['koi8-r', 'utf-16', 'iso-8859-15', 'shift_jis', ''])('%j is not read', (label) => {
    expect(csvCharsetOfLabel(label)).toBeUndefined();
  });

  it('windows-1252 and iso-8859-1 decode alike; utf-8 differs', () => {
    expect(sameDecoding('windows-1252', 'iso-8859-1')).toBe(true);
    expect(sameDecoding('utf-8', 'windows-1252')).toBe(false);
  });
});
