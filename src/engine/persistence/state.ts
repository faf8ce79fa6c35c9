/**
 * Persistence state of one engine (INFO persistence, SAVE/BGSAVE/LASTSAVE, the AOF buffer).
 * Plain data; the engine holds one in `engine.persistence`. No Node APIs: the last RDB file and
 * the AOF stay in memory, and `onRdbSaved` / `onAofWrite` let a host (the Node server, the UI)
 * write them somewhere.
 */
export class PersistenceState {
  /** The bytes of the last RDB file SAVE / BGSAVE / SHUTDOWN produced (null before the first). */
  lastRdb: Uint8Array | null = null;
  /** Called with every RDB file produced (the Node server writes dir/dbfilename). */
  onRdbSaved: ((rdb: Uint8Array) => void) | null = null;
  rdbSaves = 0;
  lastBgsaveStatus: 'ok' | 'err' = 'ok';
  lastLoadKeysLoaded = 0;
  lastLoadKeysExpired = 0;

  /** AOF: true once the log holds the dataset (base written); false after appendonly no. */
  aofOn = false;
  /** The base of the log: the rewrite of the dataset when the AOF was turned on / last rewritten. */
  aofBase = '';
  /** Commands propagated since the base (the .incr.aof file), RESP text as byte string chunks. */
  aofIncr: string[] = [];
  aofIncrSize = 0;
  /** The db of the last SELECT written to the incr log (-1: none yet, as aof_selected_db). */
  aofSelectedDb = -1;
  aofRewrites = 0;
  /** Sequence number of the base/incr files (appendonlydir/appendonly.aof.<seq>.base.aof). */
  aofSeq = 0;
  /** Called with each chunk appended to the incr log (a host may append it to a file). */
  onAofWrite: ((chunk: string) => void) | null = null;
  /** SHUTDOWN: the host stops the server (the RDB is already saved when asked). Null: not available. */
  onShutdown: (() => void) | null = null;
  /** Called after a rewrite with the new base (a host may rewrite its files). */
  onAofRewrite: ((base: string, seq: number) => void) | null = null;
}
