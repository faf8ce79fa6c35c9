/**
 * Streams: the radix tree (structures/rax.ts), the stream of listpack nodes (structures/stream.ts),
 * and the engine around them (t_stream.ts): node splits, trimming, groups, IDs from the injected
 * clock, blocking reads, propagation, the AOF rewrite, COPY, snapshots and step counts.
 * Byte-for-byte agreement with redis-server is checked by the golden cases (cases/stream.txt) and
 * the differential fuzzer (conformance/deep/streams.test.ts).
 */
import { describe, it, expect } from 'vitest';
import { createEngine, ManualClock, type Engine } from '../../src/engine';
import { encodeReply } from '../../src/engine/resp';
import { Rax, RaxNode } from '../../src/engine/structures/rax';
import {
  Stream, StreamIterator, streamEncodeID, streamDecodeID, streamCompareID, streamIncrID, streamDecrID, streamIDString,
  MAX_ID, ZERO_ID, type StreamID,
} from '../../src/engine/structures/stream';
import { aofRewrite, aofLoad } from '../../src/engine/persistence/aof';
import { rdbSave, rdbLoad } from '../../src/engine/persistence/rdb';
import { snapshotKey } from '../../src/engine/snapshot';
import { Rng } from '../conformance/lib/generators';
import { createApi, type VisualData } from '../../src/worker/api';
import { groupFrames } from '../../src/visualizer/frames';
import { initialScene, makeContext, reduceScene, finalScene } from '../../src/visualizer/scene';

const resp = (e: Engine, ...argv: string[]) => encodeReply(e.exec(argv).reply, 2);
const id = (ms: number | bigint, seq: number | bigint = 0): StreamID => ({ ms: BigInt(ms), seq: BigInt(seq) });

// ====================================================================== rax

/** Every structural rule of a rax: compressed nodes have one child, edges sorted, no dead leaves. */
function checkRax<V>(r: Rax<V>): { nodes: number; keys: number } {
  let nodes = 0, keys = 0;
  const walk = (n: RaxNode<V>, isHead: boolean): void => {
    nodes++;
    if (n.iskey) keys++;
    if (n.iscompr) {
      expect(n.children.length).toBe(1);
      expect(n.data.length).toBeGreaterThan(1);
    } else {
      expect(n.children.length).toBe(n.data.length);
      for (let i = 1; i < n.data.length; i++) expect(n.data.charCodeAt(i)).toBeGreaterThan(n.data.charCodeAt(i - 1));
    }
    if (n.data.length === 0 && !isHead) expect(n.iskey).toBe(true);
    for (const c of n.children) walk(c, false);
  };
  walk(r.head, true);
  expect(nodes).toBe(r.numnodes);
  expect(keys).toBe(r.numele);
  return { nodes, keys };
}

