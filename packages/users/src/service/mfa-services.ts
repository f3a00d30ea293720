import type { Clock, ModuleStore } from '@budgeting/platform';
import { TotpSecretSealer } from '../domain/totp-secret-sealer';
import type { UsersKeys } from '../repository/keys';
import { MfaChallengesRepository } from '../repository/mfa-challenges.repository';
import { MfaRepository } from '../repository/mfa.repository';
import type { UsersRepository } from '../repository/users.repository';
import type { AddressLimit } from './address-limit';
import type { LoginThrottle } from './login-throttle';
import { MfaCodes } from './mfa-codes';
import { MfaSettingsService } from './mfa-settings.service';
import { MfaSignIn } from './mfa-sign-in.service';
import { MfaStepUp } from './mfa-step-up';
import type { QueueUnit } from './security-notices';
import type { PasswordHasher } from './passwords';
import type { SessionService } from './sessions.service';
import type { SignInPlaces } from './sign-in-places';

/**
 * Two-factor sign-in's services (route-services.ts calls this once): the settings under
 * /v1/me/mfa, the sign-in step that login and the password reset hand over to, and the
 * step-up the email change, password change and token creation ask for. They share
 * the hasher, throttle and cost guard of sign-in: a wrong password or code here counts exactly
 * like a wrong sign-in.
 */
export function createMfaServices(parts: {
  store: ModuleStore;
  keys: UsersKeys;
  users: UsersRepository;
  sessions: SessionService;
  /** Sign-in alerts: the code step completing a sign-in records its place (service/sign-in-places.ts). */
  places: SignInPlaces;
  passwords: PasswordHasher;
  throttle: LoginThrottle;
  addressLimit: AddressLimit;
  clock: Clock;
  /** A job unit as an item of a change's transaction: the security notices' (service/security-notices.ts). */
  queueUnit: QueueUnit;
  /** MFA_SECRETS_KEY: seals the TOTP secrets (domain/totp-secret-sealer.ts). */
  mfaSecretsKey: string;
  /** MFA_SECRETS_KEY_PREVIOUS: during a rotation, opens the secrets sealed before it (resealed on use). */
  previousMfaSecretsKey?: string;
  /** WEBHOOK_SECRETS_KEY: only opens the secrets sealed before MFA had a key of its own (v1). */
  legacySecretsKey: string;
}): { settings: MfaSettingsService; signIn: MfaSignIn; stepUp: MfaStepUp } {
  const mfa = new MfaRepository(parts.store, parts.keys);
  const sealer = new TotpSecretSealer(parts.mfaSecretsKey, parts.legacySecretsKey, parts.previousMfaSecretsKey);
  const codes = new MfaCodes(mfa, sealer, parts.clock);
  const shared = { users: parts.users, mfa, codes, throttle: parts.throttle, addressLimit: parts.addressLimit, clock: parts.clock };
  return {
    settings: new MfaSettingsService({ ...shared, sealer, passwords: parts.passwords, queueUnit: parts.queueUnit }),
    signIn: new MfaSignIn({ ...shared, challenges: new MfaChallengesRepository(parts.store, parts.keys), sessions: parts.sessions, places: parts.places }),
    stepUp: new MfaStepUp(mfa, codes),
  };
}
