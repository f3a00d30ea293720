import { loadOnce, type AppConfig, type PushSender } from '@budgeting/platform';

/**
 * The configured push transport (./index.ts), imported on first use: every cold start builds
 * the notifications module, and only device registration and alerts push (issue 11).
 */
export function pushSenderOnFirstUse(config: AppConfig): PushSender {
  const sender = loadOnce(async () => (await import('./index')).pushSenderFor(config));
  return {
    register: async (platform, token) => (await sender()).register(platform, token),
    send: async (address, platform, message) => (await sender()).send(address, platform, message),
    unregister: async (address) => (await sender()).unregister(address),
  };
}
