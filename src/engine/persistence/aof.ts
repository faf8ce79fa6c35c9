/**
 * The append only file as Redis 7.0 writes it (src/aof.c, and the command rewriting of the
 * t_*.c files): every write command that changed the dataset, as RESP multibulk, a SELECT when
 * the db changes, relative expiries turned into absolute ones (EXPIRE -> PEXPIREAT, SETEX / SET EX
 * -> SET key value PXAT ms), non-deterministic or blocking commands as their effect (SPOP -> SREM,
 * BLPOP -> LPOP, INCRBYFLOAT -> SET ... KEEPTTL), keys deleted by expiry as DEL.
 *
 * - propagateCall(): the engine calls it after a write command that changed something (dirty
 *   grew), like Redis's propagate(); it feeds `engine.onPropagate` and the in-memory AOF.
 * - aofRewrite(): the dataset as a compact command stream (rewriteAppendOnlyFileRio without the
 *   RDB preamble): SET, RPUSH / SADD / ZADD / HMSET in batches of 64 items, PEXPIREAT.
 * - aofLoad(): replays a log into an engine (loadSingleAppendOnlyFile), keeping the valid prefix
 *   of a truncated log (aof-load-truncated yes) and reporting what was cut.
 *
 * No Node APIs: the log is a byte string in memory (engine.persistence); hosts write it to disk.
 */
import type { Engine } from '../engine';
import type { Client } from '../client';
import type { Command } from '../commands';
import type { Reply } from '../types';
import type { RObj } from '../object';
import type { Quicklist } from '../structures/quicklist';
import type { Listpack } from '../structures/listpack';
import type { Dict } from '../structures/dict';
import type { Intset } from '../structures/intset';
import type { ZSet } from '../t_zset';
import { StreamIterator, streamDecodeID, streamIDString, type Stream } from '../structures/stream';
import { formatDouble, strtod } from '../util';
import { rdbParseWithEnd, rdbInstall } from './rdb';

/** Items per RPUSH / SADD / ZADD / HMSET of a rewrite (AOF_REWRITE_ITEMS_PER_CMD). */
export const AOF_REWRITE_ITEMS_PER_CMD = 64;

export class AofError extends Error {
  constructor(message: string, public readonly offset: number) {
    super(message);
    this.name = 'AofError';
  }
}

// ====================================================================== RESP encoding

/** One command as a RESP multibulk (byte string). */
export function respCommand(argv: readonly string[]): string {
  let s = `*${argv.length}\r\n`;
  for (const a of argv) s += `$${a.length}\r\n${a}\r\n`;
  return s;
}

// ====================================================================== propagation

function upper(s: string): string { return s.toUpperCase(); }

function hasOpt(argv: readonly string[], from: number, ...names: string[]): boolean {
  for (let i = from; i < argv.length; i++) if (names.includes(argv[i].toLowerCase())) return true;
  return false;
}

function bulkText(r: Reply): string | null {
  return r.t === 'bulk' ? r.v : r.t === 'double' ? r.s : null;
}

/**
 * What Redis 7.0 propagates for a command that changed the dataset: zero, one or several argvs.
 * `c.db` is the db the command ran in; the state is read after the command ran.
 */
