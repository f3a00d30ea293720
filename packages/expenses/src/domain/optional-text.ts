/** An expense's or recurring expense's free text: each field absent when there is none. */
export interface OptionalText {
  description?: string;
  merchant?: string;
}

/** description and merchant as stored: absent when empty (after trimming). */
export function optionalText(input: OptionalText): OptionalText {
  return {
    ...(input.description ? { description: input.description } : {}),
    ...(input.merchant ? { merchant: input.merchant } : {}),
  };
}

/**
 * A PATCH of description and merchant, applied to `next` (a copy being built): a field not
 * sent stays, null or '' removes it, a text replaces it.
 */
export function patchOptionalText(next: OptionalText, input: { description?: string | null; merchant?: string | null }): void {
  for (const field of ['description', 'merchant'] as const) {
    const value = input[field];
    if (value === undefined) continue;
    if (value === null || value === '') delete next[field];
    else next[field] = value;
  }
}
