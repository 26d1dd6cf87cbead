import { DOMParser, type Element } from '@xmldom/xmldom';
import { PASSWORD_TEXT, SERVICE_VERSION, WSSE_NS, WSU_NS, XROAD_ID_NS, XROAD_NS, XROAD_PROTOCOL_VERSION } from '../headers.js';

/**
 * The simulator's reading of a request's SOAP headers, by namespace (the soap package's server
 * hands its methods the headers without their namespaces): the X-Road headers and WS-Security as
 * docs/contracts/vneid.md has them. A request that breaks them is answered with a SOAP Fault.
 */

const SOAP_ENV_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface Identifier {
  xRoadInstance: string;
  memberClass: string;
  memberCode: string;
  subsystemCode: string;
}

export interface RequestHeaders {
  messageId: string;
  userId: string;
  client: Identifier;
  service: Identifier & { serviceCode: string; serviceVersion: string };
  username: string;
  password: string;
  created: string;
  expires: string;
}

/** A header problem: the fault the service answers with. */
export interface HeaderFault {
  faultcode: string;
  faultstring: string;
}

function child(parent: Element, ns: string, name: string): Element | undefined {
  for (let n = parent.firstChild; n !== null; n = n.nextSibling) {
    if (n.nodeType === 1 && (n as Element).namespaceURI === ns && (n as Element).localName === name) return n as Element;
  }
  return undefined;
}

function text(parent: Element | undefined, ns: string, name: string): string | undefined {
  if (parent === undefined) return undefined;
  const e = child(parent, ns, name);
  const t = e?.textContent?.trim();
  return t === undefined || t === '' ? undefined : t;
}

function identifier(e: Element | undefined): Identifier | undefined {
  const parts = {
    xRoadInstance: text(e, XROAD_ID_NS, 'xRoadInstance'),
    memberClass: text(e, XROAD_ID_NS, 'memberClass'),
    memberCode: text(e, XROAD_ID_NS, 'memberCode'),
    subsystemCode: text(e, XROAD_ID_NS, 'subsystemCode'),
  };
  if (Object.values(parts).some((v) => v === undefined)) return undefined;
  return parts as Identifier;
}

/** the headers of a request, or the fault its headers earn; `operation` is what SOAPAction named */
export function readRequestHeaders(xml: string, operation: string): RequestHeaders | HeaderFault {
  let doc;
  try {
    doc = new DOMParser().parseFromString(xml, 'text/xml');
  } catch {
    return { faultcode: 'soap:Client', faultstring: 'the request is not well-formed XML' };
  }
  const envelope = doc.documentElement;
  if (envelope === null || envelope.namespaceURI !== SOAP_ENV_NS || envelope.localName !== 'Envelope') return { faultcode: 'soap:VersionMismatch', faultstring: 'not a SOAP 1.1 envelope' };
  const header = child(envelope, SOAP_ENV_NS, 'Header');
  if (header === undefined) return { faultcode: 'soap:Client', faultstring: 'soap:Header is missing (X-Road headers and wsse:Security are required)' };
  const bad = (what: string): HeaderFault => ({ faultcode: 'soap:Client', faultstring: `X-Road header ${what}` });
  if (text(header, XROAD_NS, 'protocolVersion') !== XROAD_PROTOCOL_VERSION) return bad(`xrd:protocolVersion must be ${XROAD_PROTOCOL_VERSION}`);
  const messageId = text(header, XROAD_NS, 'id');
  if (messageId === undefined || !UUID.test(messageId)) return bad('xrd:id must be a UUID');
  const userId = text(header, XROAD_NS, 'userId');
  if (userId === undefined) return bad('xrd:userId is missing');
  const client = identifier(child(header, XROAD_NS, 'client'));
  if (client === undefined) return bad('xrd:client needs id:xRoadInstance, id:memberClass, id:memberCode and id:subsystemCode');
  const serviceElement = child(header, XROAD_NS, 'service');
  const service = identifier(serviceElement);
  const serviceCode = text(serviceElement, XROAD_ID_NS, 'serviceCode');
  const serviceVersion = text(serviceElement, XROAD_ID_NS, 'serviceVersion');
  if (service === undefined || serviceCode === undefined || serviceVersion === undefined) return bad('xrd:service needs its four identifiers, id:serviceCode and id:serviceVersion');
  if (serviceCode !== operation) return bad(`xrd:service id:serviceCode is ${serviceCode}, the operation is ${operation}`);
  if (serviceVersion !== SERVICE_VERSION) return bad(`xrd:service id:serviceVersion must be ${SERVICE_VERSION}`);

  const security = child(header, WSSE_NS, 'Security');
  const invalid = (what: string): HeaderFault => ({ faultcode: 'wsse:InvalidSecurity', faultstring: what });
  if (security === undefined) return invalid('wsse:Security is missing');
  const timestamp = child(security, WSU_NS, 'Timestamp');
  const created = text(timestamp, WSU_NS, 'Created');
  const expires = text(timestamp, WSU_NS, 'Expires');
  if (created === undefined || expires === undefined || Number.isNaN(Date.parse(created)) || Number.isNaN(Date.parse(expires))) return invalid('wsu:Timestamp needs wsu:Created and wsu:Expires (ISO 8601)');
  const token = child(security, WSSE_NS, 'UsernameToken');
  const username = text(token, WSSE_NS, 'Username');
  const passwordElement = token === undefined ? undefined : child(token, WSSE_NS, 'Password');
  if (username === undefined || passwordElement === undefined) return invalid('wsse:UsernameToken needs wsse:Username and wsse:Password');
  if (passwordElement.getAttribute('Type') !== PASSWORD_TEXT) return invalid('wsse:Password must be of type PasswordText');
  return {
    messageId: messageId.toLowerCase(),
    userId,
    client,
    service: { ...service, serviceCode, serviceVersion },
    username,
    password: passwordElement.textContent ?? '',
    created,
    expires,
  };
}
