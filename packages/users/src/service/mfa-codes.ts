import type { Clock } from '@budgeting/platform';
import type { TotpSecretSealer } from '../domain/totp-secret-sealer';
import { isTotpCode, normalizeCode, recoveryCodeHash, totpStepOf } from '../domain/totp';
import type { MfaRecord, MfaRepository, SpendWrite } from '../repository/mfa.repository';

/**
 * Checks and spends a second factor of an account whose two-factor sign-in is on: a 6-digit
 * TOTP code of the current step ±1 that is later than the last one accepted (recorded, so it
 * works once), or one of the recovery codes (removed, so it works once). Both spends are one
 * conditional write, so two requests with the same code cannot both pass. An accepted TOTP
 * code also reseals a secret still sealed under an old key (domain/totp-secret-sealer.ts).
 */
export class MfaCodes {
  constructor(
    private readonly repo: MfaRepository,
    private readonly sealer: TotpSecretSealer,
    private readonly clock: Clock,
  ) {}

  async spend(userId: string, record: MfaRecord, code: string): Promise<boolean> {
    const write = this.spendWrite(userId, record, code);
    if (!write) return false;
    if (await this.repo.apply(write)) return true;
    const again = await this.spendWriteAfterRefusal(userId, record, code);
    return again ? this.repo.apply(again) : false;
  }

  /**
   * The write that spends `code`, or null when it is not a right code (nothing to write). For
   * the sign-in, which commits it in the transaction that ends its challenge: a code is spent
   * only by the request that completes the sign-in (service/mfa-sign-in.service.ts).
   */
  spendWrite(userId: string, record: MfaRecord, code: string): SpendWrite | null {
    return this.plan(userId, record, code)?.write ?? null;
  }

  /**
   * After `spendWrite(userId, record, code)` was refused: when that write resealed a stale secret
   * (its condition: the seal is still the one read) and the stored seal has changed since
   * `record` was read, the write for the enrolment as it is now, else null (the refusal
   * stands: the step or recovery code was spent meanwhile, or two-factor went off). The change
   * is the reseal job (users-mfa-reseal) or another request's reseal moving the same secret to
   * the current key during a rotation: the right code then still passes, checked again against
   * the new seal. A new secret (turned off and on again) is checked the same way, so an old
   * secret's code fails against it. Costs one GetItem, only on such a refusal.
   */
  async spendWriteAfterRefusal(userId: string, record: MfaRecord, code: string): Promise<SpendWrite | null> {
    if (!this.plan(userId, record, code)?.resealing) return null;
    const fresh = await this.repo.get(userId);
    if (!fresh || fresh.sealedSecret === record.sealedSecret) return null;
    return this.spendWrite(userId, fresh, code);
  }

  private plan(userId: string, record: MfaRecord, code: string): { write: SpendWrite; resealing: boolean } | null {
    if (record.state !== 'on') return null;
    const normalized = normalizeCode(code);
    if (isTotpCode(normalized)) {
      const { secret, stale } = this.sealer.unseal(record.sealedSecret, userId);
      const step = totpStepOf(secret, normalized, this.clock.now().getTime());
      if (step === null || (record.lastStep !== undefined && step <= record.lastStep)) return null;
      // A secret sealed under an old key (v1: WEBHOOK_SECRETS_KEY; v2: MFA_SECRETS_KEY_PREVIOUS
      // during a rotation) is resealed under MFA_SECRETS_KEY in the same write that spends the
      // step: no extra request.
      const reseal = stale ? { from: record.sealedSecret, to: this.sealer.seal(secret, userId) } : undefined;
      return { write: this.repo.stepWrite(userId, step, reseal), resealing: stale };
    }
    const hash = recoveryCodeHash(userId, normalized);
    if (!record.recoveryHashes.includes(hash)) return null;
    return { write: this.repo.recoveryCodeWrite(userId, hash), resealing: false };
  }
}
