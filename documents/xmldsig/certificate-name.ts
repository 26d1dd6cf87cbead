import forge from 'node-forge';

/** A certificate's subject attribute values, UTF-8 decoded (forge hands UTF8String values back as bytes). */
export function subjectAttribute(cert: forge.pki.Certificate, name: string): string | undefined {
  const field = cert.subject.getField(name) as { value?: unknown; valueTagClass?: unknown } | null;
  if (!field || typeof field.value !== 'string') return undefined;
  if (field.valueTagClass === forge.asn1.Type.UTF8) {
    try {
      return forge.util.decodeUtf8(field.value);
    } catch {
      return field.value;
    }
  }
  return field.value;
}

/** The certificate subject's common name, for reports. */
export function subjectCommonName(certificatePem: string): string {
  const cert = forge.pki.certificateFromPem(certificatePem);
  return subjectAttribute(cert, 'CN') ?? '(no common name)';
}

/**
 * The 12-digit personal id in the subject, when there is one: Vietnamese personal certificates carry it
 * as `CCCD:<id>` / `CMND:<id>` in serialNumber or UID.
 */
export function subjectPersonalId(cert: forge.pki.Certificate): string | undefined {
  for (const name of ['serialNumber', 'UID']) {
    const value = subjectAttribute(cert, name) ?? subjectAttributeByOid(cert, name === 'UID' ? '0.9.2342.19200300.100.1.1' : '2.5.4.5');
    const id = value ? /(?<!\d)(\d{12})(?!\d)/.exec(value)?.[1] : undefined;
    if (id) return id;
  }
  return undefined;
}

function subjectAttributeByOid(cert: forge.pki.Certificate, oid: string): string | undefined {
  const attrs = cert.subject.attributes as Array<{ type?: string; value?: unknown; valueTagClass?: unknown }>;
  const attr = attrs.find((a) => a.type === oid);
  if (!attr || typeof attr.value !== 'string') return undefined;
  return attr.valueTagClass === forge.asn1.Type.UTF8 ? forge.util.decodeUtf8(attr.value) : attr.value;
}
