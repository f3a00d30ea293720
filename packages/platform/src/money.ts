/**
 * Money is always an integer amount of the currency's minor unit (cents for USD, yen for JPY,
 * fils for KWD). Floats never hold money; conversion from text is done digit by digit.
 */

/** ISO 4217 minor-unit exponents that differ from 2; every other listed code uses 2. */
const EXPONENT_OVERRIDES: Record<string, number> = {
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0,
  UYI: 0, VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
  CLF: 4, UYW: 4,
};

/**
 * Active ISO 4217 currency codes (List One; funds and precious metals excluded), VED
 * (amendment 170, in force 2021-10-01) and XCG (amendment 176, in force 2025-03-31: the
 * Caribbean guilder replacing ANG) included. ANG, now a historic code, is kept: budgets and
 * expenses made in it stay readable and writable.
 */
export const CURRENCY_CODES = [
  'AED', 'AFN', 'ALL', 'AMD', 'ANG', 'AOA', 'ARS', 'AUD', 'AWG', 'AZN', 'BAM', 'BBD', 'BDT', 'BGN',
  'BHD', 'BIF', 'BMD', 'BND', 'BOB', 'BRL', 'BSD', 'BTN', 'BWP', 'BYN', 'BZD', 'CAD', 'CDF', 'CHF',
  'CLP', 'CNY', 'COP', 'CRC', 'CUP', 'CVE', 'CZK', 'DJF', 'DKK', 'DOP', 'DZD', 'EGP', 'ERN', 'ETB',
  'EUR', 'FJD', 'FKP', 'GBP', 'GEL', 'GHS', 'GIP', 'GMD', 'GNF', 'GTQ', 'GYD', 'HKD', 'HNL', 'HTG',
  'HUF', 'IDR', 'ILS', 'INR', 'IQD', 'IRR', 'ISK', 'JMD', 'JOD', 'JPY', 'KES', 'KGS', 'KHR', 'KMF',
  'KPW', 'KRW', 'KWD', 'KYD', 'KZT', 'LAK', 'LBP', 'LKR', 'LRD', 'LSL', 'LYD', 'MAD', 'MDL', 'MGA',
  'MKD', 'MMK', 'MNT', 'MOP', 'MRU', 'MUR', 'MVR', 'MWK', 'MXN', 'MYR', 'MZN', 'NAD', 'NGN', 'NIO',
  'NOK', 'NPR', 'NZD', 'OMR', 'PAB', 'PEN', 'PGK', 'PHP', 'PKR', 'PLN', 'PYG', 'QAR', 'RON', 'RSD',
  'RUB', 'RWF', 'SAR', 'SBD', 'SCR', 'SDG', 'SEK', 'SGD', 'SHP', 'SLE', 'SOS', 'SRD', 'SSP', 'STN',
  'SVC', 'SYP', 'SZL', 'THB', 'TJS', 'TMT', 'TND', 'TOP', 'TRY', 'TTD', 'TWD', 'TZS', 'UAH', 'UGX',
  'USD', 'UYU', 'UZS', 'VED', 'VES', 'VND', 'VUV', 'WST', 'XAF', 'XCD', 'XCG', 'XOF', 'XPF', 'YER',
  'ZAR', 'ZMW', 'ZWG',
] as const;

export type CurrencyCode = (typeof CURRENCY_CODES)[number];

const KNOWN = new Set<string>(CURRENCY_CODES);

export function isCurrencyCode(code: string): code is CurrencyCode {
  return KNOWN.has(code);
}

export function currencyExponent(code: string): number {
  if (!isCurrencyCode(code)) throw new Error(`Unknown currency ${code}`);
  return EXPONENT_OVERRIDES[code] ?? 2;
}

/** Largest amount accepted for a single money value, in minor units (safe-integer territory). */
export const MAX_AMOUNT_MINOR = 1_000_000_000_000;

/**
 * Parses a major-unit decimal string ("12.34", "-5", "1,000.50" is refused) into minor units,
 * without floating point. Returns null when the text is not a valid amount for the currency.
 */
export function parseMajorUnits(text: string, currency: string): number | null {
  const exponent = currencyExponent(currency);
  const match = /^(-)?(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!match) return null;
  const [, sign, whole, fraction = ''] = match;
  if (fraction.length > exponent) return null;
  const minor = BigInt(whole + fraction.padEnd(exponent, '0'));
  if (minor > BigInt(MAX_AMOUNT_MINOR)) return null;
  const value = Number(minor);
  return sign ? -value : value;
}

/** Formats minor units as a major-unit decimal string ("1234" USD -> "12.34"). */
export function formatMinorUnits(amount: number, currency: string): string {
  const exponent = currencyExponent(currency);
  const negative = amount < 0;
  const digits = Math.abs(amount).toString().padStart(exponent + 1, '0');
  const whole = exponent === 0 ? digits : digits.slice(0, -exponent);
  const fraction = exponent === 0 ? '' : `.${digits.slice(-exponent)}`;
  return `${negative ? '-' : ''}${whole}${fraction}`;
}

const MAX_EXACT = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * Whether a sum of minor units kept in BigInt is within 2^53 - 1 either way, so Number() gives it
 * exactly. Sums of safe amounts are kept in BigInt because a running sum in doubles can pass
 * 2^53 - 1 and come back under it on refunds one unit off, looking exact.
 */
export const isExactMinor = (sum: bigint): boolean => sum <= MAX_EXACT && sum >= -MAX_EXACT;

/** The sum of safe integers (minor units), or null when it passes 2^53 - 1 either way (it could not be given exactly). */
export function exactSum(amounts: Iterable<number>): number | null {
  let sum = 0n;
  for (const amount of amounts) sum += BigInt(amount);
  return isExactMinor(sum) ? Number(sum) : null;
}
