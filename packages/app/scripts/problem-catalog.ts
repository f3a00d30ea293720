/**
 * Writes docs/problems.md from the problem types the platform and the modules declare.
 *   npx tsx packages/app/scripts/problem-catalog.ts          regenerate
 *   npx tsx packages/app/scripts/problem-catalog.ts --check  exit 1 if the file is out of date
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeOrCheck } from './generated-file';
import { PROBLEM_CATALOG_COMMAND, problemTypes, renderProblemCatalog } from '../src/http/problem-catalog';

const file = join(dirname(fileURLToPath(import.meta.url)), '../../../docs/problems.md');

writeOrCheck(file, renderProblemCatalog(problemTypes()), {
  stale: `docs/problems.md is out of date: run \`${PROBLEM_CATALOG_COMMAND}\``,
  upToDate: 'docs/problems.md is up to date',
});
