import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { TransientError, type LienthongError } from '../../src/core/errors.js';
import { MinistryHubDestination } from './destination.js';
import { batchAnswerBound } from './hub-client.js';
import { encodedBatch, acceptedAnswer } from './testing/batches.js';

const CONTEXT = { dataset: 'vanbangchungchi', schemaVersion: 'VanBangChungChi/2025' };
const RECORDS = 500;
const batch = encodedBatch(RECORDS);
/** what the hub answers a batch of 500 accepted records: about 75 KB */
const normalAnswer = acceptedAnswer(batch);

let server: Server | undefined;
let destination: MinistryHubDestination | undefined;
afterEach(async () => {
  await destination?.close();
  destination = undefined;
  const s = server;
  server = undefined;
  if (s) {
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
});

describe('an answer 10,000 times too long, from a real socket', () => {
  it('is refused (HUB_ANSWER_TOO_LARGE) after reading little more than the bound: memory stays bounded', async () => {
    // ~750 MB, made as it is sent (with backpressure): `produced` is what the client made us send
    const unit = Buffer.from(normalAnswer.repeat(8));
    const total = Buffer.byteLength(normalAnswer) * 10_000;
    let produced = 0;
    const huge = new Readable({
      read() {
        if (produced >= total) {
          this.push(null);
          return;
        }
        produced += unit.length;
        this.push(unit);
      },
    });
    const s = createServer((req, res) => {
      if (req.url?.startsWith('/oauth2/token') === true) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ access_token: 't', token_type: 'Bearer', expires_in: 3600 }));
        return;
      }
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json' });
      huge.pipe(res);
      res.on('close', () => huge.destroy());
    });
    server = s;
    await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
    destination = new MinistryHubDestination({ baseUrl: `http://127.0.0.1:${(s.address() as AddressInfo).port}`, unitCode: 'DHA', clientId: 'dha', clientSecret: 'sock-secret', timeoutMs: 20_000 });
    const rssBefore = process.memoryUsage().rss;
    let err: LienthongError | undefined;
    try {
      await destination.write(batch, CONTEXT);
    } catch (e) {
      err = e as LienthongError;
    }
    expect(err).toBeInstanceOf(TransientError);
    expect(err?.code).toBe('HUB_ANSWER_TOO_LARGE');
    expect(total).toBeGreaterThan(700_000_000);
    // the bound (~8 MB) plus what the socket buffers held when the client stopped reading
    expect(produced).toBeLessThan(batchAnswerBound(RECORDS) + 16 * 1024 * 1024);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(100 * 1024 * 1024);
  });
});
