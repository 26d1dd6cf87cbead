#!/usr/bin/env node
// Writes a throw-away test PKI (CA + one .p12 per signer of the sample học bạ) to a directory.
// Needs the build: `npm run build && node scripts/make-test-pki.mjs [dir] [password]`.
// Never use these keys for anything real.
import { createHocBaTestPki } from '../dist/documents/pki/test-pki.js';
import { sampleHocBaRecord } from '../dist/documents/hocba/sample-record.js';

const dir = process.argv[2] ?? '.lienthong/test-pki';
const password = process.argv[3] ?? 'lienthong-test';
const pki = createHocBaTestPki(sampleHocBaRecord(), { dir, password });
const files = [pki.caPath, ...Object.values(pki.subjectTeachers).map((s) => s.p12Path), pki.homeroom.p12Path, pki.principal.p12Path, pki.school.p12Path];
console.log(`test PKI written to ${dir} (PKCS#12 password: ${password === 'lienthong-test' ? 'lienthong-test' : '(as given)'}):`);
for (const f of files) console.log(`  ${f}`);
