export { VneidSimulator, startVneidSimulator } from './server.js';
export type { Injection, InjectionMatch, LoggedMessage, Operation, VneidSimulatorOptions, VneidSimulatorState } from './server.js';
export type { StoredCredential } from './store.js';
export type { Identifier } from './headers.js';
export { parseVneidSimulatorArgs } from './cli-args.js';
