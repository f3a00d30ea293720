/**
 * Import readers' memory (feat/readers54): for each import format, the hostile 5 MB files of
 * the worst shapes found (many tiny transactions, many tiny elements, long runs of line ends,
 * one-character lines after skipLines), each read by its reader with the route's row limit,
 * in a fresh process (`node --expose-gc`): the peak of V8's heap used while reading, above a
 * baseline of the process holding just the file (after a full GC), in MB and as a ratio to the
 * file's size. Peak: the largest "before" figure of every GC the reading caused (V8's
 * `--trace-gc`, switched on after the baseline), or the heap used when it ends if larger; the
 * reader's answer (rows, or its error) is still held then.
 *
 * Figures: `import.readers.<format>.peakHeapMb` and `.peakHeapRatioToFile`, the worst shape of
 * each format (`.shapes` in the data has every shape). Standalone: `npx tsx bench/reader-memory.ts`.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { formatTable } from './lib/table';
import { target, type BenchSuite, type SuiteReport } from './suite';

const FILE_BYTES = 5 * 1024 * 1024;
const MAX_ROWS = 50_000;
/** The brief's target: a hostile 5 MB file peaks under 100 MB of heap above the file itself. */
const PEAK_LIMIT_MB = 100;

type Format = 'csv' | 'bankcsv' | 'skiplines' | 'ofx' | 'qif' | 'camt';

/** A body repeated up to FILE_BYTES between a head and a tail. */
function fill(head: string, unit: string, tail: string): string {
  const times = Math.floor((FILE_BYTES - head.length - tail.length) / unit.length);
  return head + unit.repeat(times) + tail;
}

const OFX_HEAD = 'OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\n\n<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>USD<BANKACCTFROM><ACCTID>1</BANKACCTFROM><BANKTRANLIST>\n';
const OFX_TAIL = '</BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>\n';
const OFX_STATEMENTS_HEAD = 'OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\n\n<OFX><BANKMSGSRSV1><STMTTRNRS>\n';
const OFX_STATEMENTS_TAIL = '</STMTTRNRS></BANKMSGSRSV1></OFX>\n';
const CAMT_HEAD = '<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><Stmt><Acct><Id><IBAN>DE1</IBAN></Id></Acct>\n';
const CAMT_TAIL = '</Stmt></BkToCstmrStmt></Document>\n';

const CAMT_REMITTANCE_HEAD = `${CAMT_HEAD}<Ntry><Amt Ccy="EUR">1</Amt><CdtDbtInd>DBIT</CdtDbtInd><BookgDt><Dt>2026-11-01</Dt></BookgDt><NtryDtls><TxDtls><RmtInf>`;
const CAMT_REMITTANCE_TAIL = `</RmtInf></TxDtls></NtryDtls></Ntry>\n${CAMT_TAIL}`;

