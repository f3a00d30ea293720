import { expect } from 'vitest';

/** Asserts a problem+json response with the given status (and, if given, these named field paths). */
export function expectProblem(
  res: { status: number; headers: Headers; json: any; text: string },
  status: number,
  paths?: string[],
) {
  expect(res.status, res.text).toBe(status);
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  expect(res.json).toMatchObject({ status, type: expect.any(String), title: expect.any(String), detail: expect.any(String) });
  if (paths) {
    const named = (res.json.errors ?? []).map((e: { path: string }) => e.path);
    for (const path of paths) expect(named, res.text).toContain(path);
  }
}
