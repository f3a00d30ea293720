/** A transaction of camtBatch's entry: its amount (absent: none given), references, creditor, remittance line. */
export interface BatchTx {
  amount?: string;
  ccy?: string;
  /** The amount as `AmtDtls/TxAmt/Amt` instead of `Amt`. */
  amountDetails?: boolean;
  refs: string;
  creditor?: string;
  ustrd?: string;
}

export const CAMT_BATCH_IBAN = 'DE02120300000000202051';

/**
 * A camt.053.001.04 statement of one batch booking (`Btch/NbOfTxs` 3: a day's card payments
 * booked as one entry, `AcctSvcrRef` BATCH-1121, booked 2026-11-21, of `total` EUR), its
 * transactions `txs`, one element per line (LF): the entry's `<Ntry>` on line 8, the first
 * `<TxDtls>` on line 15, each taking 5 lines and one more per amount, creditor and remittance
 * line. For the camt.053 reader's unit tests and the import's integration tests.
 */
export function camtBatch(txs: BatchTx[], total = '61.85'): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.04">',
    '<BkToCstmrStmt>',
    '<GrpHdr><MsgId>M-B</MsgId><CreDtTm>2026-11-30T18:00:00Z</CreDtTm></GrpHdr>',
    '<Stmt>',
    '<Id>S-B</Id>',
    `<Acct><Id><IBAN>${CAMT_BATCH_IBAN}</IBAN></Id></Acct>`,
    '<Ntry>',
    `<Amt Ccy="EUR">${total}</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts>`,
    '<BookgDt><Dt>2026-11-21</Dt></BookgDt>',
    '<AcctSvcrRef>BATCH-1121</AcctSvcrRef>',
    '<AddtlNtryInf>KARTENZAHLUNGEN</AddtlNtryInf>',
    '<NtryDtls>',
    '<Btch><NbOfTxs>3</NbOfTxs></Btch>',
    ...txs.flatMap((t) => [
      '<TxDtls>',
      `<Refs>${t.refs}</Refs>`,
      ...(t.amount === undefined ? [] : [t.amountDetails ? `<AmtDtls><TxAmt><Amt Ccy="${t.ccy ?? 'EUR'}">${t.amount}</Amt></TxAmt></AmtDtls>` : `<Amt Ccy="${t.ccy ?? 'EUR'}">${t.amount}</Amt>`]),
      '<CdtDbtInd>DBIT</CdtDbtInd>',
      ...(t.creditor ? [`<RltdPties><Cdtr><Nm>${t.creditor}</Nm></Cdtr></RltdPties>`] : []),
      ...(t.ustrd ? [`<RmtInf><Ustrd>${t.ustrd}</Ustrd></RmtInf>`] : []),
      '</TxDtls>',
    ]),
    '</NtryDtls>',
    '</Ntry>',
    '</Stmt>',
    '</BkToCstmrStmt>',
    '</Document>',
  ].join('\n');
}
