import { afterEach, describe, expect, it } from 'vitest';
import { NO_PREVIOUS_SIGNING_KEY } from '../wiring/secrets';
import { environmentFromLinks } from './sst-environment';

/**
 * The previous signing key as the Lambda entry reads it: the linked SST secret (or, unlinked,
 * the plain variable), where the secret's placeholder means "no rotation under way".
 * SST's `Resource` reads linked resources from one object on globalThis
 * (`__SST_RESOURCE_RAW__`, filled from the SST_RESOURCE_* variables Lambda gets); the tests
 * put the secret there and take it away again.
 */
const REAL_KEY = 'a-previous-signing-key-of-real-length-0123456789';
const linkedResources = () => (globalThis as { __SST_RESOURCE_RAW__?: Record<string, unknown> }).__SST_RESOURCE_RAW__!;
const link = (value: string) => {
  environmentFromLinks({}); // makes SST load its links once, so what is put here stays
  linkedResources().TokenSigningKeyPrevious = { type: 'sst.sst.Secret', value };
};
const previousKey = (env: NodeJS.ProcessEnv = {}) => environmentFromLinks(env).TOKEN_SIGNING_KEY_PREVIOUS;

describe('TOKEN_SIGNING_KEY_PREVIOUS from the linked TokenSigningKeyPrevious secret', () => {
  afterEach(() => {
    delete linkedResources().TokenSigningKeyPrevious;
  });

  it('is the secret when one is set', () => {
    link(REAL_KEY);
    expect(previousKey()).toBe(REAL_KEY);
  });

  it('is absent while the secret holds its placeholder, whatever the plain variable says', () => {
    link(NO_PREVIOUS_SIGNING_KEY);
    expect(previousKey({ TOKEN_SIGNING_KEY_PREVIOUS: REAL_KEY })).toBeUndefined();
  });

  it('falls back to the plain variable when nothing is linked (the placeholder meaning none there too)', () => {
    expect(previousKey({ TOKEN_SIGNING_KEY_PREVIOUS: REAL_KEY })).toBe(REAL_KEY);
    expect(previousKey({ TOKEN_SIGNING_KEY_PREVIOUS: NO_PREVIOUS_SIGNING_KEY })).toBeUndefined();
    expect(previousKey({})).toBeUndefined();
  });
});

describe('MFA_SECRETS_KEY from the linked MfaSecretsKey secret', () => {
  const MFA_KEY = Buffer.alloc(32, 3).toString('base64');
  afterEach(() => {
    delete linkedResources().MfaSecretsKey;
  });

  it('is the secret when linked, else the plain variable', () => {
    expect(environmentFromLinks({ MFA_SECRETS_KEY: 'plain' }).MFA_SECRETS_KEY).toBe('plain');
    linkedResources().MfaSecretsKey = { type: 'sst.sst.Secret', value: MFA_KEY };
    expect(environmentFromLinks({ MFA_SECRETS_KEY: 'plain' }).MFA_SECRETS_KEY).toBe(MFA_KEY);
  });
});

describe('MFA_SECRETS_KEY_PREVIOUS from the linked MfaSecretsKeyPrevious secret', () => {
  const OLD_KEY = Buffer.alloc(32, 4).toString('base64');
  const previousMfaKey = (env: NodeJS.ProcessEnv = {}) => environmentFromLinks(env).MFA_SECRETS_KEY_PREVIOUS;
  afterEach(() => {
    delete linkedResources().MfaSecretsKeyPrevious;
  });

  it('is the secret when one is set, absent while it holds its placeholder', () => {
    environmentFromLinks({});
    linkedResources().MfaSecretsKeyPrevious = { type: 'sst.sst.Secret', value: OLD_KEY };
    expect(previousMfaKey()).toBe(OLD_KEY);
    linkedResources().MfaSecretsKeyPrevious = { type: 'sst.sst.Secret', value: NO_PREVIOUS_SIGNING_KEY };
    expect(previousMfaKey({ MFA_SECRETS_KEY_PREVIOUS: OLD_KEY })).toBeUndefined();
  });

  it('falls back to the plain variable when nothing is linked', () => {
    expect(previousMfaKey({ MFA_SECRETS_KEY_PREVIOUS: OLD_KEY })).toBe(OLD_KEY);
    expect(previousMfaKey({})).toBeUndefined();
  });
});
