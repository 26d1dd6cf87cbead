import { ExclusiveCanonicalization } from 'xml-crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Element } from '@xmldom/xmldom';
import { makeSignedFixture, type SignedFixture } from '../xmldsig/testing/fixtures.js';
import { sampleHocBaRecord } from './sample-record.js';
import { allElements, parseXmlStrict, XMLDSIG_NS } from './dom.js';
import { LeanElement, LeanXmlUnsupported, leanExclusiveCanonical, parseLeanDocument } from './lean-dom.js';

const xmlCrypto = new ExclusiveCanonicalization();
type CanonInput = Parameters<ExclusiveCanonicalization['process']>[0];
const byXmlCrypto = (el: Element): string => String(xmlCrypto.process(el as unknown as CanonInput, { defaultNsForPrefix: { ds: XMLDSIG_NS } }));

function leanElements(root: LeanElement): LeanElement[] {
  const out: LeanElement[] = [root];
  for (let i = 0; i < out.length; i++) for (const c of (out[i] as LeanElement).childNodes) if (c instanceof LeanElement) out.push(c);
  return out;
}

/** Every element's canonical form, by the lean DOM and by xml-crypto on xmldom's tree, side by side. */
function expectSameCanonicalForms(xml: string): number {
  const lean = leanElements(parseLeanDocument(xml).documentElement);
  const dom = allElements(parseXmlStrict(xml).documentElement as Element);
  expect(lean.map((e) => e.tagName)).toEqual(dom.map((e) => e.tagName));
  lean.forEach((el, i) => expect(leanExclusiveCanonical(el, { ds: XMLDSIG_NS }), `element ${i} <${el.tagName}>`).toBe(byXmlCrypto(dom[i] as Element)));
  return lean.length;
}

describe('the lean DOM of the XML lienthong writes', () => {
  let signed: SignedFixture;
  let awkward: SignedFixture;
  beforeAll(async () => {
    signed = await makeSignedFixture();
    // text that needs escaping in every way the canonical form escapes it, in a record lienthong signs
    const record = sampleHocBaRecord();
    record.hovaten = 'Nguyễn "Bé" <An> & Co\r\nthứ\thai';
    record.noisinh_diachichitiet = "Số 1 > 0, 'ngõ' ]] ]]";
    awkward = await makeSignedFixture(record);
  });
  afterAll(() => {
    signed?.cleanup();
    awkward?.cleanup();
  });

  it('gives every element of a signed học bạ the canonical form xml-crypto gives it', () => {
    expect(expectSameCanonicalForms(signed.signedXml)).toBeGreaterThan(100);
    expect(expectSameCanonicalForms(awkward.signedXml)).toBeGreaterThan(100);
  });

  it('agrees with xml-crypto on namespaces, attribute order, references, line ends and empty tags', () => {
    const xml =
      '<?xml version="1.0" encoding="UTF-8"?>\r\n' +
      '<r xmlns="urn:a" xmlns:p="urn:p" xmlns:q="urn:q" z="1" a=\'2\' q:b="3" p:a="4">\r\n' +
      '  <p:x xmlns:p="urn:p2" t="a&#xA;b&#x9;c&#xD;d" u="e\tf\ng" v="&lt;&amp;&gt;&quot;&apos;">x &amp; &lt;y&gt; &#x1F600; &#233;\r</p:x>\n' +
      '  <empty/><p:empty q:k="v"/>\n' +
      '  <s xmlns="urn:b"><t xml:lang="vi">a</t></s>\n' +
      '</r>';
    expect(expectSameCanonicalForms(xml)).toBe(6);
  });

  it('refuses what lienthong never writes, so that xmldom reads it instead', () => {
    for (const xml of [
      '<r><!-- c --></r>',
      '<r><![CDATA[x]]></r>',
      '<!DOCTYPE r><r/>',
      '<r><?pi x?></r>',
      '<r>&nbsp;</r>',
      '<r>&#0;</r>',
      '<p:r/>',
      '<r a="1" a="2"/>',
      '<r><a></b></r>',
      '<r/><r/>',
      '<r>',
      '<r xmlns="urn:a"><s xmlns=""/></r>',
      'text<r/>',
    ]) {
      expect(() => parseLeanDocument(xml), xml).toThrow(LeanXmlUnsupported);
    }
  });

  it('answers the DOM the layout and verification code reads', () => {
    const doc = parseLeanDocument('<r xmlns="urn:a" Id="x"><a>1</a>\n<b:c xmlns:b="urn:b">2<d>3</d></b:c></r>');
    const root = doc.documentElement;
    expect(root.getAttribute('Id')).toBe('x');
    expect(root.getAttribute('missing')).toBeNull();
    expect(root.namespaceURI).toBe('urn:a');
    const [a, , c] = root.childNodes;
    expect(a?.nextSibling?.nextSibling).toBe(c);
    expect(c).toMatchObject({ prefix: 'b', localName: 'c', namespaceURI: 'urn:b', textContent: '23' });
    expect((c as LeanElement).parentNode).toBe(root);
    expect(root.attributes.length).toBe(2);
    expect(root.attributes.item(0)).toMatchObject({ name: 'xmlns', namespaceURI: 'http://www.w3.org/2000/xmlns/' });
  });
});
