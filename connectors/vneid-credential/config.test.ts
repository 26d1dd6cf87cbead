import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/errors.js';
import { vneidCredentialConnectionSchema } from './config.js';
import { VneidCredentialDestination } from './destination.js';
import { CLIENT_ID, SERVICE_ID, connectionTo } from './testing/support.js';

const base = { endpoint: 'https://ss.example.gov.vn/CredentialService', username: 'u', password: 'env:VNEID_PASSWORD', userId: 'op', client: CLIENT_ID, service: SERVICE_ID };

describe('vneid-credential connection options', () => {
  it('takes the contract\'s options with their defaults; the password only as a reference', () => {
    expect(vneidCredentialConnectionSchema.parse(base)).toMatchObject({ timeoutMs: 30_000, timestampTtlSeconds: 300, maxBatchSize: 1, maxSockets: 16, allowInsecureHttp: false });
    expect(vneidCredentialConnectionSchema.safeParse({ ...base, password: 'plain-secret' }).success).toBe(false);
    expect(vneidCredentialConnectionSchema.safeParse({ ...base, client: { ...CLIENT_ID, memberCode: '' } }).success).toBe(false);
    expect(vneidCredentialConnectionSchema.safeParse({ ...base, wsdlUrl: 'https://x' }).success).toBe(false);
  });

  it('refuses plain http to another machine unless allowed, and then warns every run', () => {
    const refused = vneidCredentialConnectionSchema.safeParse({ ...base, endpoint: 'http://ss.example.gov.vn/CredentialService' });
    expect(refused.success).toBe(false);
    expect(JSON.stringify(refused.error?.issues)).toContain('VNEID_INSECURE_HTTP');
    expect(vneidCredentialConnectionSchema.safeParse({ ...base, endpoint: 'http://127.0.0.1:9000/CredentialService' }).success).toBe(true);
    expect(() => new VneidCredentialDestination(connectionTo('http://10.0.0.5/CredentialService'))).toThrow(expect.objectContaining({ code: 'VNEID_INSECURE_HTTP' }) as Error);
    const allowed = new VneidCredentialDestination(connectionTo('http://10.0.0.5/CredentialService', { allowInsecureHttp: true, name: 'config/lienthong.yaml: connections.vneid' }));
    expect(allowed.warnings()).toEqual([expect.stringContaining('connections.vneid: sending to http://10.0.0.5 over plain http')]);
  });

  it('names the fields at fault, never the password', () => {
    let caught: unknown;
    try {
      new VneidCredentialDestination({ ...connectionTo('https://x.example'), password: 'hunter2-secret', timeoutMs: -1 });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as Error).message).toContain('timeoutMs');
    expect((caught as Error).message).not.toContain('hunter2-secret');
    expect(JSON.stringify(new VneidCredentialDestination(connectionTo('https://x.example')).config)).not.toContain('vneid-test-secret');
  });
});
