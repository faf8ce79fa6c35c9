/**
 * The skiplist scene of one command: the nodes (from the "before" snapshot, possibly a window
 * around the search path), and what the trace did to them frame by frame: the walk (current node,
 * the node compared, "go right" / "go down" edges), the update[] nodes, the coin flips, the node
 * created or unlinked, the spans rewritten and the rank accumulated from the spans (ZRANK).
 *
 * Pure and immutable (a reduce copies what it changes), fed only by snapshots and trace events:
 * the player's keyframes (Timeline) give random access. The last frame shows the "after" snapshot.
 */
import type { SkiplistView } from '../../engine/snapshot';
import type { TraceEvent } from '../../engine/trace';
import type { VisualData } from '../../worker/api';
import type { Frame } from '../frames';
import { Timeline } from '../timeline';

/** The header's name in trace events (structures/skiplist.ts ZSL_HEADER). */
export const HEADER = '<header>';

export interface ZNode {
  member: string;
  score: number;
  level: number;
  /** Span of each level, level 0 first (the span of a NULL pointer is the number of nodes after it). */
  spans: number[];
  /** 1-based rank. */
  rank: number;
}

export interface ZModel {
  /** Highest level in use. */
  level: number;
  length: number;
  headerSpans: number[];
  /** Nodes known to the view, by rank (a window or a search path may leave ranks out). */
  nodes: ZNode[];
}

export interface PathEdge { from: string; to: string; level: number; kind: 'right' | 'down' }

export interface ZslScene {
  model: ZModel | null;
  /** The node the walk stands on (HEADER or a member) and its level; null outside a walk. */
  x: string | null;
  xLevel: number;
  /** The forward node just compared, and the decision. */
  compare: { node: string; level: number; goRight: boolean } | null;
  /** Edges walked so far: right along a level, down a level. */
  path: PathEdge[];
  /** update[i]: level -> node. */
  update: Record<number, string>;
  /** rank[i] of zslInsert per level, when known. */
  updateRank: Record<number, number>;
  /** The coin flips of zslRandomLevel so far (this insertion). */
  coins: { heads: boolean; level: number }[];
  /** The level forced by the student (no coins flipped), when known. */
  forced: number | null;
  created: string | null;
  /** A node unlinked by this frame (drawn fading out). */
  deleted: ZNode | null;
  /** Spans rewritten by this frame: "node:level". */
  spansChanged: string[];
  /** Rank accumulated from the spans (ZRANK / zslInsert's rank[]): the addends so far. */
  rankTerms: number[];
  /** The rank zslGetRank returned. */
  rankFinal: number | null;
  /** The main event of the frame that produced this scene. */
  ev: TraceEvent | null;
  /** The frame index (-1 before the first). */
  frame: number;
}

export function modelOf(v: SkiplistView): ZModel {
  return {
    level: v.level,
    length: v.length,
    headerSpans: v.headerSpans.slice(),
    nodes: v.nodes.map((n) => ({ member: n.member, score: n.score, level: n.level, spans: n.spans.slice(), rank: n.rank })),
  };
}

function emptyModel(): ZModel {
  return { level: 1, length: 0, headerSpans: [0], nodes: [] };
}

export function initialZslScene(data: VisualData): ZslScene {
  const b = data.before?.value;
  const a = data.after?.value;
  let model: ZModel | null = null;
  if (b?.kind === 'skiplist') model = modelOf(b);
  else if (a?.kind === 'skiplist') model = emptyModel();
  return {
    model, x: null, xLevel: -1, compare: null, path: [], update: {}, updateRank: {}, coins: [], forced: data.forcedLevel ?? null,
    created: null, deleted: null, spansChanged: [], rankTerms: [], rankFinal: null, ev: null, frame: -1,
  };
}

/** The scene at the end: the "after" snapshot's nodes, keeping the last frame's marks. */
export function finalZslScene(s: ZslScene, data: VisualData): ZslScene {
  const a = data.after?.value;
  return { ...s, model: a?.kind === 'skiplist' ? modelOf(a) : s.model, deleted: null, forced: s.forced ?? (data.forcedLevel ?? null) };
}

