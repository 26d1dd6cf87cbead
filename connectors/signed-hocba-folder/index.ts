export { signedHocBaFolderPlugin } from './plugin.js';
export { SignedHocBaFolderSource, FILE_KEY_PREFIX, type SignedFileRecord } from './source.js';
export { SignedHocBaFolderConfigSchema, SignedHocBaFolderStreamSchema, DONE_FOLDER, type SignedHocBaFolderConfig, type SignedHocBaFolderStream } from './config.js';
export { documentShelf, type ShelvedDocument } from './shelf.js';
export { patternToRegExp, cursorTextOf } from './files.js';
