// dependency-cruiser configuration: the architecture rules of tests/architecture, for the CLI.
//   npx depcruise packages --config .dependency-cruiser.mjs            (Node 22+)
//   npx bun node_modules/.bin/depcruise packages --config .dependency-cruiser.mjs   (Node 20)
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { architectureConfig } from './tests/architecture/dependency-rules.mjs';

export default architectureConfig(dirname(fileURLToPath(import.meta.url)));
