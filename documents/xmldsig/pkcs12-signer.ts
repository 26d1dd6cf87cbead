import { createPrivateKey, createPublicKey, sign as cryptoSign, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import forge from 'node-forge';
import { ConfigError } from '../../src/core/errors.js';
import { subjectCommonName } from './certificate-name.js';
import type { SignatureAlgorithmName, Signer } from './signer.js';

/**
 * A signer backed by a PKCS#12 (.p12/.pfx) file: the private key stays in this process as a Node
 * KeyObject. Errors never include the password or the file's content.
 */
export class Pkcs12Signer implements Signer {
  readonly certificatePem: string;
  readonly chainPem: readonly string[];
  readonly subject: string;
  readonly #key: KeyObject;

  private constructor(key: KeyObject, certificatePem: string, chainPem: readonly string[]) {
    this.#key = key;
    this.certificatePem = certificatePem;
    this.chainPem = chainPem;
    this.subject = subjectCommonName(certificatePem);
  }

  static async fromFile(path: string, password: string): Promise<Pkcs12Signer> {
    let der: Buffer;
    try {
      der = await readFile(path);
    } catch (err) {
      throw new ConfigError('P12_UNREADABLE', `cannot read the PKCS#12 file`, { file: path }, { cause: err });
    }
    return Pkcs12Signer.fromBuffer(der, password, path);
  }

  static fromBuffer(der: Buffer, password: string, label = '(buffer)'): Pkcs12Signer {
    let asn1: forge.asn1.Asn1;
    try {
      asn1 = forge.asn1.fromDer(der.toString('binary'));
    } catch {
      throw new ConfigError('P12_INVALID', 'cannot open the PKCS#12 file: not a PKCS#12 (DER) file', { file: label, reason: 'format' });
    }
    let p12: forge.pkcs12.Pkcs12Pfx;
    try {
      p12 = forge.pkcs12.pkcs12FromAsn1(asn1, password);
    } catch {
      // forge's message does not help and may echo internals: say what the operator can check. A
      // well-formed DER file that does not open is, in practice, a wrong password (a failed MAC).
      throw new ConfigError('P12_INVALID', 'cannot open the PKCS#12 file: wrong password or not a PKCS#12 file', { file: label, reason: 'password' });
    }
    const keyBags = [...bagsOf(p12, OID_SHROUDED_KEY_BAG), ...bagsOf(p12, OID_KEY_BAG)];
    const keys = keyBags.map((b) => b.key).filter((k): k is forge.pki.rsa.PrivateKey => k !== undefined && k !== null);
    if (keys.length !== 1) {
      throw new ConfigError('P12_KEY', `the PKCS#12 file must hold exactly one private key, it holds ${keys.length}`, { file: label });
    }
    const certs = bagsOf(p12, OID_CERT_BAG)
      .map((b) => b.cert)
      .filter((c): c is forge.pki.Certificate => c !== undefined && c !== null);
    const key = createPrivateKey(forge.pki.privateKeyToPem(keys[0] as forge.pki.rsa.PrivateKey));
    const publicDer = createPublicKey(key).export({ type: 'spki', format: 'der' });
    const certPems = certs.map((c) => forge.pki.certificateToPem(c));
    // The signing certificate is the one whose public key matches the private key; the rest is the chain.
    const leafIndex = certPems.findIndex((pem) => createPublicKey(pem).export({ type: 'spki', format: 'der' }).equals(publicDer));
    if (leafIndex < 0) {
      throw new ConfigError('P12_CERT', 'the PKCS#12 file holds no certificate for its private key', { file: label });
    }
    const leaf = certPems[leafIndex] as string;
    const chain = certPems.filter((_, i) => i !== leafIndex).filter((pem) => !isSelfSigned(pem));
    return new Pkcs12Signer(key, leaf, chain);
  }

  sign(data: Buffer, algorithm: SignatureAlgorithmName): Buffer {
    if (algorithm !== 'RSA-SHA256') throw new ConfigError('SIGN_ALGORITHM', `unsupported signature algorithm ${String(algorithm)}`);
    return cryptoSign('sha256', data, this.#key);
  }
}

// PKCS#12 bag types (RFC 7292); forge's `oids` table is typed as possibly undefined.
const OID_KEY_BAG = '1.2.840.113549.1.12.10.1.1';
const OID_SHROUDED_KEY_BAG = '1.2.840.113549.1.12.10.1.2';
const OID_CERT_BAG = '1.2.840.113549.1.12.10.1.3';

function bagsOf(p12: forge.pkcs12.Pkcs12Pfx, bagType: string): forge.pkcs12.Bag[] {
  return p12.getBags({ bagType })[bagType] ?? [];
}

function isSelfSigned(pem: string): boolean {
  // A root is not published in KeyInfo: the verifier must hold it as a trust anchor anyway.
  const cert = forge.pki.certificateFromPem(pem);
  try {
    return cert.isIssuer(cert) && cert.verify(cert);
  } catch {
    return false;
  }
}