describe('rax', () => {
  it('inserts, finds and removes as a radix tree of compressed and plain nodes', () => {
    const r = new Rax<number>();
    expect(r.numnodes).toBe(1);
    expect(r.insert('annibale', 1)).toBe(true);
    expect(r.numnodes).toBe(2); // the head became "annibale" -> leaf
    expect(r.insert('annibale', 2)).toBe(false);
    expect(r.find('annibale')).toBe(2);
    expect(r.tryInsert('annibale', 3)).toBe(false);
    expect(r.find('annibale')).toBe(2);
    r.insert('annientare', 4); // ALGO 1: split in the middle
    r.insert('anni', 5); // ALGO 2: the key ends inside a compressed node
    r.insert('ago', 6);
    r.insert('ciao', 7);
    r.insert('', 8);
    checkRax(r);
    expect(r.keys()).toEqual(['', 'ago', 'anni', 'annibale', 'annientare', 'ciao']);
    expect(r.find('ann')).toBeUndefined();
    expect(r.find('annibalex')).toBeUndefined();
    for (const k of ['anni', 'ciao', '', 'annibale', 'ago', 'annientare']) {
      expect(r.remove(k)).toBe(true);
      expect(r.remove(k)).toBe(false);
      checkRax(r);
    }
    expect(r.numele).toBe(0);
    expect(r.numnodes).toBe(1);
  });

  it('recompresses chains after removals as rax.c does (FOO/FOOBAR, FOOBAR/FOOTER)', () => {
    const r = new Rax<number>();
    r.insert('FOO', 1);
    r.insert('FOOBAR', 2);
    expect(checkRax(r).nodes).toBe(3); // "FOO" -> "BAR" (key FOO) -> []
    r.remove('FOO');
    // raxRemove only tries to recompress from a node with one child byte: "BAR" (3 bytes) stays apart.
    expect(checkRax(r).nodes).toBe(3);
    r.remove('FOOBAR');
    expect(checkRax(r).nodes).toBe(1);
    r.insert('FOOBAR', 2);
    expect(checkRax(r).nodes).toBe(2); // "FOOBAR" -> []
    r.insert('FOOTER', 3);
    r.remove('FOOTER');
    expect(checkRax(r).nodes).toBe(2);
    expect(r.keys()).toEqual(['FOOBAR']);
  });

  it('16-byte stream IDs: node counts of sequential keys', () => {
    const r = new Rax<number>();
    r.insert(streamEncodeID(id(1, 1)), 1);
    expect(r.numnodes).toBe(2);
    r.insert(streamEncodeID(id(1, 2)), 2);
    expect(r.numnodes).toBe(4); // "prefix" -> [1|2] -> two leaves
    r.insert(streamEncodeID(id(300, 1)), 3);
    checkRax(r);
    expect(r.keys().map(streamDecodeID).map(streamIDString)).toEqual(['1-1', '1-2', '300-1']);
  });

  it('random operations agree with a sorted reference, with consistent seeks', () => {
    const rng = new Rng(42);
    const r = new Rax<number>();
    const ref = new Map<string, number>();
    const alphabet = ['a', 'b', 'c', '\x00', '\xff'];
    const key = () => {
      let s = '';
      for (let n = rng.int(6); n > 0; n--) s += rng.pick(alphabet);
      return s;
    };
    for (let step = 0; step < 4000; step++) {
      const k = key();
      if (rng.chance(0.6)) {
        expect(r.insert(k, step)).toBe(!ref.has(k));
        ref.set(k, step);
      } else {
        expect(r.remove(k)).toBe(ref.delete(k));
      }
      if (step % 100 === 0) checkRax(r);
      const sorted = [...ref.keys()].sort();
      const q = key();
      const ge = sorted.find((x) => x >= q) ?? null;
      const gt = sorted.find((x) => x > q) ?? null;
      const le = [...sorted].reverse().find((x) => x <= q) ?? null;
      const lt = [...sorted].reverse().find((x) => x < q) ?? null;
      expect(r.ceiling(q, false)?.key ?? null).toBe(ge);
      expect(r.ceiling(q, true)?.key ?? null).toBe(gt);
      expect(r.floor(q, false)?.key ?? null).toBe(le);
      expect(r.floor(q, true)?.key ?? null).toBe(lt);
    }
    expect(r.keys()).toEqual([...ref.keys()].sort());
    // The iterator: the seeked element first, then onwards in either direction.
    const it = r.iterator();
    it.seek('^');
    const fwd: string[] = [];
    while (it.next()) fwd.push(it.key);
    expect(fwd).toEqual([...ref.keys()].sort());
    it.seek('$');
    const back: string[] = [];
    while (it.prev()) back.push(it.key);
    expect(back).toEqual([...ref.keys()].sort().reverse());
  });
});

// ====================================================================== stream IDs and structure

