/**
 * Multi-connection differential fuzzer over TCP: a live redis-server (started here) and our RESP server
 * (startServer, in this process) each get N client connections plus one controller connection; the
 * same seeded random script (connection i sends command c) goes to both, and the raw bytes each
 * connection receives are compared step by step: replies, pub/sub messages, the late replies of
 * blocked commands, pipelined commands queued behind a blocked one, connections closed by QUIT /
 * CLIENT KILL.
 *
 * One step: the command is written to both servers at once; each side waits until the connection
 * has a complete reply, was closed, or shows as blocked (flags=b in `CLIENT LIST ID` asked on the
 * controller). A blocking command with a short timeout is then waited for (its timeout reply), so
 * both sides see the same timing. Then the controller sends CLIENT LIST (a barrier: everything the
 * step caused has been written when its reply arrives) and everything each connection received is
 * compared, normalized where Redis itself is not deterministic:
 *  - client ids (CLIENT ID, HELLO's id, CLIENT LIST's id=) are replaced by the connection's name;
 *    ids in commands (CLIENT KILL ID, CLIENT UNBLOCK) are placeholders filled in per server;
 *  - CLIENT LIST / CLIENT INFO lines keep the field names and the deterministic values (id name
 *    flags db sub psub ssub multi argv-mem cmd user redir resp); INFO keeps its sections and field
 *    names and a few deterministic values; TIME and OBJECT IDLETIME only their shape;
 *  - output that follows dict order (UNSUBSCRIBE with no channel, messages of several patterns,
 *    PUBSUB CHANNELS) is compared as a multiset.
 * The controller's CLIENT LIST after every step is compared too (flags b/x/d/P, multi=, sub=, db=).
 *
 * Env: SRV_SEEDS (default 2: seeds 1..N, or a list "7,42"; SRV_SEED=n: only seed n), SRV_LEN (default 250 steps per stream),
 * SRV_RESP ("2,3": one stream per protocol), SRV_CONNS (default 4), SRV_MUTATE (default 0.05:
 * probability of damaging a command), REDIS_SERVER (the binary).
 *
 *   SRV_SEEDS=20 SRV_LEN=2000 npx vitest run --project engine test/conformance/deep/server-clients.test.ts
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import net from 'node:net';
import { startServer, type RunningServer } from '../../../src/server/resp-server';
import { encodeCommand } from '../../../src/engine/resp';
import { findRedisServer, startRedisServer, type RedisServer } from '../lib/redis';
import { replyEnd, parseReply, serializeReply, escapeBytes, splitReplies, type RespValue } from '../lib/resp-reader';
import { Rng } from '../lib/generators';

const bin = findRedisServer();
const seeds = process.env.SRV_SEED ? [Number(process.env.SRV_SEED)] : parseList(process.env.SRV_SEEDS ?? '2', true);
const LEN = Number(process.env.SRV_LEN ?? 250);
const RESPS = parseList(process.env.SRV_RESP ?? '2,3', false);
const NCONN = Number(process.env.SRV_CONNS ?? 4);
const MUTATE = Number(process.env.SRV_MUTATE ?? 0.05);
/** Steps of history shown with a mismatch. */
const HIST = Number(process.env.SRV_HISTORY ?? 30);
/** Debugging: after every step also compare INFO commandstats / errorstats (finds the step where a counter diverges). */
const CHECK_STATS = process.env.SRV_CHECK_STATS === '1';

function parseList(s: string, range: boolean): number[] {
  if (s.includes(',') || !range) return s.split(',').map((x) => Number(x.trim()));
  return Array.from({ length: Number(s) }, (_, i) => i + 1);
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const tick = () => new Promise<void>((r) => setImmediate(r));

// ------------------------------------------------------------------------------------ connections

/** A raw client socket with a receive buffer (latin1 byte strings). */
class Conn {
  buf: Buffer = Buffer.alloc(0);
  closed = false;
  private waiters: (() => void)[] = [];

  private constructor(readonly sock: net.Socket) {
    sock.setNoDelay(true);
    sock.on('data', (d: Buffer) => { this.buf = this.buf.length ? Buffer.concat([this.buf, d]) : d; this.wake(); });
    sock.on('close', () => { this.closed = true; this.wake(); });
    sock.on('end', () => { this.closed = true; this.wake(); });
    sock.on('error', () => { this.closed = true; this.wake(); });
  }

  static open(port: number): Promise<Conn> {
    return new Promise((resolve, reject) => {
      const s = net.createConnection({ port, host: '127.0.0.1' });
      s.once('connect', () => resolve(new Conn(s)));
      s.once('error', reject);
    });
  }

  get localPort(): number { return this.sock.localPort ?? 0; }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Resolves on new data / close, or after ms. */
  waitEvent(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      this.waiters.push(() => { clearTimeout(t); resolve(); });
    });
  }

  send(argv: string[]): void {
    if (!this.closed) this.sock.write(Buffer.from(encodeCommand(argv), 'latin1'));
  }

  /** Number of complete replies at the start of the buffer, and whether the rest is a partial one. */
  replies(): { n: number; partial: boolean } {
    let pos = 0, n = 0;
    for (;;) {
      let end: number;
      try { end = replyEnd(this.buf, pos); } catch { return { n, partial: false }; }
      if (end < 0) return { n, partial: pos < this.buf.length };
      pos = end;
      n++;
    }
  }

  /** Wait until `pred()` holds, the socket closes, or ms pass. */
  async until(pred: () => boolean, ms: number): Promise<boolean> {
    const deadline = Date.now() + ms;
    for (;;) {
      if (pred()) return true;
      if (this.closed) return pred();
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await this.waitEvent(left);
    }
  }

  /** Send and read one reply (throws on close / timeout). */
  async call(argv: string[], ms = 5000): Promise<string> {
    this.send(argv);
    await this.until(() => this.replies().n >= 1, ms);
    const end = replyEnd(this.buf, 0);
    if (end < 0) throw new Error(`${argv.join(' ')}: no reply (${this.closed ? 'closed' : 'timeout'}) ${escapeBytes(this.buf.toString('latin1'))}`);
    const out = this.buf.subarray(0, end).toString('latin1');
    this.buf = this.buf.subarray(end);
    return out;
  }

  take(): string {
    const s = this.buf.toString('latin1');
    this.buf = Buffer.alloc(0);
    return s;
  }

  destroy(): void { this.sock.destroy(); }
}

