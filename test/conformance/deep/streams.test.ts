/**
 * Deep differential fuzzer for streams: a seeded stream of XADD / XRANGE / XREAD / XGROUP /
 * XREADGROUP / XACK / XPENDING / XCLAIM / XAUTOCLAIM / XINFO / XSETID / XDEL / XTRIM commands (and
 * the generic key commands around them) is sent to the engine and to a live redis-server 7.0
 * (started here on a free port), and the replies are compared byte for byte, in RESP2 and RESP3.
 *
 * IDs are always explicit (`<ms>-<seq>`, `<ms>`, `<ms>-*`, "-", "+", invalid forms), never `*`, so
 * the replies do not depend on the clock. What does (idle times, delivery and seen times) is
 * masked: the `idle` of XINFO CONSUMERS and XPENDING's extended form, and any integer of 12 digits
 * or more (a unix time in ms). Minimum idle times are 0 or far beyond any test's duration, and
 * IDLE / TIME set delivery times far in the past, so claims do not depend on timing either.
 *
 * Every DEEP_CHECK commands the whole keyspace is compared: XINFO STREAM (radix tree sizes, IDs,
 * counters), the entries, the groups, their PELs and consumers, MEMORY USAGE (listpack allocation
 * and rax node counts) and, for streams without groups, DUMP (the RDB serialization, byte for byte;
 * rdbcompression is off so that the listpack bytes themselves are compared, not the LZF compressor).
 * stream-node-max-entries / -bytes are set per seed (and changed mid-stream) so nodes split often.
 *
 * Skipped when redis-server is missing. Env: DEEP_SEEDS (default 3, or a list "7,42"), DEEP_LEN
 * (default 600 commands per seed and RESP version), DEEP_RESP ("2,3"), DEEP_CHECK (default 50),
 * DEEP_KEEPGOING=1 (a mismatch ends the seed but the run goes on), DEEP_LOG=file (append every
 * generated command, as JSON, to the file), REDIS_SERVER.
 *
 *   DEEP_SEEDS=30 DEEP_LEN=3000 DEEP_KEEPGOING=1 npx vitest run --project engine test/conformance/deep/streams.test.ts
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { appendFileSync } from 'node:fs';
import { createEngine } from '../../../src/engine';
import type { Client } from '../../../src/engine/client';
import { encodeReply } from '../../../src/engine/resp';
import { findRedisServer, startRedisServer, RespConnection, type RedisServer } from '../lib/redis';
import { parseReply, serializeReply, escapeBytes, type RespValue } from '../lib/resp-reader';
import { Rng } from '../lib/generators';

const SEEDS = parseSeeds(process.env.DEEP_SEEDS ?? '3');
const LEN = Number(process.env.DEEP_LEN ?? 600);
const RESPS = (process.env.DEEP_RESP ?? '2,3').split(',').map((x) => Number(x.trim()) as 2 | 3);
const CHECK = Number(process.env.DEEP_CHECK ?? 50);
const KEEPGOING = process.env.DEEP_KEEPGOING === '1';
const bin = findRedisServer();

function parseSeeds(s: string): number[] {
  if (s.includes(',')) return s.split(',').filter((x) => x.trim() !== '').map((x) => Number(x.trim()));
  return Array.from({ length: Number(s) }, (_, i) => i + 1);
}

// ====================================================================== pools

const STREAMS = ['s1', 's2', 's3'];
const OTHER = ['str', 'nokey'];
const KEYS = [...STREAMS, ...OTHER];
const GROUPS = ['g1', 'g2', 'g3'];
const CONSUMERS = ['alice', 'bob', 'carol', 'dave'];
const FIELDS = ['f', 'g', 'name', 'age', '1', '', 'h'];
const VALUES = ['a', 'b', '1', '-7', '100', '9223372036854775807', '007', '', 'x\x00y', '\xff\xfe', 'v'.repeat(70), 'hello world', 'w'.repeat(1000)];
const BAD_IDS = ['x', '', '1-x', '-1', '1--1', ' 1', '007', '1-*', '18446744073709551616', '1-18446744073709551616', '(', '(x'];
const HUGE_IDS = ['18446744073709551615-18446744073709551615', '18446744073709551615', '1-18446744073709551615', '0-0', '0'];

class Gen {
  /** Per stream, the ID XADD is at (mostly increasing). */
  private ms = new Map<string, number>();
  private seq = new Map<string, number>();
  /** Per stream, the explicit IDs XADD was last given (most were accepted). */
  private added = new Map<string, string[]>();
  constructor(private r: Rng) {}

  private remember(key: string, id: string): string {
    let l = this.added.get(key);
    if (!l) { l = []; this.added.set(key, l); }
    l.push(id);
    if (l.length > 40) l.shift();
    return id;
  }

  stream(): string { return this.r.chance(0.93) ? this.r.pick(STREAMS) : this.r.pick(OTHER); }

  /** Any ID, valid or not. */
  id(): string {
    const r = this.r;
    const x = r.next();
    if (x < 0.65) return `${r.int(40)}-${r.int(6)}`;
    if (x < 0.77) return String(r.int(40));
    if (x < 0.84) return r.pick(['-', '+']);
    if (x < 0.91) return r.pick(HUGE_IDS);
    return r.pick(BAD_IDS);
  }

  /** Any ID but the greatest ones (a stream at the top ID takes no more entries). */
  smallId(): string {
    const id = this.id();
    return HUGE_IDS.includes(id) && id.startsWith('1844') ? '0-1' : id;
  }

  /** An ID near the ones XADD gave this key lately (so that it often exists). */
  recent(key: string): string {
    const r = this.r;
    const l = this.added.get(key);
    if (l && l.length && r.chance(0.7)) return r.pick(l);
    const cur = this.ms.get(key) ?? 1;
    const ms = Math.max(0, cur - r.int(12));
    return r.chance(0.85) ? `${ms}-${r.int(4)}` : String(ms);
  }

  /** Mostly a recent ID, sometimes anything. */
  someId(key: string): string { return this.r.chance(0.8) ? this.recent(key) : this.id(); }

  /** A range bound: an ID, sometimes exclusive. */
  bound(key: string): string {
    const id = this.r.chance(0.15) ? this.r.pick(['-', '+']) : this.someId(key);
    return this.r.chance(0.2) ? '(' + id : id;
  }

  /** The ID of an XADD: usually the next one for this key, sometimes anything. */
  addId(key: string): string {
    const r = this.r;
    let ms = this.ms.get(key) ?? 1;
    let seq = this.seq.get(key) ?? 0;
    const x = r.next();
    if (x < 0.8) {
      if (r.chance(0.5)) { ms += 1 + r.int(2); seq = r.int(3); } else seq += 1 + r.int(2);
      this.ms.set(key, ms);
      this.seq.set(key, seq);
      if (x < 0.6) return this.remember(key, `${ms}-${seq}`);
      // <ms>-*: the next sequence of that ms, or 0 on a new one.
      if (seq > 0) this.seq.set(key, (this.seq.get(key) ?? 0));
      return `${ms}-*`;
    }
    if (x < 0.86) { ms += 1; this.ms.set(key, ms); this.seq.set(key, 0); return String(ms); }
    if (x < 0.95) return this.smallId();
    // The greatest IDs exhaust the stream for good: rarely.
    if (x < 0.995) return r.pick(['0-0', '0', '0-*', '*-1', '1-*']);
    return r.pick(['18446744073709551615-18446744073709551615', '18446744073709551615-*']);
  }

  fieldValues(): string[] {
    const r = this.r;
    const n = 1 + r.int(r.chance(0.8) ? 2 : 4);
    const out: string[] = [];
    const base = r.chance(0.6) ? ['f', 'g', 'h'] : null;
    for (let i = 0; i < n; i++) out.push(base ? base[i % 3] : r.pick(FIELDS), r.pick(VALUES));
    return out;
  }

  count(): string { return this.r.pick(['0', '1', '2', '3', '5', '10', '100', '-1', 'x']); }

  trim(key: string): string[] {
    const r = this.r;
    const out: string[] = [];
    const maxlen = r.chance(0.6);
    out.push(maxlen ? r.pick(['MAXLEN', 'maxlen']) : 'MINID');
    const approx = r.next();
    if (approx < 0.4) out.push('~');
    else if (approx < 0.6) out.push('=');
    if (maxlen) out.push(r.chance(0.92) ? r.pick(['0', '1', '2', '3', '5', '8', '20', '50']) : r.pick(['-1', 'x']));
    else out.push(r.chance(0.9) ? this.recent(key) : this.id());
    if (r.chance(0.2)) out.push('LIMIT', r.pick(['0', '1', '2', '5', '100', '-1']));
    return out;
  }

  generate(): string[] {
    const r = this.r;
    const key = this.stream();
    const g = r.pick(GROUPS);
    const c = r.pick(CONSUMERS);
    const x = r.next() * 100;
    let argv: string[];
    if (x < 22) {
      argv = ['XADD', key];
      if (r.chance(0.05)) argv.push('NOMKSTREAM');
      if (r.chance(0.15)) argv.push(...this.trim(key));
      argv.push(this.addId(key), ...this.fieldValues());
    } else if (x < 28) {
      argv = [r.chance(0.7) ? 'XRANGE' : 'XREVRANGE', key, this.bound(key), this.bound(key)];
      if (argv[0] === 'XREVRANGE' && r.chance(0.6)) { argv[2] = r.pick(['+', argv[2]]); argv[3] = r.pick(['-', argv[3]]); }
      if (r.chance(0.4)) argv.push('COUNT', this.count());
    } else if (x < 31) {
      argv = ['XDEL', key];
      for (let i = 1 + r.int(3); i > 0; i--) argv.push(this.someId(key));
    } else if (x < 33) {
      argv = ['XTRIM', key, ...this.trim(key)];
    } else if (x < 38) {
      argv = ['XREAD'];
      if (r.chance(0.4)) argv.push('COUNT', this.count());
      const n = 1 + r.int(2);
      const keys = Array.from({ length: n }, () => this.stream());
      argv.push('STREAMS', ...keys, ...keys.map((k) => (r.chance(0.2) ? '$' : r.chance(0.05) ? '>' : this.someId(k))));
    } else if (x < 46) {
      const sub = r.next();
      if (sub < 0.45) {
        argv = ['XGROUP', 'CREATE', key, g, r.chance(0.25) ? '$' : r.chance(0.5) ? '0' : this.someId(key)];
        if (r.chance(0.3)) argv.push('MKSTREAM');
        if (r.chance(0.15)) argv.push('ENTRIESREAD', r.pick(['0', '1', '3', '-1', '-2', '100']));
      } else if (sub < 0.65) {
        argv = ['XGROUP', 'SETID', key, g, r.chance(0.2) ? '$' : r.chance(0.3) ? '0' : this.someId(key)];
        if (r.chance(0.2)) argv.push('ENTRIESREAD', r.pick(['0', '2', '-1', '7']));
      } else if (sub < 0.7) {
        argv = ['XGROUP', 'DESTROY', key, g];
      } else if (sub < 0.88) {
        argv = ['XGROUP', 'CREATECONSUMER', key, g, c];
      } else {
        argv = ['XGROUP', 'DELCONSUMER', key, g, c];
      }
    } else if (x < 60) {
      argv = ['XREADGROUP', 'GROUP', g, c];
      if (r.chance(0.35)) argv.push('COUNT', this.count());
      if (r.chance(0.15)) argv.push('NOACK');
      const n = r.chance(0.85) ? 1 : 2;
      const keys = [key, ...Array.from({ length: n - 1 }, () => this.stream())];
      argv.push('STREAMS', ...keys, ...keys.map((k) => (r.chance(0.65) ? '>' : r.chance(0.05) ? '$' : r.chance(0.5) ? '0' : this.someId(k))));
    } else if (x < 66) {
      argv = ['XACK', key, g];
      for (let i = 1 + r.int(3); i > 0; i--) argv.push(this.someId(key));
    } else if (x < 72) {
      argv = ['XPENDING', key, g];
      if (r.chance(0.6)) {
        if (r.chance(0.2)) argv.push('IDLE', r.pick(['0', '100000000000', 'x']));
        argv.push(this.bound(key), this.bound(key), this.count());
        if (r.chance(0.4)) argv.push(c);
      }
    } else if (x < 78) {
      argv = ['XCLAIM', key, g, c, r.pick(['0', '0', '100000000000', '-1', 'x'])];
      for (let i = 1 + r.int(3); i > 0; i--) argv.push(this.someId(key));
      if (r.chance(0.2)) argv.push(r.pick(['IDLE', 'TIME']), r.pick(['0', '1000', '200000000000', '-5', 'x']));
      if (r.chance(0.2)) argv.push('RETRYCOUNT', r.pick(['0', '3', '-1', 'x']));
      if (r.chance(0.2)) argv.push('FORCE');
      if (r.chance(0.4)) argv.push('JUSTID');
      if (r.chance(0.15)) argv.push('LASTID', this.someId(key));
      if (r.chance(0.03)) argv.push('FOO');
    } else if (x < 83) {
      argv = ['XAUTOCLAIM', key, g, c, r.pick(['0', '0', '100000000000', '-1', 'x']), r.chance(0.5) ? '0' : this.bound(key)];
      if (r.chance(0.5)) argv.push('COUNT', r.pick(['1', '2', '3', '10', '0', '-1', 'x']));
      if (r.chance(0.4)) argv.push('JUSTID');
    } else if (x < 89) {
      const sub = r.next();
      if (sub < 0.5) {
        argv = ['XINFO', 'STREAM', key];
        if (r.chance(0.4)) { argv.push('FULL'); if (r.chance(0.5)) argv.push('COUNT', this.count()); }
      } else if (sub < 0.8) argv = ['XINFO', 'GROUPS', key];
      else argv = ['XINFO', 'CONSUMERS', key, g];
    } else if (x < 92) {
      let target: string;
      if (r.chance(0.7)) {
        // Usually at or just past the top; XADD continues from there.
        const ms = (this.ms.get(key) ?? 1) + r.int(2);
        this.ms.set(key, ms);
        this.seq.set(key, 9);
        target = `${ms}-${r.int(9)}`;
      } else target = r.chance(0.9) ? this.recent(key) : r.chance(0.9) ? this.smallId() : this.id();
      argv = ['XSETID', key, target];
      if (r.chance(0.3)) argv.push('ENTRIESADDED', r.pick(['0', '1', '5', '50', '500', '-1', 'x']));
      if (r.chance(0.3)) argv.push('MAXDELETEDID', this.recent(key));
    } else if (x < 96) {
      argv = [r.pick(['XLEN', 'TYPE', 'EXISTS', 'MEMORY']), key];
      if (argv[0] === 'MEMORY') argv.splice(1, 0, 'USAGE');
    } else if (x < 97) {
      const dst = r.pick(STREAMS);
      const src = r.pick(STREAMS);
      argv = r.chance(0.3) ? ['DEL', key] : ['COPY', src, dst, 'REPLACE'];
      if (argv[0] === 'COPY') { this.ms.set(dst, Math.max(this.ms.get(dst) ?? 1, this.ms.get(src) ?? 1) + 1); this.seq.set(dst, 0); }
    } else if (x < 98.5) {
      // stream-node-max-bytes below the 4096 bytes a node preallocates makes redis-server 7.0.15 corrupt
      // listpacks and crash (an assertion in listpack.c): nodes are split by bytes with long values instead.
      argv = r.chance(0.6)
        ? ['CONFIG', 'SET', 'stream-node-max-entries', r.pick(['0', '1', '2', '3', '5', '10', '100'])]
        : ['CONFIG', 'SET', 'stream-node-max-bytes', r.pick(['0', '4096', '5000', '8192'])];
    } else {
      argv = ['SET', 'str', 'v'];
    }
    // Damage about 4% of the commands: drop an argument, or add one.
    if (r.chance(0.04) && argv.length > 2) {
      if (r.chance(0.5)) argv.splice(1 + r.int(argv.length - 1), 1);
      else argv.splice(1 + r.int(argv.length - 1), 0, r.pick(['x', '0', '1-1', 'COUNT', '>', 'FULL']));
    }
    return argv;
  }
}

