export { KioskSimulator, type AppliedChange, type KioskSimulatorOptions, type ReceivedRequest } from './server.js';
export { parseKioskSimulatorArgs } from './cli-args.js';