/** Span of `node` on `level` in the model (HEADER included), or null when the node is not known. */
export function spanOf(m: ZModel, node: string, level: number): number | null {
  if (node === HEADER) return m.headerSpans[level] ?? null;
  const n = m.nodes.find((x) => x.member === node);
  return n ? (n.spans[level] ?? null) : null;
}

export function rankOf(m: ZModel, node: string): number | null {
  if (node === HEADER) return 0;
  return m.nodes.find((x) => x.member === node)?.rank ?? null;
}

function setSpan(m: ZModel, node: string, level: number, span: number): ZModel {
  if (node === HEADER) {
    const headerSpans = m.headerSpans.slice();
    while (headerSpans.length <= level) headerSpans.push(0);
    headerSpans[level] = span;
    return { ...m, headerSpans };
  }
  const i = m.nodes.findIndex((x) => x.member === node);
  if (i < 0) return m;
  const nodes = m.nodes.slice();
  const spans = nodes[i].spans.slice();
  spans[level] = span;
  nodes[i] = { ...nodes[i], spans };
  return { ...m, nodes };
}

function insertNode(m: ZModel, member: string, score: number, level: number, after: string | undefined): ZModel {
  if (m.nodes.some((x) => x.member === member)) return m;
  const prevRank = after === undefined ? null : rankOf(m, after);
  let rank: number;
  if (prevRank !== null) rank = prevRank + 1;
  else {
    // The predecessor is not drawn: place by order (score, then member bytes).
    const next = m.nodes.find((x) => x.score > score || (x.score === score && x.member > member));
    rank = next ? next.rank : m.length + 1;
  }
  const nodes = m.nodes.map((x) => (x.rank >= rank ? { ...x, rank: x.rank + 1 } : x));
  const pos = nodes.findIndex((x) => x.rank > rank);
  const node: ZNode = { member, score, level, spans: new Array(level).fill(0), rank };
  if (pos < 0) nodes.push(node);
  else nodes.splice(pos, 0, node);
  const headerSpans = m.headerSpans.slice();
  // New levels of the header start with span = length (zslInsert), fixed by the span events.
  while (headerSpans.length < level) headerSpans.push(m.length);
  return { level: Math.max(m.level, level), length: m.length + 1, headerSpans, nodes };
}

function deleteNode(m: ZModel, member: string): { m: ZModel; victim: ZNode | null } {
  const victim = m.nodes.find((x) => x.member === member) ?? null;
  const nodes = m.nodes.filter((x) => x.member !== member).map((x) => (victim && x.rank > victim.rank ? { ...x, rank: x.rank - 1 } : x));
  let level = m.level;
  // zslDeleteNode: drop empty top levels (a level is empty when no node reaches it).
  const full = nodes.length === m.length - 1 || (victim === null && nodes.length === m.length);
  if (full) while (level > 1 && !nodes.some((x) => x.level >= level)) level--;
  return { m: { ...m, level, length: Math.max(0, m.length - 1), headerSpans: m.headerSpans.slice(0, Math.max(level, 1)), nodes }, victim };
}

