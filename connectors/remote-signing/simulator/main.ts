/**
 * The signing simulator as a process of its own (a console demo, a manual try): prints
 * `{"url": "..."}` on one line to stdout once it listens; stops on SIGTERM or SIGINT. Requests of
 * signers with the manual policy are approved or rejected with
 * `POST {url}/_control/transactions/{id}/approve|reject` (`GET {url}/_control/transactions` lists them).
 */
import { runSimulatorProcess } from '../../../src/core/simulator-process.js';
import { parseSigningSimulatorArgs } from './cli-args.js';
import { SigningSimulator } from './server.js';

runSimulatorProcess('signing simulator', parseSigningSimulatorArgs, new SigningSimulator());
