import { createHash } from 'node:crypto';
import { attr, conditionFailedAt, conditionHeld, isConditionFailed, PUSH_PLATFORMS, type Item, type ModuleStore, type TransactItem } from '@budgeting/platform';
import type { Device } from '../model';
import { userKeys } from './keys';

/**
 * A user's push devices (`notifications#device#<deviceId>` in the user's partition) and the
 * push endpoints they share (`notifications#endpoint#<sha256 of the address>`, its own
 * partition): see keys.ts for why an endpoint item holds its devices.
 */
export class DevicesRepository {
  private readonly keys: ReturnType<typeof userKeys>;

  constructor(private readonly store: ModuleStore) {
    this.keys = userKeys(store);
  }

  private deviceKey = (userId: string, id: string) => ({ pk: this.keys.userPk(userId), sk: this.store.key('device', id) });
  private endpointKey = (address: string) => {
    const hash = createHash('sha256').update(address).digest('base64url');
    return { pk: this.store.key('endpoint', hash), sk: this.store.key('endpoint') };
  };
  /** The device's member of its endpoint's `users` set. */
  private endpointUse = (device: Pick<Device, 'userId' | 'id' | 'address'>): TransactItem => ({
    Update: {
      Key: this.endpointKey(device.address),
      UpdateExpression: 'ADD #users :me SET kind = :kind, address = :address',
      ExpressionAttributeNames: { '#users': 'users' },
      ExpressionAttributeValues: { ':me': new Set([endpointMember(device)]), ':kind': 'push-endpoint', ':address': device.address },
    },
  });

  /**
   * Stores the device only while its user's account exists (`accountCheck`: UsersFacade.accountCheck,
   * in the same transaction): a registration that passed the request's account check just before
   * the account was deleted, and wrote after user.deleted's cleanup emptied the partition, would
   * otherwise store a device (a push address) of a deleted account for ever. 'account-gone': nothing written.
   * The device joins its endpoint's users in the same transaction (see keys.ts).
   * Only over no item or one with the same address: 'taken' when a registration of the same
   * device stored it meanwhile with ANOTHER endpoint (SNS deleted the first between the two
   * CreatePlatformEndpoint calls). Replacing it would leave the device a member of an endpoint it
   * no longer uses (never deleted then); refused, nothing is written and that one stays.
   */
  async putDevice(device: Omit<Device, 'counted'>, accountCheck: TransactItem): Promise<'stored' | 'account-gone' | 'taken'> {
    try {
      await this.store.transactWrite([
        {
          Put: {
            Item: { ...this.deviceKey(device.userId, device.id), kind: 'device', ...device, counted: true },
            ConditionExpression: 'attribute_not_exists(pk) OR address = :address',
            ExpressionAttributeValues: { ':address': device.address },
          },
        },
        accountCheck,
        this.endpointUse(device),
      ]);
      return 'stored';
    } catch (err) {
      if (conditionFailedAt(err, 1)) return 'account-gone';
      if (conditionFailedAt(err, 0)) return 'taken';
      throw err;
    }
  }

  /**
   * Counts a device stored before endpoint items existed (`counted` false) among its endpoint's
   * users, while it is still stored with that address; nothing when it is gone or changed.
   */
  async countDevice(device: Device): Promise<void> {
    try {
      await this.store.transactWrite([
        {
          Update: {
            Key: this.deviceKey(device.userId, device.id),
            UpdateExpression: 'SET counted = :yes',
            ConditionExpression: 'address = :a',
            ExpressionAttributeValues: { ':yes': true, ':a': device.address },
          },
        },
        this.endpointUse(device),
      ]);
    } catch (err) {
      if (!conditionFailedAt(err, 0)) throw err;
    }
  }

  /**
   * The device is no longer one of its endpoint's users (idempotent: a set's member). Only on
   * an item that is there: an UpdateItem would create an empty one after the last one out
   * dropped it, and that one's own drop would then delete the endpoint a second time.
   */
  async leaveEndpoint(device: Device): Promise<void> {
    await this.store.updateIf({
      Key: this.endpointKey(device.address),
      UpdateExpression: 'DELETE #users :me',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#users': 'users' },
      ExpressionAttributeValues: { ':me': new Set([endpointMember(device)]) },
    });
  }

