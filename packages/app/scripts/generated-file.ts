import { readFileSync, writeFileSync } from 'node:fs';

/**
 * What every generator script does with its output: write `text` to `file`, or with `--check`
 * on the command line exit 1 (saying `messages.stale`) when the file on disk differs from it.
 */
export function writeOrCheck(file: string, text: string, messages: { stale: string; upToDate: string }): void {
  if (!process.argv.includes('--check')) {
    writeFileSync(file, text);
    console.log(`wrote ${file}`);
    return;
  }
  let current = '';
  try {
    current = readFileSync(file, 'utf8');
  } catch {
    // missing counts as out of date
  }
  if (current !== text) {
    console.error(messages.stale);
    process.exit(1);
  }
  console.log(messages.upToDate);
}
