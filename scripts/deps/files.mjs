/**
 * Dependency rules checked by `npm run lint` (scripts/check-deps.mjs runs this over all code,
 * tests included, then folders.mjs over the code that ships).
 *
 * Type-only imports count: a type import ties two files together just as much, and the way out
 * is the same (move the shared part to the side both depend on).
 */

import { TEST_CODE, options } from './common.mjs';

export default {
  options,
  forbidden: [
    {
      name: 'no-file-cycle',
      severity: 'error',
      comment: 'Files import each other in a loop: move the shared part to a file both can import.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-vitest-in-build',
      severity: 'error',
      comment:
        'Only tests and test helpers (in a testing/ folder) import vitest: tsconfig.build.json leaves ' +
        'exactly those out of dist, and vitest is a dev dependency.',
      from: { pathNot: TEST_CODE },
      to: { path: '(^|/)node_modules/vitest/' },
    },
    {
      name: 'no-test-helper-in-build',
      severity: 'error',
      comment:
        'Shipped code does not import test helpers: tsc would compile an excluded file anyway once ' +
        'something in the build imports it.',
      from: { pathNot: TEST_CODE },
      to: { path: TEST_CODE },
    },
    {
      name: 'documents-stand-alone',
      severity: 'error',
      comment:
        'documents/ (học bạ XML, XML-DSig, PDF, PKI) is a library the engine uses, never the other way ' +
        'round: it may import only the basics of src/core (errors, hashes, redaction, the package root) ' +
        'and the domain rules of src/domain. Pass what it needs in as an argument instead.',
      from: { path: '^documents/' },
      to: {
        path: '^(src|connectors|transforms|mappings|stores|bench|scripts|test)/',
        pathNot: '^src/(core/(errors|hash|redact|package-root)\\.ts$|domain/)',
      },
    },
  ],
};
