import { BugError, type ErrorContext } from '../../src/core/errors.js';

/**
 * What an answer's text must not hold before any XML parser sees it. SOAP 1.1 (§3) forbids a
 * Document Type Declaration in a SOAP message; a DTD is also how entity expansion attacks (billion
 * laughs, external entities reading files) get in. The soap package parses answers with sax in
 * strict mode, which skips a DOCTYPE, expands no entity a DTD declares and reads no external one
 * (a reference to any entity but XML's five is its "Invalid character entity" error, which the
 * package turns into a generic "Invalid XML"); the package also cuts whatever precedes the
 * Envelope before parsing. So a DOCTYPE would pass unnoticed and an entity would look like a
 * garbled answer: an answer with a DOCTYPE, an entity declaration, or a reference to any entity
 * other than XML's five and character references is refused here instead, whole, never parsed,
 * with an error that says why.
 */
const DTD = /<!DOCTYPE|<!ENTITY/i;
const UNDECLARED_ENTITY = /&(?!(?:lt|gt|amp|quot|apos|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});)/;

/** throws BugError VNEID_ANSWER_DTD when the answer text holds a DTD, an entity declaration or an unknown entity reference */
export function refuseDtdAndEntities(text: string, context: ErrorContext): void {
  if (DTD.test(text)) {
    throw new BugError('VNEID_ANSWER_DTD', 'the credential service answered XML with a DOCTYPE or an entity declaration (SOAP forbids them): the answer was refused unread', context);
  }
  if (UNDECLARED_ENTITY.test(text)) {
    throw new BugError('VNEID_ANSWER_DTD', 'the credential service answered XML with an entity reference XML does not define: the answer was refused unread', context);
  }
}

/** whether a text is (or holds) a SOAP envelope: a SOAP Fault rides on HTTP 500 and must be read */
export function looksLikeSoapEnvelope(text: string): boolean {
  return /<([A-Za-z_][\w.-]*:)?Envelope[\s>]/.test(text);
}
