import type { MfaRecord } from '../repository/mfa.repository';

/** What GET /v1/me/mfa shows of the account's two-factor sign-in (and the data export writes): never the seal or the codes' hashes. */
export interface MfaStatus {
  totp: 'off' | 'pending' | 'on';
  enabledAt?: string;
  recoveryCodesLeft: number;
}

/** The status of the enrolment item (none: off). */
export function mfaStatusOf(record: MfaRecord | null | undefined): MfaStatus {
  if (!record) return { totp: 'off', recoveryCodesLeft: 0 };
  return {
    totp: record.state,
    ...(record.enabledAt ? { enabledAt: record.enabledAt } : {}),
    recoveryCodesLeft: record.state === 'on' ? record.recoveryHashes.length : 0,
  };
}
