import type { XRoadIdentifier } from './config.js';

/**
 * The SOAP headers of one attempt: the X-Road headers (protocol 4.0, the message id, the
 * operator, the client unit, the service with the operation as `serviceCode`) and WS-Security
 * (a UsernameToken with a PasswordText password, a wsu:Timestamp). Built for every attempt, so a
 * retry carries a fresh Timestamp while keeping its message id.
 */

export const XROAD_NS = 'http://x-road.eu/xsd/xroad.xsd';
export const XROAD_ID_NS = 'http://x-road.eu/xsd/identifiers';
export const WSSE_NS = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd';
export const WSU_NS = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd';
export const PASSWORD_TEXT = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText';
export const XROAD_PROTOCOL_VERSION = '4.0';
export const SERVICE_VERSION = 'v1';

export function xmlText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

export interface XRoadHeaderInput {
  messageId: string;
  userId: string;
  client: XRoadIdentifier;
  service: XRoadIdentifier;
  /** the operation: `id:serviceCode` */
  operation: string;
}

function identifier(id: XRoadIdentifier): string {
  return (
    `<id:xRoadInstance>${xmlText(id.xRoadInstance)}</id:xRoadInstance>` +
    `<id:memberClass>${xmlText(id.memberClass)}</id:memberClass>` +
    `<id:memberCode>${xmlText(id.memberCode)}</id:memberCode>` +
    `<id:subsystemCode>${xmlText(id.subsystemCode)}</id:subsystemCode>`
  );
}

/** the five X-Road header elements, each declaring its namespaces (they sit directly in soap:Header) */
export function xRoadHeaderXml(h: XRoadHeaderInput): string {
  const ns = `xmlns:xrd="${XROAD_NS}"`;
  const both = `${ns} xmlns:id="${XROAD_ID_NS}"`;
  return (
    `<xrd:protocolVersion ${ns}>${XROAD_PROTOCOL_VERSION}</xrd:protocolVersion>` +
    `<xrd:id ${ns}>${xmlText(h.messageId)}</xrd:id>` +
    `<xrd:userId ${ns}>${xmlText(h.userId)}</xrd:userId>` +
    `<xrd:client ${both} id:objectType="SUBSYSTEM">${identifier(h.client)}</xrd:client>` +
    `<xrd:service ${both} id:objectType="SERVICE">${identifier(h.service)}` +
    `<id:serviceCode>${xmlText(h.operation)}</id:serviceCode><id:serviceVersion>${SERVICE_VERSION}</id:serviceVersion></xrd:service>`
  );
}

export interface SecurityHeaderInput {
  username: string;
  password: string;
  /** this attempt's time (ms since the epoch): wsu:Created */
  now: number;
  /** wsu:Expires is Created plus this */
  ttlSeconds: number;
}

/** `wsse:Security` with a wsu:Timestamp and a UsernameToken (PasswordText: the transport is TLS) */
export function securityHeaderXml(s: SecurityHeaderInput): string {
  const created = new Date(s.now).toISOString();
  const expires = new Date(s.now + s.ttlSeconds * 1000).toISOString();
  return (
    `<wsse:Security xmlns:wsse="${WSSE_NS}" xmlns:wsu="${WSU_NS}">` +
    `<wsu:Timestamp><wsu:Created>${created}</wsu:Created><wsu:Expires>${expires}</wsu:Expires></wsu:Timestamp>` +
    `<wsse:UsernameToken><wsse:Username>${xmlText(s.username)}</wsse:Username>` +
    `<wsse:Password Type="${PASSWORD_TEXT}">${xmlText(s.password)}</wsse:Password></wsse:UsernameToken>` +
    `</wsse:Security>`
  );
}
