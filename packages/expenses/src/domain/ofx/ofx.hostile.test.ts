import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkReader, fuzzParameters, hostileText } from '../../../../../tests/support/hostile-files';
import { OfxFileError, readOfx } from './read';

/**
 * The OFX/QFX reader fed hostile text (tests/support/hostile-files.ts), SGML (1.x) and XML
 * (2.x): rows within the bounds, or its own OfxFileError (a 400 naming `body` with the line
 * and column), never another exception.
 */

const CONTEXT = { currency: 'USD', categoryIds: new Map<string, string>() };

const SGML = [
  'OFXHEADER:100', 'DATA:OFXSGML', 'VERSION:102', '',
  '<OFX>',
  '<BANKMSGSRSV1><STMTTRNRS><TRNUID>1',
  '<STMTRS><CURDEF>USD',
  '<BANKACCTFROM><BANKID>1<ACCTID>42<ACCTTYPE>CHECKING</BANKACCTFROM>',
  '<BANKTRANLIST><DTSTART>20261101',
  '<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20261103120000.000[-5:EST]<TRNAMT>-12.50<FITID>A1<NAME>Corner &amp; Co<MEMO>Shop</STMTTRN>',
  '<STMTTRN><TRNTYPE>CREDIT<DTPOSTED>20261104<TRNAMT>2500,00<FITID>A2<NAME>PAYROLL</STMTTRN>',
  '<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20261105<TRNAMT>-100000000.00<FITID>A3<MEMO><PAYEE><NAME>Big</PAYEE></STMTTRN>',
  '</BANKTRANLIST>',
  '</STMTRS></STMTTRNRS></BANKMSGSRSV1>',
  '</OFX>',
];

const XML = [
  '<?xml version="1.0" encoding="UTF-8"?>',
  '<?OFX OFXHEADER="200" VERSION="220" SECURITY="NONE"?>',
  '<OFX><CREDITCARDMSGSRSV1><CCSTMTTRNRS><CCSTMTRS><CURDEF>USD</CURDEF>',
  '<CCACCTFROM><ACCTID>9</ACCTID></CCACCTFROM>',
  '<BANKTRANLIST>',
  '<STMTTRN><DTPOSTED>20261103</DTPOSTED><TRNAMT>-0.5</TRNAMT><FITID>X</FITID><NAME>A</NAME></STMTTRN>',
  '<!-- a comment -->',
  '<STMTTRN><DTPOSTED>20261131</DTPOSTED><TRNAMT>-.99</TRNAMT><NAME>B</NAME><CURRENCY><CURSYM>USD</CURSYM></CURRENCY></STMTTRN>',
  '</BANKTRANLIST></CCSTMTRS></CCSTMTTRNRS></CREDITCARDMSGSRSV1></OFX>',
];

describe('OFX reader on hostile files (property)', () => {
  it('SGML and XML statements: rows within the bounds, or an OfxFileError', () => {
    fc.assert(
      fc.property(fc.oneof(hostileText(SGML), hostileText(XML)), fc.constantFrom('skip', 'refunds', 'income'), (text, credits) =>
        checkReader(text, (t) => readOfx(t, 'USD', credits), [OfxFileError], CONTEXT),
      ),
      fuzzParameters(200),
    );
  });
});

const refusal = (text: string): OfxFileError => {
  try {
    readOfx(text, 'USD');
  } catch (err) {
    if (err instanceof OfxFileError) return err;
    throw err;
  }
  throw new Error('the file was read');
};

describe('OFX reader on pathological files', () => {
  it('refuses SGML tags left unclosed 100,000 deep at the 33rd', () => {
    const err = refusal(`OFXHEADER:100\nDATA:OFXSGML\n\n<OFX>\n${'<STMTRS>\n'.repeat(100_000)}`);
    expect(err).toMatchObject({ line: 36, column: 1, message: 'Elements nest more than 32 deep' });
  });

  it('reads a 5 MB SGML header of 1.2 million lines in one pass (each line end was searched to the end of the file: about a minute)', () => {
    // Measured by hand before the fix (2026-12-05, this machine): 200,000 lines 1.2 s, 1.2 million lines 66 s.
    const lines = 1_200_000;
    const err = refusal(`OFXHEADER:100\n${'A:1\n'.repeat(lines)}<OFX></OFX>`);
    expect(err).toMatchObject({ line: lines + 2, message: expect.stringContaining('No bank (STMTRS)') });
  });

  it('reads an amount of 1,000,000 zeros and a 1 past its mark, and one of trailing zeros, in one pass (the strip of trailing zeros backtracked: 80,000 took 2.8 s)', () => {
    // Measured by hand before the fix (2026-12-05, this machine): 20,000 zeros 0.15 s, 40,000 0.56 s, 80,000 2.8 s.
    const zeros = '0'.repeat(1_000_000);
    const file = (amount: string) => `<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>USD<BANKTRANLIST><STMTTRN><DTPOSTED>20261103<TRNAMT>${amount}</STMTTRN></BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>`;
    expect(readOfx(file(`-1.${zeros}1`), 'USD').rows[0]!.fields[1]).toBe(`1.${zeros}1`);
    expect(readOfx(file(`-12.5${zeros}`), 'USD').rows[0]!.fields[1]).toBe('12.5');
  });

  it('refuses a 5 MB tag name, one left open or one never closed, quoting only a piece of it', () => {
    const name = 'N'.repeat(5 * 1024 * 1024);
    expect(refusal(`<OFX><${name}!>`).message.length).toBeLessThanOrEqual(200);
    expect(refusal(`<?OFX OFXHEADER="200"?><OFX><${name}></STMTRS></OFX>`).message).toBe(`</STMTRS> does not close the open element <${'N'.repeat(40)}...>`);
    expect(refusal(`<OFX><${name}>`).message).toBe(`The file ends inside <${'N'.repeat(40)}...> (no </${'N'.repeat(40)}...>)`);
    expect(refusal(`<OFX><MEMO>x<${name}>`).message.length).toBeLessThanOrEqual(200);
    expect(refusal(`<OFX><STMTRS${' '.repeat(5 * 1024 * 1024)}`).message).toBe('Unclosed tag (< without >)');
  });
});