/** One server under test with its connections. Connection NCONN is the controller. */
class Side {
  conns: Conn[] = [];
  ids: number[] = [];
  /** client id -> connection name ("c0".."cN", "ctl"; earlier ids of reopened connections too). */
  names = new Map<number, string>();
  constructor(readonly label: string, readonly port: number) {}

  get ctl(): Conn { return this.conns[NCONN]; }

  async open(i: number, resp: number): Promise<void> {
    this.conns[i]?.destroy();
    const c = await Conn.open(this.port);
    this.conns[i] = c;
    let id: number;
    if (resp === 3) {
      const r = await c.call(['HELLO', '3']);
      const m = /\r\nid\r\n:(\d+)\r\n/.exec(r);
      if (!m) throw new Error(`${this.label}: HELLO 3 reply without id: ${escapeBytes(r)}`);
      id = Number(m[1]);
    } else {
      const r = await c.call(['CLIENT', 'ID']);
      id = Number(r.slice(1, -2));
    }
    this.ids[i] = id;
    this.names.set(id, i === NCONN ? 'ctl' : `c${i}`);
  }

  /** Fill the per-server placeholders of a command: \x01id:N \x01addr:N \x01laddr. */
  fill(argv: string[]): string[] {
    return argv.map((a) => {
      if (a.charCodeAt(0) !== 1) return a;
      const [what, n] = a.slice(1).split(':');
      if (what === 'id') return String(this.ids[Number(n)]);
      if (what === 'addr') return `127.0.0.1:${this.conns[Number(n)].localPort}`;
      if (what === 'laddr') return `127.0.0.1:${this.port}`;
      return a;
    });
  }

  /** Is connection i blocked (flags contain b)? Asked on the controller. */
  async isBlocked(i: number): Promise<boolean> {
    const r = await this.ctl.call(['CLIENT', 'LIST', 'ID', String(this.ids[i])]);
    const m = /flags=(\S*)/.exec(r);
    return m !== null && m[1].includes('b');
  }
}

// ------------------------------------------------------------------------------------ normalizing

const LIST_FIELDS = new Set(['id', 'name', 'flags', 'db', 'sub', 'psub', 'ssub', 'multi', 'argv-mem', 'cmd', 'user', 'redir', 'resp']);
const INFO_VALUES = new Set([
  'redis_version', 'redis_mode', 'arch_bits', 'connected_clients', 'blocked_clients', 'tracking_clients',
  'pubsub_channels', 'pubsub_patterns', 'pubsubshard_channels', 'maxmemory', 'maxmemory_policy', 'role',
  'connected_slaves', 'loading', 'cluster_enabled', 'maxclients', 'mem_allocator', 'aof_enabled', 'multiplexing_api',
  'io_threads_active', 'clients_in_timeout_table',
]);

function normClientLines(text: string, names: Map<number, string>): string {
  // Redis's clientsCron rotates server.clients (a few clients per tick): CLIENT LIST is a rotation of
  // the connection order that depends on timing. Lines in id order.
  const id = (l: string) => Number(/^id=(\d+)/.exec(l)?.[1] ?? Infinity);
  const lines = text.split('\n');
  const body = lines.filter(Boolean).sort((a, b) => id(a) - id(b));
  return [...body, ...lines.filter((l) => !l)].map((line) => {
    if (!line) return line;
    return line.split(' ').map((f) => {
      const eq = f.indexOf('=');
      const k = eq < 0 ? f : f.slice(0, eq);
      if (!LIST_FIELDS.has(k)) return k;
      if (k === 'id') return `id=${names.get(Number(f.slice(eq + 1))) ?? '?' + f.slice(eq + 1)}`;
      // Inside EXEC Redis's argv-mem is EXEC's, changed by any command the transaction rewrote (LMPOP -> LPOP ...).
      if (k === 'argv-mem' && / cmd=exec /.test(line)) return k;
      return f;
    }).join(' ');
  }).join('\n');
}

