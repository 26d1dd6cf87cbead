import { describe, expect, it } from 'vitest';
import { looksLikeSoapEnvelope, refuseDtdAndEntities } from './answer-guard.js';

const ok = '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><m>Trường &amp; lớp &#7855; &#x1EA1; &lt;&gt;&quot;&apos;</m></soap:Body></soap:Envelope>';

describe('the answer guard', () => {
  it('lets a plain SOAP answer with XML\'s own entities and character references through', () => {
    expect(() => refuseDtdAndEntities(`<?xml version="1.0" encoding="utf-8"?>${ok}`, {})).not.toThrow();
    expect(looksLikeSoapEnvelope(ok)).toBe(true);
    expect(looksLikeSoapEnvelope('<html><body>503</body></html>')).toBe(false);
  });

  it.each([
    ['a DOCTYPE', `<!DOCTYPE Envelope>${ok}`],
    ['a lower-case doctype', `<!doctype html>${ok}`],
    ['an internal entity (billion laughs)', `<!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>${ok.replace('<m>', '<m>&b;')}`],
    ['an external entity', `<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>${ok.replace('<m>', '<m>&xxe;')}`],
    ['an entity declared elsewhere', ok.replace('<m>', '<m>&nbsp;')],
    ['a bare ampersand', ok.replace('<m>', '<m>a & b')],
  ])('refuses %s, naming it as the peer breaking SOAP', (_what, text) => {
    expect(() => refuseDtdAndEntities(text, { connector: 'vneid-credential' })).toThrow(expect.objectContaining({ code: 'VNEID_ANSWER_DTD', kind: 'bug' }));
  });
});
