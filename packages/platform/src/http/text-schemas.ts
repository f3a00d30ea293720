import { z } from '@hono/zod-openapi';
import { ILL_FORMED_TEXT, hasVisibleText, isWellFormedText, normalizeName } from '../text';

/**
 * The one way a request's text field is declared, so every module refuses ill-formed text the
 * same way (400 naming the field, see text.ts) and normalizes names before any comparison.
 * One error per bad value: ill-formed text is not also measured (`abort`).
 */
type StringParams = Parameters<typeof z.string>[0];

const wellFormed = (params?: StringParams) => z.string(params).refine(isWellFormedText, { error: ILL_FORMED_TEXT, abort: true });

/** A name (account, budget, category): normalized (normalizeName), 1..max characters after that. */
export const nameText = (max: number, params?: StringParams) =>
  wellFormed(params)
    .overwrite(normalizeName)
    .min(1, 'Must not be empty')
    .max(max, `Must be at most ${max} characters`);

/**
 * Free text (descriptions, merchants): trimmed, otherwise kept exactly as sent (no
 * normalization, so what the client wrote comes back and survives a CSV round trip).
 * Too long is the one error (`abort`): a refinement after it (a comment's count in characters,
 * a merchant's visible character) is neither a second error for the field nor run over a
 * megabyte of text. `tooLong`: the message, when the field's own limit is counted otherwise.
 */
export const freeText = (max: number, params?: StringParams, tooLong = `Must be at most ${max} characters`) =>
  wellFormed(params).trim().max(max, { error: tooLong, abort: true });

/**
 * Name-like free text (a merchant, an income's source), listed and grouped by what it says:
 * empty (none) or with at least one visible character (hasVisibleText). One of only zero width
 * spaces or bidi marks was stored and listed among the merchants as a name that shows nothing.
 */
export const visibleText = (max: number, params?: StringParams) =>
  freeText(max, params).refine((v) => v === '' || hasVisibleText(v), { error: 'Must contain a visible character (or be empty: none)' });

/**
 * An id sent in a body (an offline push's mutation, a bulk edit's or a dismissal's list):
 * 1..max characters of well-formed text. Looked up, then echoed in the answer (a result's id,
 * a conflict's `current.id`): one with a lone surrogate was, making the answer's JSON hold text
 * UTF-8 cannot carry.
 */
export const idText = (max: number) => wellFormed().min(1).max(max);
