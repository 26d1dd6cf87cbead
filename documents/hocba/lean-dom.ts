/**
 * A small, fast, strict DOM for the XML lienthong writes itself (học bạ documents it built and the
 * signatures it added): elements, attributes, namespaces and text, nothing else. It answers the part
 * of the DOM API the layout, signing and verification code reads (childNodes, firstChild/nextSibling,
 * getAttribute, attributes, namespaceURI/localName/prefix, textContent, parentNode), and computes
 * the exclusive canonical form of an element itself, as xml-crypto does on an xmldom tree.
 *
 * Why: sealing and checking a document lienthong has just built spent most of its time in xmldom's
 * general parser (a third of a millisecond per kilobyte), several times per document. This parser
 * reads only what lienthong writes and refuses everything else (a comment, CDATA, a processing
 * instruction after the declaration, a DOCTYPE, an entity other than the five predefined ones and
 * character references, an unbound prefix, an empty namespace declaration, a repeated attribute, a
 * mismatched end tag): the caller
 * then uses xmldom's full path. Documents from elsewhere (a school's own software, the hub's
 * simulator) always go through xmldom.
 */
import type { Document } from '@xmldom/xmldom';

const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';

/** Something this parser does not read: the caller falls back to xmldom (never a verdict on the document). */
export class LeanXmlUnsupported extends Error {}

export class LeanAttr {
  constructor(
    readonly name: string,
    readonly prefix: string | null,
    readonly localName: string,
    readonly namespaceURI: string | null,
    readonly value: string,
  ) {}
}

/** An element's attributes, as xmldom's NamedNodeMap answers `length` and `item(i)`. */
class LeanAttributes {
  constructor(readonly list: readonly LeanAttr[]) {}
  get length(): number {
    return this.list.length;
  }
  item(i: number): LeanAttr | null {
    return this.list[i] ?? null;
  }
}

const NO_ATTRIBUTES = new LeanAttributes([]);

export class LeanText {
  readonly nodeType = 3;
  parentNode: LeanElement | null = null;
  nextSibling: LeanNode | null = null;
  constructor(readonly data: string) {}
  get textContent(): string {
    return this.data;
  }
}

export type LeanNode = LeanElement | LeanText;

export class LeanElement {
  readonly nodeType = 1;
  parentNode: LeanElement | null = null;
  nextSibling: LeanNode | null = null;
  firstChild: LeanNode | null = null;
  readonly childNodes: LeanNode[] = [];
  /** offsets in the source text: the '<' of the start tag, just past its '>', the '<' of the end tag (or the start tag's end for an empty one), just past the end */
  start = 0;
  startTagEnd = 0;
  contentEnd = 0;
  end = 0;
  /** whether the source wrote it as an empty-element tag (`<a/>`) */
  selfClosing = false;

  constructor(
    readonly tagName: string,
    readonly prefix: string | null,
    readonly localName: string,
    readonly namespaceURI: string | null,
    readonly attributes: LeanAttributes,
  ) {}

  get lastChild(): LeanNode | null {
    return this.childNodes[this.childNodes.length - 1] ?? null;
  }
  get textContent(): string {
    let out = '';
    for (const child of this.childNodes) out += child.textContent;
    return out;
  }
  /**
   * Puts `child` (the root of another lean document: a signature just written) last among this
   * element's children, or in the place of `replaced`. The text is spliced the same way by the caller.
   */
  adopt(child: LeanElement, replaced?: LeanElement): void {
    const at = replaced ? this.childNodes.indexOf(replaced) : this.childNodes.length;
    if (at === -1) throw new Error('the element to replace is not a child of this one');
    this.childNodes.splice(at, replaced ? 1 : 0, child);
    this.firstChild = this.childNodes[0] ?? null;
    child.parentNode = this;
    child.nextSibling = this.childNodes[at + 1] ?? null;
    const before = this.childNodes[at - 1];
    if (before) before.nextSibling = child;
  }