export function propagationFor(c: Client, cmd: Command, argv: string[], reply: Reply): string[][] {
  const db = c.db;
  const name = cmd.fullname;
  const key = argv[1];
  const expireOrDel = (k: string): string[] => {
    if (!db.dict.has(k)) return ['DEL', k];
    const when = db.getExpire(k);
    return when >= 0 ? ['PEXPIREAT', k, String(when)] : ['PERSIST', k];
  };
  switch (name) {
    case 'expire': case 'pexpire': case 'expireat':
      return [expireOrDel(key)];
    case 'pexpireat':
      return db.dict.has(key) ? [argv] : [['DEL', key]];
    case 'setex': case 'psetex': {
      const when = db.getExpire(key);
      return [when >= 0 ? ['SET', key, argv[3], 'PXAT', String(when)] : ['SET', key, argv[3]]];
    }
    case 'set':
      if (hasOpt(argv, 3, 'ex', 'px', 'exat')) {
        if (!db.dict.has(key)) return [['DEL', key]];
        const when = db.getExpire(key);
        if (when >= 0) return [['SET', key, argv[2], 'PXAT', String(when)]];
      }
      return [argv];
    case 'getex':
      if (hasOpt(argv, 2, 'persist')) return [['PERSIST', key]];
      return [expireOrDel(key)];
    case 'xadd': case 'xtrim': case 'xreadgroup': case 'xclaim': case 'xautoclaim':
      // They propagate what they did themselves (alsoPropagate), as Redis rewrites or replaces them.
      return [];
    case 'getdel':
      return [['DEL', key]];
    case 'restore': {
      // An already expired TTL deleted the key (propagated as DEL); a relative TTL goes out as the
      // absolute time, with ABSTTL appended (restoreCommand's rewriteClientCommandArgument).
      if (!db.dict.has(key)) return [['DEL', key]];
      const when = db.getExpire(key);
      if (when < 0 || hasOpt(argv, 4, 'absttl')) return [argv];
      const out = argv.slice();
      out[2] = String(db.getExpireExact(key));
      out.push('ABSTTL');
      return [out];
    }
    case 'getset':
      return [['SET', key, argv[2]]];
    case 'incrbyfloat': {
      const v = bulkText(reply);
      return v === null ? [argv] : [['SET', key, v, 'KEEPTTL']];
    }
    case 'hincrbyfloat': {
      const v = bulkText(reply);
      return v === null ? [argv] : [['HSET', key, argv[2], v]];
    }
    case 'spop': {
      if (argv.length === 2) {
        const v = bulkText(reply);
        return v === null ? [] : [['SREM', key, v]];
      }
      if (!db.dict.has(key)) return [['DEL', key]];
      const members = reply.t === 'array' || reply.t === 'set' ? reply.v.map((r) => bulkText(r)).filter((v): v is string => v !== null) : [];
      return members.length ? [['SREM', key, ...members]] : [];
    }
    case 'blpop': case 'brpop': {
      if (reply.t !== 'array' || reply.v.length < 1) return [];
      const k = bulkText(reply.v[0]);
      return k === null ? [] : [[name === 'blpop' ? 'LPOP' : 'RPOP', k]];
    }
    case 'bzpopmin': case 'bzpopmax': {
      if (reply.t !== 'array' || reply.v.length < 1) return [];
      const k = bulkText(reply.v[0]);
      return k === null ? [] : [[name === 'bzpopmin' ? 'ZPOPMIN' : 'ZPOPMAX', k]];
    }
    case 'brpoplpush':
      return [['RPOPLPUSH', argv[1], argv[2]]];
    case 'blmove':
      return [['LMOVE', argv[1], argv[2], argv[3], argv[4]]];
    case 'lmpop': case 'blmpop': case 'zmpop': case 'bzmpop': {
      if (reply.t !== 'array' || reply.v.length < 2) return [];
      const k = bulkText(reply.v[0]);
      const items = reply.v[1];
      if (k === null || (items.t !== 'array' && items.t !== 'map')) return [];
      const n = items.t === 'map' ? items.v.length / 2 : items.v.length;
      const left = hasOpt(argv, 2, 'left', 'min');
      const isList = name === 'lmpop' || name === 'blmpop';
      const verb = isList ? (left ? 'LPOP' : 'RPOP') : (left ? 'ZPOPMIN' : 'ZPOPMAX');
      return [[verb, k, String(n)]];
    }
  }
  return [argv];
}

/** Engine hook: after `cmd` changed the dataset (dirty grew). */
export function propagateCall(engine: Engine, c: Client, cmd: Command, argv: string[], reply: Reply): void {
  const list = propagationFor(c, cmd, argv, reply);
  for (const a of list) propagate(engine, c.db.id, a);
}

/** A key deleted by (lazy or active) expiry propagates as DEL (propagateDeletion). */
export function propagateDeletion(engine: Engine, dbid: number, key: string): void {
  if (engine.loading) return;
  propagate(engine, dbid, ['DEL', key]);
}

/**
 * alsoPropagate + propagatePendingCommands for a command that propagates something other than its
 * own argv (the stream commands, served blocked XREADGROUP clients): the commands, in order.
 */
