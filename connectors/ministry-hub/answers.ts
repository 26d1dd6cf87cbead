import { z } from 'zod';
import type { JsonObject } from '../../src/core/records.js';

/** The hub's answers, checked before use: a body that breaks the contract is a BugError, not a guess. */

export const tokenAnswerSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.string().regex(/^bearer$/i),
  expires_in: z.number().positive().optional(),
});

const fieldErrorSchema = z.object({ field: z.string(), code: z.string(), message: z.string() });
const sukienSchema = z.enum(['NEW', 'UPDATE', 'CANCEL']);

export const batchResultSchema = z.discriminatedUnion('status', [
  z.object({
    idbanghi: z.string(),
    status: z.literal('accepted'),
    phienban: z.number().int(),
    receiptId: z.string(),
    contentHash: z.string(),
  }),
  z.object({ idbanghi: z.string(), status: z.literal('stale'), phienban: z.number().int(), contentHash: z.string() }),
  z.object({ idbanghi: z.string(), status: z.literal('rejected'), errors: z.array(fieldErrorSchema).default([]) }),
]);

export const batchAnswerSchema = z.object({
  batchId: z.string().optional(),
  results: z.array(batchResultSchema),
});
export type BatchAnswer = z.infer<typeof batchAnswerSchema>;

const heldRecordSchema = z.object({
  idbanghi: z.string(),
  phienban: z.number().int(),
  contentHash: z.string(),
  sukien: sukienSchema,
  receiptId: z.string(),
  updatedAt: z.string(),
});

export const recordsPageSchema = z.object({
  items: z.array(heldRecordSchema),
  nextCursor: z.string().min(1).nullable().default(null),
});
export type RecordsPage = z.infer<typeof recordsPageSchema>;

const jsonObjectSchema = z.custom<JsonObject>((v) => v !== null && typeof v === 'object' && !Array.isArray(v), {
  message: 'data must be an object',
});

export const hubRecordSchema = heldRecordSchema.extend({
  thoigiancapnhat: z.string().optional(),
  data: jsonObjectSchema,
  tailieu: z.object({ dinhdang: z.string(), noidung: z.string(), sha256: z.string() }).optional(),
});
/** A record as the hub holds it now, with its data (`GET /v1/{dataset}/records/{idbanghi}`). */
export type HubRecord = z.infer<typeof hubRecordSchema>;
