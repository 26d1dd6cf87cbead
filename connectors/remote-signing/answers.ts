import { z } from 'zod';

/** The service's answers, checked before use: a body that breaks the contract is a BugError, not a guess. */

export const tokenAnswerSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.string().regex(/^bearer$/i),
  expires_in: z.number().positive().optional(),
});

export const credentialsListAnswerSchema = z.object({ credentialIds: z.array(z.string().min(1)) });

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'not base64');

export const credentialInfoAnswerSchema = z.object({
  key: z.object({
    status: z.enum(['enabled', 'disabled']),
    algo: z.array(z.string()).default([]),
    len: z.number().int().positive().optional(),
  }),
  cert: z.object({
    status: z.enum(['valid', 'expired', 'revoked']),
    certificates: z.array(base64.min(1)).min(1),
    subjectDN: z.string().optional(),
    serialNumber: z.string().optional(),
    validFrom: z.string().optional(),
    validTo: z.string().optional(),
  }),
});

export const signHashAnswerSchema = z.object({
  transactionId: z.string().min(1),
  expiresAt: z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'not a date'),
});

export const statusAnswerSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('PENDING') }),
  z.object({
    status: z.literal('APPROVED'),
    signatures: z.array(base64.min(1)).min(1),
    approvedAt: z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'not a date'),
  }),
  z.object({ status: z.literal('REJECTED'), reason: z.string().default('') }),
  z.object({ status: z.literal('EXPIRED') }),
]);

/** The CSC error body `{ error, error_description }` (fields that are not strings are left out). */
export function cscErrorOf(body: unknown): { error?: string; description?: string } {
  if (body === null || typeof body !== 'object') return {};
  const { error, error_description: description } = body as { error?: unknown; error_description?: unknown };
  return {
    ...(typeof error === 'string' ? { error } : {}),
    ...(typeof description === 'string' ? { description } : {}),
  };
}

export function firstIssue(issues: readonly { path: PropertyKey[]; message: string }[]): string {
  const issue = issues[0];
  if (issue === undefined) return 'unknown';
  return `${issue.path.map(String).join('.') || '(body)'}: ${issue.message}`;
}