export function alsoPropagate(engine: Engine, dbid: number, cmds: string[][]): void {
  if (engine.loading || (engine.onPropagate === null && !engine.persistence.aofOn)) return;
  for (const argv of cmds) propagate(engine, dbid, argv);
}

function propagate(engine: Engine, dbid: number, argv: string[]): void {
  engine.onPropagate?.(dbid, argv);
  if (engine.persistence.aofOn) feedAppendOnlyFile(engine, dbid, argv);
}

/** Append one command to the in-memory AOF (feedAppendOnlyFile), with a SELECT when the db changes. */
export function feedAppendOnlyFile(engine: Engine, dbid: number, argv: string[]): void {
  const p = engine.persistence;
  let chunk = '';
  if (p.aofSelectedDb !== dbid) {
    chunk += respCommand(['SELECT', String(dbid)]);
    p.aofSelectedDb = dbid;
  }
  chunk += respCommand(argv);
  p.aofIncr.push(chunk);
  p.aofIncrSize += chunk.length;
  p.onAofWrite?.(chunk);
}

// ====================================================================== rewrite

function batched(out: string[], verb: string, key: string, items: string[], per: number): void {
  // items holds `per` strings per logical item (1 for RPUSH/SADD, 2 for ZADD/HMSET)
  const n = items.length / per;
  for (let i = 0; i < n; i += AOF_REWRITE_ITEMS_PER_CMD) {
    const cnt = Math.min(AOF_REWRITE_ITEMS_PER_CMD, n - i);
    out.push(respCommand([verb, key, ...items.slice(i * per, (i + cnt) * per)]));
  }
}

function rewriteObject(out: string[], key: string, o: RObj): void {
  switch (o.type) {
    case 'string':
      out.push(respCommand(['SET', key, o.ptr as string]));
      return;
    case 'list':
      batched(out, 'RPUSH', key, (o.ptr as Quicklist).toArray(), 1);
      return;
    case 'set': {
      const members: string[] = [];
      if (o.encoding === 'intset') for (const v of (o.ptr as Intset).toStrings()) members.push(v);
      else (o.ptr as Dict<null>).forEach((k) => members.push(k));
      batched(out, 'SADD', key, members, 1);
      return;
    }
    case 'zset': {
      const items: string[] = [];
      if (o.encoding === 'listpack') {
        const e = (o.ptr as Listpack).entries;
        for (let i = 0; i < e.length; i += 2) items.push(formatDouble(strtod(e[i + 1]) ?? 0), e[i]);
      } else {
        for (const n of (o.ptr as ZSet).zsl.nodes()) items.push(formatDouble(n.score), n.member);
      }
      batched(out, 'ZADD', key, items, 2);
      return;
    }
    case 'hash': {
      const items: string[] = [];
      if (o.encoding === 'listpack') items.push(...(o.ptr as Listpack).entries);
      else (o.ptr as Dict<string>).forEach((k, v) => items.push(k, v));
      batched(out, 'HMSET', key, items, 2);
      return;
    }
    case 'stream':
      rewriteStreamObject(out, key, o.ptr as Stream);
      return;
  }
}

/**
 * rewriteStreamObject: XADD for every entry (an empty stream: XADD MAXLEN 0 of a dummy entry), then
 * XSETID with the last ID, the entries added and the greatest deleted ID, then per group an XGROUP
 * CREATE with its read counter and, per consumer, XCLAIM ... FORCE of each pending entry (XGROUP
 * CREATECONSUMER when it has none).
 */
function rewriteStreamObject(out: string[], key: string, s: Stream): void {
  if (s.length) {
    const si = new StreamIterator(s, null, null, false);
    for (let id = si.next(); id !== null; id = si.next()) out.push(respCommand(['XADD', key, streamIDString(id), ...si.fields()]));
  } else {
    out.push(respCommand(['XADD', key, 'MAXLEN', '0', '0-1', 'x', 'y']));
  }
  out.push(respCommand(['XSETID', key, streamIDString(s.lastId), 'ENTRIESADDED', String(s.entriesAdded),
    'MAXDELETEDID', streamIDString(s.maxDeletedEntryId)]));
  s.cgroups?.forEach((name, cg) => {
    out.push(respCommand(['XGROUP', 'CREATE', key, name, streamIDString(cg.lastId), 'ENTRIESREAD', String(cg.entriesRead)]));
    cg.consumers.forEach((cname, consumer) => {
      if (consumer.pel.size() === 0) {
        out.push(respCommand(['XGROUP', 'CREATECONSUMER', key, name, cname]));
        return;
      }
      consumer.pel.forEach((rawid, nack) => {
        out.push(respCommand(['XCLAIM', key, name, cname, '0', streamIDString(streamDecodeID(rawid)), 'TIME', String(nack.deliveryTime),
          'RETRYCOUNT', String(nack.deliveryCount), 'JUSTID', 'FORCE']));
      });
    });
  });
}

