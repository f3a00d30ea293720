import { z } from '@hono/zod-openapi';

/**
 * Two-factor sign-in (TOTP) bodies: /v1/me/mfa and POST /v1/auth/login/mfa. Request objects
 * are strict, as the module's other schemas, so unknown fields are refused by name.
 */

/** "Required" for a missing field, "Must be <type>" for a present one of the wrong type. */
const typed = (expected: string) => ({
  error: (issue: { input?: unknown }) => (issue.input === undefined ? 'Required' : `Must be ${expected}`),
});

/** The account's password, checked like a sign-in's (only the upper bound matters: it caps hashing work). */
const PasswordSchema = z
  .string(typed('a string'))
  .min(1, 'Must not be empty')
  .max(128, 'Must be at most 128 characters')
  .openapi({ example: 'correct horse battery staple', description: 'The password the account has now.' });

const CodeSchema = z
  .string(typed('a string'))
  .trim()
  .min(6, 'Must be at least 6 characters')
  .max(32, 'Must be at most 32 characters')
  .openapi({
    example: '492039',
    description: 'The 6-digit code the authenticator app shows now (spaces allowed; any script\'s digits, such as full-width ones, count as ASCII digits), or one of the recovery codes (`xxxxx-xxxxx`, the dash optional; full-width characters count as ASCII).',
  });

/** The optional `code` of a sensitive account change (service/mfa-step-up.ts): required when two-factor sign-in is on. */
export const StepUpCodeSchema = () =>
  CodeSchema.optional().openapi({
    example: '492039',
    description:
      'Required when the account has two-factor sign-in on (else 403 `mfa-code-required`; ignored when it is off): a current code from the authenticator app, or a recovery code (spent). A TOTP code works once; a wrong one counts toward the sign-in throttle of the account\'s email.',
  });

const recoveryCodesExample = ['k7m2p-qx4ta', 'bz6nw-3hrcv', 'u5yfd-e2jsk', 'p4tqa-7mwxn', 'c3vhe-r6zby', 'x2dkj-5nfgu', 'm7wqs-a4pte', 'h6ycr-2bvkd', 'f3nzu-q7xma', 'w5ejt-k2rcp'];

export const MfaPasswordBodySchema = z.object({ password: PasswordSchema }).strict().openapi('TotpEnrolRequest', { example: { password: 'correct horse battery staple' } });

export const MfaCodeBodySchema = z.object({ code: CodeSchema }).strict().openapi('TotpConfirmRequest', { example: { code: '492039' } });

export const MfaPasswordCodeBodySchema = z
  .object({ password: PasswordSchema, code: CodeSchema })
  .strict()
  .openapi('MfaVerifiedRequest', { example: { password: 'correct horse battery staple', code: '492039' } });

export const MfaLoginBodySchema = z
  .object({
    mfaToken: z
      .string(typed('a string'))
      .min(1, 'Must not be empty')
      .max(128, 'Must be at most 128 characters')
      .openapi({ example: 'Jq0sVnQ2m8b1vR4xKc7TtYw3ZpLdE6uHfA9oNiGkMjs', description: 'The `mfaToken` of the login\'s 401 `mfa-required` answer (valid 5 minutes).' }),
    code: CodeSchema,
  })
  .strict()
  .openapi('MfaLoginRequest', { example: { mfaToken: 'Jq0sVnQ2m8b1vR4xKc7TtYw3ZpLdE6uHfA9oNiGkMjs', code: '492039' } });

export const TotpEnrolmentSchema = z
  .object({
    secret: z.string().openapi({ description: 'The TOTP secret, base32 (for typing into an app by hand). Shown only in this answer.', example: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' }),
    otpauthUri: z.string().openapi({
      description: 'The same secret as an otpauth:// URI (issuer "Budgeting", the account\'s email as label; SHA-1, 6 digits, 30 s) for a QR code.',
      example: 'otpauth://totp/Budgeting:ada%40example.com?issuer=Budgeting&secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&algorithm=SHA1&digits=6&period=30',
    }),
    status: z.literal('pending').openapi({ description: 'Not on until confirmed with a code (POST /v1/me/mfa/totp/confirm).' }),
  })
  .openapi('TotpEnrolment');

export const RecoveryCodesSchema = z
  .object({
    recoveryCodes: z.array(z.string()).openapi({ description: 'Ten one-time recovery codes, each good for one sign-in instead of an app code. Shown only in this answer; only their hashes are stored.' }),
  })
  .openapi('RecoveryCodes', { example: { recoveryCodes: recoveryCodesExample } });

export const MfaStatusSchema = z
  .object({
    totp: z.enum(['off', 'pending', 'on']).openapi({ description: '`pending`: enrolled, not yet confirmed with a code (sign-in does not ask for one).' }),
    enabledAt: z.string().optional().openapi({ format: 'date-time', description: 'When it was turned on (absent unless `on`).' }),
    recoveryCodesLeft: z.number().int().openapi({ description: 'Unused recovery codes (0 unless `on`).' }),
  })
  .openapi('MfaStatus', { example: { totp: 'on', enabledAt: '2026-11-24T12:00:00.000Z', recoveryCodesLeft: 9 } });
