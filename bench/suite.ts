/**
 * What every bench table returns, so bench/run.ts can print and record them the same way.
 * A new table (e.g. DynamoDB requests per operation) is a new file exporting a BenchSuite,
 * added to the list in bench/run.ts.
 */
export interface Target {
  name: string;
  value: number;
  limit: number;
  /** 'max': value <= limit (the default); 'min': value >= limit. */
  bound?: 'max' | 'min';
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
  /**
   * The suite's headline figures by dotted name (`write.createExpense.requestsInRequest`):
   * bench/run.ts writes them into latest.json both flat (`figures`) and as a tree.
   */
  figures?: Record<string, number>;
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
  return { name, value, limit, bound: 'max', pass: value <= limit };
}

/** A target the value must reach (a ratio to a floor, a throughput). */
export function atLeast(name: string, value: number, limit: number): Target {
  return { name, value, limit, bound: 'min', pass: value >= limit };
}