/** The dataset as the commands that rebuild it (rewriteAppendOnlyFileRio, no RDB preamble). */
export function aofRewrite(engine: Engine): string {
  const out: string[] = [];
  for (const db of engine.dbs) {
    if (db.dict.size() === 0) continue;
    out.push(respCommand(['SELECT', String(db.id)]));
    db.dict.forEach((key, o) => {
      rewriteObject(out, key, o);
      const when = db.expires.size() > 0 ? db.expires.get(key) : undefined;
      if (when !== undefined) out.push(respCommand(['PEXPIREAT', key, String(when)]));
    });
  }
  return out.join('');
}

/** BGREWRITEAOF (synchronous here): the base becomes the rewrite, the incr log starts empty. */
export function rewriteAppendOnlyFile(engine: Engine): void {
  const p = engine.persistence;
  p.aofBase = aofRewrite(engine);
  p.aofIncr = [];
  p.aofIncrSize = 0;
  p.aofSelectedDb = -1;
  p.aofSeq++;
  p.aofRewrites++;
  p.onAofRewrite?.(p.aofBase, p.aofSeq);
}

/** Keep the AOF state in line with `appendonly` (startAppendOnly / stopAppendOnly). */
export function syncAppendOnly(engine: Engine): void {
  const p = engine.persistence;
  if (engine.config.appendonly && !p.aofOn) {
    p.aofOn = true;
    rewriteAppendOnlyFile(engine);
  } else if (!engine.config.appendonly && p.aofOn) {
    p.aofOn = false;
  }
}

/** The whole log as one file (base then incr), as a single-file AOF. */
export function aofContents(engine: Engine): string {
  const p = engine.persistence;
  return p.aofBase + p.aofIncr.join('');
}

/** The files of Redis 7.0's appendonlydir: the manifest, the base and the incr file. */
export function aofDirectory(engine: Engine, filename = 'appendonly.aof'): { name: string; content: string }[] {
  const p = engine.persistence;
  const seq = Math.max(1, p.aofSeq);
  const base = `${filename}.${seq}.base.aof`;
  const incr = `${filename}.${seq}.incr.aof`;
  return [
    { name: `${filename}.manifest`, content: `file ${base} seq ${seq} type b\nfile ${incr} seq ${seq} type i\n` },
    { name: base, content: p.aofBase },
    { name: incr, content: p.aofIncr.join('') },
  ];
}

// ====================================================================== loading

export interface AofLoadOptions {
  /** Keep the valid prefix of a log that ends in the middle of a command (aof-load-truncated yes). Default true. */
  loadTruncated?: boolean;
}

export interface AofLoadResult {
  /** Commands executed. */
  commands: number;
  /** Length of the valid prefix (== input length unless truncated). */
  validBytes: number;
  /** Bytes cut off the end (a partial command, or an unfinished MULTI). */
  truncatedBytes: number;
  /** A human description of what was cut, or null. */
  truncated: string | null;
  /** True if the log started with an RDB preamble. */
  rdbPreamble: boolean;
}

class Short extends Error {}

/**
 * Replay `log` (a byte string or bytes) into the engine on top of its current data (call FLUSHALL
 * first for a clean load). Bad format -> AofError; unknown commands -> AofError.
 */
