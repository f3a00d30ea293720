import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fixedClock } from '@budgeting/platform';
import { afterAll, describe, expect, it } from 'vitest';
import { localObjectStorage } from '../../../packages/app/src/storage/local-storage';

/**
 * The local stand-in's listing (the receipts' re-sweep pages through it: jobs/attachments-resweep.ts)
 * answers as S3's ListObjectsV2 does: keys (not the `.meta.json` files beside them) under a
 * string prefix, in key order, from after a key, a page at a time. Real files in a temporary folder.
 */
const dir = mkdtempSync(join(tmpdir(), 'local-storage-'));
const storage = localObjectStorage({ dir, secret: 'test', clock: fixedClock('2026-11-24T12:00:00Z'), listPage: 2 });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function put(key: string) {
  const file = join(dir, key);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, 'x');
  writeFileSync(`${file}.meta.json`, JSON.stringify({ contentType: 'image/png' }));
}

describe('local object storage: listKeys', () => {
  it('pages the keys under a prefix in key order, after a key, without the metadata files', async () => {
    for (const k of ['c', 'a', 'b', 'sub/d']) put(`budgets/b/expenses/e/${k}`);
    put('budgets/b/expenses/other/z');
    const prefix = 'budgets/b/expenses/e/';
    expect(await storage.listKeys(prefix)).toEqual({ keys: [`${prefix}a`, `${prefix}b`], more: true });
    expect(await storage.listKeys(prefix, `${prefix}b`)).toEqual({ keys: [`${prefix}c`, `${prefix}sub/d`], more: false });
    expect(await storage.listKeys(prefix, `${prefix}sub/d`)).toEqual({ keys: [], more: false });
    expect(await storage.listKeys('budgets/none/')).toEqual({ keys: [], more: false });
  });

  it('takes a prefix that ends inside a name, as S3 does', async () => {
    put('budgets/p/expenses/e1/a');
    put('budgets/p/expenses/e2/a');
    put('budgets/p/expenses/f/a');
    expect(await storage.listKeys('budgets/p/expenses/e')).toEqual({ keys: ['budgets/p/expenses/e1/a', 'budgets/p/expenses/e2/a'], more: false });
  });
});
