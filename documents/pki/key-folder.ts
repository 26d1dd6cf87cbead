/**
 * The layout of a folder of signing keys: one PKCS#12 file per person, named by personal id, and
 * the school's seal in `school.p12`. The key store reads it (transforms/hocba-sign/keystore.ts)
 * and the demo writes it (demo-pki.ts); it lives here, below both, so neither imports the other.
 */
export const SCHOOL_KEY_FILE = 'school.p12';