describe('stream IDs', () => {
  it('encode as 16 big-endian bytes whose order is the ID order', () => {
    const ids = [id(0, 0), id(0, 1), id(1, 0), id(255, 0), id(256, 0), id(2n ** 63n, 5), MAX_ID];
    for (let i = 1; i < ids.length; i++) {
      expect(streamEncodeID(ids[i - 1]) < streamEncodeID(ids[i])).toBe(true);
      expect(streamCompareID(ids[i - 1], ids[i])).toBe(-1);
    }
    for (const x of ids) expect(streamDecodeID(streamEncodeID(x))).toEqual(x);
    expect(streamIncrID(id(5, 2n ** 64n - 1n))).toEqual(id(6, 0));
    expect(streamIncrID(MAX_ID)).toBeNull();
    expect(streamDecrID(id(6, 0))).toEqual(id(5, 2n ** 64n - 1n));
    expect(streamDecrID(ZERO_ID)).toBeNull();
  });
});

function entries(s: Stream, start: StreamID | null = null, end: StreamID | null = null, rev = false): string[] {
  const si = new StreamIterator(s, start, end, rev);
  const out: string[] = [];
  for (let x = si.next(); x; x = si.next()) out.push(streamIDString(x) + ':' + si.fields().join(','));
  return out;
}

