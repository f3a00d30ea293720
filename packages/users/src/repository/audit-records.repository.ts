import type { ModuleStore } from '@budgeting/platform';
import type { UsersKeys } from './keys';

/** One support action on the account as support reads it back (service/operator-audit.ts writes it). */
export interface AuditRecordView {
  action: string;
  operator: string;
  reason: string;
  at: string;
  eventId: string;
  /**
   * Present on a two-factor reset made while the account was suspended: its notice mail was
   * not sent (`account-suspended`), so support knows why the owner was not told.
   */
  noticeWithheld?: string;
}

/**
 * The audit records of an account (`users#audit#<at>#<eventId>` in the user's partition), read
 * back for support (service/account-lookup.ts). Only the fields support needs are projected:
 * the record is also the change's outbox item, and its `detail` (the whole event) is not read.
 */
export class AuditRecordsRepository {
  constructor(
    private readonly store: ModuleStore,
    private readonly keys: UsersKeys,
  ) {}

  /**
   * The newest `limit` records, newest first, and whether older ones exist: ONE Query of at
   * most limit + 1 small items (the extra one only tells that more exist).
   */
  async newest(userId: string, limit: number): Promise<{ records: AuditRecordView[]; more: boolean }> {
    const { items } = await this.store.query({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': this.keys.userPk(userId), ':prefix': this.keys.auditSkPrefix },
      // Each name aliased: `action`, `operator` and `at` are DynamoDB reserved words.
      ProjectionExpression: '#sk, #action, #operator, #reason, #at, #noticeWithheld',
      ExpressionAttributeNames: { '#sk': 'sk', '#action': 'action', '#operator': 'operator', '#reason': 'reason', '#at': 'at', '#noticeWithheld': 'noticeWithheld' },
      ScanIndexForward: false,
      ConsistentRead: true,
      Limit: limit + 1,
    });
    const prefix = this.keys.auditSkPrefix;
    return {
      records: items.slice(0, limit).map((i) => {
        const at = String(i.at);
        // The key is <prefix><at>#<eventId>: the event id is what follows the record's own `at`.
        const eventId = String(i.sk).slice(prefix.length + at.length + 1);
        const withheld = typeof i.noticeWithheld === 'string' ? { noticeWithheld: i.noticeWithheld } : {};
        return { action: String(i.action), operator: String(i.operator), reason: String(i.reason), at, eventId, ...withheld };
      }),
      more: items.length > limit,
    };
  }
}