  getAttribute(name: string): string | null {
    for (const a of this.attributes.list) if (a.name === name) return a.value;
    return null;
  }
}

export class LeanDocument {
  readonly nodeType = 9;
  constructor(
    readonly documentElement: LeanElement,
    /** the text it was read from (line ends normalised to \n) */
    readonly source: string,
  ) {}
  get firstChild(): LeanElement {
    return this.documentElement;
  }
}

const NAME = /[A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?/y;
const ATTRIBUTE = /\s+([A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?)\s*=\s*(?:"([^"<]*)"|'([^'<]*)')/y;
const TAG_CLOSE = /\s*(\/?)>/y;
const END_TAG = /<\/([A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?)\s*>/y;
const DECLARATION = /<\?xml\s[^?<>]*\?>/y;
const ENTITY = /&(?:(amp|lt|gt|quot|apos)|#(\d{1,7})|#x([0-9A-Fa-f]{1,6}));/y;
const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Replaces the five predefined entities and character references; any other '&' is refused. */
function decode(text: string): string {
  if (!text.includes('&')) return text;
  let out = '';
  let from = 0;
  for (let at = text.indexOf('&'); at !== -1; at = text.indexOf('&', from)) {
    out += text.slice(from, at);
    ENTITY.lastIndex = at;
    const m = ENTITY.exec(text);
    if (!m) throw new LeanXmlUnsupported('an entity other than the predefined ones or a character reference');
    if (m[1]) out += PREDEFINED[m[1]];
    else {
      const code = m[2] !== undefined ? Number.parseInt(m[2], 10) : Number.parseInt(m[3] ?? '', 16);
      if (!isXmlChar(code)) throw new LeanXmlUnsupported('a character reference to a character XML does not allow');
      out += String.fromCodePoint(code);
    }
    from = ENTITY.lastIndex;
  }
  return out + text.slice(from);
}

function isXmlChar(code: number): boolean {
  return code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
}

function splitName(qname: string): [string | null, string] {
  const colon = qname.indexOf(':');
  return colon === -1 ? [null, qname] : [qname.slice(0, colon), qname.slice(colon + 1)];
}

/**
 * Parses XML lienthong wrote into a LeanDocument, typed as an xmldom Document for the code that reads
 * documents (it uses no more of the DOM than this answers). Throws LeanXmlUnsupported for anything
 * outside that subset, and for XML that is not well-formed.
 */
export function parseLeanXml(input: string): Document {
  return parseLeanDocument(input) as unknown as Document;
}

export function parseLeanDocument(input: string): LeanDocument {
  const xml = input.includes('\r') ? input.replace(/\r\n?/g, '\n') : input;
  let i = 0;
  DECLARATION.lastIndex = 0;
  if (DECLARATION.exec(xml)) i = DECLARATION.lastIndex;
  let root: LeanElement | null = null;
  let current: LeanElement | null = null;
  const scopes: Array<Map<string, string>> = [new Map([['xml', XML_NS]])];

  const append = (node: LeanNode): void => {
    if (!current) return;
    const last = current.childNodes[current.childNodes.length - 1];
    if (last) last.nextSibling = node;
    else current.firstChild = node;
    node.parentNode = current;
    current.childNodes.push(node);
  };

  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const textEnd = lt === -1 ? xml.length : lt;
    if (textEnd > i) {
      const raw = xml.slice(i, textEnd);
      if (current) {
        if (raw.includes(']]>')) throw new LeanXmlUnsupported("']]>' in text");
        append(new LeanText(decode(raw)));
      } else if (raw.trim() !== '') throw new LeanXmlUnsupported('text outside the root element');
    }
    if (lt === -1) break;
    const next = xml.charCodeAt(lt + 1);
    if (next === 0x2f /* / */) {
      END_TAG.lastIndex = lt;
      const m = END_TAG.exec(xml);
      if (!m || !current || m[1] !== current.tagName) throw new LeanXmlUnsupported('a mismatched end tag');
      current.contentEnd = lt;
      current.end = END_TAG.lastIndex;
      scopes.pop();
      current = current.parentNode;
      i = END_TAG.lastIndex;
      continue;
    }
    if (next === 0x21 /* ! */ || next === 0x3f /* ? */) throw new LeanXmlUnsupported('a comment, CDATA section, DOCTYPE or processing instruction');
    if (root && !current) throw new LeanXmlUnsupported('a second root element');

    NAME.lastIndex = lt + 1;
    const name = NAME.exec(xml);
    if (!name) throw new LeanXmlUnsupported('a start tag without a name');
    let at = NAME.lastIndex;
    const raw: Array<[string, string]> = [];
    for (;;) {
      ATTRIBUTE.lastIndex = at;
      const a = ATTRIBUTE.exec(xml);
      if (!a) break;
      raw.push([a[1] as string, a[2] ?? a[3] ?? '']);
      at = ATTRIBUTE.lastIndex;
    }
    TAG_CLOSE.lastIndex = at;
    const close = TAG_CLOSE.exec(xml);
    if (!close) throw new LeanXmlUnsupported('a start tag that does not close');

    // namespace declarations first: they apply to the element's own name and its attributes
    let scope = scopes[scopes.length - 1] as Map<string, string>;
    for (const [n, [qname, value]] of raw.entries()) {
      for (let k = 0; k < n; k++) if ((raw[k] as [string, string])[0] === qname) throw new LeanXmlUnsupported('a repeated attribute');
      if (qname.startsWith('xmlns') && (qname.length === 5 || qname.charCodeAt(5) === 0x3a)) {
        const uri = decode(value);
        // undeclaring (xmlns="", XML 1.1's xmlns:p="") is never written by lienthong, and xml-crypto
        // renders the children of such an element differently from the recommendation: xmldom's path
        if (uri === '') throw new LeanXmlUnsupported('an empty namespace declaration');
        if (scope === scopes[scopes.length - 1]) scope = new Map(scope);
        scope.set(qname === 'xmlns' ? '' : qname.slice(6), uri);
      }
    }
    const attrs: LeanAttr[] = raw.length === 0 ? [] : raw.map(([qname, value]) => {
      // attribute-value normalisation: literal tabs and line ends read as spaces, references stay
      const text = decode(/[\t\n]/.test(value) ? value.replace(/[\t\n]/g, ' ') : value);
      if (qname === 'xmlns') return new LeanAttr(qname, null, 'xmlns', XMLNS_NS, text);
      const [prefix, local] = splitName(qname);
      if (prefix === 'xmlns') return new LeanAttr(qname, prefix, local, XMLNS_NS, text);
      if (prefix === null) return new LeanAttr(qname, null, local, null, text);
      const uri = scope.get(prefix);
      if (uri === undefined) throw new LeanXmlUnsupported('an attribute with an unbound prefix');
      return new LeanAttr(qname, prefix, local, uri, text);
    });
    const qname = name[0];
    const [prefix, local] = splitName(qname);
    const uri = scope.get(prefix ?? '');
    if (prefix !== null && uri === undefined) throw new LeanXmlUnsupported('an element with an unbound prefix');
    const el = new LeanElement(qname, prefix, local, uri === undefined || uri === '' ? null : uri, attrs.length === 0 ? NO_ATTRIBUTES : new LeanAttributes(attrs));
    el.start = lt;
    el.startTagEnd = TAG_CLOSE.lastIndex;
    if (current) append(el);
    else root = el;
    i = TAG_CLOSE.lastIndex;
    if (close[1] === '/') {
      el.selfClosing = true;
      el.contentEnd = lt;
      el.end = i;
    } else {
      current = el;
      scopes.push(scope);
    }
  }
  if (!root || current) throw new LeanXmlUnsupported('no root element, or one that does not end');
  return new LeanDocument(root, xml);
}

/** Whether `el` is an element of a lean document (its canonical form is computed here, not by xml-crypto). */
export function isLeanElement(el: unknown): el is LeanElement {
  return el instanceof LeanElement;
}

const TEXT_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#xD;' };
const ATTR_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '"': '&quot;', '\r': '&#xD;', '\n': '&#xA;', '\t': '&#x9;' };
const escapeText = (s: string): string => (/[&<>\r]/.test(s) ? s.replace(/[&<>\r]/g, (c) => TEXT_ESCAPES[c] as string) : s);
const escapeAttr = (s: string): string => (/[&<"\r\n\t]/.test(s) ? s.replace(/[&<"\r\n\t]/g, (c) => ATTR_ESCAPES[c] as string) : s);