function normInfo(text: string): string {
  const out: string[] = [];
  let section = '';
  let block: string[] = [];
  const flush = () => {
    // Commandstats, Errorstats, Latencystats follow dict order: sorted.
    if (/^# (Commandstats|Errorstats|Latencystats)/.test(section)) block.sort(cmp);
    out.push(...block);
    block = [];
  };
  for (const line of text.split('\r\n')) {
    if (line.startsWith('#') || !line) {
      flush();
      if (line) section = line;
      out.push(line);
      continue;
    }
    const c = line.indexOf(':');
    const k = c < 0 ? line : line.slice(0, c);
    if (/^db\d+$/.test(k)) block.push(line.replace(/,avg_ttl=\d+/, ''));
    else if (INFO_VALUES.has(k)) block.push(line);
    // CLIENT LIST calls: the harness polls with it a number of times of its own.
    else if (k === 'cmdstat_client|list') block.push(k);
    else if (/^cmdstat_/.test(k)) block.push(k + ':' + line.slice(c + 1).replace(/usec=\d+,usec_per_call=[\d.]+,/, ''));
    else if (/^errorstat_/.test(k)) block.push(line);
    else block.push(k);
  }
  flush();
  return out.join('\n');
}

/** Rewrite nondeterministic parts of one parsed reply (recursively). */
function normValue(v: RespValue, names: Map<number, string>): RespValue {
  if ('bulk' in v && v.bulk !== null) {
    const pre = v.type === '=' ? v.bulk.slice(0, 4) : '';
    const body = v.bulk.slice(pre.length);
    if (/^id=\d+ addr=/.test(body)) return { type: v.type, bulk: pre + normClientLines(body, names) };
    if (body.startsWith('# ')) return { type: v.type, bulk: pre + normInfo(body) };
    return v;
  }
  if ('items' in v && v.items) {
    const items = v.items.map((x) => normValue(x, names));
    // HELLO: server redis version ... id <n>
    if (items.length === 14 && 'bulk' in items[0] && items[0].bulk === 'server') {
      const idv = items[7];
      if ('line' in idv) items[7] = { type: idv.type, line: names.get(Number(idv.line)) ?? '?' + idv.line };
    }
    return { type: v.type, items };
  }
  return v;
}

type Unordered = 'replies' | 'confirm' | 'items' | 'pairs' | undefined;

/** Normalize everything one connection received in a step. */
function normalize(raw: string, names: Map<number, string>, own: { kind?: string; unordered?: Unordered } | null): string {
  let parts: string[];
  try { parts = splitReplies(raw); } catch { return raw; }
  let out = parts.map((p, idx) => {
    let v: RespValue;
    try { v = parseReply(p); } catch { return p; }
    if (own && idx === parts.length - 1) {
      if (own.kind === 'id' && 'line' in v && v.type === ':') return ':' + (names.get(Number(v.line)) ?? '?' + v.line) + '\r\n';
      if (own.kind === 'shape') return shape(v);
    }
    if (own?.unordered === 'items' && 'items' in v && v.items) {
      v = { type: v.type, items: v.items.slice().sort((a, b) => cmp(serializeReply(a), serializeReply(b))) };
    }
    if (own?.unordered === 'pairs' && 'items' in v && v.items && v.items.length % 2 === 0) {
      const pairs: RespValue[][] = [];
      for (let k = 0; k < v.items.length; k += 2) pairs.push([v.items[k], v.items[k + 1]]);
      pairs.sort((a, b) => cmp(serializeReply(a[0]) + serializeReply(a[1]), serializeReply(b[0]) + serializeReply(b[1])));
      v = { type: v.type, items: pairs.flat() };
    }
    return serializeReply(normValue(v, names));
  });
  const un = own?.unordered ?? (own === null ? undefined : undefined);
  // Messages to several patterns follow dict order, also when written in the middle of an EXEC
  // array (a subscribed RESP3 client publishing inside MULTI): the lines as a multiset.
  if (un === 'replies') out = out.join('').split('\r\n').sort(cmp);
  if (un === 'confirm') {
    // [kind, name, count]: names and counts each as a multiset (their pairing follows dict order).
    const counts: string[] = [];
    out = out.map((p) => {
      const m = /^(.*\r\n)(:\d+\r\n)$/s.exec(p);
      if (!m) return p;
      counts.push(m[2]);
      return m[1];
    }).sort(cmp);
    out.push(...counts.sort(cmp));
  }
  return out.join('');
}

function shape(v: RespValue): string {
  if ('line' in v) return v.type;
  if ('bulk' in v) return v.type + (v.bulk === null ? 'nil' : '');
  return v.type + (v.items ? `[${v.items.map(shape).join(',')}]` : 'nil');
}

function cmp(a: string, b: string): number { return a < b ? -1 : a > b ? 1 : 0; }

function show(argv: string[]): string {
  return argv.map((a) => {
    if (a.charCodeAt(0) === 1) return '<' + a.slice(1) + '>';
    return /^[\x21-\x7e]+$/.test(a) && !/["'\\]/.test(a) ? a : '"' + escapeBytes(a) + '"';
  }).join(' ');
}

// ------------------------------------------------------------------------------------ the script

interface ConnState { blocked: boolean; multi: boolean; sub: number; resp: number; queuedPublish: boolean; closed: boolean }

interface Cmd {
  conn: number;
  argv: string[];
  /** May block (a blocking command outside MULTI, anything on a blocked connection). */
  mayBlock?: boolean;
  /** A blocking command whose timeout is short: wait for its timeout reply. */
  waitMs?: number;
  kind?: 'id' | 'shape';
  unordered?: Unordered;
  /** Every connection's output in this step is compared as a multiset (messages to several patterns). */
  allUnordered?: boolean;
}

type Step = Cmd | { sleep: number };

const LISTS = ['l1', 'l2', 'l3'];
const ZSETS = ['z1', 'z2'];
const STRS = ['s1', 's2'];
const KEYS = [...LISTS, ...ZSETS, ...STRS];
const VALS = ['a', 'b', 'c', 'hello', '1', '2', '', 'x y'];
const CHANNELS = ['ch1', 'ch2', 'news.a', 'news.b'];
const PATTERNS = ['news.*', 'ch?', '*', 'x*', 'ch[12]'];
const SHARDS = ['sh1', 'sh2'];
/** Timeouts that end during the step (waited for), that never end within a run, and invalid ones. */
const TIMEOUT_SHORT = ['0.05', '0.03', '0.08', '+0.02', '0x0.1p-4', '.04'];
const TIMEOUT_LONG = ['0', '0', '1000', '86400', '-0', '9223372036854775.807'];
const TIMEOUT_BAD = ['-1', '-0.5', 'abc', '', 'inf', '-inf', '1e1000', ' 1', '1 ', '1.5.5', 'nan', '9223372036854775807'];
const CONFIG_GET = ['maxmemory', 'maxmemory-*', '*max-*-entries*', 'hz', 'timeout', 'databases', 'save', 'appendonly', 'notify-keyspace-events',
  'bind', 'requirepass', 'list-max-*', 'nonexistent', '*policy*', 'lfu-*', 'proto-max-bulk-len', 'io-threads', 'daemonize', 'dir'];
const CONFIG_SET: [string, string[]][] = [
  ['maxmemory-policy', ['noeviction', 'allkeys-lru', 'allkeys-lfu', 'volatile-ttl', 'bogus', '']],
  ['hz', ['10', '100', '0', '501', 'x', '-1']],
  ['timeout', ['0', '100', '-1', 'x']],
  ['lfu-log-factor', ['10', '5', 'x']],
  ['list-max-listpack-size', ['-2', '8', '-6', '0', 'x']],
  ['notify-keyspace-events', ['', 'Z', 'g$', 'bogus!']],
  ['databases', ['16', '32']],
  ['maxclients', ['10000', '0', 'x']],
  ['nosuchconfig', ['1']],
  ['save', ['', '100 10']],
  ['appendfsync', ['everysec', 'always', 'sometimes']],
  ['busy-reply-threshold', ['5000', 'x']],
  ['lua-time-limit', ['5000']],
];

function pick<T>(r: Rng, a: readonly T[]): T { return r.pick(a); }
function some<T>(r: Rng, a: readonly T[], max: number): T[] { return r.some(a, max); }

class Script {
  readonly state: ConnState[];
  constructor(private r: Rng, resp: number) {
    this.state = Array.from({ length: NCONN + 1 }, () => ({ blocked: false, multi: false, sub: 0, resp, queuedPublish: false, closed: false }));
  }

  private timeout(): { t: string; waitMs?: number } {
    const r = this.r;
    const x = r.next();
    if (x < 0.45) { const t = pick(r, TIMEOUT_SHORT); return { t, waitMs: t.startsWith('0x') ? 4 : Number(t) * 1000 }; }
    if (x < 0.85) return { t: pick(r, TIMEOUT_LONG) };
    return { t: pick(r, TIMEOUT_BAD) };
  }

  private blocking(conn: number): Cmd {
    const r = this.r;
    const { t, waitMs } = this.timeout();
    const lk = () => (r.chance(0.1) ? pick(r, [...STRS, ...ZSETS]) : pick(r, LISTS));
    const zk = () => (r.chance(0.1) ? pick(r, [...STRS, ...LISTS]) : pick(r, ZSETS));
    const dir = () => pick(r, ['LEFT', 'RIGHT']);
    let argv: string[];
    switch (r.int(8)) {
      case 0: argv = ['BLPOP', ...some(r, LISTS, 2), t]; break;
      case 1: argv = ['BRPOP', ...some(r, LISTS, 2), t]; break;
      case 2: argv = ['BLMOVE', lk(), lk(), dir(), dir(), t]; break;
      case 3: argv = ['BRPOPLPUSH', lk(), lk(), t]; break;
      case 4: {
        const ks = some(r, LISTS, 2);
        argv = ['BLMPOP', t, String(ks.length), ...ks, dir()];
        if (r.chance(0.4)) argv.push('COUNT', pick(r, ['1', '2', '5', '0', '-1']));
        break;
      }
      case 5: argv = ['BZPOPMIN', ...some(r, ZSETS, 2).map((k) => (r.chance(0.1) ? zk() : k)), t]; break;
      case 6: argv = ['BZPOPMAX', ...some(r, ZSETS, 2), t]; break;
      default: {
        const ks = some(r, ZSETS, 2);
        argv = ['BZMPOP', t, String(ks.length), ...ks, pick(r, ['MIN', 'MAX'])];
        if (r.chance(0.4)) argv.push('COUNT', pick(r, ['1', '3', '0']));
      }
    }
    const inMulti = this.state[conn].multi;
    return { conn, argv, mayBlock: !inMulti, waitMs: inMulti ? undefined : waitMs };
  }

  /** Commands that push to lists / zsets (serve blocked clients) and other data commands. */
  private data(conn: number): Cmd {
    const r = this.r;
    const l = () => pick(r, LISTS), z = () => pick(r, ZSETS);
    const vals = () => some(r, VALS, 3);
    let argv: string[];
    switch (r.int(22)) {
      case 0: case 1: argv = ['LPUSH', l(), ...vals()]; break;
      case 2: case 3: argv = ['RPUSH', l(), ...vals()]; break;
      case 4: argv = ['LPUSHX', l(), ...vals()]; break;
      case 5: case 6: argv = ['ZADD', z(), ...some(r, ['1', '2', '3', '-1'], 1), pick(r, ['a', 'b', 'c', 'm'])]; break;
      case 7: argv = ['LRANGE', l(), '0', '-1']; break;
      case 8: argv = ['ZRANGE', z(), '0', '-1', 'WITHSCORES']; break;
      case 9: argv = ['SET', pick(r, KEYS), pick(r, VALS)]; break;
      case 10: argv = ['GET', pick(r, KEYS)]; break;
      case 11: argv = ['DEL', ...some(r, KEYS, 3)]; break;
      case 12: argv = ['LMOVE', l(), l(), pick(r, ['LEFT', 'RIGHT']), pick(r, ['LEFT', 'RIGHT'])]; break;
      case 13: argv = ['RPOPLPUSH', l(), l()]; break;
      case 14: argv = ['RENAME', pick(r, KEYS), pick(r, KEYS)]; break;
      case 15: argv = ['MOVE', pick(r, KEYS), pick(r, ['0', '1'])]; break;
      case 16: argv = ['SWAPDB', pick(r, ['0', '1']), pick(r, ['0', '1', '2'])]; break;
      case 17: argv = ['ZINCRBY', z(), '1', pick(r, ['a', 'b'])]; break;
      case 18: argv = ['COPY', pick(r, KEYS), pick(r, KEYS), ...(r.chance(0.5) ? ['REPLACE'] : [])]; break;
      case 19: argv = ['LPOP', l()]; break;
      case 20: argv = pick(r, [['PEXPIRE', pick(r, KEYS), '20'], ['PEXPIREAT', pick(r, KEYS), '1'], ['EXPIRE', pick(r, KEYS), '100000']]); break;
      default: argv = ['INCR', pick(r, STRS)];
    }
    return { conn, argv };
  }

  private pubsub(conn: number): Cmd {
    const r = this.r;
    switch (r.int(16)) {
      case 0: case 1: return { conn, argv: ['SUBSCRIBE', ...some(r, CHANNELS, 2)] };
      case 2: case 3: return { conn, argv: ['PSUBSCRIBE', ...some(r, PATTERNS, 2)] };
      case 4: return { conn, argv: ['UNSUBSCRIBE', ...(r.chance(0.5) ? some(r, CHANNELS, 2) : [])], unordered: 'confirm' };
      case 5: return { conn, argv: ['PUNSUBSCRIBE', ...(r.chance(0.5) ? some(r, PATTERNS, 2) : [])], unordered: 'confirm' };
      case 6: case 7: case 8: return { conn, argv: ['PUBLISH', pick(r, [...CHANNELS, 'xyz']), pick(r, VALS)], allUnordered: true };
      case 9: return { conn, argv: ['PUBSUB', 'CHANNELS', ...(r.chance(0.5) ? [pick(r, PATTERNS)] : [])], unordered: 'items' };
      case 10: return { conn, argv: ['PUBSUB', 'NUMSUB', ...some(r, CHANNELS, 3)] };
      case 11: return { conn, argv: ['PUBSUB', 'NUMPAT'] };
      case 12: return { conn, argv: ['SSUBSCRIBE', ...some(r, SHARDS, 2)] };
      case 13: return { conn, argv: ['SUNSUBSCRIBE', ...(r.chance(0.5) ? some(r, SHARDS, 2) : [])], unordered: 'confirm' };
      case 14: return { conn, argv: ['SPUBLISH', pick(r, SHARDS), pick(r, VALS)], allUnordered: true };
      default: return { conn, argv: pick(r, [['PUBSUB', 'SHARDCHANNELS'], ['PUBSUB', 'SHARDNUMSUB', 'sh1', 'sh2'], ['PUBSUB', 'HELP'], ['PUBSUB', 'NOPE'], ['PUBSUB']]), unordered: 'items' };
    }
  }

  private multi(conn: number): Cmd {
    const r = this.r;
    switch (r.int(8)) {
      case 0: case 1: return { conn, argv: ['MULTI'] };
      case 2: case 3: return { conn, argv: ['EXEC'], allUnordered: this.state[conn].queuedPublish };
      case 4: return { conn, argv: ['DISCARD'] };
      case 5: case 6: return { conn, argv: ['WATCH', ...some(r, KEYS, 2)] };
      default: return { conn, argv: ['UNWATCH'] };
    }
  }

  private client(conn: number): Cmd {
    const r = this.r;
    const other = () => r.int(NCONN + 1);
    switch (r.int(24)) {
      case 0: return { conn, argv: ['CLIENT', 'ID'], kind: 'id' };
      case 1: return { conn, argv: ['CLIENT', 'SETNAME', pick(r, ['app', 'w1', '', 'a b', 'x\ny', 'ok-name'])] };
      case 2: return { conn, argv: ['CLIENT', 'GETNAME'] };
      case 3: return { conn, argv: ['CLIENT', 'LIST', ...pick(r, [[], ['TYPE', 'normal'], ['TYPE', 'pubsub'], ['TYPE', 'master'], ['TYPE', 'bogus'], ['ID', '\x01id:' + other()], ['ID', '\x01id:' + other(), '\x01id:' + other()], ['ID', 'x'], ['ID'], ['bogus']])] };
      case 4: return { conn, argv: ['CLIENT', 'INFO'] };
      case 5: case 6: {
        const t = other();
        return { conn, argv: ['CLIENT', 'UNBLOCK', pick(r, ['\x01id:' + t, '\x01id:' + t, '99999', 'x', '-1']), ...(r.chance(0.6) ? [pick(r, ['TIMEOUT', 'ERROR', 'error', 'bogus'])] : [])] };
      }
      case 7: {
        // Kill a connection (not the controller): by id, address, type; the old form.
        const t = r.int(NCONN);
        const argv = pick(r, [
          ['CLIENT', 'KILL', 'ID', '\x01id:' + t],
          ['CLIENT', 'KILL', '\x01addr:' + t],
          ['CLIENT', 'KILL', 'ADDR', '\x01addr:' + t],
          ['CLIENT', 'KILL', 'ADDR', '\x01addr:' + t, 'SKIPME', pick(r, ['yes', 'no'])],
          ['CLIENT', 'KILL', 'TYPE', 'pubsub'],
          ['CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', pick(r, ['yes', 'no'])],
          ['CLIENT', 'KILL', 'TYPE', pick(r, ['master', 'replica', 'slave', 'bogus'])],
          ['CLIENT', 'KILL', 'ID', '\x01id:' + t, 'TYPE', pick(r, ['normal', 'pubsub'])],
          ['CLIENT', 'KILL', 'USER', pick(r, ['nobody', 'default']), 'ID', '\x01id:' + t],
          ['CLIENT', 'KILL', 'LADDR', '\x01laddr', 'ID', '\x01id:' + t],
          ['CLIENT', 'KILL', 'MAXAGE', '100000'],
          ['CLIENT', 'KILL', '1.2.3.4:5'],
          ['CLIENT', 'KILL', 'ID', pick(r, ['0', 'x', '-5', '99999'])],
          ['CLIENT', 'KILL', 'ID'],
          ['CLIENT', 'KILL', 'SKIPME', 'maybe', 'ID', '1'],
          ['CLIENT', 'KILL', 'BOGUS', 'x'],
        ]);
        return { conn, argv };
      }
      case 8: return { conn, argv: ['CLIENT', 'NO-EVICT', pick(r, ['on', 'off', 'OFF', 'maybe'])] };
      case 9: return { conn, argv: ['CLIENT', pick(r, ['HELP', 'help'])] };
      case 10: return { conn, argv: ['CLIENT', pick(r, ['NOPE', 'KILLALL']), ...(r.chance(0.5) ? ['a'] : [])] };
      case 11: return { conn, argv: ['CLIENT'] };
      case 12: return { conn, argv: ['CLIENT', pick(r, ['ID', 'GETNAME', 'INFO']), 'extra'] };
      case 13: return { conn, argv: ['CLIENT', 'SETNAME'] };
      case 14: case 15: return { conn, argv: ['HELLO', ...pick(r, [['3'], ['2'], ['3'], [], ['4'], ['1'], ['x'], ['3', 'SETNAME', 'hn'], ['2', 'AUTH', 'default', 'nopass'], ['3', 'AUTH', 'default'], ['3', 'BOGUS'], ['2', 'SETNAME', 'bad name'], ['-1'], ['99999999999999999999']])], kind: 'id' };
      case 16: return { conn, argv: ['RESET'] };
      case 17: return { conn, argv: ['PING', ...(r.chance(0.5) ? [pick(r, VALS)] : [])] };
      case 18: return { conn, argv: ['ECHO', pick(r, VALS)] };
      case 19: return { conn, argv: ['SELECT', pick(r, ['0', '1', '2', '0', '16', '-1', 'x', '1.0', '99999999999'])] };
      case 20: return { conn, argv: ['AUTH', ...pick(r, [['pw'], ['default', 'pw'], ['default', ''], ['a', 'b', 'c']])] };
      case 21: return { conn, argv: ['DBSIZE'] };
      case 22: return { conn, argv: ['CLIENT', 'PAUSE', pick(r, ['x', '-1']), ...(r.chance(0.4) ? [pick(r, ['WRITE', 'ALL', 'bogus'])] : [])] };
      default: return { conn, argv: ['QUIT'] };
    }
  }

  private server(conn: number): Cmd {
    const r = this.r;
    switch (r.int(14)) {
      case 0: case 1: return { conn, argv: ['CONFIG', 'GET', ...some(r, CONFIG_GET, 3)], unordered: 'pairs' };
      case 2: case 3: {
        const argv = ['CONFIG', 'SET'];
        const n = 1 + r.int(2);
        for (let i = 0; i < n; i++) { const [k, vs] = pick(r, CONFIG_SET); argv.push(k, pick(r, vs)); }
        if (r.chance(0.05)) argv.pop();
        return { conn, argv };
      }
      case 4: return { conn, argv: ['INFO', ...(r.chance(0.6) ? some(r, ['clients', 'server', 'keyspace', 'stats', 'memory', 'persistence', 'replication', 'cpu', 'modules', 'errorstats', 'cluster', 'commandstats', 'latencystats', 'default', 'all', 'everything', 'bogus', 'CLIENTS'], 2) : [])] };
      case 5: return { conn, argv: ['TIME'], kind: 'shape' };
      case 6: return { conn, argv: ['OBJECT', pick(r, ['ENCODING', 'REFCOUNT', 'FREQ', 'encoding']), pick(r, KEYS)] };
      case 7: return { conn, argv: ['OBJECT', 'IDLETIME', pick(r, KEYS)], kind: 'shape' };
      case 8: return { conn, argv: ['OBJECT', ...pick(r, [['HELP'], ['NOPE'], [], ['ENCODING'], ['ENCODING', 'a', 'b']])] };
      case 9: return { conn, argv: ['MEMORY', 'USAGE', pick(r, KEYS), ...(r.chance(0.3) ? ['SAMPLES', pick(r, ['0', '5', 'x', '-1'])] : [])] };
      case 10: return { conn, argv: ['COMMAND', ...pick(r, [['INFO', 'get', 'blpop'], ['INFO', 'nope'], ['DOCS', 'ping'], ['GETKEYS', 'SET', 'a', 'b'], ['GETKEYS', 'BLMPOP', '0', '2', 'a', 'b', 'LEFT'], ['GETKEYSANDFLAGS', 'LMOVE', 'a', 'b', 'LEFT', 'RIGHT'], ['GETKEYS', 'PING'], ['GETKEYS', 'nope'], ['GETKEYS'], ['NOPE']])] };
      case 11: {
        const long = 'x'.repeat(pick(r, [10, 127, 128, 129, 200]));
        return { conn, argv: pick(r, [['NOPE'], ['NOPE', long, 'b'], [long], ['nope', 'a', 'b', 'c'], ['CONFIG', long], ['GET'], ['SET', 'a'], ['BLPOP', 'a'], ['SUBSCRIBE'], ['EXEC', 'x']]) };
      }
      case 12: return { conn, argv: ['FLUSHDB', ...(r.chance(0.3) ? [pick(r, ['ASYNC', 'SYNC', 'x'])] : [])] };
      default: return { conn, argv: ['CONFIG', pick(r, ['RESETSTAT', 'HELP', 'NOPE'])] };
    }
  }

  private mutate(argv: string[]): string[] {
    const r = this.r;
    const a = argv.slice();
    const x = r.int(3);
    if (x === 0 && a.length > 1) a.splice(1 + r.int(a.length - 1), 1);
    else if (x === 1) a.splice(1 + r.int(a.length), 0, pick(r, ['x', '0', '-1', 'COUNT', '']));
    else if (a.length > 1) a[1 + r.int(a.length - 1)] = pick(r, ['x', '0', '-1', '', '1.5']);
    return a;
  }

  /** CLIENT PAUSE in effect: WRITE (ended by the controller's CLIENT UNPAUSE after `pauseLeft` steps) or ALL (short, then a sleep). */
  private pausing: 'write' | 'all' | null = null;
  private pauseLeft = 0;
  /** Generating the one step that runs during an ALL pause. */
  private pausingAll = false;

  /** The next step(s). */
  next(): Step[] {
    const r = this.r;
    const st = this.state;
    const live = st.map((s, i) => ({ s, i })).filter((x) => x.i < NCONN && !x.s.blocked);
    if (this.pausingAll) {
      // The step of an ALL pause: a client command (postponed until the pause ends).
      const i = live.length ? pick(r, live).i : r.int(NCONN);
      const cmd = r.chance(0.5) ? this.data(i) : this.client(i);
      if (cmd.argv[0] === 'CLIENT' && /^(unblock|pause)$/i.test(cmd.argv[1] ?? '')) return [{ conn: i, argv: ['PING'] }];
      if (cmd.argv[0] === 'PEXPIRE') return [{ conn: i, argv: ['EXPIRE', cmd.argv[1], '100000'] }];
      return [cmd];
    }
    if (this.pausing === 'write' && (this.pauseLeft-- <= 0 || live.length === 0)) {
      this.pausing = null;
      return [{ conn: NCONN, argv: ['CLIENT', 'UNPAUSE'], allUnordered: true }];
    }
    if (this.pausing === 'all') {
      this.pausingAll = true;
      const steps = this.next();
      this.pausingAll = false;
      this.pausing = null;
      return [...steps.map((x) => ('conn' in x ? { ...x, mayBlock: x.conn !== NCONN } : x)), { sleep: 250 }];
    }
    const free = live.filter((x) => !x.s.multi);
    if (this.pausing === null && free.length > 0 && r.chance(0.015)) {
      // Every command may now be postponed (flags=b): no CLIENT UNBLOCK meanwhile (it crashes Redis 7.0.15).
      // Not from inside MULTI: the pause would start at an EXEC the script does not foresee.
      const i = pick(r, free).i;
      if (r.chance(0.6)) {
        this.pausing = 'write';
        this.pauseLeft = 1 + r.int(5);
        return [{ conn: i, argv: ['CLIENT', 'PAUSE', '100000', ...(r.chance(0.8) ? ['WRITE'] : ['write'])] }];
      }
      this.pausing = 'all';
      return [{ conn: i, argv: ['CLIENT', 'PAUSE', pick(r, ['30', '60']), 'ALL'] }];
    }
    if (r.chance(0.03)) return [{ sleep: pick(r, [20, 60]) }];
    if (live.length === 0 || r.chance(0.08)) {
      // The controller serves / unblocks / kills; or a command queued behind a blocked connection.
      const blocked = st.map((s, i) => ({ s, i })).filter((x) => x.i < NCONN && x.s.blocked);
      if (blocked.length > 0 && r.chance(0.3)) {
        const i = pick(r, blocked).i;
        const argv = pick(r, [['PING'], ['ECHO', 'queued'], ['LPUSH', 'l1', 'q'], ['GET', 's1'], ['BLPOP', 'l2', '0'], ['CLIENT', 'GETNAME']]);
        return [{ conn: i, argv, mayBlock: true }];
      }
      const ctl = NCONN;
      if (this.pausing) return [{ conn: ctl, argv: ['PING'] }];
      switch (r.int(5)) {
        case 0: return [{ conn: ctl, argv: ['LPUSH', pick(r, LISTS), ...some(r, VALS, 3)] }];
        case 1: return [{ conn: ctl, argv: ['ZADD', pick(r, ZSETS), pick(r, ['1', '2']), pick(r, ['a', 'b', 'm'])] }];
        case 2: return [{ conn: ctl, argv: ['CLIENT', 'UNBLOCK', '\x01id:' + (blocked.length ? pick(r, blocked).i : 0), ...(r.chance(0.5) ? ['ERROR'] : [])] }];
        case 3: return [{ conn: ctl, argv: ['RPUSH', pick(r, LISTS), pick(r, VALS)] }];
        default: return [{ conn: ctl, argv: ['PUBLISH', pick(r, CHANNELS), pick(r, VALS)], allUnordered: true }];
      }
    }
    const i = pick(r, live).i;
    const s = st[i];
    let cmd: Cmd;
    const x = r.next();
    if (s.sub > 0 && s.resp === 2 && r.chance(0.7)) cmd = r.chance(0.15) ? this.data(i) : this.pubsub(i);
    else if (x < 0.22) cmd = this.data(i);
    else if (x < 0.40) cmd = this.blocking(i);
    else if (x < 0.55) cmd = this.pubsub(i);
    else if (x < 0.70) cmd = this.multi(i);
    else if (x < 0.88) cmd = this.client(i);
    else cmd = this.server(i);
    // Inside MULTI: nothing whose reply order is not determined (it would be inside EXEC's array).
    if (s.multi && (cmd.unordered || cmd.kind)) cmd = this.data(i);
    if (cmd.argv[0] === 'QUIT' && r.chance(0.7)) cmd = { conn: i, argv: ['PING'] };
    // (Never a CLIENT PAUSE damaged into a valid one: a pause the script does not know of.)
    if (r.chance(MUTATE) && !cmd.waitMs && !cmd.argv.some((a) => a.charCodeAt(0) === 1) && !/^pause$/i.test(cmd.argv[1] ?? '')) {
      cmd = { conn: i, argv: this.mutate(cmd.argv), mayBlock: cmd.mayBlock, unordered: cmd.unordered, allUnordered: cmd.allUnordered, kind: cmd.kind };
      // Bare COMMAND (and COUNT / LIST) lists the engine's commands, not Redis's 240: a known difference.
      if (cmd.argv[0] === 'COMMAND' && (cmd.argv.length === 1 || /^(count|list)$/i.test(cmd.argv[1]))) cmd = { conn: i, argv: ['PING'] };
    }
    if (s.multi && cmd.argv[0] === 'PUBLISH') s.queuedPublish = true;
    if (/^(BL|BR|BZ)/i.test(cmd.argv[0] ?? '')) cmd.mayBlock = !s.multi;
    if (this.pausing) {
      // No CLIENT UNBLOCK (of a postponed client it crashes Redis 7.0.15), no timeout that could end
      // after the pause at a moment of its own.
      if ((cmd.argv[0] === 'CLIENT' && /^(unblock|pause)$/i.test(cmd.argv[1] ?? '')) || cmd.waitMs !== undefined) cmd = { conn: i, argv: ['PING'] };
      cmd.mayBlock = i !== NCONN;
      cmd.waitMs = undefined;
    }
    // A short expiry: let it pass on both sides, then touch the key (lazy deletion, so DBSIZE agrees).
    // Not inside MULTI or a pause: it would end at a moment the script does not control.
    if (cmd.argv[0] === 'PEXPIRE' && cmd.argv[2] === '20') {
      if (s.multi || this.pausing) cmd = { conn: i, argv: ['EXPIRE', cmd.argv[1], '100000'] };
      else return [cmd, { sleep: 60 }, { conn: i, argv: ['EXISTS', cmd.argv[1]] }];
    }
    return [cmd];
  }
}

// ------------------------------------------------------------------------------------ the runner

interface Outcome { bytes: string[]; closed: boolean[]; list: string }

describe.skipIf(!bin)('multi-connection differential over TCP: our server vs redis-server', () => {
  let redis: RedisServer;
  beforeAll(async () => { redis = await startRedisServer(bin!); }, 30_000);
  afterAll(async () => { await redis?.stop(); });

  for (const resp of RESPS) {
    for (const seed of seeds) {
      it(`seed ${seed}: ${LEN} steps on ${NCONN} connections (RESP${resp})`, async () => {
        const ours: RunningServer = await startServer({ port: 0, engineOptions: { seed } });
        const A = new Side('redis', redis.port);
        const B = new Side('ours', ours.port);
        const history: string[] = [];
        try {
          // Reset redis (a previous stream's connections are gone once CLIENT LIST shows only us).
          await A.open(NCONN, resp);
          const ctl = A.ctl;
          await ctl.call(['CLIENT', 'UNPAUSE']);
          await ctl.call(['CONFIG', 'SET', 'requirepass', '']);
          await ctl.call(['FLUSHALL']);
          await ctl.call(['CONFIG', 'SET', 'maxmemory-policy', 'noeviction', 'hz', '10', 'timeout', '0', 'lfu-log-factor', '10',
            'list-max-listpack-size', '-2', 'notify-keyspace-events', '', 'maxclients', '10000', 'save', '', 'appendfsync', 'everysec',
            'busy-reply-threshold', '5000']);
          await ctl.call(['CONFIG', 'RESETSTAT']);
          for (let t = 0; t < 200; t++) {
            const r = await ctl.call(['CLIENT', 'LIST']);
            if (r.split('\n').filter((l) => l.includes('id=')).length === 1) break;
            await sleep(10);
          }
          // Our server hands out the same client ids as redis-server from here on (connections are
          // opened in the same order on both): ids print with the same number of digits (argv-mem).
          (ours.engine as unknown as { nextClientId: number }).nextClientId = A.ids[NCONN];
          await B.open(NCONN, resp);
          for (let i = 0; i < NCONN; i++) { await A.open(i, resp); await B.open(i, resp); }
          for (const side of [A, B]) {
            await side.ctl.call(['CONFIG', 'RESETSTAT']);
            await side.ctl.call(['CLIENT', 'LIST']);
          }

          const script = new Script(new Rng(seed * 7919 + resp), resp);
          for (let step = 1; step <= LEN; step++) {
            for (const st of script.next()) {
              if ('sleep' in st) {
                history.push(`${step}: !sleep ${st.sleep}`);
                await sleep(st.sleep);
                continue;
              }
              const line = `${step}: @${st.conn === NCONN ? 'ctl' : st.conn} ${show(st.argv)}`;
              const [ra, rb] = await Promise.all([runStep(A, st), runStep(B, st)]);
              // A connection closed on one side only: give the other side's close a moment to arrive.
              for (let j = 0; j <= NCONN; j++) {
                if (ra.closed[j] === rb.closed[j]) continue;
                const [x, side] = ra.closed[j] ? [rb, B] : [ra, A];
                const cj = side.conns[j];
                await cj.until(() => false, 1000);
                x.bytes[j] += cj.take();
                x.closed[j] = cj.closed;
              }
              const own = { kind: st.kind, unordered: st.unordered };
              const diffs: string[] = [];
              const summary: string[] = [];
              for (let j = 0; j <= NCONN + 1; j++) {
                const bar = j === NCONN + 1;
                const o = j === st.conn ? own : null;
                const un = st.allUnordered && !bar ? { unordered: 'replies' as const, kind: o?.kind } : o;
                const xa = bar ? ra.list : ra.bytes[j], xb = bar ? rb.list : rb.bytes[j];
                const ca = !bar && ra.closed[j], cb = !bar && rb.closed[j];
                const ea = normalize(xa, A.names, un);
                const eb = normalize(xb, B.names, un);
                const nm = bar ? 'CLIENT LIST' : j === NCONN ? 'ctl' : String(j);
                if (!bar && (xa || ca)) summary.push(`@${nm} ${escapeBytes(xa.length > 300 ? xa.slice(0, 300) + '...' : xa)}${ca ? ' <closed>' : ''}`);
                if (ea !== eb && ea.length > 400 && ea.includes('\n')) {
                  // Long text (INFO, CLIENT LIST): only the lines that differ.
                  const la = ea.split('\n'), lb = eb.split('\n');
                  const only = (x: string[], y: string[]) => x.filter((l) => !y.includes(l)).slice(0, 8).map((l) => escapeBytes(l)).join(' | ');
                  diffs.push(`  conn ${nm} (lines that differ):\n    redis: ${only(la, lb)}\n    ours:  ${only(lb, la)}` +
                    (process.env.SRV_RAW ? `\n    (raw redis: ${escapeBytes(xa)})\n    (raw ours:  ${escapeBytes(xb)})` : ''));
                } else if (ea !== eb || ca !== cb) {
                  diffs.push(`  conn ${nm}:\n    redis: ${escapeBytes(ea)}${ca ? ' <closed>' : ''}\n    ours:  ${escapeBytes(eb)}${cb ? ' <closed>' : ''}` +
                    ((ea !== xa || eb !== xb) && xa.length + xb.length < 3000 ? `\n    (raw redis: ${escapeBytes(xa)})\n    (raw ours:  ${escapeBytes(xb)})` : ''));
                }
              }
              history.push(`${line} -> ${summary.join(' | ')}`);
              if (diffs.length) {
                expect.fail([
                  `seed ${seed} RESP${resp}, step ${step}: @${st.conn === NCONN ? 'ctl' : st.conn} ${show(st.argv)}`,
                  ...diffs,
                  `last ${Math.min(HIST, history.length)} steps (with what redis sent):`,
                  ...history.slice(-HIST).map((h) => '  ' + h),
                  `reproduce: SRV_RESP=${resp} SRV_SEED=${seed} SRV_LEN=${step} npx vitest run --project engine test/conformance/deep/server-clients.test.ts`,
                ].join('\n'));
              }
              if (CHECK_STATS && !A.ctl.closed && !B.ctl.closed) {
                const [sa, sb] = await Promise.all([A, B].map(async (side) => normalize(await side.ctl.call(['INFO', 'commandstats', 'errorstats']), side.names, null)));
                if (sa !== sb) {
                  const la = sa.split('\n'), lb = sb.split('\n');
                  expect.fail([`seed ${seed} RESP${resp}, step ${step}: stats differ after @${st.conn} ${show(st.argv)}`,
                    `  redis: ${la.filter((l) => !lb.includes(l)).join(' | ')}`, `  ours:  ${lb.filter((l) => !la.includes(l)).join(' | ')}`,
                    ...history.slice(-HIST).map((h) => '  ' + h)].join('\n'));
                }
              }
              // Follow Redis's view of the connections for the generator; reopen closed ones on both sides.
              updateState(A, ra.list, script.state);
              for (let j = 0; j <= NCONN; j++) {
                if (ra.closed[j]) {
                  await A.open(j, resp);
                  await B.open(j, resp);
                  Object.assign(script.state[j], { blocked: false, multi: false, sub: 0, resp, queuedPublish: false });
                }
              }
            }
          }
        } finally {
          for (const c of [...A.conns, ...B.conns]) c?.destroy();
          await ours.close();
        }
      }, 600_000);
    }
  }
});

/** Run one step on one server; return what every connection received and which ones were closed. */
async function runStep(side: Side, st: Cmd): Promise<Outcome> {
  const c = side.conns[st.conn];
  c.send(side.fill(st.argv));
  const hasReply = () => c.replies().n >= 1;
  if (!st.mayBlock) {
    await c.until(hasReply, 5000);
  } else if (st.conn !== NCONN && !(await c.until(hasReply, 3))) {
    // A reply, a close, or the connection shows as blocked.
    const deadline = Date.now() + 5000;
    while (!hasReply() && !c.closed && !side.ctl.closed && Date.now() < deadline) {
      if (await side.isBlocked(st.conn)) break;
      await c.until(hasReply, 2);
    }
    if (st.waitMs !== undefined && !hasReply() && !c.closed) await c.until(hasReply, st.waitMs + 3000);
  }
  // Barrier: the controller's CLIENT LIST is answered after everything this step caused was written.
  let list = '';
  const ctl = side.ctl;
  if (!ctl.closed) {
    const n0 = ctl.replies().n;
    ctl.send(['CLIENT', 'LIST']);
    await ctl.until(() => ctl.replies().n > n0, 5000);
  } else {
    await sleep(20);
  }
  await tick();
  await sleep(1);
  const bytes: string[] = [];
  const closed: boolean[] = [];
  for (let j = 0; j <= NCONN; j++) {
    const cj = side.conns[j];
    if (cj.replies().partial) await cj.until(() => !cj.replies().partial, 2000);
    let got = cj.take();
    if (j === NCONN && !ctl.closed) {
      // The last reply is the barrier's CLIENT LIST.
      const parts = safeSplit(got);
      list = parts.pop() ?? '';
      got = parts.join('');
    }
    bytes.push(got);
    closed.push(cj.closed);
  }
  return { bytes, closed, list };
}

function safeSplit(raw: string): string[] {
  try { return splitReplies(raw); } catch { return [raw]; }
}

/** Read Redis's CLIENT LIST (the barrier's) into the generator's state (blocked, multi, subscriptions, protocol). */
function updateState(side: Side, list: string, state: ConnState[]): void {
  for (const line of list.split('\n')) {
    const m = /id=(\d+) .* flags=(\S*) .* sub=(\d+) psub=(\d+) ssub=(\d+) multi=(-?\d+) .* resp=(\d)/.exec(line);
    if (!m) continue;
    const j = side.ids.indexOf(Number(m[1]));
    if (j < 0) continue;
    const s = state[j];
    s.blocked = m[2].includes('b');
    s.multi = Number(m[6]) >= 0;
    if (!s.multi) s.queuedPublish = false;
    s.sub = Number(m[3]) + Number(m[4]) + Number(m[5]);
    s.resp = Number(m[7]);
  }
}
