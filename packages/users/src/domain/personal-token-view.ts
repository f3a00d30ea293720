import type { PersonalTokenScope } from '@budgeting/platform';
import type { PersonalTokenRecord } from '../repository/personal-tokens.repository';
import { personalTokenExpired } from './personal-token';

/** A token as listed: never its secret nor the secret's hash. */
export interface PersonalTokenView {
  id: string;
  name: string;
  scope: PersonalTokenScope;
  createdAt: string;
  expiresAt: string;
  /** expiresAt has passed: the token gets 401, and holds its place until deleted. */
  expired: boolean;
  lastUsedAt: string | null;
}

/** A token as GET /v1/me/tokens lists it (the data export writes the same). */
export function personalTokenView(record: PersonalTokenRecord, now: Date): PersonalTokenView {
  return {
    id: record.tokenId,
    name: record.name,
    scope: record.scope,
    createdAt: record.createdAt,
    expiresAt: record.expiresAt,
    expired: personalTokenExpired(record.expiresAt, now),
    lastUsedAt: record.lastUsedAt,
  };
}