  /**
   * Deletes the endpoint's item if it is there and no device uses it (DynamoDB removes a set
   * emptied by DELETE, so: no `users`): true for the one caller that deleted it (the caller
   * deletes the endpoint in SNS); false when a device (re)joined it meanwhile, or another
   * device leaving at the same moment dropped it first (it deletes the endpoint, once).
   */
  async dropEndpointIfUnused(address: string): Promise<boolean> {
    return conditionHeld(
      this.store.delete({ Key: this.endpointKey(address), ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#users)', ExpressionAttributeNames: { '#users': 'users' } }),
    );
  }

  /**
   * Records that the device's app registered it again at `at` (ISO), while it is still stored with
   * that address; nothing when it is gone or was registered again with another one meanwhile.
   */
  async markRegistered(device: Device, at: string): Promise<void> {
    await this.store.updateIf({
      Key: this.deviceKey(device.userId, device.id),
      UpdateExpression: 'SET registeredAt = :at',
      ConditionExpression: 'address = :a',
      ExpressionAttributeValues: { ':at': at, ':a': device.address },
    });
  }

  /**
   * The device now belongs to `sessionId` (registered again by another session: README "Devices
   * and sessions"), while it is still stored with that address; nothing when it is gone or was
   * registered again with another one meanwhile.
   */
  async moveToSession(device: Device, sessionId: string): Promise<void> {
    await this.store.updateIf({
      Key: this.deviceKey(device.userId, device.id),
      UpdateExpression: 'SET sessionId = :sid',
      ConditionExpression: 'address = :a',
      ExpressionAttributeValues: { ':sid': sessionId, ':a': device.address },
    });
  }

  /**
   * Deletes the device only while it still belongs to `sessionId` with that address: true when
   * it did; false when it is gone, or was registered again meanwhile (by another session, which
   * keeps it, or with another address).
   */
  async deleteDeviceOfSession(device: Device, sessionId: string): Promise<boolean> {
    return conditionHeld(
      this.store.delete({
        Key: this.deviceKey(device.userId, device.id),
        ConditionExpression: 'sessionId = :sid AND address = :a',
        ExpressionAttributeValues: { ':sid': sessionId, ':a': device.address },
      }),
    );
  }

  async getDevice(userId: string, id: string): Promise<Device | undefined> {
    const item = await this.store.get<Device & Record<string, unknown>>({ Key: this.deviceKey(userId, id), ConsistentRead: true });
    return item ? toDevice(item) : undefined;
  }

  async deleteDevice(userId: string, id: string): Promise<void> {
    await this.store.delete({ Key: this.deviceKey(userId, id) });
  }

  /**
   * Forgets a device whose address turned out dead, unless it was registered again meanwhile
   * with another address (then the new one stays).
   */
  async deleteDeviceAt(userId: string, id: string, address: string): Promise<void> {
    try {
      await this.store.delete({ Key: this.deviceKey(userId, id), ConditionExpression: 'address = :a', ExpressionAttributeValues: { ':a': address } });
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
    }
  }

  /** A user's devices, oldest first (at most DEVICES_PER_USER, plus one during a registration). */
  async devices(userId: string): Promise<Device[]> {
    const items = await this.store.queryAll<Device & Record<string, unknown>>({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :d)',
      ExpressionAttributeValues: { ':pk': this.keys.userPk(userId), ':d': this.store.key('device', '') },
      ConsistentRead: true,
    });
    return items.map(toDevice).sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  }
}

const DEVICE_FIELDS = { id: attr.str, userId: attr.str, platform: attr.among(PUSH_PLATFORMS), address: attr.str, createdAt: attr.str };
/** A device's member of its endpoint's `users` set. */
const endpointMember = (device: Pick<Device, 'userId' | 'id'>) => `${device.userId}#${device.id}`;
// `counted` absent: a device stored before endpoint items (model.ts Device.counted).
const toDevice = (item: Item): Device => ({
  ...attr.fields(item, DEVICE_FIELDS),
  ...(typeof item.registeredAt === 'string' ? { registeredAt: item.registeredAt } : {}),
  ...(typeof item.sessionId === 'string' ? { sessionId: item.sessionId } : {}),
  counted: item.counted === true,
});