describe('stream structure', () => {
  it('a master entry, then delta-encoded entries (fields left out when they are the master ones)', () => {
    const s = new Stream();
    expect(s.appendItem(['f', '1', 'g', '2'], id(5, 5), true, 0, 4096, 100)).toEqual(id(5, 5));
    expect(s.appendItem(['f', '3', 'g', '4'], id(7, 0), true, 0, 4096, 100)).toEqual(id(7, 0));
    expect(s.appendItem(['h', 'x'], id(7, 1), true, 0, 4096, 100)).toEqual(id(7, 1));
    const lp = s.rax.first()!.node.value!;
    // count deleted num-fields f g 0 | flags ms seq 1 2 lp-count | flags ms seq 3 4 lp-count | flags ms seq n h x lp-count
    expect(lp.entries).toEqual(['3', '0', '2', 'f', 'g', '0', '2', '0', '0', '1', '2', '5', '2', '2', '-5', '3', '4', '5', '0', '2', '-4', '1', 'h', 'x', '6']);
    expect(entries(s)).toEqual(['5-5:f,1,g,2', '7-0:f,3,g,4', '7-1:h,x']);
    expect(entries(s, null, null, true)).toEqual(['7-1:h,x', '7-0:f,3,g,4', '5-5:f,1,g,2']);
    expect(entries(s, id(6, 0), id(7, 0))).toEqual(['7-0:f,3,g,4']);
    expect(s.appendItem(['a', 'b'], id(7, 1), true, 0, 4096, 100)).toBe('EDOM');
    // <ms>-*: the next sequence of the last ID's ms, or 0.
    expect(s.appendItem(['a', 'b'], id(7, 0), false, 0, 4096, 100)).toEqual(id(7, 2));
    expect(s.appendItem(['a', 'b'], id(9, 0), false, 0, 4096, 100)).toEqual(id(9, 0));
    // Auto IDs come from the clock passed in (the engine's), never going back.
    expect(s.appendItem(['a', 'b'], null, true, 20, 4096, 100)).toEqual(id(20, 0));
    expect(s.appendItem(['a', 'b'], null, true, 10, 4096, 100)).toEqual(id(20, 1));
    expect(s.length).toBe(7);
    expect(s.entriesAdded).toBe(7n);
  });

  it('nodes are bounded by stream-node-max-entries (live and deleted) and -bytes', () => {
    const s = new Stream();
    for (let i = 1; i <= 7; i++) s.appendItem(['f', String(i)], id(i), true, 0, 4096, 3);
    expect(s.rax.size()).toBe(3);
    const t = new Stream();
    for (let i = 1; i <= 5; i++) t.appendItem(['f', 'x'.repeat(30)], id(i), true, 0, 100, 100);
    expect(t.rax.size()).toBe(3);
    // A full node is shrunk to its size; the tail keeps its 4096-byte preallocation.
    const u = new Stream();
    for (let i = 1; i <= 4; i++) u.appendItem(['f', String(i)], id(i), true, 0, 4096, 2);
    const [a, b] = [u.rax.first()!.node.value!, u.rax.last()!.node.value!];
    expect(a.alloc).toBeLessThan(100);
    expect(b.alloc).toBe(4096);
  });

  it('deletion flags entries; a node goes with its last live entry', () => {
    const s = new Stream();
    for (let i = 1; i <= 6; i++) s.appendItem(['f', String(i)], id(i), true, 0, 4096, 3);
    expect(s.deleteItem(id(2))).toBe(true);
    expect(s.deleteItem(id(2))).toBe(false);
    expect(s.rax.size()).toBe(2);
    expect(s.deleteItem(id(1))).toBe(true);
    expect(s.deleteItem(id(3))).toBe(true);
    expect(s.rax.size()).toBe(1);
    expect(entries(s)).toEqual(['4-0:f,4', '5-0:f,5', '6-0:f,6']);
    expect(s.getEdgeID(true, true)).toEqual(id(4));
    expect(s.lastValidID()).toEqual(id(6));
  });

  it('trims whole nodes, then (exact) flags entries of the first remaining node', () => {
    const mk = () => {
      const s = new Stream();
      for (let i = 1; i <= 10; i++) s.appendItem(['f', String(i)], id(i), true, 0, 4096, 4);
      return s;
    };
    const a = mk();
    expect(a.trim({ strategy: 'maxlen', maxlen: 5n, minid: ZERO_ID, approx: true, limit: 0n })).toBe(4);
    expect(a.length).toBe(6);
    const b = mk();
    expect(b.trim({ strategy: 'maxlen', maxlen: 5n, minid: ZERO_ID, approx: false, limit: 0n })).toBe(5);
    expect(entries(b)[0]).toBe('6-0:f,6');
    expect(b.firstId).toEqual(id(6));
    const c = mk();
    expect(c.trim({ strategy: 'minid', maxlen: 0n, minid: id(7), approx: false, limit: 0n })).toBe(6);
    const d = mk();
    expect(d.trim({ strategy: 'maxlen', maxlen: 0n, minid: ZERO_ID, approx: true, limit: 4n })).toBe(4);
  });

  it('consumer groups: read counters, lag, consumers sharing the group PEL', () => {
    const s = new Stream();
    for (let i = 1; i <= 4; i++) s.appendItem(['f', String(i)], id(i), true, 0, 4096, 100);
    const g = s.createCG('g', ZERO_ID, 0n)!;
    expect(s.createCG('g', ZERO_ID, 0n)).toBeNull();
    expect(s.cgLag(g)).toBe(4n);
    const c = Stream.createConsumer(g, 'alice', 0)!;
    expect(Stream.createConsumer(g, 'alice', 0)).toBeNull();
    expect(Stream.lookupConsumer(g, 'alice', 99)!.seenTime).toBe(99);
    s.deleteItem(id(1));
    s.maxDeletedEntryId = id(1);
    s.firstId = s.getEdgeID(true, true);
    // The only tombstone is before the first entry: the counter stays valid.
    expect(s.rangeHasTombstones(ZERO_ID, null)).toBe(false);
    expect(c.pel.size()).toBe(0);
    const copy = s.clone();
    expect(entries(copy)).toEqual(entries(s));
    expect(copy.lookupCG('g')!.consumers.find('alice')).not.toBe(c);
  });
});

// ====================================================================== the engine