// ====================================================================== normalization

/** Blank the values that depend on the clock (see the header). */
function normalize(argv: string[], raw: string): string {
  let v: RespValue;
  try { v = parseReply(raw); } catch { return raw; }
  const name = argv[0].toUpperCase();
  const blank = (x: RespValue): RespValue => ({ type: ':', line: 'T' });
  const walk = (x: RespValue): RespValue => {
    if ('items' in x && x.items) {
      const items = x.items.map(walk);
      for (let i = 0; i + 1 < items.length; i++) {
        const it = items[i];
        if ('bulk' in it && (it.bulk === 'idle' || it.bulk === 'seen-time')) items[i + 1] = blank(items[i + 1]);
      }
      return { type: x.type, items };
    }
    if ('line' in x && x.type === ':' && /^-?\d{12,}$/.test(x.line)) return blank(x);
    return x;
  };
  v = walk(v);
  if (name === 'XPENDING' && argv.length >= 6 && 'items' in v && v.items) {
    v = { type: v.type, items: v.items.map((e) => ('items' in e && e.items && e.items.length === 4 ? { type: e.type, items: [e.items[0], e.items[1], blank(e.items[2]), e.items[3]] } : e)) };
  }
  return serializeReply(v);
}

function show(argv: string[]): string {
  const s = argv.map((a) => (/^[\x21-\x7e]+$/.test(a) && !/["'\\]/.test(a) ? a : '"' + escapeBytes(a) + '"')).join(' ');
  return s.length > 300 ? s.slice(0, 300) + `... (${argv.length} args)` : s;
}

function clip(s: string): string { return s.length > 700 ? s.slice(0, 700) + `... (${s.length} bytes)` : s; }

function bulkItems(v: RespValue): (string | null)[] {
  if (!('items' in v) || !v.items) return [];
  return v.items.map((x) => ('bulk' in x ? x.bulk : 'line' in x ? x.line : null));
}

// ====================================================================== the run

class Runner {
  engine: ReturnType<typeof createEngine>;
  c: Client;
  history: string[] = [];
  compared = 0;
  constructor(private conn: RespConnection, engineSeed: number) {
    this.engine = createEngine({ seed: engineSeed });
    this.c = this.engine.defaultClient;
  }

  eng(argv: string[]): string {
    const r = this.c.exec(argv);
    return (r.extra ?? []).map((x) => encodeReply(x, this.c.resp)).join('') + encodeReply(r.reply, this.c.resp);
  }

  async same(argv: string[], what = ''): Promise<string | null> {
    let exp: string;
    try {
      exp = await this.conn.call(argv);
    } catch (e) {
      return `${what}${show(argv)}: redis-server did not answer (${e instanceof Error ? e.message : e}): it crashed?`;
    }
    const act = this.eng(argv);
    this.compared++;
    this.history.push(`${what}${show(argv)} -> ${clip(escapeBytes(exp))}`);
    if (normalize(argv, exp) !== normalize(argv, act)) {
      return `${what}${show(argv)}\n  redis:  ${clip(escapeBytes(exp))}\n  engine: ${clip(escapeBytes(act))}`;
    }
    return null;
  }

  /** Every stream key: info, entries, groups, PELs, consumers, memory, and DUMP without groups. */
  async fullCheck(): Promise<string | null> {
    for (const k of KEYS) {
      const t = await this.conn.call(['TYPE', k]);
      let bad = await this.same(['TYPE', k], '  (check) ');
      if (bad) return bad;
      if (!t.includes('stream')) continue;
      for (const argv of [['XINFO', 'STREAM', k], ['XRANGE', k, '-', '+'], ['XINFO', 'GROUPS', k], ['MEMORY', 'USAGE', k]]) {
        bad = await this.same(argv, '  (check) ');
        if (bad) return bad;
      }
      const groupsRaw = await this.conn.call(['XINFO', 'GROUPS', k]);
      const gv = parseReply(groupsRaw);
      const names: string[] = [];
      if ('items' in gv && gv.items) {
        for (const g of gv.items) {
          const f = bulkItems(g);
          const at = f.indexOf('name');
          if (at >= 0 && f[at + 1] !== null) names.push(f[at + 1]!);
        }
      }
      for (const g of names) {
        for (const argv of [['XPENDING', k, g], ['XPENDING', k, g, '-', '+', '1000'], ['XINFO', 'CONSUMERS', k, g]]) {
          bad = await this.same(argv, '  (check) ');
          if (bad) return bad;
        }
      }
      if (names.length === 0) {
        bad = await this.same(['DUMP', k], '  (check) ');
        if (bad) return bad;
      }
    }
    return null;
  }
}

// ====================================================================== vitest

interface Mismatch { seed: number; resp: number; step: number; argv: string[]; note: string }
const mismatches: Mismatch[] = [];

describe.skipIf(!bin)('deep differential: streams (engine vs redis-server)', () => {
  let server: RedisServer;

  beforeAll(async () => {
    server = await startRedisServer(bin!);
  }, 30_000);

  afterAll(async () => {
    await server?.stop();
    if (mismatches.length) {
      const by = new Map<string, number>();
      for (const m of mismatches) by.set(m.argv[0].toUpperCase(), (by.get(m.argv[0].toUpperCase()) ?? 0) + 1);
      console.log(`deep streams: ${mismatches.length} mismatching seed runs; by command: ${[...by].map(([k, n]) => `${k} ${n}`).join(', ')}`);
      for (const m of mismatches) console.log(`--- seed ${m.seed} RESP${m.resp} step ${m.step}\n${m.note}`);
    }
  });

  for (const resp of RESPS) {
    for (const seed of SEEDS) {
      it(`RESP${resp} seed ${seed}: ${LEN} commands`, async () => {
        const conn = await RespConnection.connect(server.port);
        try {
          const r = new Rng(seed * 104729 + resp);
          const entries = r.pick(['100', '3', '5', '1', '10', '2']);
          const bytes = r.pick(['4096', '4096', '5000', '0']);
          // rdbcompression no: DUMP compares the serialization itself, not the LZF compressor.
          const setup = [['FLUSHALL'], ['CONFIG', 'SET', 'stream-node-max-entries', entries, 'stream-node-max-bytes', bytes, 'rdbcompression', 'no']];
          const run = new Runner(conn, seed);
          for (const argv of setup) {
            expect(await conn.call(argv)).toBe('+OK\r\n');
            run.c.exec(argv);
          }
          if (resp === 3) {
            await conn.call(['HELLO', '3']);
            run.c.exec(['HELLO', '3']);
          }
          const gen = new Gen(r);
          for (let step = 1; step <= LEN; step++) {
            const argv = gen.generate();
            if (process.env.DEEP_LOG) appendFileSync(process.env.DEEP_LOG, JSON.stringify(argv) + '\n');
            let bad = await run.same(argv);
            if (!bad && CHECK > 0 && step % CHECK === 0) bad = await run.fullCheck();
            if (bad) {
              const text = [
                `RESP${resp} seed ${seed}, step ${step}: ${bad}`,
                `last ${Math.min(25, run.history.length)} commands (with Redis's replies):`,
                ...run.history.slice(-25).map((h) => '  ' + h),
                `reproduce: DEEP_RESP=${resp} DEEP_SEEDS=${seed}, DEEP_LEN=${step} npx vitest run --project engine test/conformance/deep/streams.test.ts`,
              ].join('\n');
              if (KEEPGOING) { mismatches.push({ seed, resp, step, argv, note: text }); return; }
              expect.fail(text);
            }
          }
          const bad = await run.fullCheck();
          if (bad) {
            const text = `RESP${resp} seed ${seed}, final check: ${bad}`;
            if (KEEPGOING) { mismatches.push({ seed, resp, step: LEN, argv: ['(final check)'], note: text }); return; }
            expect.fail(text);
          }
        } finally {
          await conn.call(['CONFIG', 'SET', 'stream-node-max-entries', '100', 'stream-node-max-bytes', '4096', 'rdbcompression', 'yes']).catch(() => '');
          await conn.close();
        }
      }, 600_000);
    }
  }

  it('no mismatches (DEEP_KEEPGOING)', () => {
    expect(mismatches.length, `${mismatches.length} seed runs mismatched (see the log)`).toBe(0);
  });
});

if (!bin) {
  describe('deep differential: streams', () => {
    it.skip('redis-server is not installed: skipped', () => {});
  });
}
