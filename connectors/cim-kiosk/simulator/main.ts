/**
 * The kiosk simulator as a process of its own (`KIOSK_TOKEN=… node dist/connectors/cim-kiosk/simulator/main.js --id kiosk-a1 --port 8181`):
 * prints `{"url": "..."}` once it listens; stops on SIGTERM or SIGINT.
 */
import { runSimulatorProcess } from '../../../src/core/simulator-process.js';
import { parseKioskSimulatorArgs } from './cli-args.js';
import { KioskSimulator } from './server.js';

runSimulatorProcess('kiosk simulator', parseKioskSimulatorArgs, new KioskSimulator());
