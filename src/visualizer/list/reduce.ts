/**
 * Quicklist edits for the scene, from trace events only (never the engine): nodes created, split,
 * merged and deleted; entries inserted, overwritten and deleted; the walk highlighted node by node
 * (ql.visitNode) and entry by entry (ql.visitEntry, lp.visit). Copy on write: the input view is
 * never mutated. A snapshot may show only a prefix of a node's entries (`entries.length < count`)
 * or the first nodes of a long list: edits outside what is shown only update the counts.
 */
import type { QuicklistNodeView, QuicklistView, StructView } from '../../engine/snapshot';
import type { TraceEvent } from '../../engine/trace';
import { lpEntrySize } from '../../engine/structures/listpack';
import type { Highlight, Scene, SceneContext } from '../scene';

export type ListEvent = Extract<TraceEvent, { k: `ql.${string}` | `lp.${string}` }>;

export function isListEvent(ev: TraceEvent): ev is ListEvent {
  return ev.k.startsWith('ql.') || ev.k.startsWith('lp.');
}

export function emptyQuicklist(like?: StructView | null): QuicklistView {
  const q = like && like.kind === 'quicklist' ? like : null;
  return { kind: 'quicklist', len: 0, count: 0, from: 0, nodes: [], fill: q?.fill ?? -2, compress: q?.compress ?? 0 };
}

/** Does the scene's value (or the value the command creates) hold a quicklist? */
export function sceneHasQuicklist(s: Scene, ctx: SceneContext): boolean {
  if (s.value) return s.value.kind === 'quicklist';
  return ctx.data.after?.value.kind === 'quicklist';
}

function withNode(v: QuicklistView, id: number, edit: (n: QuicklistNodeView) => QuicklistNodeView): QuicklistView {
  const i = v.nodes.findIndex((n) => n.id === id);
  if (i < 0) return v;
  const nodes = v.nodes.slice();
  nodes[i] = edit(nodes[i]);
  return { ...v, nodes };
}

/** Where a newly created node goes: next to its neighbours in the after snapshot, else at the tail. */
function placeNew(v: QuicklistView, id: number, ctx: SceneContext): number {
  const after = ctx.data.after?.value;
  if (after && after.kind === 'quicklist') {
    const order = after.nodes.map((n) => n.id);
    const at = order.indexOf(id);
    if (at >= 0) {
      for (let j = at - 1; j >= 0; j--) {
        const k = v.nodes.findIndex((n) => n.id === order[j]);
        if (k >= 0) return k + 1;
      }
      for (let j = at + 1; j < order.length; j++) {
        const k = v.nodes.findIndex((n) => n.id === order[j]);
        if (k >= 0) return k;
      }
      return 0;
    }
  }
  return v.nodes.length;
}

/** A node's entry at offset `index` (undefined when not shown). */
export function entryOf(v: StructView | null | undefined, node: number | undefined, index: number | undefined): string | undefined {
  if (!v || v.kind !== 'quicklist' || node === undefined || index === undefined) return undefined;
  const n = v.nodes.find((x) => x.id === node);
  return n ? n.entries[index - n.from] : undefined;
}

function hlAt(v: QuicklistView, node: number, index: number | undefined, mode: Highlight['mode']): Highlight {
  const id = index === undefined ? (v.nodes.find((n) => n.id === node)?.entries[0] ?? null) : (entryOf(v, node, index) ?? null);
  return { target: 'value', id, node, index, mode };
}

