import { describe, expect, it } from 'vitest';
import { leftOverAtHub, worstExitCode } from './demo.js';

describe('the demo passes only when the hub holds every valid record', () => {
  it('names what the reconciliation found missing, dead or pending', () => {
    expect(leftOverAtHub({ missingAtHub: 0, dead: 0, pending: 0 })).toEqual([]);
    expect(leftOverAtHub({ missingAtHub: 600, dead: 0, pending: 600 })).toEqual(['600 missing at the hub', '600 still pending']);
    expect(leftOverAtHub({ missingAtHub: 0, dead: 3, pending: 0 })).toEqual(['3 dead']);
  });

  it('exits with the worst of its jobs: configuration over failure over records left over', () => {
    expect(worstExitCode([0, 0])).toBe(0);
    expect(worstExitCode([0, 3])).toBe(3);
    expect(worstExitCode([3, 1])).toBe(1);
    expect(worstExitCode([1, 2, 3])).toBe(2);
  });
});
