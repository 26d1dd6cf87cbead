import { Writable } from 'node:stream';
import winston from 'winston';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';

describe('logger', () => {
  it('writes JSON lines with personal ids masked and personal or secret fields dropped', async () => {
    const lines: string[] = [];
    const logger = createLogger({ console: false });
    logger.add(new winston.transports.Stream({ stream: new Writable({ write(chunk: Buffer, _e, cb) { lines.push(chunk.toString()); cb(); } }) }));
    logger.child({ job: 'diplomas', run: 'r1' }).info('record 001203004567 rejected', { hovaten: 'Nguyễn Văn An', clientSecret: 's3cr3t', diem: [8.5, 9], context: { national_id: '001203004567', note: 'id 001203004567' }, records: 3 });
    await new Promise((r) => setTimeout(r, 10));
    const entry = JSON.parse(lines[0] ?? '{}') as Record<string, unknown>;
    const text = lines.join('');
    expect(entry).toMatchObject({ job: 'diplomas', run: 'r1', records: 3, level: 'info' });
    expect(text).not.toContain('001203004567');
    expect(text).toContain('********4567');
    expect(text).not.toContain('Nguyễn');
    expect(text).not.toContain('s3cr3t');
    expect(text).not.toContain('8.5');
  });
});
