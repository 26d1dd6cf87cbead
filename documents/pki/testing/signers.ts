import { Pkcs12Signer } from '../../xmldsig/pkcs12-signer.js';
import type { HocBaSigners } from '../../xmldsig/sign-hocba.js';
import type { HocBaTestPki, TestSignerFile } from '../test-pki.js';

/** Opens every PKCS#12 file of a test PKI as a signer, the way a school's signing station would. */
export function signersFromTestPki(pki: HocBaTestPki): HocBaSigners {
  const open = (f: TestSignerFile): Pkcs12Signer => Pkcs12Signer.fromBuffer(f.p12, f.password, f.p12Path ?? f.commonName);
  return {
    subjectTeachers: Object.fromEntries(Object.entries(pki.subjectTeachers).map(([mamonhoc, f]) => [mamonhoc, open(f)])),
    homeroom: open(pki.homeroom),
    principal: open(pki.principal),
    school: open(pki.school),
  };
}
