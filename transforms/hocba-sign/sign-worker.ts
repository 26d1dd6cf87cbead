/**
 * The signing pool's worker thread (see sign-pool.ts): receives a record and where its signers' keys
 * are, answers with the signed document or the record's errors. Opened keys are kept for the next
 * records, which are mostly signed by the same teachers, principal and school.
 */
import { readFile } from 'node:fs/promises';
import { parentPort } from 'node:worker_threads';
import { Pkcs12Signer } from '../../documents/xmldsig/pkcs12-signer.js';
import type { HocBaSigners } from '../../documents/xmldsig/sign-hocba.js';
import { LienthongError } from '../../src/core/errors.js';
import { serveRequests } from '../../src/core/worker-rpc.js';
import type { HocBaThcsThpt } from '../../documents/hocba/fields.js';
import { signingKeyOpenError, type KeyHolder } from './keystore.js';
import type { SignJob } from './sign-pool.js';
import { fieldErrorFrom, signHocBaRecord, type SignRecordResult } from './sign-record.js';

const signers = new Map<string, Promise<Pkcs12Signer>>();
const p12Files = new Map<string, Promise<Buffer>>();

function cached<T>(cache: Map<string, Promise<T>>, key: string, open: () => Promise<T>): Promise<T> {
  let value = cache.get(key);
  if (!value) {
    value = open();
    cache.set(key, value);
    value.catch(() => cache.delete(key));
  }
  return value;
}

function signerAt(path: string, password: string, holder: KeyHolder | undefined): Promise<Pkcs12Signer> {
  return cached(signers, path, async () => {
    try {
      return await Pkcs12Signer.fromFile(path, password);
    } catch (err) {
      // the same ConfigError the key store gives in the main thread (role, masked id, key folder)
      throw signingKeyOpenError(err, holder ?? { role: 'a signer' }, path);
    }
  });
}

async function signJob(job: SignJob): Promise<SignRecordResult> {
  const files = job.keyFiles;
  const holders = job.holders;
  let parties: HocBaSigners;
  try {
    const subjects = await Promise.all(
      Object.entries(files.subjectTeachers).map(async ([mamonhoc, path]) => [mamonhoc, await signerAt(path, job.password, holders?.subjectTeachers[mamonhoc])] as const),
    );
    parties = {
      subjectTeachers: Object.fromEntries(subjects),
      homeroom: await signerAt(files.homeroom, job.password, holders?.homeroom),
      principal: await signerAt(files.principal, job.password, holders?.principal),
      school: await signerAt(files.school, job.password, holders?.school),
      ...(job.subjectsSignedByPrincipal ? { subjectsSignedByPrincipal: job.subjectsSignedByPrincipal } : {}),
    };
  } catch (err) {
    return failure(err);
  }
  const pdfSeal = job.pdf ? { p12: await cached(p12Files, files.school, () => readFile(files.school)), password: job.password } : undefined;
  return signHocBaRecord(job.data as unknown as HocBaThcsThpt, parties, {
    trustedCaPems: job.trustedCaPems,
    signingTime: new Date(job.signingTime),
    ...(pdfSeal ? { pdfSeal } : {}),
  });
}

/**
 * A record's error as a result. A configuration error is thrown instead: it crosses the thread
 * whole (core/worker-rpc.ts) and the caller stops the run with it.
 */
function failure(err: unknown): SignRecordResult {
  if (err instanceof LienthongError && err.kind === 'config') throw err;
  return { ok: false, errors: [fieldErrorFrom(err)] };
}

const port = parentPort;
if (port) {
  serveRequests<SignJob>(port, (job) => signJob(job).catch(failure), {
    // records are signed side by side: one waiting for xmllint does not hold up the next
    ordered: false,
    otherError: (err) => ({ code: 'SIGNING_WORKER_FAILED', kind: 'bug', message: err instanceof Error ? err.message : String(err), context: {} }),
  });
}
