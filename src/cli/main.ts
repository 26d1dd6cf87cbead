import { Command, Option } from 'commander';
import { LienthongError, asLienthongError } from '../core/errors.js';
import { boundHeapGrowth } from '../core/heap.js';
import { registerCommands } from './commands.js';

/** Exit codes: 0 done, 1 failed, 2 bad usage or configuration, 3 done with records left over. */
export const EXIT = { ok: 0, failed: 1, config: 2, partial: 3 } as const;

export async function main(argv: string[]): Promise<void> {
  boundHeapGrowth();
  const program = new Command();
  program
    .name('lienthong')
    .description('Liên thông dữ liệu giáo dục — sync education data to national systems / education data interconnection hub')
    .version('0.1.0')
    .addOption(new Option('-c, --config <file>', 'configuration file (default: ./config/lienthong.yaml or $LIENTHONG_CONFIG)'))
    .showHelpAfterError();
  registerCommands(program);
  try {
    await program.parseAsync(argv);
  } catch (err) {
    const e = err instanceof LienthongError ? err : asLienthongError(err);
    process.stderr.write(`lienthong: ${e.message}${e.kind === 'bug' && err instanceof Error && err.stack ? `\n${err.stack}` : ''}\n`);
    process.exitCode = e.kind === 'config' ? EXIT.config : EXIT.failed;
  }
}
