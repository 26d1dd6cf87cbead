import type { AxiosResponse } from 'axios';

/**
 * Reading an HTTP answer that should be JSON, as the connectors' clients do: the body comes as
 * text (axios `responseType: 'text'`, so that its size is bounded before parsing), and a body that
 * is empty or not JSON is `undefined`, for the caller to say what the service broke.
 */
export function parseJsonText(text: unknown): unknown {
  if (typeof text !== 'string' || text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** a response header as one string, or undefined (absent, or sent several times) */
export function stringHeader(res: AxiosResponse, name: string): string | undefined {
  const value: unknown = res.headers[name];
  return typeof value === 'string' ? value : undefined;
}
