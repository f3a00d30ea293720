import { withoutTrailingZeros } from '../csv/amount';
import { all, attribute, leaf, node, textOf, type XmlNode } from './xml-tree';

/*
 * What the camt.053 rows read of one transaction (TxDtls): its parties' names, remittance lines,
 * references and own amount, kept as a Transaction so the transaction's tree can be dropped
 * before the next is parsed (statements.ts); read.ts makes rows of them. Its own file so the
 * statement reading and the rows share it without importing each other.
 */

/** What readCamt reads of one transaction (TxDtls), its tree dropped: its start, names (partyName), remittance lines (remittanceOf), references, own amount (txAmount). */
export interface Transaction {
  start: number;
  creditor?: string;
  ultimateCreditor?: string;
  debtor?: string;
  ultimateDebtor?: string;
  remittance?: string;
  servicerRef?: string;
  txId?: string;
  endToEndId?: string;
  amount?: { major: string; currency: string };
}

/** What readCamt reads of a transaction. */
export function transactionOf(tx: XmlNode, start: number): Transaction {
  const refs = node(tx, 'Refs');
  const parties = node(tx, 'RltdPties');
  const read: Transaction = {
    start,
    creditor: partyName(node(parties, 'Cdtr')),
    ultimateCreditor: partyName(node(parties, 'UltmtCdtr')),
    debtor: partyName(node(parties, 'Dbtr')),
    ultimateDebtor: partyName(node(parties, 'UltmtDbtr')),
    remittance: remittanceOf(tx),
    servicerRef: reference(leaf(refs, 'AcctSvcrRef')),
    txId: reference(leaf(refs, 'TxId')),
    endToEndId: reference(leaf(refs, 'EndToEndId')),
    amount: ownAmount(tx),
  };
  return read;
}

/**
 * A reference element's text, or undefined when it is a placeholder saying there is none:
 * `NOTPROVIDED` (the EndToEndId of a payment without one, by the SEPA rules) and `NONREF`
 * (MT940's "no reference", which FinTS banks write as the AcctSvcrRef of every entry), in any
 * case. Read as a reference, every such entry had one key: all but the first were duplicates,
 * in the file and in every later statement.
 */
export function reference(text: string | undefined): string | undefined {
  return text === undefined || PLACEHOLDERS.has(text.trim().toUpperCase()) ? undefined : text;
}

const PLACEHOLDERS = new Set(['NONREF', 'NOTPROVIDED']);

/**
 * An `Amt`'s text (an entry's or a transaction's) as written for the row (majorOf): 'zero' for
 * an amount of nothing, undefined when it is not a decimal number (`digits[.digits]`).
 */
export function decimalAmount(text: string): { major: string } | 'zero' | undefined {
  const amount = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!amount) return undefined;
  return /^0*$/.test(amount[1]! + (amount[2] ?? '')) ? 'zero' : { major: majorOf(amount) };
}

/** A matched decimal as written for the row: leading zeros and trailing zeros past the point dropped. */
function majorOf(amount: RegExpExecArray): string {
  const fraction = withoutTrailingZeros(amount[2] ?? '');
  const whole = amount[1]!.replace(/^0+(?=\d)/, '');
  return `${whole}${fraction ? `.${fraction}` : ''}`;
}

/** A transaction's remittance lines (`RmtInf/Ustrd`), joined by a space; undefined when it has none. */
function remittanceOf(tx: XmlNode): string | undefined {
  const lines = all(node(tx, 'RmtInf'), 'Ustrd').map(textOf).filter((t): t is string => t !== undefined && t.trim() !== '');
  return lines.length > 0 ? lines.map((t) => t.trim()).join(' ') : undefined;
}

/** A transaction's own amount of money out (not zero; its CdtDbtInd, if any, DBIT) and its currency (upper case), or undefined. */
function ownAmount(tx: XmlNode): Transaction['amount'] {
  const direction = leaf(tx, 'CdtDbtInd');
  if (direction !== undefined && direction !== 'DBIT') return undefined;
  const amountNode = node(tx, 'Amt') ?? node(tx, 'AmtDtls', 'TxAmt', 'Amt');
  const text = textOf(amountNode);
  const amount = text === undefined ? undefined : decimalAmount(text);
  if (amount === undefined || amount === 'zero') return undefined;
  const currency = attribute(amountNode, 'Ccy')?.toUpperCase();
  return currency === undefined ? undefined : { major: amount.major, currency };
}

/** A party's name: `Nm` (up to .07) or `Pty/Nm` (.08 on). */
function partyName(party: XmlNode | undefined): string | undefined {
  return leaf(party, 'Nm') ?? leaf(node(party, 'Pty'), 'Nm');
}
