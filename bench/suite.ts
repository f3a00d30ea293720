/**
 * What every bench table returns, so bench/run.ts can print and record them the same way.
 * A new table (e.g. DynamoDB requests per operation) is a new file exporting a BenchSuite,
 * added to the list in bench/run.ts.
 */
export interface Target {
  name: string;
  value: number;
  limit: number;
  pass: boolean;
}

export interface SuiteReport {
  title: string;
  /** Already formatted for the terminal. */
  table: string;
  targets: Target[];
  notes: string[];
  /** Raw numbers for bench/results/*.json. */
  data: unknown;
}

export interface BenchOptions {
  /** Fresh processes per measured variant. */
  runs: number;
  /** Also attribute bytes and CPU time: per package, or per source file (finer, longer). */
  explain: false | 'packages' | 'files';
}

export interface BenchSuite {
  name: string;
  run(options: BenchOptions): Promise<SuiteReport>;
}

export function target(name: string, value: number, limit: number): Target {
  return { name, value, limit, pass: value <= limit };
}
