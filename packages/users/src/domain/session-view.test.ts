import { ulid } from 'ulid';
import { describe, expect, it } from 'vitest';
import { sessionView, ulidTime } from './session-view';

describe('sessionView', () => {
  it('shows the stored timestamps and marks only the named session current', () => {
    const stored = { familyId: 'F1', createdAt: '2026-11-01T10:00:00.000Z', lastRotatedAt: '2026-11-02T10:00:00.000Z' };
    expect(sessionView(stored, 'F1')).toEqual({ id: 'F1', createdAt: stored.createdAt, lastUsedAt: stored.lastRotatedAt, current: true, expiresAt: null });
    expect(sessionView(stored, 'F2').current).toBe(false);
    expect(sessionView(stored, undefined).current).toBe(false);
  });

  it('falls back for items without timestamps: last refresh, then the id\'s time', () => {
    expect(sessionView({ familyId: 'F1', lastRotatedAt: '2026-11-02T10:00:00.000Z' }, undefined)).toMatchObject({
      createdAt: '2026-11-02T10:00:00.000Z',
      lastUsedAt: '2026-11-02T10:00:00.000Z',
    });
    const at = Date.parse('2026-11-24T12:34:56.789Z');
    // ulid's plain generator: the app's monotonic newId may carry a later time another test file asked for.
    expect(sessionView({ familyId: ulid(at) }, undefined)).toMatchObject({ createdAt: '2026-11-24T12:34:56.789Z', lastUsedAt: '2026-11-24T12:34:56.789Z' });
  });

  it('shows the absolute end (seconds stored) as a date-time', () => {
    const stored = { familyId: 'F1', createdAt: '2026-11-01T10:00:00.000Z', sessionExpiresAt: Date.parse('2027-01-30T10:00:00Z') / 1000 };
    expect(sessionView(stored, undefined).expiresAt).toBe('2027-01-30T10:00:00.000Z');
  });

  it('reads no time from an id that is not a ULID', () => {
    expect(ulidTime('not-a-ulid!')).toBe('1970-01-01T00:00:00.000Z');
    expect(ulidTime('short')).toBe('1970-01-01T00:00:00.000Z');
  });
});