/**
 * Exclusive XML canonicalization without comments of one element, exactly as xml-crypto's
 * ExclusiveCanonicalization computes it on an xmldom tree with no InclusiveNamespaces and no ancestor
 * namespaces (exclusiveCanonical in documents/xmldsig/xmldsig.ts): a prefix is rendered where it is
 * visibly used and not already rendered with that URI above, the default namespace where it differs
 * from the one rendered above, namespace declarations by prefix, attributes by namespace URI then
 * local name (unqualified first).
 */
export function leanExclusiveCanonical(el: LeanElement, defaultNsForPrefix: Readonly<Record<string, string>> = {}): string {
  const parts: string[] = [];
  canonicalInto(el, new Map(), '', defaultNsForPrefix, parts);
  return parts.join('');
}

function canonicalInto(el: LeanElement, rendered: Map<string, string>, defaultNs: string, defaultNsForPrefix: Readonly<Record<string, string>>, out: string[]): void {
  out.push('<', el.tagName);
  let scope = rendered;
  let newDefault = defaultNs;
  const toRender: Array<[string, string]> = [];
  const render = (prefix: string, uri: string): void => {
    if (scope.get(prefix) === uri) return;
    if (scope === rendered) scope = new Map(rendered);
    scope.set(prefix, uri);
    toRender.push([prefix, uri]);
  };
  if (el.prefix) render(el.prefix, el.namespaceURI ?? defaultNsForPrefix[el.prefix] ?? '');
  else if (defaultNs !== (el.namespaceURI ?? '')) {
    newDefault = el.namespaceURI ?? '';
    out.push(' xmlns="', newDefault, '"');
  }
  const attrs: LeanAttr[] = [];
  for (const a of el.attributes.list) {
    if (a.prefix && a.prefix !== 'xmlns' && a.prefix !== 'xml') render(a.prefix, a.namespaceURI ?? '');
    if (!a.name.startsWith('xmlns')) attrs.push(a);
  }
  toRender.sort((a, b) => (a[0] === b[0] ? 0 : a[0].localeCompare(b[0])));
  for (const [prefix, uri] of toRender) out.push(' xmlns:', prefix, '="', uri, '"');
  if (attrs.length > 1) attrs.sort(compareAttributes);
  for (const a of attrs) out.push(' ', a.name, '="', escapeAttr(a.value), '"');
  out.push('>');
  for (const child of el.childNodes) {
    if (child instanceof LeanText) out.push(escapeText(child.data));
    else canonicalInto(child, scope, newDefault, defaultNsForPrefix, out);
  }
  out.push('</', el.tagName, '>');
}

function compareAttributes(a: LeanAttr, b: LeanAttr): number {
  if (!a.namespaceURI && b.namespaceURI) return -1;
  if (!b.namespaceURI && a.namespaceURI) return 1;
  const left = (a.namespaceURI ?? '') + a.localName;
  const right = (b.namespaceURI ?? '') + b.localName;
  return left === right ? 0 : left < right ? -1 : 1;
}
