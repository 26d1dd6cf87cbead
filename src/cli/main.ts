import { Command, CommanderError, Option } from 'commander';
import { LienthongError, asLienthongError } from '../core/errors.js';
import { boundHeapGrowth } from '../core/heap.js';
import { registerCommands } from './commands.js';
import { EXIT, exitCodeOfError } from './exit-codes.js';

/**
 * A reader that goes away (`lienthong status | head -1`) closes the pipe: the next write fails
 * with EPIPE, which Node raises as an 'error' event that would crash the process with a stack
 * trace. Output nobody reads is dropped instead; the command still finishes its work (a run
 * still closes its ledger) and exits with its own code.
 */
function quietOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') return;
    throw err;
  });
}

export async function main(argv: string[]): Promise<void> {
  quietOnClosedPipe(process.stdout);
  quietOnClosedPipe(process.stderr);
  boundHeapGrowth();
  const program = new Command();
  program
    .name('lienthong')
    .description('Liên thông dữ liệu giáo dục — sync education data to national systems / education data interconnection hub')
    .version('0.1.0')
    .addOption(new Option('-c, --config <file>', 'configuration file (default: ./config/lienthong.yaml or $LIENTHONG_CONFIG)'))
    .showHelpAfterError()
    // bad usage (an unknown option, a missing argument) is exit 2 as documented, not commander's 1
    .exitOverride();
  registerCommands(program);
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // commander has printed its message already; --help and --version end with 0, bad usage
      // (and a bare `lienthong`, which prints the help as an error) with 2
      process.exitCode = err.exitCode === 0 ? EXIT.ok : EXIT.config;
      return;
    }
    const e = err instanceof LienthongError ? err : asLienthongError(err);
    if (!process.stderr.destroyed) process.stderr.write(`lienthong: ${e.message}${e.kind === 'bug' && err instanceof Error && err.stack ? `\n${err.stack}` : ''}\n`);
    process.exitCode = exitCodeOfError(e);
  }
}
