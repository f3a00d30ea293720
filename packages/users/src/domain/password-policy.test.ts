import { describe, expect, it } from 'vitest';
import { APP_NAME, foldPassword, weakPasswordReason } from './password-policy';

const LIST: ReadonlySet<string> = new Set(['password123', 'qwertyuiop', 'straße1234']);
const EMAIL = 'ada.lovelace@example.com';

describe('weakPasswordReason (ASVS 2.1.7)', () => {
  it('refuses a listed password in any letter case and in its NFKC-equivalent form', () => {
    expect(weakPasswordReason('password123', EMAIL, LIST)).toBe('common');
    expect(weakPasswordReason('PassWord123', EMAIL, LIST)).toBe('common');
    expect(weakPasswordReason('ＱＷＥＲＴＹＵＩＯＰ', EMAIL, LIST)).toBe('common');
    expect(weakPasswordReason('STRAẞE1234', EMAIL, LIST)).toBe('common');
  });

  it('refuses the email and its local part, alone or with digits and symbols after them', () => {
    expect(weakPasswordReason('Ada.Lovelace@Example.com', EMAIL, LIST)).toBe('email');
    expect(weakPasswordReason('ada.lovelace', EMAIL, LIST)).toBe('email');
    expect(weakPasswordReason('ada.lovelace1!', EMAIL, LIST)).toBe('email');
    expect(weakPasswordReason(`${EMAIL}2026`, EMAIL, LIST)).toBe('email');
  });

  it('refuses a local part that itself ends in digits or symbols, followed by more of them (review 52)', () => {
    // "ada1990" + "!!" once lost the local part's own digits to the stripped tail: accepted.
    expect(weakPasswordReason('ada1990!!', 'ada1990@example.com', LIST)).toBe('email');
    expect(weakPasswordReason('ada1990 2026', 'ADA1990@example.com', LIST)).toBe('email');
    expect(weakPasswordReason('lovelace_99_2026', 'lovelace_99@example.com', LIST)).toBe('email');
    // Still only the word followed by digits and symbols: a letter after it is another password.
    expect(weakPasswordReason('ada1990 rides bikes', 'ada1990@example.com', LIST)).toBeNull();
  });

  it('refuses the mailbox part of a +tag address with digits and symbols after it (review 52)', () => {
    // "ada.lovelace+bank": the tag is what the user added for this site; the mailbox name is the guess.
    expect(weakPasswordReason('ada.lovelace+bank', 'ada.lovelace+bank@example.com', LIST)).toBe('email');
    expect(weakPasswordReason('Ada.Lovelace2026!', 'ada.lovelace+bank@example.com', LIST)).toBe('email');
    expect(weakPasswordReason('ada.lovelace+bank2026', 'ada.lovelace+bank@example.com', LIST)).toBe('email');
  });

  it("refuses the app's name, alone or with digits and symbols after it", () => {
    expect(APP_NAME).toBe('Budgeting');
    expect(weakPasswordReason('budgeting1', EMAIL, LIST)).toBe('app-name');
    expect(weakPasswordReason('BUDGETING 2026!', EMAIL, LIST)).toBe('app-name');
  });

  it('accepts a password that only contains one of them among other words', () => {
    expect(weakPasswordReason('correct horse battery staple', EMAIL, LIST)).toBeNull();
    expect(weakPasswordReason('my password123 is long', EMAIL, LIST)).toBeNull();
    expect(weakPasswordReason('budgeting is fun for ada', EMAIL, LIST)).toBeNull();
    expect(weakPasswordReason('9f1c2e7a-0b44-4c1e-8d2b-3f5a6b7c8d9e', EMAIL, LIST)).toBeNull();
  });

  it('non-BMP characters and 128-character passwords (review 52)', () => {
    // Mathematical bold letters and digits (outside the BMP: surrogate pairs) are the list word after NFKC.
    expect(weakPasswordReason('\u{1D429}\u{1D41A}\u{1D42C}\u{1D42C}\u{1D430}\u{1D428}\u{1D42B}\u{1D41D}\u{1D7CF}\u{1D7D0}\u{1D7D1}', EMAIL, LIST)).toBe('common');
    // The app's name then emoji (symbols) only: refused; emoji and letters: allowed.
    expect(weakPasswordReason('budgeting🙂🙂', EMAIL, LIST)).toBe('app-name');
    expect(weakPasswordReason('🙂 budgeting with 🐈 and ☕', EMAIL, LIST)).toBeNull();
    // At the schema's maximum the check stays linear: a long symbol run ending in a letter (a
    // backtracking pattern would not finish these within the test's timeout).
    expect(weakPasswordReason(`budgeting${'!'.repeat(118)}x`, EMAIL, LIST)).toBeNull();
    expect(weakPasswordReason(`budgeting${'!'.repeat(119)}`, EMAIL, LIST)).toBe('app-name');
    expect(weakPasswordReason('🙂'.repeat(64), EMAIL, LIST)).toBeNull();
  });

  it('folds with NFKC and lower case', () => {
    expect(foldPassword('ＡＢＣ１２３')).toBe('abc123');
    expect(foldPassword('Cafe\u0301')).toBe('café');
  });
});