export function aofLoad(engine: Engine, log: string | Uint8Array, opts: AofLoadOptions = {}): AofLoadResult {
  const s = typeof log === 'string' ? log : bytesToString(log);
  const loadTruncated = opts.loadTruncated ?? true;
  const res: AofLoadResult = { commands: 0, validBytes: 0, truncatedBytes: 0, truncated: null, rdbPreamble: false };
  let p = 0;
  if (s.startsWith('REDIS')) {
    const bytes = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i);
    const { keys, result, end } = rdbParseWithEnd(engine, bytes, { skipExpired: false });
    rdbInstall(engine, keys, result, false);
    p = end;
    res.rdbPreamble = true;
  }
  const fake = engine.createClient();
  const wasLoading = engine.loading;
  engine.loading = true;
  let multi: string[][] | null = null;
  let multiStart = 0;
  let lastGood = p;
  const readLine = (what: string): string => {
    const e = s.indexOf('\r\n', p);
    if (e < 0) throw new Short(what);
    const line = s.slice(p, e);
    p = e + 2;
    return line;
  };
  const run = (argv: string[], at: number) => {
    const cmd = engine.commands.lookup(argv);
    if (!cmd || !cmd.proc) throw new AofError(`Unknown command '${argv[0].slice(0, 128)}' reading the append only file (offset ${at})`, at);
    if ((cmd.arity > 0 && cmd.arity !== argv.length) || argv.length < -cmd.arity) {
      throw new AofError(`Wrong number of arguments for '${cmd.fullname}' reading the append only file (offset ${at})`, at);
    }
    engine.call(fake, cmd, argv);
    res.commands++;
  };
  try {
    while (p < s.length) {
      const at = p;
      let argv: string[];
      try {
        if (s[p] !== '*') {
          throw new AofError(`Bad file format reading the append only file at offset ${p}: expected '*', got ${JSON.stringify(s[p])}`, p);
        }
        p++;
        const nl = readLine('an argument count');
        const argc = Number(nl);
        if (!/^\d+$/.test(nl) || argc < 1) throw new AofError(`Bad file format reading the append only file at offset ${at}: invalid argument count '${nl.slice(0, 32)}'`, at);
        argv = new Array(argc);
        for (let j = 0; j < argc; j++) {
          if (p >= s.length) throw new Short('an argument');
          if (s[p] !== '$') throw new AofError(`Bad file format reading the append only file at offset ${p}: expected '$'`, p);
          p++;
          const ll = readLine('an argument length');
          if (!/^\d+$/.test(ll)) throw new AofError(`Bad file format reading the append only file at offset ${p}: invalid bulk length '${ll.slice(0, 32)}'`, p);
          const len = Number(ll);
          if (p + len + 2 > s.length) throw new Short('an argument');
          if (s[p + len] !== '\r' || s[p + len + 1] !== '\n') throw new AofError(`Bad file format reading the append only file at offset ${p + len}: missing CRLF after an argument`, p + len);
          argv[j] = s.slice(p, p + len);
          p += len + 2;
        }
      } catch (e) {
        if (e instanceof Short) {
          p = at;
          break;
        }
        throw e;
      }
      const name = argv[0].toLowerCase();
      if (name === 'multi') {
        multi = [];
        multiStart = at;
      } else if (name === 'exec' && multi) {
        for (const a of multi) run(a, at);
        multi = null;
        lastGood = p;
      } else if (multi) {
        multi.push(argv);
      } else {
        run(argv, at);
        lastGood = p;
      }
    }
    if (multi) {
      // An unfinished transaction at the end: revert to before its MULTI (as Redis does).
      lastGood = Math.min(lastGood, multiStart);
      res.truncated = `unfinished MULTI/EXEC transaction at offset ${multiStart}`;
    } else if (p < s.length) {
      res.truncated = `short read: a partial command at offset ${p}`;
    }
    res.validBytes = lastGood;
    res.truncatedBytes = s.length - lastGood;
    if (res.truncatedBytes === 0) res.truncated = null;
    if (res.truncated && !loadTruncated) {
      throw new AofError(`Unexpected end of file reading the append only file (${res.truncated}); aof-load-truncated is off`, lastGood);
    }
    return res;
  } finally {
    engine.loading = wasLoading;
    engine.freeClient(fake);
  }
}

function bytesToString(b: Uint8Array): string {
  let out = '';
  for (let i = 0; i < b.length; i += 8192) out += String.fromCharCode.apply(null, b.subarray(i, i + 8192) as unknown as number[]);
  return out;
}
