export { SigningSimulator, DEFAULT_TRANSACTION_TTL_MS } from './server.js';
export type { SigningFaults, SigningSimulatorOptions, SigningSimulatorStats } from './server.js';
export type { ApprovalPolicy, SimulatedSigner, SimulatedSignerSpec, Transaction } from './signing-state.js';
export { parsePolicy, parseSigningSimulatorArgs } from './cli-args.js';
