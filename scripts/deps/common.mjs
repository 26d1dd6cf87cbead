/** What the two dependency-cruiser configurations beside this file share. */

/** Test code: `*.test.ts`, test helpers (always in a `testing/` folder), the end-to-end tree. */
const TEST_CODE = '(\\.test\\.ts$|(^|/)testing/|^test/|^vitest\\.config\\.ts$)';

// node_modules is not excluded, only not followed: the rules need to see an import of vitest
const NOT_CODE = '^(dist|coverage|demo-data)/';

const options = {
  doNotFollow: { path: 'node_modules' },
  exclude: { path: NOT_CODE },
  tsPreCompilationDeps: true,
  tsConfig: { fileName: 'tsconfig.json' },
};

export { TEST_CODE, NOT_CODE, options };
