import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { LoadedConfig } from '../config/load.js';
import { EXIT } from './exit-codes.js';
import { configOption, out } from './io.js';

/**
 * The configuration only: these commands must work on a store that does not open (damaged,
 * emptied, replaced), so they never open it through the checks every other command makes.
 */
async function configOf(cmd: Command): Promise<LoadedConfig> {
  // loaded here, not at the top: every command line (even --version) loads this file
  const { findConfigFile, loadConfig } = await import('../config/load.js');
  return loadConfig(findConfigFile(configOption(cmd)));
}

/** `lienthong store check|backup|restore`. The store's modules load only when one of these runs. */
export function registerStoreCommands(program: Command): void {
  const store = program.command('store').description('check, back up and restore the state store (the ledger of what was sent)');
  for (const register of [checkCommand, backupCommand, restoreCommand]) register(store);
}

function checkCommand(store: Command): void {
  store
    .command('check')
    .description("SQLite's integrity check, schema version, store marker and counts; exits 1 when something is wrong")
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const loaded = await configOf(cmd);
      const { checkStore } = await import('../../stores/sqlite/maintenance.js');
      const r = checkStore(loaded.storePath);
      if (opts.json) out(JSON.stringify(r, null, 2));
      else if (r.ok && !r.exists) out(`state store ${r.path}: none yet (the first run creates it)`);
      else {
        out(`state store ${r.path}: ${r.ok ? 'ok' : 'PROBLEM'}`);
        out(`  integrity: ${r.integrity ?? '(not checked)'}`);
        out(`  schema version: ${r.schemaVersion ?? '(unknown)'} (this lienthong: ${r.latestVersion})`);
        out(`  store id: ${r.storeId ?? '(none)'}, marker: ${r.marker ?? '(none)'}`);
        for (const [k, v] of Object.entries(r.counts)) out(`  ${k}: ${v}`);
        for (const p of r.problems) out(`  ! ${p}`);
      }
      process.exitCode = r.ok ? EXIT.ok : EXIT.failed;
    });
}

function backupCommand(store: Command): void {
  store
    .command('backup')
    .description("copy the state store with SQLite's online backup (safe while a run writes); default <dataDir>/backups/state-<time>.db")
    .argument('[file]', 'where to write the backup (never overwritten)')
    .action(async (file: string | undefined, _opts: unknown, cmd: Command) => {
      const loaded = await configOf(cmd);
      const { backupStore, defaultBackupPath } = await import('../../stores/sqlite/maintenance.js');
      const r = await backupStore(loaded.storePath, file === undefined ? defaultBackupPath(loaded.dataDir) : resolve(file));
      out(`backup written: ${r.dest} (store ${r.storeId ?? 'of an earlier version'})`);
      out(`restore it with: lienthong store restore ${r.dest}`);
    });
}

function restoreCommand(store: Command): void {
  store
    .command('restore')
    .description('put a backup in place of the state store; the current one is kept in <dataDir>/backups/; refused while a job runs')
    .argument('<file>', 'a backup made by "lienthong store backup"')
    .action(async (file: string, _opts: unknown, cmd: Command) => {
      const loaded = await configOf(cmd);
      const { restoreStore } = await import('../../stores/sqlite/maintenance.js');
      const r = await restoreStore(loaded.storePath, resolve(file), loaded.dataDir);
      out(`restored ${resolve(file)} as the state store ${loaded.storePath} (store ${r.storeId})`);
      if (r.keptAs !== null) out(`the store it replaced is kept as ${r.keptAs}`);
      out('the next run reads again from the cursor of the backup: records changed since are sent again (the hub recognises a copy it already holds)');
    });
  
}
