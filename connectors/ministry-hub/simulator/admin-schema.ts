import { z } from 'zod';

const rate = z.number().min(0).max(1);

/** Body of `POST /_admin/faults`: the faults to change; `revokeTokens: true` revokes every token now. */
export const faultChangesSchema = z
  .object({
    errorRate: rate,
    errorStatuses: z.array(z.number().int().min(500).max(599)).min(1),
    failAfterApplyRate: rate,
    latencyMs: z.number().int().min(0),
    latencyJitterMs: z.number().int().min(0),
    throttleRate: rate,
    throttleBurstLength: z.number().int().min(1),
    throttleRetryAfterSeconds: z.number().int().min(0),
    timeoutRate: rate,
    revokeRate: rate,
    refuseTokens: z.boolean(),
    tooLargeAboveRecords: z.number().int().min(0).nullable(),
    applyToReads: z.boolean(),
    revokeTokens: z.boolean(),
  })
  .partial()
  .strict();

export type FaultChanges = z.infer<typeof faultChangesSchema>;
