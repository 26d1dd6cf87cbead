/**
 * The hub simulator as a process of its own (so a test can kill -9 a runner while the hub lives on):
 * prints `{"url": "..."}` on one line to stdout once it listens; stops on SIGTERM or SIGINT.
 */
import { runSimulatorProcess } from '../../../src/core/simulator-process.js';
import { parseHubSimulatorArgs } from './cli-args.js';
import { HubSimulator } from './server.js';

runSimulatorProcess('hub simulator', parseHubSimulatorArgs, new HubSimulator());
