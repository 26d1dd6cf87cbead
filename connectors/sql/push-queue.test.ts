import { describe, expect, it } from 'vitest';
import { PushQueue } from './push-queue.js';

function control() {
  const calls: string[] = [];
  return { calls, control: { pause: () => calls.push('pause'), resume: () => calls.push('resume'), cancel: () => calls.push('cancel') } };
}

describe('PushQueue', () => {
  it('pauses the producer at the high-water mark and resumes it at the low-water mark', async () => {
    const { calls, control: c } = control();
    const queue = new PushQueue<number>(c, 8, 2);
    for (let i = 0; i < 8; i++) queue.push(i);
    expect(queue.isPaused).toBe(true);
    expect(calls).toEqual(['pause']);
    const iterator = queue[Symbol.asyncIterator]();
    const seen: number[] = [];
    for (let i = 0; i < 6; i++) seen.push((await iterator.next()).value as number);
    expect(calls).toEqual(['pause', 'resume']);
    queue.push(8);
    queue.end();
    for (let step = await iterator.next(); !step.done; step = await iterator.next()) seen.push(step.value);
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('waits for rows that arrive later', async () => {
    const { control: c } = control();
    const queue = new PushQueue<string>(c);
    setTimeout(() => {
      queue.push('a');
      queue.push('b');
      queue.end();
    }, 5);
    const seen: string[] = [];
    for await (const row of queue) seen.push(row);
    expect(seen).toEqual(['a', 'b']);
  });

  it('hands out received rows, then raises the error', async () => {
    const { control: c } = control();
    const queue = new PushQueue<number>(c);
    queue.push(1);
    queue.fail(new Error('boom'));
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const row of queue) seen.push(row);
      })(),
    ).rejects.toThrow('boom');
    expect(seen).toEqual([1]);
  });

  it('cancels the producer when the reader stops early', async () => {
    const { calls, control: c } = control();
    const queue = new PushQueue<number>(c);
    queue.push(1);
    queue.push(2);
    for await (const _row of queue) break;
    expect(calls).toContain('cancel');
    queue.push(3);
    expect(queue.buffered).toBe(0);
  });
});
