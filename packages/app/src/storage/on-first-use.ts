import { loadOnce, type AppConfig, type Clock, type ObjectStorage } from '@budgeting/platform';

/**
 * The configured object storage (./index.ts), imported on first use: every cold start builds
 * the expenses module, and only the attachment routes and the cascades touch storage, so no
 * other route loads the S3 SDK (tests/lambda/cold-http-imports.test.ts).
 */
export function objectStorageOnFirstUse(config: AppConfig, clock: Clock): ObjectStorage {
  const storage = loadOnce(async () => (await import('./index')).objectStorageFor(config, clock));
  return {
    presignUpload: async (p) => (await storage()).presignUpload(p),
    presignDownload: async (p) => (await storage()).presignDownload(p),
    head: async (key) => (await storage()).head(key),
    deleteKeys: async (keys) => (await storage()).deleteKeys(keys),
    deletePrefix: async (prefix, deadline) => (await storage()).deletePrefix(prefix, deadline),
    listKeys: async (prefix, after) => (await storage()).listKeys(prefix, after),
    putObject: async (p) => (await storage()).putObject(p),
    concatenate: async (p) => (await storage()).concatenate(p),
  };
}
