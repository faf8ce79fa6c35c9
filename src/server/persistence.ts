/**
 * Node side of persistence for the RESP server (the engine itself has no file I/O): with a
 * directory, load `dir/dbfilename` at start, write it on SAVE / BGSAVE / SHUTDOWN (through a temp
 * file renamed into place, as Redis's rdbSave does), and keep `appendonlydir/` up to date when
 * appendonly is on.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Engine } from '../engine/engine';
import { rdbLoad, RdbError } from '../engine/persistence/rdb';
import { aofDirectory } from '../engine/persistence/aof';

export interface PersistenceOptions {
  dir: string;
  dbfilename?: string;
  log?: (msg: string) => void;
}

/** Load the RDB file if there is one (throws RdbError for a corrupt file), then hook the writes. */
export function attachPersistence(engine: Engine, opts: PersistenceOptions): { loadedKeys: number } {
  const dbfilename = opts.dbfilename ?? 'dump.rdb';
  const log = opts.log ?? (() => {});
  fs.mkdirSync(opts.dir, { recursive: true });
  engine.config.dir = opts.dir;
  engine.config.dbfilename = dbfilename;
  const file = path.join(opts.dir, dbfilename);
  let loadedKeys = 0;
  if (fs.existsSync(file)) {
    const bytes = new Uint8Array(fs.readFileSync(file));
    try {
      const r = rdbLoad(engine, bytes);
      loadedKeys = r.keysLoaded;
      log(`DB loaded from disk: ${r.keysLoaded} keys (${r.keysExpired} expired keys skipped)`);
    } catch (e) {
      if (e instanceof RdbError) throw new Error(`Bad RDB file ${file}: ${e.message}`);
      throw e;
    }
  }
  engine.persistence.onRdbSaved = (rdb) => {
    const tmp = path.join(opts.dir, `temp-${process.pid}.rdb`);
    fs.writeFileSync(tmp, rdb);
    fs.renameSync(tmp, path.join(opts.dir, engine.config.dbfilename));
    log('DB saved on disk');
  };
  const writeAofDir = () => {
    const d = path.join(opts.dir, 'appendonlydir');
    fs.mkdirSync(d, { recursive: true });
    for (const f of aofDirectory(engine)) fs.writeFileSync(path.join(d, f.name), Buffer.from(f.content, 'latin1'));
  };
  engine.persistence.onAofRewrite = () => writeAofDir();
  engine.persistence.onAofWrite = (chunk) => {
    const files = aofDirectory(engine);
    fs.appendFileSync(path.join(opts.dir, 'appendonlydir', files[2].name), Buffer.from(chunk, 'latin1'));
  };
  return { loadedKeys };
}
