export { VneidSimulator, startVneidSimulator } from './server.js';
export type { LoggedMessage, VneidSimulatorOptions, VneidSimulatorState } from './server.js';
export type { Injection, InjectionMatch, Operation } from './injections.js';
export type { StoredCredential } from './store.js';
export type { Identifier } from './headers.js';
export { parseVneidSimulatorArgs } from './cli-args.js';
