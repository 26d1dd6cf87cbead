import { DOMParser, type Document, type Element, type Node } from '@xmldom/xmldom';
import { DataError } from '../../src/core/errors.js';

export const XMLDSIG_NS = 'http://www.w3.org/2000/09/xmldsig#';

/**
 * Parses XML and refuses anything the parser only warns about: a signed document that a lenient parser
 * "repairs" is not the document that was signed. A DOCTYPE is refused too: a DTD could declare extra ID
 * attributes or entities and make two verifiers see two different documents.
 */
export function parseXmlStrict(xml: string, what = 'XML document'): Document {
  if (/<!DOCTYPE/i.test(xml)) {
    throw new DataError('XML_DOCTYPE_FORBIDDEN', `${what}: a DOCTYPE is not allowed`);
  }
  const parser = new DOMParser({
    locator: true,
    onError: (level, message) => {
      throw new DataError('XML_MALFORMED', `${what} is not well-formed XML (${level}): ${firstLine(message)}`);
    },
  });
  let doc: Document;
  try {
    doc = parser.parseFromString(xml, 'text/xml');
  } catch (err) {
    if (err instanceof DataError) throw err;
    const cause = err instanceof Error && err.cause instanceof DataError ? err.cause : undefined;
    if (cause) throw cause;
    throw new DataError('XML_MALFORMED', `${what} is not well-formed XML: ${firstLine(err instanceof Error ? err.message : String(err))}`, {}, { cause: err });
  }
  if (!doc.documentElement) throw new DataError('XML_MALFORMED', `${what} has no root element`);
  return doc;
}

function firstLine(message: string): string {
  // Parser messages may quote the offending text (a name, a score): keep the description before any
  // quote and the position, so that no field value leaks into an error.
  const description = (message.split('\n')[0] ?? '').split(/["'`]/)[0]?.trim().slice(0, 80) ?? '';
  const position = /\[line:\d+,col:\d+\]/.exec(message)?.[0] ?? '';
  return `${description} ${position}`.trim();
}

export function isElement(node: Node | null | undefined): node is Element {
  return node !== null && node !== undefined && node.nodeType === 1;
}

/** The element children of a node, in document order. */
export function childElements(node: Node): Element[] {
  const out: Element[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling) {
    if (isElement(child)) out.push(child);
  }
  return out;
}

/** Every element under (and including) `root`, breadth first. */
export function allElements(root: Element): Element[] {
  const out: Element[] = [root];
  for (let i = 0; i < out.length; i++) {
    const el = out[i];
    if (el) out.push(...childElements(el));
  }
  return out;
}

/** Text content of an element that may hold only text (no child elements). */
export function textOf(el: Element): string {
  return el.textContent ?? '';
}

export function isNamed(el: Element, namespace: string, localName: string): boolean {
  return el.namespaceURI === namespace && el.localName === localName;
}
