/** The stream view's pure parts: what a command did (from snapshots and reply) and the layout. */
import { describe, expect, it } from 'vitest';
import { createEngine, ManualClock } from '../../src/engine';
import { snapshotKey, type StreamView } from '../../src/engine/snapshot';
import { compareIds, layoutStream, replyEntryIds, S, streamChanges } from '../../src/visualizer/stream/layout';
import { en } from '../../src/visualizer/narration/en';
import { zhCN } from '../../src/visualizer/narration/zh-CN';
import { createApi } from '../../src/worker/api';

function setup() {
  const e = createEngine({ seed: 1, clock: new ManualClock(1_700_000_000_000) });
  const snap = (o: { maxNodes?: number } = {}) => (snapshotKey(e.defaultClient.db, 'events', { maxNodes: o.maxNodes ?? 64 })?.value ?? null) as StreamView | null;
  /** Run a command; the before / after snapshots, argv and reply, as the visualizer gets them. */
  const run = (...argv: string[]) => {
    const before = snap();
    const reply = e.exec(argv).reply;
    const after = snap()!;
    return { before, after, reply, ch: streamChanges(before, after, argv, reply, 'events') };
  };
  return { e, run, snap };
}

describe('stream view', () => {
  it('compares IDs numerically', () => {
    expect(compareIds('1-2', '1-10')).toBe(-1);
    expect(compareIds('10-0', '9-99')).toBe(1);
    expect(compareIds('18446744073709551615-0', '18446744073709551614-5')).toBe(1);
    expect(compareIds('3-3', '3-3')).toBe(0);
  });

  it('XADD: the new entry is the one past the previous last ID', () => {
    const { run } = setup();
    expect(run('XADD', 'events', '1-1', 'type', 'created', 'order', '1001').ch.added).toEqual(['1-1']);
    const r = run('XADD', 'events', '1-2', 'type', 'paid', 'order', '1001');
    expect(r.ch.added).toEqual(['1-2']);
    const L = layoutStream(r.after, r.ch);
    expect(L.cells.map((c) => (c.kind === 'entry' ? [c.id, c.hot, c.last] : c.kind))).toEqual([['1-1', null, false], ['1-2', 'insert', true]]);
    // A rejected XADD (ID not greater than the last) adds nothing.
    expect(run('XADD', 'events', '1-2', 'x', 'y').ch.added).toEqual([]);
  });

  it('XRANGE / XREADGROUP: the entries returned; the group that moved', () => {
    const { run } = setup();
    for (let i = 1; i <= 4; i++) run('XADD', 'events', `1-${i}`, 'n', String(i));
    expect(run('XRANGE', 'events', '1-2', '+', 'COUNT', '2').ch.read).toEqual(['1-2', '1-3']);
    expect(run('XREVRANGE', 'events', '+', '-', 'COUNT', '1').ch.read).toEqual(['1-4']);
    expect(run('XREAD', 'STREAMS', 'events', '1-3').ch.read).toEqual(['1-4']);
    const c = run('XGROUP', 'CREATE', 'events', 'mailers', '0').ch;
    expect(c.created).toEqual(['mailers']);
    const d = run('XREADGROUP', 'GROUP', 'mailers', 'm1', 'COUNT', '2', 'STREAMS', 'events', '>');
    expect(d.ch.read).toEqual(['1-1', '1-2']);
    expect(d.ch.delivered).toEqual([{ group: 'mailers', from: '0-0', to: '1-2', n: 2 }]);
    expect(d.ch.touchedGroups).toEqual(['mailers']);
    const L = layoutStream(d.after, d.ch);
    const g = L.groups[0];
    expect([g.name, g.pending, g.consumers, g.hot]).toEqual(['mailers', 2, [{ name: 'm1', pending: 2 }], true]);
    expect(g.link).not.toBeNull();
    expect(L.cells.find((x) => x.kind === 'entry' && x.id === '1-2')).toMatchObject({ groups: ['mailers'] });
    const a = run('XACK', 'events', 'mailers', '1-1').ch;
    expect(a.acked).toEqual([{ group: 'mailers', n: 1, pending: 1 }]);
    expect(run('XTRIM', 'events', 'MAXLEN', '2').ch.removed).toBe(2);
  });

  it('fits the width: the groups go beside the entries when there is room, else below them', () => {
    const { run } = setup();
    for (let i = 1; i <= 7; i++) run('XADD', 'events', `1-${i}`, 'n', String(i));
    const v = run('XGROUP', 'CREATE', 'events', 'g', '0').after;
    const wide = layoutStream(v, null, { avail: 1000 });
    expect(wide.cells.filter((c) => c.y === wide.cells[0].y).length).toBe(4);
    expect(wide.groups[0].x).toBeGreaterThan(wide.band.x + wide.band.w);
    expect(wide.width).toBeLessThanOrEqual(1000);
    const narrow = layoutStream(v, null, { avail: 560 });
    expect(narrow.cells.filter((c) => c.y === narrow.cells[0].y).length).toBe(3);
    expect(narrow.groups[0].y).toBeGreaterThan(narrow.band.y + narrow.band.h);
    expect(narrow.groups[0].link).toBeNull();
    expect(narrow.width).toBeLessThanOrEqual(560);
    const phone = layoutStream(v, null, { avail: 200 });
    expect(phone.cells.every((c) => c.x === phone.cells[0].x)).toBe(true);
  });

  it('reads entry IDs from RESP3 maps and skips other shapes', () => {
    expect(replyEntryIds({ t: 'map', v: [{ t: 'bulk', v: 'events' }, { t: 'array', v: [{ t: 'array', v: [{ t: 'bulk', v: '5-1' }, { t: 'array', v: [] }] }] }] })).toEqual(['5-1']);
    expect(replyEntryIds({ t: 'array', v: [{ t: 'int', v: 1 }, { t: 'bulk', v: '1-1' }, { t: 'bulk', v: '1-1' }] })).toEqual([]);
  });

  it('windows past S.window entries and says how many are left out', () => {
    const { e, snap } = setup();
    for (let i = 1; i <= 260; i++) e.exec(['XADD', 'events', `1-${i}`, 'n', String(i)]);
    const v = snap({ maxNodes: 300 })!;
    const L = layoutStream(v, null);
    const entries = L.cells.filter((c) => c.kind === 'entry');
    expect(entries.length).toBe(S.window);
    expect(L.cells.filter((c) => c.kind === 'gap').map((c) => (c.kind === 'gap' ? c.count : 0))).toEqual([60]);
    // Focus on a touched entry: the window moves around it.
    const L2 = layoutStream(v, { added: ['1-250'], read: [], removed: 0, created: [], delivered: [], acked: [], touchedGroups: [] });
    expect(L2.cells.some((c) => c.kind === 'entry' && c.id === '1-250' && c.hot === 'insert')).toBe(true);
    expect(L2.cells[0]).toMatchObject({ kind: 'gap' });
    // The default snapshot (64 entries): the rest is "+N more".
    const d = layoutStream(snap()!, null);
    expect(d.cells.at(-1)).toMatchObject({ kind: 'gap', count: 196 });
  });

  it('the visualizer follows the stream of XREAD / XREADGROUP (movable keys after STREAMS)', () => {
    const api = createApi(createEngine({ seed: 1 }));
    api.exec('XADD events 1-1 a b');
    api.exec('XGROUP CREATE events g 0');
    for (const line of ['XREAD COUNT 1 STREAMS events 0', 'XREADGROUP GROUP g c STREAMS events >', 'XREAD STREAMS events other 0 0']) {
      const v = api.exec(line, { visual: true }).visual!;
      expect([line, v.key, v.after?.value.kind]).toEqual([line, 'events', 'stream']);
    }
  });

  it('has the same stream strings in English and 简体中文', () => {
    expect(Object.keys(zhCN.stream).sort()).toEqual(Object.keys(en.stream).sort());
    expect(Object.keys(zhCN.stream.say).sort()).toEqual(Object.keys(en.stream.say).sort());
  });
});
