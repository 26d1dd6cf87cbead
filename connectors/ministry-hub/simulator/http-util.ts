import type { IncomingMessage, ServerResponse } from 'node:http';
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';

const gunzipAsync = promisify(gunzip);

/** A whole-request failure the simulator answers with `{ error: { code, message } }`. */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/**
 * Reads a request body, gunzipping it when `Content-Encoding: gzip`. More than `maxBytes` (after
 * decompression) is a 413; a broken gzip stream is a 400; another encoding is a 415.
 */
export async function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase().trim();
  if (encoding !== 'identity' && encoding !== 'gzip') {
    throw new HttpProblem(415, 'UNSUPPORTED_ENCODING', 'Content-Encoding must be gzip or none');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    // Keep draining so the client sees the answer instead of a reset.
    if (size > maxBytes) tooLarge = true;
    else chunks.push(chunk);
  }
  if (tooLarge) throw tooLargeProblem(maxBytes);
  const raw = Buffer.concat(chunks);
  if (encoding === 'identity') return raw;
  try {
    return await gunzipAsync(raw, { maxOutputLength: maxBytes });
  } catch (err) {
    if (err instanceof RangeError || (err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw tooLargeProblem(maxBytes);
    }
    throw new HttpProblem(400, 'MALFORMED_GZIP', 'the gzip request body cannot be decompressed');
  }
}

function tooLargeProblem(maxBytes: number): HttpProblem {
  return new HttpProblem(413, 'BATCH_TOO_LARGE', `the batch is larger than ${maxBytes} bytes decompressed`);
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

export function problemBody(code: string, message: string): { error: { code: string; message: string } } {
  return { error: { code, message } };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
