import { z } from 'zod';

/**
 * The zod half of event contracts (contract.ts), imported on a contract's first use so that
 * declaring contracts at start-up does not load zod (issue 11: a cold GET summary publishes
 * and receives nothing).
 */

/** The envelope without its payload. */
export function envelopeHeader<TType extends string>(type: TType, version: number) {
  return z.object({
    id: z.string().min(1),
    type: z.literal(type),
    version: z.literal(version),
    occurredAt: z.iso.datetime(),
  });
}

/** The whole envelope, for documentation and the catalog. */
export function wholeEnvelope(header: z.ZodObject, payload: z.ZodType): z.ZodType {
  return header.extend({ data: payload });
}

export function zodError(issues: z.core.$ZodIssue[]): z.ZodError {
  return new z.ZodError(issues);
}