/** The hostile shapes of each format, by name. */
const SHAPES: Record<Format, Record<string, () => string>> = {
  csv: {
    'one-character lines': () => fill('', 'a\n', ''),
    'tiny rows': () => fill('', '2026-11-01,1,,,\n', ''),
  },
  bankcsv: {
    'one-character lines': () => fill('Date,Amount\n', 'a\n', ''),
  },
  skiplines: {
    'one-character lines, skipLines 2': () => fill('Bank\nPeriod\nDate,Amount\n', 'a\n', ''),
    'empty lines, skipLines 2': () => fill('Bank\nPeriod\n', '\n', 'Date,Amount\n'),
  },
  ofx: {
    'tiny transactions': () => fill(OFX_HEAD, '<STMTTRN><TRNAMT>-1</STMTTRN>\n', OFX_TAIL),
    'tiny elements in one transaction': () => fill(`${OFX_HEAD}<STMTTRN><TRNAMT>-1<DTPOSTED>20261101`, '<X>1', `</STMTTRN>\n${OFX_TAIL}`),
    // review54c: kept for the NAME each holds until unread names were dropped whatever they hold (260 MB).
    'unread aggregates holding a read name': () => fill(`${OFX_HEAD}<STMTTRN><TRNAMT>-1<DTPOSTED>20261101`, '<X><NAME>a</X>', `</STMTTRN>\n${OFX_TAIL}`),
    'line ends between elements': () => fill(`${OFX_HEAD}<STMTTRN><TRNAMT>-1<DTPOSTED>20261101`, '\n', `</STMTTRN>\n${OFX_TAIL}`),
    // readers54b: statements were not counted by the row limit (147 MB).
    'tiny statements': () => fill(OFX_STATEMENTS_HEAD, '<STMTRS><CURDEF>USD</STMTRS>\n', OFX_STATEMENTS_TAIL),
  },
  qif: {
    'tiny records': () => fill('!Type:Bank\n', 'T-1\n^\n', ''),
    'memo lines in one record': () => fill('!Type:Bank\nD11/21/2026\nT-1\n', 'M1\n', '^\n'),
    'split lines in one record': () => fill('!Type:Bank\nD11/21/2026\nT-1\n', 'S\n', '^\n'),
  },
  camt: {
    'tiny entries': () => fill(CAMT_HEAD, '<Ntry/>\n', CAMT_TAIL),
    'tiny elements in one entry': () => fill(`${CAMT_HEAD}<Ntry><Amt Ccy="EUR">1</Amt><CdtDbtInd>DBIT</CdtDbtInd><BookgDt><Dt>2026-11-01</Dt></BookgDt>`, '<a/>', `</Ntry>\n${CAMT_TAIL}`),
    // review54c: repeats of an element read only the first of were parsed until blanked too (192 MB).
    'repeats of a read element in one entry': () => fill(`${CAMT_HEAD}<Ntry><Amt Ccy="EUR">1</Amt><CdtDbtInd>DBIT</CdtDbtInd><BookgDt><Dt>2026-11-01</Dt></BookgDt>`, '<Sts/>', `</Ntry>\n${CAMT_TAIL}`),
    // readers54b: every remittance line was parsed, each read for the description (142 MB).
    'empty remittance lines of one transaction': () => fill(CAMT_REMITTANCE_HEAD, '<Ustrd/>', CAMT_REMITTANCE_TAIL),
    'one-character remittance lines of one transaction': () => fill(CAMT_REMITTANCE_HEAD, '<Ustrd>a</Ustrd>', CAMT_REMITTANCE_TAIL),
    // readers54b, over the target (left): the transactions' read elements are all in the parser's tree,
    // about 400 bytes each; the cap of 251 lines a transaction bounds one RmtInf, not the entry's.
    'one-character remittance lines, 251 in each transaction': () =>
      fill(`${CAMT_HEAD}<Ntry><Amt Ccy="EUR">1</Amt><CdtDbtInd>DBIT</CdtDbtInd><BookgDt><Dt>2026-11-01</Dt></BookgDt><NtryDtls>`, `<TxDtls><RmtInf>${'<Ustrd>a</Ustrd>'.repeat(251)}</RmtInf></TxDtls>`, `</NtryDtls></Ntry>\n${CAMT_TAIL}`),
    // The same without the cap's help: two batch entries of 50,001 transactions (the most an entry may have).
    'one remittance line in each transaction, entries of 50,001': () => {
      const entry = `<Ntry><Amt Ccy="EUR">1</Amt><CdtDbtInd>DBIT</CdtDbtInd><BookgDt><Dt>2026-11-01</Dt></BookgDt><NtryDtls>${'<TxDtls><RmtInf><Ustrd>a</Ustrd></RmtInf></TxDtls>'.repeat(50_001)}</NtryDtls></Ntry>\n`;
      return fill(CAMT_HEAD, entry, CAMT_TAIL);
    },
    'transactions of one entry': () => fill(`${CAMT_HEAD}<Ntry><Amt Ccy="EUR">1</Amt><CdtDbtInd>DBIT</CdtDbtInd><AcctSvcrRef>R</AcctSvcrRef><BookgDt><Dt>2026-11-01</Dt></BookgDt><NtryDtls>`, '<TxDtls/>', `</NtryDtls></Ntry>\n${CAMT_TAIL}`),
  },
};

/** The reader of a format with the route's row limit: what it answered (rows, or its error's name). */
async function readWith(format: Format, text: string): Promise<unknown> {
  const dir = '../packages/expenses/src/domain';
  try {
    if (format === 'csv') return (await import(`${dir}/csv/read`)).readCsv(text, { maxRows: MAX_ROWS });
    if (format === 'bankcsv' || format === 'skiplines') {
      const layout = format === 'skiplines' ? { columns: { date: 'Date', amount: 'Amount' }, skipLines: 2 } : { columns: { date: 'Date', amount: 'Amount' } };
      return (await import(`${dir}/csv/bank-csv`)).readBankCsv(text, layout, 'skip', 'USD', MAX_ROWS);
    }
    if (format === 'ofx') return (await import(`${dir}/ofx/read`)).readOfx(text, 'USD', 'skip', MAX_ROWS);
    if (format === 'qif') return (await import(`${dir}/qif/read`)).readQif(text, undefined, 'skip', MAX_ROWS);
    return (await import(`${dir}/camt/read`)).readCamt(text, 'EUR', 'skip', MAX_ROWS);
  } catch (err) {
    return err instanceof Error ? err.name : 'thrown';
  }
}

