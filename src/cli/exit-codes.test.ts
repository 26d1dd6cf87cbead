import { describe, expect, it } from 'vitest';
import { emptyCounts } from '../store/store.js';
import { EXIT, exitCodeOf, exitCodeOfError } from './exit-codes.js';
import type { NextStepsInput } from './next-steps.js';

const run = (over: Partial<Omit<NextStepsInput, 'counts'>> & { counts?: Partial<NextStepsInput['counts']> } = {}): NextStepsInput => ({
  job: 'diplomas',
  outcome: 'succeeded',
  error: null,
  ...over,
  counts: { ...emptyCounts(), read: 10, mapped: 10, accepted: 10, ...over.counts },
});

describe('exit codes', () => {
  it('0 when everything read was sent or unchanged', () => {
    expect(exitCodeOf(run())).toBe(EXIT.ok);
  });

  it('3 when records are left over, whatever the outcome says', () => {
    expect(exitCodeOf(run({ counts: { invalid: 1 } }))).toBe(EXIT.partial);
    expect(exitCodeOf(run({ counts: { deferred: 5 } }))).toBe(EXIT.partial);
    expect(exitCodeOf(run({ counts: { rejected: 1 } }))).toBe(EXIT.partial);
    // records waiting for signers: someone must act (approve on their phone)
    expect(exitCodeOf(run({ counts: { awaitingSignature: 2 } }))).toBe(EXIT.partial);
    expect(exitCodeOf(run({ outcome: 'partial', counts: { dead: 2 } }))).toBe(EXIT.partial);
    expect(exitCodeOf(run({ outcome: 'partial' }))).toBe(EXIT.partial);
  });

  it('2 for a run stopped by an error of kind config; 1 for any other failure', () => {
    expect(exitCodeOf(run({ outcome: 'failed', error: { code: 'COLUMNS_MISMATCH', message: 'x', kind: 'config' } }))).toBe(EXIT.config);
    expect(exitCodeOf(run({ outcome: 'failed', error: { code: 'RUN_HELD_INVALID_SHARE', message: 'x', kind: 'data' } }))).toBe(EXIT.failed);
    expect(exitCodeOf(run({ outcome: 'failed', error: { code: 'SOURCE_DOWN', message: 'x' } }))).toBe(EXIT.failed);
    expect(exitCodeOf(run({ outcome: 'interrupted' }))).toBe(EXIT.failed);
  });

  it('errors thrown before a run: 2 for configuration, 1 otherwise', () => {
    expect(exitCodeOfError({ kind: 'config' })).toBe(2);
    expect(exitCodeOfError({ kind: 'transient' })).toBe(1);
    expect(exitCodeOfError({ kind: 'bug' })).toBe(1);
  });
});
