import { problems } from '@budgeting/platform';

/**
 * How often a membership's creation (POST members, an accepted invitation, a budget's owner at
 * its creation, a copy's member) reads the member's account and tries its write. The write
 * stores the account's name and email as read (the members list's snapshot, with the profile
 * version it was read at) and checks, in its transaction, that the profile is still at that
 * version (UsersFacade.accountCheck with `{ version }`): a change between the read and the
 * write, whose refresh (subscriptions/member-details.ts) may already have run without the new
 * membership, would otherwise leave the older details on it until the account's next change.
 * Each failure is a change of the account meanwhile, so a few attempts suffice; past them the
 * account is changing faster than the write can follow, a 503 to retry shortly: thrown only after
 * the account was read once more, so a last failure that was its deletion answers as a deletion
 * (404 naming email, 401, a copy's member skipped), as it did before the version check.
 */
export const MEMBER_DETAILS_ATTEMPTS = 3;

/** The answer once every attempt met another change of the member's account. */
export const memberDetailsKeptChanging = () =>
  problems.serviceUnavailable(1, "The member's account changed while they were being added; retry shortly.");