/** In the child process: one shape read once; prints the baseline, the end figure and the answer as JSON, the GC trace around it. */
async function child(format: Format, shape: string): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run the child with --expose-gc');
  // The modules loaded and the file flattened (a repeat is a cons string) before the baseline.
  await readWith(format, 'x');
  let text = SHAPES[format][shape]!();
  text = JSON.parse(JSON.stringify(text)) as string;
  gc();
  gc();
  const baseline = process.memoryUsage().heapUsed;
  const v8 = await import('node:v8');
  v8.setFlagsFromString('--trace-gc');
  const answer = await readWith(format, text);
  const end = process.memoryUsage().heapUsed;
  v8.setFlagsFromString('--no-trace-gc');
  const described = Array.isArray(answer) ? `${answer.length} records` : typeof answer === 'object' && answer !== null && 'rows' in answer ? `${(answer as { rows: unknown[] }).rows.length} rows` : String(answer);
  console.log(`RESULT ${JSON.stringify({ baseline, end, fileBytes: text.length, answer: described })}`);
}

interface ShapeFigures {
  format: Format;
  shape: string;
  fileMb: number;
  peakHeapMb: number;
  peakHeapRatioToFile: number;
  answer: string;
}

/** One shape in a fresh process: the peak heap above its baseline. */
function measure(format: Format, shape: string): ShapeFigures {
  const script = fileURLToPath(import.meta.url);
  const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', script, '--child', format, shape], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const line = out.split('\n').find((l) => l.startsWith('RESULT '));
  if (!line) throw new Error(`no result from ${format} / ${shape}:\n${out.slice(-2000)}`);
  const result = JSON.parse(line.slice('RESULT '.length)) as { baseline: number; end: number; fileBytes: number; answer: string };
  // `Scavenge 12.3 (20.1) -> 8.4 (20.1) MB`, `Mark-Compact 300.2 (310.0) -> 120.5 (130.0) MB`: the first figure is the heap used when it ran.
  const before = [...out.matchAll(/: (?:Scavenge|Mark-Compact|Mark-Sweep|Minor Mark-Sweep)[^:]*?\s([\d.]+) \([\d.]+\) -> /g)].map((m) => Number(m[1]) * 1024 * 1024);
  const peak = Math.max(result.end, ...before) - result.baseline;
  const mb = (bytes: number) => Math.round((bytes / (1024 * 1024)) * 10) / 10;
  return { format, shape, fileMb: mb(result.fileBytes), peakHeapMb: mb(peak), peakHeapRatioToFile: Math.round((peak / result.fileBytes) * 10) / 10, answer: result.answer };
}

export async function readerMemoryBench(): Promise<ShapeFigures[]> {
  const out: ShapeFigures[] = [];
  for (const format of Object.keys(SHAPES) as Format[]) {
    for (const shape of Object.keys(SHAPES[format])) out.push(measure(format, shape));
  }
  return out;
}

export const readerMemorySuite: BenchSuite = {
  name: 'reader-memory',
  async run(): Promise<SuiteReport> {
    const shapes = await readerMemoryBench();
    const figures: Record<string, number> = {};
    const targets = [];
    for (const format of Object.keys(SHAPES) as Format[]) {
      const worst = shapes.filter((s) => s.format === format).reduce((a, b) => (b.peakHeapMb > a.peakHeapMb ? b : a));
      figures[`import.readers.${format}.peakHeapMb`] = worst.peakHeapMb;
      figures[`import.readers.${format}.peakHeapRatioToFile`] = worst.peakHeapRatioToFile;
      targets.push(target(`import.readers.${format}.peakHeapMb`, worst.peakHeapMb, PEAK_LIMIT_MB));
    }
    const table = formatTable(
      ['format / shape', 'file MB', 'peak heap MB', 'x file', 'answer'],
      shapes.map((s) => [`${s.format} / ${s.shape}`, s.fileMb, s.peakHeapMb, s.peakHeapRatioToFile, s.answer]),
    );
    return { title: 'Import readers: peak heap above the file, hostile 5 MB files', table, targets, notes: [], data: { shapes }, figures };
  },
};

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  if (args[0] === '--child') await child(args[1] as Format, args[2]!);
  else {
    const report = await readerMemorySuite.run({ runs: 1, explain: false });
    console.log(report.title);
    console.log(report.table);
    console.log(JSON.stringify(report.figures, null, 2));
  }
}
