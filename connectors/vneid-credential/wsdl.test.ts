import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { DOMParser } from '@xmldom/xmldom';
import { createClientAsync } from 'soap';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateXML } from 'xmllint-wasm';
import { securityHeaderXml, xRoadHeaderXml } from './headers.js';
import { CREDENTIAL_NS, credentialServiceWsdlPath, refuseRemoteImport } from './wsdl.js';
import type { VneidSimulator } from './simulator/index.js';
import { CLIENT_ID, SERVICE_ID, SIM_LOGIN, startTestSimulator } from './testing/support.js';

/**
 * The project's WSDL and XSD: what the contract says they are, read from disk only, and the XML the
 * soap package makes from them (requests and the simulator's answers) valid against the XSD.
 */

const XSD_PATH = join(credentialServiceWsdlPath(), '..', 'CredentialService.xsd');
const xsd = readFileSync(XSD_PATH, 'utf8');

/** the first element inside soap:Body, as a document of its own */
function bodyElement(envelope: string): string {
  const m = /<soap:Body>([\s\S]*)<\/soap:Body>/.exec(envelope);
  expect(m).not.toBeNull();
  return m![1]!;
}

async function xsdErrors(xml: string): Promise<string[]> {
  const result = await validateXML({ xml: [{ fileName: 'message.xml', contents: xml }], schema: { fileName: 'CredentialService.xsd', contents: xsd } });
  return result.errors.map((e) => e.message);
}

describe('the CredentialService WSDL', () => {
  let sim: VneidSimulator;
  beforeAll(async () => {
    sim = await startTestSimulator();
  });
  afterAll(() => sim.stop());

  it('is SOAP 1.1 document/literal in urn:vn:gov:credential:v1, SOAPAction the operation name, elements qualified', () => {
    const wsdl = new DOMParser().parseFromString(readFileSync(credentialServiceWsdlPath(), 'utf8'), 'text/xml');
    const root = wsdl.documentElement!;
    expect(root.getAttribute('targetNamespace')).toBe(CREDENTIAL_NS);
    const operations = Array.from(wsdl.getElementsByTagNameNS('http://schemas.xmlsoap.org/wsdl/soap/', 'operation'));
    expect(operations.map((o) => [o.getAttribute('soapAction'), o.getAttribute('style')])).toEqual([
      ['PublishCredential', 'document'],
      ['RevokeCredential', 'document'],
      ['QueryCredentials', 'document'],
    ]);
    expect(Array.from(wsdl.getElementsByTagNameNS('http://schemas.xmlsoap.org/wsdl/soap/', 'body')).every((b) => b.getAttribute('use') === 'literal')).toBe(true);
    expect(wsdl.getElementsByTagNameNS('http://schemas.xmlsoap.org/wsdl/soap/', 'binding')[0]?.getAttribute('transport')).toBe('http://schemas.xmlsoap.org/soap/http');
    const schema = new DOMParser().parseFromString(xsd, 'text/xml').documentElement!;
    expect([schema.getAttribute('targetNamespace'), schema.getAttribute('elementFormDefault')]).toEqual([CREDENTIAL_NS, 'qualified']);
  });

  it('the requests the soap package makes from it and the simulator\'s answers are valid against the XSD', async () => {
    const client = await createClientAsync(credentialServiceWsdlPath(), { endpoint: sim.url, wsdl_options: { overrideImportLocation: refuseRemoteImport } });
    const call = async (operation: string, args: object): Promise<{ request: string; response: string }> => {
      client.clearSoapHeaders();
      client.addSoapHeader(xRoadHeaderXml({ messageId: randomUUID(), userId: 'op', client: CLIENT_ID, service: SERVICE_ID, operation }));
      client.addSoapHeader(securityHeaderXml({ ...SIM_LOGIN, now: Date.now(), ttlSeconds: 300 }));
      const [, response, , request] = (await (client as unknown as Record<string, (a: object) => Promise<[unknown, string, unknown, string]>>)[`${operation}Async`]!(args)) as [unknown, string, unknown, string];
      return { request, response };
    };
    const key = `DHA-VB-${randomUUID()}`;
    const exchanges = [
      await call('PublishCredential', { personalId: '001099000321', credentialType: 'DIPLOMA', credentialKey: key, title: 'Bằng cử nhân', issuerName: 'Trường Đại học A', issueDate: '2024-06-25', documentHash: 'c'.repeat(64), verifyUrl: 'https://a.example/v/1' }),
      await call('PublishCredential', { personalId: '001099000321', credentialType: 'SCHOOL_RECORD', credentialKey: `${key}-2`, title: 'Học bạ', issuerName: 'Trường B', issueDate: '2024-06-25', documentHash: 'd'.repeat(64) }),
      await call('QueryCredentials', { personalId: '001099000321' }),
    ];
    const credentialId = sim.credential(key)!.credentialId;
    exchanges.push(await call('RevokeCredential', { personalId: '001099000321', credentialId, reason: 'Thu hồi theo quyết định số 1' }));
    for (const { request, response } of exchanges) {
      expect(await xsdErrors(bodyElement(request))).toEqual([]);
      expect(await xsdErrors(bodyElement(response))).toEqual([]);
    }
    expect(exchanges[2]!.response.match(/<credential>/g)).toHaveLength(2);
  });

  it('is read from disk only: a schema named by a network address is refused, never fetched', async () => {
    let requests = 0;
    const server = createServer((_req, res) => {
      requests += 1;
      res.end(xsd);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const dir = mkdtempSync(join(tmpdir(), 'lt-wsdl-'));
    try {
      const remote = `http://127.0.0.1:${(server.address() as AddressInfo).port}/CredentialService.xsd`;
      const path = join(dir, 'CredentialService.wsdl');
      writeFileSync(path, readFileSync(credentialServiceWsdlPath(), 'utf8').replace('schemaLocation="CredentialService.xsd"', `schemaLocation="${remote}"`));
      await expect(createClientAsync(path, { disableCache: true, wsdl_options: { overrideImportLocation: refuseRemoteImport } })).rejects.toMatchObject({ code: 'VNEID_WSDL_REMOTE_IMPORT' });
      expect(requests).toBe(0);
    } finally {
      server.close();
      rmSync(dir, { recursive: true, force: true });
    }
    expect(refuseRemoteImport('/opt/lienthong/connectors/vneid-credential/wsdl/CredentialService.xsd')).toMatch(/CredentialService\.xsd$/);
    expect(() => refuseRemoteImport('https://example.org/x.xsd')).toThrow(/from disk only/);
  });
});
