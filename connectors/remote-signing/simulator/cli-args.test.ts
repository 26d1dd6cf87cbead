import { describe, expect, it } from 'vitest';
import { parsePolicy, parseSigningSimulatorArgs } from './cli-args.js';

describe('signing simulator command line', () => {
  it('parses clients, signers, the policy and the CA files', () => {
    const options = parseSigningSimulatorArgs(
      ['--client-id', 'school', '--signer', '001085012345:Nguyễn Thị Lan', '--signer', '079190054321:Trần Văn Minh', '--policy', 'manual',
        '--ca-cert', 'demo/pki/signing-ca.crt', '--ca-key', 'demo/pki/signing-ca.key', '--transaction-ttl-ms', '60000'],
      { RSIGN_SIM_CLIENT_SECRET: 'from-env' },
    );
    expect(options.clients).toEqual([{ clientId: 'school', clientSecret: 'from-env' }]);
    expect(options.signers).toEqual([
      { personalId: '001085012345', name: 'Nguyễn Thị Lan' },
      { personalId: '079190054321', name: 'Trần Văn Minh' },
    ]);
    expect(options.policy).toEqual({ mode: 'manual' });
    expect(options).toMatchObject({ port: 0, host: '127.0.0.1', transactionTtlMs: 60000, caCertPath: 'demo/pki/signing-ca.crt', caKeyPath: 'demo/pki/signing-ca.key' });
  });

  it('reads every policy form and refuses bad flags', () => {
    expect(parsePolicy('auto')).toEqual({ mode: 'auto' });
    expect(parsePolicy('auto:1500')).toEqual({ mode: 'auto', delayMs: 1500 });
    expect(parsePolicy('never')).toEqual({ mode: 'never' });
    expect(parsePolicy('reject:Sai điểm')).toEqual({ mode: 'reject', reason: 'Sai điểm' });
    expect(() => parsePolicy('sometimes')).toThrow(/--policy/);
    expect(() => parseSigningSimulatorArgs(['--client-id', 'c'])).toThrow(/client-secret/);
    expect(() => parseSigningSimulatorArgs(['--client-id', 'c', '--client-secret', 's', '--signer', '123:x'])).toThrow(/12-digit/);
    expect(() => parseSigningSimulatorArgs(['--client-id', 'c', '--client-secret', 's', '--ca-key', 'k'])).toThrow(/--ca-cert/);
    expect(() => parseSigningSimulatorArgs(['--client-id', 'c', '--client-secret', 's', '--port', 'x'])).toThrow(/--port/);
  });
});
