import { BugError, type ErrorContext } from '../../src/core/errors.js';

/**
 * What an answer's text must not hold before any XML parser sees it. SOAP 1.1 (§3) forbids a
 * Document Type Declaration in a SOAP message; a DTD is also how entity expansion attacks (billion
 * laughs, external entities reading files) get in. The soap package's parser (sax) does not expand
 * external entities, but it lets a DOCTYPE through and the package strips text before the Envelope
 * on its own: an answer with a DOCTYPE or an entity declaration, or with a reference to any entity
 * other than XML's five and character references, is refused here, whole, and never parsed.
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
