/**
 * Persistence commands (as src/rdb.c saveCommand / bgsaveCommand, src/aof.c bgrewriteaofCommand,
 * src/server.c lastsaveCommand, src/debug.c DEBUG RELOAD). In the sandbox a "background" save or
 * rewrite runs synchronously; the RDB bytes stay in memory (engine.persistence.lastRdb) and a host
 * (the Node server, the UI) is told through persistence.onRdbSaved.
 */
import type { Client } from './client';
import type { CommandDef } from './commands';
import type { Engine } from './engine';
import type { Reply } from './types';
import * as R from './reply';
import { rdbSave, rdbLoad, RdbError } from './persistence/rdb';
import { rewriteAppendOnlyFile } from './persistence/aof';

/** rdbSave: serialize, keep the bytes, reset dirty, update lastsave. */
export function saveRdb(engine: Engine): Uint8Array {
  const now = engine.clock.now();
  const rdb = rdbSave(engine, { now });
  const p = engine.persistence;
  p.lastRdb = rdb;
  p.rdbSaves++;
  p.lastBgsaveStatus = 'ok';
  engine.dirty = 0;
  engine.lastSave = now;
  p.onRdbSaved?.(rdb);
  return rdb;
}

function saveCommand(c: Client): Reply {
  saveRdb(c.engine);
  return R.OK;
}

function bgsaveCommand(c: Client, argv: string[]): Reply {
  if (argv.length > 1 && !(argv.length === 2 && argv[1].toLowerCase() === 'schedule')) return R.E.syntax;
  saveRdb(c.engine);
  return R.status('Background saving started');
}

function lastsaveCommand(c: Client): Reply {
  return R.int(Math.floor(c.engine.lastSave / 1000));
}

function bgrewriteaofCommand(c: Client): Reply {
  rewriteAppendOnlyFile(c.engine);
  return R.status('Background append only file rewriting started');
}

const DEBUG_NOT_ALLOWED = 'ERR DEBUG command not allowed. If the enable-debug-command option is set to "local", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.';

/** DEBUG RELOAD [MERGE] [NOFLUSH] [NOSAVE]: save, empty, load (only when enable-debug-command allows it, as 7.0). */
function debugCommand(c: Client, argv: string[]): Reply {
  const e = c.engine;
  const allow = (e.config.extra['enable-debug-command'] ?? 'no').toLowerCase();
  if (allow !== 'yes' && allow !== 'local') return R.error(DEBUG_NOT_ALLOWED);
  const sub = argv[1].toLowerCase();
  if (sub === 'reload') {
    let save = true;
    for (let i = 2; i < argv.length; i++) {
      const o = argv[i].toLowerCase();
      if (o === 'nosave') save = false;
      else if (o === 'merge' || o === 'noflush') { /* the whole dataset is replaced either way */ }
      else return R.error("ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.");
    }
    const rdb = save ? saveRdb(e) : e.persistence.lastRdb;
    if (!rdb) return R.error('ERR Error trying to load the RDB dump, check server logs.');
    try {
      rdbLoad(e, rdb);
    } catch (err) {
      if (err instanceof RdbError) return R.error(`ERR Error trying to load the RDB dump: ${err.message}`);
      throw err;
    }
    return R.OK;
  }
  return R.error(`ERR unknown subcommand '${argv[1].slice(0, 128)}'. Try DEBUG HELP.`);
}

/** SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT]: save if asked (or save points are set), then the host stops. */
function shutdownCommand(c: Client, argv: string[]): Reply {
  const e = c.engine;
  let save: boolean | null = null;
  let abort = false;
  for (let i = 1; i < argv.length; i++) {
    const o = argv[i].toLowerCase();
    if (o === 'nosave') save = false;
    else if (o === 'save') save = true;
    else if (o === 'now' || o === 'force') { /* nothing to wait for in the sandbox */ }
    else if (o === 'abort') abort = true;
    else return R.E.syntax;
  }
  if (abort) return argv.length === 2 ? R.error('ERR No shutdown in progress.') : R.E.syntax;
  if (!e.persistence.onShutdown) return R.error('ERR SHUTDOWN is not available in the sandbox (no server process to stop)');
  if (save ?? e.config.save.trim() !== '') saveRdb(e);
  e.persistence.onShutdown();
  return R.OK;
}

export const persistCommands: CommandDef[] = [
  { name: 'save', proc: saveCommand, complexity: 'O(N)' },
  { name: 'bgsave', proc: bgsaveCommand, complexity: 'O(N)' },
  { name: 'lastsave', proc: lastsaveCommand, complexity: 'O(1)' },
  { name: 'bgrewriteaof', proc: bgrewriteaofCommand, complexity: 'O(N)' },
  { name: 'shutdown', proc: shutdownCommand, complexity: 'O(N)' },
  { name: 'debug', proc: debugCommand, complexity: 'O(N)' },
];
