import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../fixtures');
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../..');

/**
 * A temporary copy of fixtures/base with fixtures/<overlay> copied over it, and
 * node_modules/@budgeting/<pkg> linked to packages/<pkg> as npm workspaces do, so names
 * resolve exactly as in the real tree (package.json "exports" included). The AWS SDK is
 * linked from the repository's node_modules.
 */
export function materializeFixture(overlay?: string): { root: string; remove(): void } {
  const root = mkdtempSync(join(tmpdir(), `arch-${overlay ?? 'base'}-`));
  cpSync(join(FIXTURES, 'base'), root, { recursive: true });
  if (overlay) cpSync(join(FIXTURES, overlay), root, { recursive: true, force: true });
  mkdirSync(join(root, 'node_modules/@budgeting'), { recursive: true });
  for (const pkg of readdirSync(join(root, 'packages'))) {
    symlinkSync(join(root, 'packages', pkg), join(root, 'node_modules/@budgeting', pkg), 'dir');
  }
  // The real AWS SDK, so its imports resolve (and type-only imports are recognised as such).
  symlinkSync(join(REPO_ROOT, 'node_modules/@aws-sdk'), join(root, 'node_modules/@aws-sdk'), 'dir');
  return { root, remove: () => rmSync(root, { recursive: true, force: true }) };
}
