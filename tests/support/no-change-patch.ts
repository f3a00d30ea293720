import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { expect } from 'vitest';
import { commandsSentDuring, writesAmong } from './sent-commands';

interface Answer {
  status: number;
  text: string;
  json: unknown;
  headers: Headers;
}

/**
 * Sends each body as a PATCH, without If-Match and with the stored version's, and expects every
 * one to change nothing: 200 with the stored resource, the same ETag, and not one writing
 * command sent (docs/architecture.md, "A PATCH that changes nothing"). `send` is the test's own
 * PATCH of the resource, so each suite keeps its own caller and role.
 */
export async function expectPatchesChangeNothing(
  doc: DynamoDBDocumentClient,
  bodies: readonly object[],
  stored: { json: unknown; etag: string },
  send: (body: object, headers: Record<string, string>) => Promise<Answer>,
): Promise<void> {
  for (const body of bodies) {
    for (const headers of [{}, { 'if-match': stored.etag }] as Record<string, string>[]) {
      const patch = await commandsSentDuring(doc, () => send(body, headers));
      expect(patch.result.status, `${JSON.stringify(body)} ${patch.result.text}`).toBe(200);
      expect(patch.result.headers.get('etag')).toBe(stored.etag);
      expect(patch.result.json).toEqual(stored.json);
      expect(writesAmong(patch.commands), JSON.stringify(body)).toEqual([]);
    }
  }
}