export function reduceList(s: Scene, ev: ListEvent, ctx: SceneContext): Scene {
  let v = s.value;
  let meta = s.meta;
  if (!v && ctx.data.after?.value.kind === 'quicklist') {
    v = emptyQuicklist(ctx.data.after.value);
    meta = { type: ctx.data.after.type, encoding: ctx.data.after.encoding };
  }
  if (!v || v.kind !== 'quicklist') return { ...s, hl: { target: 'value', id: null, mode: 'other' } };
  const prevNode = s.hl?.node;
  const done = (value: QuicklistView, hl: Highlight | null): Scene => ({ ...s, meta, value, hl });

  switch (ev.k) {
    case 'ql.visitNode':
      return done(v, hlAt(v, ev.node, undefined, 'visit'));
    case 'ql.visitEntry':
      return done(v, hlAt(v, ev.node, ev.index, 'visit'));
    case 'lp.visit':
      // The listpack inside the node being visited (lpSeek / lpNext).
      return prevNode === undefined ? done(v, s.hl) : done(v, hlAt(v, prevNode, ev.index, 'visit'));
    case 'lp.insert': case 'lp.delete':
      // The quicklist event of the same edit (merged into this frame) does the change.
      return done(v, s.hl);
    case 'ql.insert': {
      const replace = ev.replace === true;
      let nv = withNode(v, ev.node, (n) => {
        const pos = ev.index - n.from;
        const entries = n.entries.slice();
        let bytes = n.bytes;
        if (replace) {
          if (pos >= 0 && pos < entries.length) { bytes += lpEntrySize(ev.value) - lpEntrySize(entries[pos]); entries[pos] = ev.value; }
          return { ...n, entries, bytes };
        }
        // Shown when it lands inside the shown prefix (or right after it, when the whole node is shown).
        if (pos >= 0 && (pos < entries.length || (pos === entries.length && entries.length === n.count))) entries.splice(pos, 0, ev.value);
        bytes += lpEntrySize(ev.value);
        return { ...n, entries, count: n.count + 1, bytes: n.plain ? ev.value.length : bytes };
      });
      if (!replace) nv = { ...nv, count: nv.count + 1 };
      return done(nv, { target: 'value', id: ev.value, node: ev.node, index: ev.index, mode: 'insert' });
    }
    case 'ql.delete': {
      const k = ev.n ?? 1;
      const victim = entryOf(v, ev.node, ev.index) ?? null;
      const nv = withNode(v, ev.node, (n) => {
        const pos = ev.index - n.from;
        const entries = n.entries.slice();
        let bytes = n.bytes;
        if (pos >= 0 && pos < entries.length) for (const e of entries.splice(pos, k)) bytes -= lpEntrySize(e);
        return { ...n, entries, count: Math.max(0, n.count - k), bytes: Math.max(0, bytes) };
      });
      return done({ ...nv, count: Math.max(0, nv.count - k) }, { target: 'value', id: victim, node: ev.node, index: ev.index, mode: 'delete' });
    }
    case 'ql.createNode': {
      if (v.nodes.some((n) => n.id === ev.node)) return done(v, { target: 'value', id: null, node: ev.node, mode: 'insert' });
      const at = placeNew(v, ev.node, ctx);
      const nodes = v.nodes.slice();
      nodes.splice(at, 0, { id: ev.node, count: 0, bytes: 7, plain: false, from: 0, entries: [] });
      return done({ ...v, nodes, len: v.len + 1 }, { target: 'value', id: null, node: ev.node, mode: 'insert' });
    }
    case 'ql.deleteNode': {
      const gone = v.nodes.find((n) => n.id === ev.node);
      const nodes = v.nodes.filter((n) => n.id !== ev.node);
      return done({ ...v, nodes, len: Math.max(0, v.len - 1), count: Math.max(0, v.count - (gone?.count ?? 0)) }, { target: 'value', id: null, node: ev.node, mode: 'delete' });
    }
    case 'ql.split': {
      const i = v.nodes.findIndex((n) => n.id === ev.node);
      const j = v.nodes.findIndex((n) => n.id === ev.newNode);
      if (i < 0 || ev.offset === undefined || ev.after === undefined) return done(v, { target: 'value', id: null, node: ev.newNode, mode: 'other' });
      const old = v.nodes[i];
      const off = ev.offset - old.from;
      const keep = ev.after ? old.entries.slice(0, off + 1) : old.entries.slice(Math.max(0, off));
      const moved = ev.after ? old.entries.slice(off + 1) : old.entries.slice(0, Math.max(0, off));
      const movedCount = ev.after ? old.count - ev.offset - 1 : ev.offset;
      const size = (es: string[]) => 7 + es.reduce((t, e) => t + lpEntrySize(e), 0);
      const nodes = v.nodes.slice();
      const fresh: QuicklistNodeView = { ...(j >= 0 ? nodes[j] : { id: ev.newNode, plain: false, from: 0 }), entries: moved, count: movedCount, bytes: size(moved) } as QuicklistNodeView;
      if (j >= 0) nodes.splice(j, 1);
      let len = v.len;
      if (j < 0) len++;
      const at = nodes.findIndex((n) => n.id === ev.node);
      nodes[at] = { ...old, entries: keep, count: old.count - movedCount, bytes: size(keep) };
      nodes.splice(ev.after ? at + 1 : at, 0, fresh);
      return done({ ...v, nodes, len }, { target: 'value', id: null, node: ev.newNode, mode: 'other' });
    }
    case 'ql.merge': {
      const gi = v.nodes.findIndex((n) => n.id === ev.node);
      const ki = v.nodes.findIndex((n) => n.id === ev.into);
      if (gi < 0 || ki < 0) return done(v, { target: 'value', id: null, node: ev.into, mode: 'other' });
      const gone = v.nodes[gi];
      const keep = v.nodes[ki];
      // Only a shown prefix may be extended: a cut left part keeps its prefix.
      const left = gi < ki ? gone : keep;
      const right = gi < ki ? keep : gone;
      const entries = left.entries.length < left.count ? left.entries.slice() : [...left.entries, ...right.entries];
      const nodes = v.nodes.slice();
      nodes[ki] = { ...keep, entries, count: keep.count + gone.count, bytes: keep.bytes + gone.bytes - 7 };
      nodes[gi] = { ...gone, entries: [], count: 0, bytes: 7 };
      return done({ ...v, nodes }, { target: 'value', id: null, node: ev.into, mode: 'other' });
    }
  }
  return done(v, s.hl);
}
