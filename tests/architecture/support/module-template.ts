import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The business modules, each laid out by the module template of docs/architecture.md: every
 * package but the platform (the shared kernel) and the app (the composition root), so a new
 * module is held to the template from its first commit.
 */
const NOT_MODULES = ['platform', 'app'];
const REPO = join(fileURLToPath(new URL('.', import.meta.url)), '../../..');
export const MODULES = readdirSync(join(REPO, 'packages')).filter((name) => !NOT_MODULES.includes(name) && statSync(join(REPO, 'packages', name)).isDirectory()).sort();

/** Files a module's src/ may hold at its top level, and the ones it must. */
const TOP_FILES = ['index.ts', 'create-module.ts', 'contract.ts', 'events.ts', 'problems.ts', 'problem-texts.ts', 'model.ts'];
const REQUIRED_FILES = ['index.ts', 'create-module.ts', 'routes/index.ts'];
/** Folders of the template; the first four every module has. */
const REQUIRED_FOLDERS = ['routes', 'service', 'repository', 'domain'];
const OPTIONAL_FOLDERS = ['schemas', 'jobs', 'subscriptions'];
/** Feature folders with an entry of their own (reports inside budgets). */
const FEATURE_FOLDERS: Record<string, string[]> = { budgets: ['reports'] };

const isDir = (path: string) => existsSync(path) && statSync(path).isDirectory();

function filesUnder(dir: string): string[] {
  if (!isDir(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
}

/**
 * Where a module departs from the template: missing files or folders, files or folders the
 * template has no place for, a <feature>.routes.ts without its <feature>.handlers.ts, and
 * middleware attached anywhere but routes/index.ts and shortcuts (route files hold createRoute
 * constants).
 */
export function findTemplateViolations(rootDir: string): string[] {
  const found: string[] = [];
  for (const module of MODULES) {
    const src = join(rootDir, 'packages', module, 'src');
    const at = (what: string) => `packages/${module}/src/${what}`;
    for (const file of REQUIRED_FILES) if (!existsSync(join(src, file))) found.push(`${at(file)} is missing`);
    for (const folder of REQUIRED_FOLDERS) if (!isDir(join(src, folder))) found.push(`${at(folder + '/')} is missing`);
    const features = FEATURE_FOLDERS[module] ?? [];
    for (const entry of isDir(src) ? readdirSync(src) : []) {
      if (isDir(join(src, entry))) {
        if (![...REQUIRED_FOLDERS, ...OPTIONAL_FOLDERS, ...features].includes(entry)) found.push(`${at(entry + '/')} is not a folder of the template`);
      } else if (entry.endsWith('.ts') && !entry.endsWith('.test.ts') && !TOP_FILES.includes(entry)) {
        found.push(`${at(entry)} does not belong at the top of src/`);
      }
    }
    for (const feature of features) {
      if (!existsSync(join(src, feature, 'index.ts'))) found.push(`${at(feature + '/index.ts')} (the feature's entry) is missing`);
    }
    for (const base of ['', ...features.map((f) => f + '/')]) {
      const routes = join(src, base, 'routes');
      for (const file of filesUnder(routes)) {
        const text = readFileSync(join(routes, file), 'utf8');
        const match = /^(.+)\.routes\.ts$/.exec(file);
        if (match && !existsSync(join(routes, `${match[1]}.handlers.ts`))) found.push(`${at(`${base}routes/${file}`)} has no ${match[1]}.handlers.ts`);
        // A shortcut wires its one route without the router (ModuleRuntime.shortcuts).
        const wiring = base === '' && (file === 'index.ts' || file.endsWith('.shortcut.ts'));
        if (!wiring && /\bmiddleware\s*:|\brequireAuth\(|\.use\(/.test(text)) {
          found.push(`${at(`${base}routes/${file}`)} attaches middleware (only routes/index.ts and <feature>.shortcut.ts may)`);
        }
      }
    }
  }
  return found.sort();
}

/**
 * Where a module could receive a raw DynamoDB client: a member of PlatformDeps (what every
 * module is handed) or a parameter of a module's create function typed as one.
 */
export function findRawClientHandOvers(rootDir: string): string[] {
  const found: string[] = [];
  const RAW = /\bDynamoDB(Document)?Client\b/;
  const definition = join(rootDir, 'packages/platform/src/module-definition.ts');
  if (existsSync(definition)) {
    const text = readFileSync(definition, 'utf8');
    const deps = /export interface PlatformDeps\s*\{([\s\S]*?)\n\}/.exec(text)?.[1] ?? '';
    for (const line of deps.split('\n')) {
      if (RAW.test(line)) found.push(`PlatformDeps hands modules a raw client: ${line.trim()}`);
    }
  }
  for (const module of MODULES) {
    const src = join(rootDir, 'packages', module, 'src');
    for (const file of filesUnder(src)) {
      const text = readFileSync(join(src, file), 'utf8');
      if (RAW.test(text)) found.push(`packages/${module}/src/${file} names a raw DynamoDB client`);
    }
  }
  return found.sort();
}