describe('stream commands in the engine', () => {
  it('XADD * uses the injected clock', () => {
    const clock = new ManualClock(1_700_000_000_000);
    const e = createEngine({ clock });
    expect(resp(e, 'XADD', 's', '*', 'a', '1')).toBe('$15\r\n1700000000000-0\r\n');
    expect(resp(e, 'XADD', 's', '*', 'a', '2')).toBe('$15\r\n1700000000000-1\r\n');
    clock.advance(5);
    expect(resp(e, 'XADD', 's', '*', 'a', '3')).toBe('$15\r\n1700000000005-0\r\n');
    clock.set(1_600_000_000_000);
    expect(resp(e, 'XADD', 's', '*', 'a', '4')).toBe('$15\r\n1700000000005-1\r\n');
    expect(resp(e, 'TYPE', 's')).toBe('+stream\r\n');
    expect(resp(e, 'OBJECT', 'ENCODING', 's')).toBe('$6\r\nstream\r\n');
  });

  it('XREAD BLOCK is served by XADD, times out on the engine clock', () => {
    const clock = new ManualClock(1_700_000_000_000);
    const e = createEngine({ clock });
    const c2 = e.createClient();
    const got: string[] = [];
    c2.onPush = (r) => got.push(encodeReply(r, 2));
    expect(c2.exec(['XREAD', 'BLOCK', '0', 'STREAMS', 's', '$']).blocked).toBe(true);
    e.exec(['XADD', 's', '1-1', 'a', '1']);
    expect(got).toEqual(['*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n']);
    expect(c2.exec(['XREAD', 'BLOCK', '500', 'STREAMS', 's', '$']).blocked).toBe(true);
    clock.advance(400);
    e.cron();
    expect(got.length).toBe(1);
    clock.advance(200);
    e.cron();
    expect(got[1]).toBe('*-1\r\n');
  });

  it('XREADGROUP BLOCK: served as the group moves on; DEL unblocks with an error', () => {
    const e = createEngine({ clock: new ManualClock(1000) });
    const [a, b] = [e.createClient(), e.createClient()];
    const ga: string[] = [], gb: string[] = [];
    a.onPush = (r) => ga.push(encodeReply(r, 2));
    b.onPush = (r) => gb.push(encodeReply(r, 2));
    e.exec(['XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM']);
    a.exec(['XREADGROUP', 'GROUP', 'g', 'alice', 'BLOCK', '0', 'STREAMS', 's', '>']);
    b.exec(['XREADGROUP', 'GROUP', 'g', 'bob', 'BLOCK', '0', 'STREAMS', 's', '>']);
    e.exec(['XADD', 's', '1-1', 'a', '1']);
    expect(ga.length).toBe(1);
    expect(gb.length).toBe(0); // the group's last ID moved past 1-1
    e.exec(['DEL', 's']);
    expect(gb).toEqual(['-UNBLOCKED the stream key no longer exists\r\n']);
  });

  it('propagates reads as XCLAIM (in MULTI/EXEC), approximate trims made exact, IDs resolved', () => {
    const e = createEngine({ clock: new ManualClock(5000) });
    const seen: string[] = [];
    e.onPropagate = (_db, argv) => seen.push(argv.join(' '));
    e.exec(['XADD', 's', '1-*', 'a', '1']);
    e.exec(['XADD', 's', 'MAXLEN', '~', '1', '*', 'a', '2']);
    e.exec(['XGROUP', 'CREATE', 's', 'g', '0']);
    e.exec(['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 's', '>']);
    e.exec(['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 's', '>']);
    expect(seen).toEqual([
      'XADD s 1-0 a 1',
      'XADD s MAXLEN = 2 5000-0 a 2',
      'XGROUP CREATE s g 0',
      'MULTI',
      'XCLAIM s g c 0 1-0 TIME 5000 RETRYCOUNT 1 FORCE JUSTID LASTID 1-0',
      'XCLAIM s g c 0 5000-0 TIME 5000 RETRYCOUNT 1 FORCE JUSTID LASTID 5000-0',
      'EXEC',
    ]);
  });

  it('the AOF rewrite and an RDB round trip rebuild streams, groups and PELs', () => {
    const e = createEngine({ clock: new ManualClock(1_700_000_000_000) });
    for (let i = 1; i <= 120; i++) e.exec(['XADD', 's', `${i}-1`, 'f', String(i), 'g', 'x'.repeat(i % 7)]);
    e.exec(['XDEL', 's', '3-1']);
    e.exec(['XGROUP', 'CREATE', 's', 'g', '0']);
    e.exec(['XREADGROUP', 'GROUP', 'g', 'alice', 'COUNT', '5', 'STREAMS', 's', '>']);
    e.exec(['XGROUP', 'CREATECONSUMER', 's', 'g', 'bob']);
    e.exec(['XGROUP', 'CREATE', 'empty', 'g', '$', 'MKSTREAM']);
    const view = (x: Engine) => ['s', 'empty'].map((k) => resp(x, 'XINFO', 'STREAM', k, 'FULL', 'COUNT', '0')).join('');
    const a = createEngine({ clock: new ManualClock(1_700_000_000_000) });
    aofLoad(a, aofRewrite(e));
    expect(view(a)).toBe(view(e));
    const r = createEngine({ clock: new ManualClock(1_700_000_000_000) });
    rdbLoad(r, rdbSave(e));
    expect(view(r)).toBe(view(e));
  });

  it('COPY duplicates the stream and its groups independently', () => {
    const e = createEngine();
    e.exec(['XADD', 's', '1-1', 'a', '1']);
    e.exec(['XGROUP', 'CREATE', 's', 'g', '0']);
    e.exec(['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 's', '>']);
    expect(resp(e, 'COPY', 's', 'd')).toBe(':1\r\n');
    e.exec(['XACK', 'd', 'g', '1-1']);
    expect(resp(e, 'XPENDING', 's', 'g')).toContain(':1\r\n');
    expect(resp(e, 'XPENDING', 'd', 'g')).toBe('*4\r\n:0\r\n$-1\r\n$-1\r\n*-1\r\n');
  });

  it('a snapshot lists the entries and groups without counting steps', () => {
    const e = createEngine();
    e.exec(['XADD', 's', '1-1', 'a', '1', 'b', '2']);
    e.exec(['XGROUP', 'CREATE', 's', 'g', '0']);
    const snap = snapshotKey(e.dbs[0], 's')!;
    expect(snap.type).toBe('stream');
    expect(snap.value).toMatchObject({ kind: 'stream', length: 1, entries: [{ id: '1-1', fields: ['a', '1', 'b', '2'] }], groups: [{ name: 'g', pending: 0 }] });
  });

  it('the visualizer (api visual run, frames, scenes) takes stream commands', () => {
    const api = createApi(createEngine({ clock: new ManualClock(1_700_000_000_000) }));
    for (const line of ['XADD s * a 1', 'XADD s MAXLEN 1 * b 2', 'XGROUP CREATE s g 0', 'XREADGROUP GROUP g c STREAMS s >',
      'XACK s g 1-0', 'XINFO STREAM s FULL', 'XRANGE s - +', 'XDEL s 1700000000000-1', 'XTRIM s MAXLEN 0', 'DEL s']) {
      const res = api.exec(line, { visual: true });
      expect(res.reply.t === 'error' ? res.reply : 'ok').toBe('ok');
      const data = res.visual as VisualData;
      const ctx = makeContext(data);
      let sc = initialScene(data);
      groupFrames(data.trace).forEach((f, i) => { sc = reduceScene(sc, f, i, ctx); });
      finalScene(sc, data);
      if (data.after) expect(data.after.value.kind).toBe('stream');
    }
  });

  it('steps grow with the entries returned and the node size, not with the stream (O(log N + M))', () => {
    const build = (n: number) => {
      const e = createEngine();
      for (let i = 1; i <= n; i++) e.exec(['XADD', 's', `${i}-0`, 'f', 'v']);
      return e;
    };
    const [small, big] = [build(2000), build(20000)];
    const rangeSteps = (e: Engine, count: number) => e.exec(['XRANGE', 's', '1550', '+', 'COUNT', String(count)]).steps;
    expect(rangeSteps(big, 2)).toBeLessThan(rangeSteps(small, 2) * 1.5);
    expect(rangeSteps(small, 400)).toBeGreaterThan(rangeSteps(small, 2) * 3);
    expect(big.exec(['XLEN', 's']).steps).toBeLessThan(10);
  });
});
