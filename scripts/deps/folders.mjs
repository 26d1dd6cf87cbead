/**
 * No import cycle between folders of the shipped code (`documents/hocba` → `documents/xmldsig` → `documents/hocba`
 * is a cycle even when no single file loops). Tests are left out on purpose: a test sits in the
 * folder of the code it checks but may drive it from above (through the CLI, the simulator).
 */
import { TEST_CODE, NOT_CODE, options } from './common.mjs';

export default {
  forbidden: [
    {
      name: 'no-folder-cycle',
      severity: 'error',
      scope: 'folder',
      comment: 'Folders import each other in a loop: move the shared part to the folder both depend on.',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    ...options,
    exclude: { path: `${NOT_CODE}|${TEST_CODE}` },
  },
};
