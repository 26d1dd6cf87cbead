/**
 * PEM certificate bundles. A CA file as operators get it is often a bundle: the root and its
 * intermediates (a chain), or several unrelated CAs, in any order, with text between the blocks
 * (`openssl x509 -text` output, "subject=" / "issuer=" lines, comments). Every certificate in it is
 * trusted, not only the first: this one helper is what every reader of trusted CAs uses
 * (trust.caFiles, `lienthong verify --ca`, the signer's own check, the chain checker).
 */

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g;

/**
 * Every certificate of a PEM text, each as a normalised PEM block (base64 body in 64-character lines,
 * LF line ends, trailing newline). Text outside the blocks is ignored; blocks of other types (a
 * private key, a CRL) are not certificates and are left out. An empty result means the text holds no
 * certificate: the caller says so, naming its file.
 */
export function splitPemCertificates(text: string): string[] {
  const out: string[] = [];
  for (const match of text.matchAll(PEM_CERTIFICATE)) {
    const body = (match[1] ?? '').replace(/[^A-Za-z0-9+/=]/g, '');
    if (body === '') continue;
    const lines = body.match(/.{1,64}/g) ?? [];
    out.push(`-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`);
  }
  return out;
}

/**
 * Every certificate of several PEM texts (files or single certificates), without duplicates, in the
 * order found. Texts that hold no certificate add nothing.
 */
export function certificatesOfAll(texts: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const text of texts) {
    for (const pem of splitPemCertificates(text)) {
      if (seen.has(pem)) continue;
      seen.add(pem);
      out.push(pem);
    }
  }
  return out;
}
