/**
 * The credential service simulator as a process of its own (so a test can kill -9 a runner while
 * the service lives on): prints `{"url": "..."}` on one line to stdout once it listens (the SOAP
 * port's address; its state is at `/_admin/state` on the same host); stops on SIGTERM or SIGINT.
 */
import { runSimulatorProcess } from '../../../src/core/simulator-process.js';
import { parseVneidSimulatorArgs } from './cli-args.js';
import { VneidSimulator } from './server.js';

runSimulatorProcess('vneid credential simulator', parseVneidSimulatorArgs, new VneidSimulator());
