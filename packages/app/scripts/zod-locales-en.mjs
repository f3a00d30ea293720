// Stand-in for zod's locale index in the Lambda bundle: the API speaks English only, and the
// full index (every language, ~300 KB) would otherwise be bundled because zod re-exports it.
export { default as en } from '../../../node_modules/zod/v4/locales/en.js';
