import { describe, expect, it } from 'vitest';
import { summariseTranscript } from './transcript.js';

describe('summariseTranscript', () => {
  it('weighs passed courses by credits, on the 4-point and 10-point scales, rounded half up', () => {
    const s = summariseTranscript([
      { courseCode: 'A', credits: 3, score10: '8.5' }, // A 4.0
      { courseCode: 'B', credits: 2, score10: '6.7' }, // C+ 2.5
      { courseCode: 'C', credits: 3, score10: '3.9' }, // F: not in the cumulative GPA
    ]);
    expect(s.creditsEarned).toBe(5);
    expect(s.gpa4).toBe('3.40'); // (12 + 5) / 5
    expect(s.gpa10).toBe('7.78'); // (25.5 + 13.4) / 5 = 7.78
    expect(s.classification).toBe('Giỏi');
    expect(s.lines.map((l) => [l.letter, l.score4, l.passed])).toEqual([
      ['A', '4.0', true],
      ['C+', '2.5', true],
      ['F', '0.0', false],
    ]);
  });

  it('counts a retaken course by its latest attempt', () => {
    const s = summariseTranscript([
      { courseCode: 'A', credits: 3, score10: 3, attempt: 1 },
      { courseCode: 'A', credits: 3, score10: 7, attempt: 2 },
    ]);
    expect(s.lines).toHaveLength(1);
    expect(s.gpa4).toBe('3.00');
    expect(s.classification).toBe('Khá');
  });

  it('has no classification before any course is passed, and names a bad credit count', () => {
    expect(summariseTranscript([]).classification).toBeNull();
    expect(() => summariseTranscript([{ courseCode: 'X', credits: 0, score10: 5 }])).toThrow(/course X/);
  });
});
