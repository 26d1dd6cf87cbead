import { isAbsolute, resolve } from 'node:path';
import { defineSource } from '../../src/core/plugin.js';
import { SignedHocBaFolderConfigSchema, SignedHocBaFolderStreamSchema } from './config.js';
import { SignedHocBaFolderSource } from './source.js';

/**
 * A folder of school records signed in the vendor's software, as a source. Options are documented
 * in this folder's README; the signatures are verified by the `hocba-verify` transform.
 */
export const signedHocBaFolderPlugin = defineSource({
  type: 'signed-hocba-folder',
  description: 'a folder of học bạ XML files already signed in the vendor software (verified and sent unchanged)',
  config: SignedHocBaFolderConfigSchema,
  stream: SignedHocBaFolderStreamSchema,
  create(config, context) {
    const path = isAbsolute(config.path) ? config.path : resolve(context.baseDir, config.path);
    return new SignedHocBaFolderSource({ ...config, path, streams: context.streams });
  },
});
