import type { PushSender } from '@budgeting/platform';
import type { Device } from '../model';
import type { DevicesRepository } from '../repository/devices.repository';

/**
 * How a device goes: `removed` (DELETE /v1/me/devices, its account deleted) whatever it holds;
 * `forgotten` (its address answered gone, or it was the oldest past the cap) only while it is
 * still stored with that address (a registration again with another address stays).
 */
export type DeviceRelease = 'removed' | 'forgotten';

/**
 * Removes a device, and its push endpoint only when no other device uses it: SNS answers the
 * EXISTING endpoint to a token it knows, so the same phone signed in to two accounts gives
 * both accounts' devices the same endpoint, and deleting it for one would silently stop the
 * other's pushes. The device leaves its endpoint's users first, then the endpoint's item is
 * deleted only if that left it empty (a conditional delete: the last one out wins, a device
 * joining meanwhile keeps it), then the device's item goes, then the SNS endpoint, best effort
 * (a failure leaves an endpoint nothing pushes to; SNS bills publishes, not endpoints).
 * In this order a crash before the endpoint's item is dropped is finished by doing it again (a
 * redelivered user.deleted, a second DELETE): leaving a set is idempotent. A crash after the
 * drop and before the SNS call leaves, at worst, an SNS endpoint nothing pushes to.
 *
 * A device stored before endpoint items (`counted` false) never deletes its endpoint: whether
 * another account's device shares it cannot be told without a scan (its next registration
 * counts it; until then, removing it leaves an unused endpoint at worst).
 *
 * Left open: a registration of the same token that got the endpoint from SNS just before the
 * last one out deleted it stores a device whose first push answers gone; that device is then
 * forgotten and the app's next start registers it again (a new endpoint).
 */
export async function releaseDevice(d: { devices: DevicesRepository; push: PushSender }, device: Device, how: DeviceRelease): Promise<void> {
  let unused = false;
  if (device.counted) {
    await d.devices.leaveEndpoint(device);
    unused = await d.devices.dropEndpointIfUnused(device.address);
  }
  if (how === 'removed') await d.devices.deleteDevice(device.userId, device.id);
  else await d.devices.deleteDeviceAt(device.userId, device.id, device.address);
  if (unused) await d.push.unregister(device.address).catch(() => undefined);
}

/**
 * Releases a device whose session ended (README "Devices and sessions"), only while it still
 * belongs to that session with that address: a registration again by another session meanwhile
 * keeps it (and its endpoint). So here the device's item goes FIRST (conditioned), then it leaves
 * its endpoint's users and the endpoint is deleted when that left it unused, as releaseDevice
 * does. A crash between the two leaves its member in the endpoint's set: that endpoint is then
 * never deleted (SNS bills publishes, not endpoints), and nothing pushes to it through this device.
 */
export async function releaseSessionDevice(d: { devices: DevicesRepository; push: PushSender }, device: Device & { sessionId: string }): Promise<void> {
  if (!(await d.devices.deleteDeviceOfSession(device, device.sessionId))) return;
  if (!device.counted) return;
  await d.devices.leaveEndpoint(device);
  if (await d.devices.dropEndpointIfUnused(device.address)) await d.push.unregister(device.address).catch(() => undefined);
}
