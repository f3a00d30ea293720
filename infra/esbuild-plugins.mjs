// esbuild plugins SST applies when it bundles the function (`nodejs.plugins` in infra/function.ts).
// They come from the project's own build script so `sst deploy` and `npm run build` produce the
// same bundle (e.g. zod with English messages only).
import { lambdaBuildOptions } from '@budgeting/app/build';

export default lambdaBuildOptions.plugins;
