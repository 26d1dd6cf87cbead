export { hocBaThcsThptSignedMapping, documentRecord, vietnamTime, DICTIONARY_TABLE } from './mapping.js';
