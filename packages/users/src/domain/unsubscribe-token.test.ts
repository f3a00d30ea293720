import { describe, expect, it } from 'vitest';
import { readUnsubscribeToken, unsubscribeToken } from './unsubscribe-token';

const KEY = 'k'.repeat(40);
const OLD = 'o'.repeat(40);

describe('the unsubscribe token', () => {
  it('names its user and kind, under the current or the previous signing key', () => {
    const token = unsubscribeToken('01JUSER', 'reports', KEY);
    expect(token).toMatch(/^01JUSER\.reports\.[A-Za-z0-9_-]{22}$/);
    expect(readUnsubscribeToken(token, [KEY])).toEqual({ userId: '01JUSER', kind: 'reports' });
    expect(readUnsubscribeToken(unsubscribeToken('01JUSER', 'budget-alerts', OLD), [KEY, OLD])).toEqual({ userId: '01JUSER', kind: 'budget-alerts' });
  });

  it('refuses another user, another kind, another key, an unknown kind and garbage', () => {
    const mac = unsubscribeToken('01JUSER', 'reports', KEY).split('.')[2];
    expect(readUnsubscribeToken(`01JOTHER.reports.${mac}`, [KEY])).toBeNull();
    expect(readUnsubscribeToken(`01JUSER.budget-alerts.${mac}`, [KEY])).toBeNull();
    expect(readUnsubscribeToken(unsubscribeToken('01JUSER', 'reports', OLD), [KEY, undefined])).toBeNull();
    expect(readUnsubscribeToken(`01JUSER.everything.${mac}`, [KEY])).toBeNull();
    for (const bad of ['', 'x', `01JUSER.reports.${mac}x`, `01JUSER.reports`, `../01JUSER.reports.${mac}`]) expect(readUnsubscribeToken(bad, [KEY])).toBeNull();
  });
});
