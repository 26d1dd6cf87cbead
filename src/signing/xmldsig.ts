import type { BinaryLike, KeyLike } from 'node:crypto';
import { SignedXml } from 'xml-crypto';
import type { ErrorFirstCallback, SignatureAlgorithm } from 'xml-crypto';
import { XMLDSIG_NS } from '../hocba/dom.js';
import type { Signer } from './signer.js';

/** The one signature profile lienthong writes and accepts (formats.md, "The signed XML document"). */
export const DSIG = {
  excC14n: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  rsaSha256: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  sha256: 'http://www.w3.org/2001/04/xmlenc#sha256',
} as const;

export interface AppendSignatureRequest {
  /** Id of the new ds:Signature; its signing-time Object gets `<signatureId>-thoigian` */
  signatureId: string;
  /** Ids of the elements to sign (same-document references, no enveloped transform) */
  referenceIds: readonly string[];
  /** XPath of the element the signature is appended to */
  parentXPath: string;
  signer: Signer;
  signingTime: Date;
  /** namespace of the SigningTime element */
  signingTimeNamespace: string;
}

export function signingTimeObjectId(signatureId: string): string {
  return `${signatureId}-thoigian`;
}

/** xs:dateTime in UTC without fractions, e.g. 2025-05-31T03:00:00Z */
export function formatSigningTime(at: Date): string {
  return `${at.toISOString().slice(0, 19)}Z`;
}

/**
 * Appends one detached-by-Id XML signature to `parentXPath`: SignedInfo references each Id plus the
 * signature's own ds:Object holding the signing time (so the time is signed too), KeyInfo carries the
 * certificate (and chain). The signature value comes from `request.signer`, so the private key never
 * has to be in this process.
 */
export async function appendSignature(xml: string, request: AppendSignatureRequest): Promise<string> {
  const { signatureId, signer } = request;
  const objectId = signingTimeObjectId(signatureId);
  const time = formatSigningTime(request.signingTime);

  const sig = new SignedXml({
    // xml-crypto refuses to sign without a private key even when the signature algorithm never uses it:
    // the external algorithm below ignores this placeholder and asks the Signer instead.
    privateKey: 'external-signer',
    publicCert: [signer.certificatePem, ...(signer.chainPem ?? [])].join('\n'),
    signatureAlgorithm: DSIG.rsaSha256,
    canonicalizationAlgorithm: DSIG.excC14n,
    objects: [
      {
        attributes: { Id: objectId },
        content:
          `<ds:SignatureProperties><ds:SignatureProperty Target="#${signatureId}">` +
          `<SigningTime xmlns="${request.signingTimeNamespace}">${time}</SigningTime>` +
          `</ds:SignatureProperty></ds:SignatureProperties>`,
      },
    ],
  });
  sig.SignatureAlgorithms = { [DSIG.rsaSha256]: externalRsaSha256(signer) };
  for (const id of request.referenceIds) {
    sig.addReference({ xpath: `//*[@Id='${id}']`, transforms: [DSIG.excC14n], digestAlgorithm: DSIG.sha256 });
  }
  sig.addReference({
    xpath: `//*[local-name(.)='Object' and namespace-uri(.)='${XMLDSIG_NS}'][@Id='${objectId}']`,
    transforms: [DSIG.excC14n],
    digestAlgorithm: DSIG.sha256,
  });

  await new Promise<void>((resolve, reject) => {
    sig.computeSignature(
      xml,
      { prefix: 'ds', attrs: { Id: signatureId }, location: { reference: request.parentXPath, action: 'append' } },
      (err) => (err ? reject(err) : resolve()),
    );
  });
  return sig.getSignedXml();
}

/** An xml-crypto signature algorithm that delegates RSA-SHA256 signing to a Signer (asynchronously). */
function externalRsaSha256(signer: Signer): new () => SignatureAlgorithm {
  return class ExternalRsaSha256 implements SignatureAlgorithm {
    getSignature(signedInfo: BinaryLike, _privateKey: KeyLike, callback?: ErrorFirstCallback<string>): string {
      if (!callback) throw new Error('the external signer is asynchronous: computeSignature must be given a callback');
      const data = typeof signedInfo === 'string' ? Buffer.from(signedInfo, 'utf8') : Buffer.from(signedInfo as Uint8Array);
      Promise.resolve()
        .then(() => signer.sign(data, 'RSA-SHA256'))
        .then(
          (value) => callback(null, Buffer.from(value).toString('base64')),
          (err: unknown) => callback(err instanceof Error ? err : new Error(String(err))),
        );
      return '';
    }

    verifySignature(): boolean {
      throw new Error('the external signer does not verify');
    }

    getAlgorithmName(): string {
      return DSIG.rsaSha256;
    }
  };
}
