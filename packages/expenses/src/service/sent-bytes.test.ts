import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SentBytesMeter } from './sent-bytes';

/** What Lambda sends of an item in a body: its JSON, escaped again as part of the result's JSON. */
const sentAsLambda = (item: unknown) => Buffer.byteLength(JSON.stringify(JSON.stringify(item)));

/** Texts of every kind the bound must hold for: quotes, backslashes, controls, non-ASCII, pairs and lone surrogates. */
const hostileText = fc.string({ unit: fc.oneof(fc.constantFrom('"', '\\', '\n', '\u0000', '\u2028', 'é', '€', '😀', '\ud800', '\udfff', 'a'), fc.string({ unit: 'binary', maxLength: 1 })), maxLength: 200 });

describe('SentBytesMeter', () => {
  it('says whether the items take more than the cap as Lambda sends them, exactly, whatever their text', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ id: fc.string(), note: hostileText, amount: fc.integer() }), { maxLength: 30 }), fc.integer({ min: 0, max: 8_000 }), (items, cap) => {
        const meter = new SentBytesMeter(cap);
        let total = 0;
        for (const item of items) {
          total += sentAsLambda(item);
          expect(meter.add(item)).toBe(total <= cap);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('holds at the edge for the texts that take the most bytes a character as sent (3 for a euro sign, 2 for a backslash)', () => {
    for (const note of ['€'.repeat(500), '\\'.repeat(500), '"'.repeat(500), '😀'.repeat(250)]) {
      const exact = sentAsLambda({ note });
      expect(new SentBytesMeter(exact).add({ note })).toBe(true);
      expect(new SentBytesMeter(exact - 1).add({ note })).toBe(false);
    }
  });

  it('keeps saying "over" once over, and measures a page far under the cap without its second stringify', () => {
    const meter = new SentBytesMeter(100);
    expect(meter.add({ note: '\\'.repeat(30) })).toBe(false);
    expect(meter.add({})).toBe(false);
    const roomy = new SentBytesMeter(4 * 1024 * 1024);
    for (let n = 0; n < 200; n++) expect(roomy.add({ id: `e${n}`, note: 'Groceries at the market' })).toBe(true);
  });
});
