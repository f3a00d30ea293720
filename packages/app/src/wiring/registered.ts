import { loadConfig } from '@budgeting/platform';
import { createSystem } from '../system';
import { deriveWiring, type Wiring } from './derive';

/**
 * The wiring the modules register today: a whole system is built (no I/O happens until a
 * request or event arrives) and its subscriptions and jobs are read off. For the manifest
 * generator and its up-to-date test; never part of the wiring entry infra/ imports.
 */
export function registeredWiring(): Wiring {
  const config = loadConfig({ TOKEN_SIGNING_KEY: 'wiring-manifest-'.padEnd(40, 'x'), WEBHOOK_SECRETS_KEY: Buffer.alloc(32).toString('base64'), MFA_SECRETS_KEY: Buffer.alloc(32).toString('base64'), LOG_LEVEL: 'SILENT' });
  return deriveWiring(createSystem({ config }).modules);
}