function apply(s: ZslScene, ev: TraceEvent): ZslScene {
  const m = s.model;
  switch (ev.k) {
    case 'zsl.compare':
      return { ...s, compare: { node: ev.node, level: ev.level, goRight: ev.goRight }, x: s.x ?? HEADER, xLevel: ev.level };
    case 'zsl.visit': {
      const from = s.x ?? HEADER;
      const span = m ? spanOf(m, from, ev.level) : null;
      const rankTerms = span !== null ? [...s.rankTerms, span] : s.rankTerms;
      return { ...s, x: ev.node, xLevel: ev.level, compare: null, path: [...s.path, { from, to: ev.node, level: ev.level, kind: 'right' }], rankTerms };
    }
    case 'zsl.update': {
      const update = { ...s.update, [ev.level]: ev.node };
      const updateRank = ev.rank >= 0 ? { ...s.updateRank, [ev.level]: ev.rank } : s.updateRank;
      return { ...s, update, updateRank, x: ev.node, xLevel: ev.level, compare: s.compare && s.compare.level === ev.level ? s.compare : null };
    }
    case 'zsl.down':
      return { ...s, x: ev.node, xLevel: ev.level, compare: null, path: [...s.path, { from: ev.node, to: ev.node, level: ev.level, kind: 'down' }] };
    case 'zsl.coin':
      return { ...s, coins: [...s.coins, { heads: ev.heads, level: ev.level }], compare: null };
    case 'zsl.create': {
      const model = m ? insertNode(m, ev.node, ev.score, ev.level, s.update[0]) : m;
      return { ...s, model, created: ev.node, compare: null, x: null, spansChanged: [] };
    }
    case 'zsl.span': {
      if (!m) return s;
      return { ...s, model: setSpan(m, ev.node, ev.level, ev.span), spansChanged: [...s.spansChanged, ev.node + ':' + ev.level] };
    }
    case 'zsl.delete': {
      if (!m) return s;
      const r = deleteNode(m, ev.node);
      return { ...s, model: r.m, deleted: r.victim, x: null, compare: null };
    }
    case 'zsl.rank':
      return { ...s, rankFinal: ev.rank, x: ev.node, compare: null };
    case 'obj.convert':
      return ev.to === 'skiplist' ? { ...s, model: emptyModel() } : s;
    default:
      return s;
  }
}

/** Reset what belongs to one frame, and the walk when a new search starts (each ZADD member). */
function beginFrame(s: ZslScene, main: TraceEvent): ZslScene {
  let out: ZslScene = { ...s, deleted: null };
  if (main.k !== 'zsl.span') out = { ...out, spansChanged: [] };
  const zsl = main.k.startsWith('zsl.');
  // A new search: after an insertion / deletion / rank, or after other work (the dict).
  const finished = s.created !== null || s.rankFinal !== null || (s.ev !== null && s.ev.k === 'zsl.delete');
  const searchStart = zsl && (main.k === 'zsl.compare' || main.k === 'zsl.update') && (finished || s.ev === null || !s.ev.k.startsWith('zsl.'));
  if (searchStart) {
    out = { ...out, x: HEADER, xLevel: -1, compare: null, path: [], update: {}, updateRank: {}, coins: [], created: null, rankTerms: [], rankFinal: null };
  }
  if (main.k === 'zsl.coin' && s.ev?.k !== 'zsl.coin') out = { ...out, coins: [] };
  return out;
}

export function reduceZsl(s: ZslScene, f: Frame, i: number): ZslScene {
  const main = f.events[0];
  let out = beginFrame(s, main);
  for (const ev of f.events) out = apply(out, ev);
  return { ...out, ev: main, frame: i };
}

/** The skiplist scenes of a run, with random access (keyframes every K frames). */
export function zslTimeline(data: VisualData, frames: readonly Frame[], K = 16): Timeline<ZslScene, Frame> {
  return new Timeline<ZslScene, Frame>({
    initial: initialZslScene(data),
    frames,
    reduce: reduceZsl,
    atEnd: (s) => finalZslScene(s, data),
  }, K);
}

/** Which pseudocode program a run's skiplist frames follow. */
export function zslProgramOf(argv: readonly string[]): 'zslInsert' | 'zslGetRank' | 'zslDelete' | 'zslWalk' {
  const c = (argv[0] ?? '').toLowerCase();
  if (c === 'zadd' || c === 'zincrby' || c.endsWith('store') || c === 'zunion' || c === 'zinter' || c === 'zdiff' || c === 'zrangestore') return 'zslInsert';
  if (c === 'zrank' || c === 'zrevrank') return 'zslGetRank';
  if (c === 'zrem' || c.startsWith('zremrange') || c === 'zpopmin' || c === 'zpopmax' || c === 'bzpopmin' || c === 'bzpopmax' || c === 'zmpop' || c === 'bzmpop') return 'zslDelete';
  return 'zslWalk';
}

const timelines = new WeakMap<object, Timeline<ZslScene, Frame>>();

/** One skiplist timeline per run (the view and the narration share it, and its keyframes). */
export function zslTimelineOf(run: { data: VisualData; frames: readonly Frame[] }): Timeline<ZslScene, Frame> {
  let t = timelines.get(run);
  if (!t) { t = zslTimeline(run.data, run.frames); timelines.set(run, t); }
  return t;
}
