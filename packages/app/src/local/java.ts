import { spawnSync } from 'node:child_process';

export const JAVA_HELP =
  'DynamoDB Local needs Java 17 or newer: install it (Debian/Ubuntu: `sudo apt-get install openjdk-17-jre-headless`, macOS: `brew install openjdk@17`) or set DYNAMODB_ENDPOINT to an existing DynamoDB.';

/** Returns the major Java version on PATH, or undefined when there is no usable Java. */
export function javaMajorVersion(): number | undefined {
  const out = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (out.error || out.status !== 0) return undefined;
  const match = /version "(\d+)(?:\.(\d+))?/.exec(`${out.stderr}${out.stdout}`);
  if (!match) return undefined;
  const major = Number(match[1]);
  return major === 1 ? Number(match[2]) : major; // "1.8" means Java 8
}

export function assertJava17(): void {
  const version = javaMajorVersion();
  if (version === undefined || version < 17) {
    const found = version === undefined ? 'no Java found' : `found Java ${version}`;
    throw new Error(`${JAVA_HELP} (${found})`);
  }
}
