/**
 * Redis's zskiplist (as src/t_zset.c in Redis 7.0): a header node with 32 levels, nodes with a
 * member (byte string), a score, a backward pointer and levels of {forward, span}. Levels are random
 * with p = 1/4 (at most 32), drawn from an injected random source (the engine's seeded Random), or
 * forced by the caller (the visualizer lets a student force the next level).
 *
 * Order: by score, then by member bytes (memcmp; JS `<` on byte strings is memcmp order).
 *
 * Steps: one per node looked at while traversing (each forward pointer compared, on each level),
 * one per pointer relinked when a node is inserted or removed. No command knowledge here.
 * Trace events are emitted only when `tracing.sink` is set; the header node is named ZSL_HEADER.
 */
import { steps, tracing } from '../trace';

export const ZSKIPLIST_MAXLEVEL = 32;
export const ZSKIPLIST_P = 0.25;
/** The name of the header node in trace events. */
export const ZSL_HEADER = '<header>';

/** One level of a node, as a copy (see ZslNode.levels). */
export interface ZslLevel {
  forward: ZslNode | null;
  span: number;
}

/**
 * A skiplist node. Its levels are flattened: level 0 lives in the node itself (`forward0`, `span0`:
 * three nodes in four have one level only), levels 1.. in one plain array `upper`, interleaved as
 * [forward1, span1, forward2, span2, ...] (null for a one-level node). Read levels with
 * `forward(i)`, `span(i)` and `level`; only the Skiplist writes them.
 */
export class ZslNode {
  member: string;
  score: number;
  backward: ZslNode | null;
  /** Level 0: the next node and its span. */
  forward0: ZslNode | null;
  span0: number;
  /** Levels 1..level-1, interleaved [forward, span, ...]; null when the node has one level. */
  upper: (ZslNode | number | null)[] | null;
  constructor(member: string, score: number, level: number) {
    this.member = member;
    this.score = score;
    this.backward = null;
    this.forward0 = null;
    this.span0 = 0;
    if (level > 1) {
      const up: (ZslNode | number | null)[] = [];
      for (let i = 1; i < level; i++) up.push(null, 0);
      this.upper = up;
    } else {
      this.upper = null;
    }
  }
  /** The number of levels (1..32). */
  get level(): number { return this.upper === null ? 1 : (this.upper.length >> 1) + 1; }
  /** The forward pointer of level i. */
  forward(i: number): ZslNode | null { return i === 0 ? this.forward0 : (this.upper![(i << 1) - 2] as ZslNode | null); }
  /** The span of level i. */
  span(i: number): number { return i === 0 ? this.span0 : (this.upper![(i << 1) - 1] as number); }
  /** The levels as {forward, span} copies, level 0 first (a read-only view for old callers). */
  get levels(): ZslLevel[] {
    const out: ZslLevel[] = [{ forward: this.forward0, span: this.span0 }];
    const up = this.upper;
    if (up !== null) for (let i = 0; i < up.length; i += 2) out.push({ forward: up[i] as ZslNode | null, span: up[i + 1] as number });
    return out;
  }
}

// Level accessors for the hot loops (small, monomorphic: inlined by the JIT).
function fwd(x: ZslNode, i: number): ZslNode | null {
  return i === 0 ? x.forward0 : (x.upper![(i << 1) - 2] as ZslNode | null);
}
function spn(x: ZslNode, i: number): number {
  return i === 0 ? x.span0 : (x.upper![(i << 1) - 1] as number);
}
function setFwd(x: ZslNode, i: number, f: ZslNode | null): void {
  if (i === 0) x.forward0 = f; else x.upper![(i << 1) - 2] = f;
}
function setSpn(x: ZslNode, i: number, s: number): void {
  if (i === 0) x.span0 = s; else x.upper![(i << 1) - 1] = s;
}

/** A score range; minex/maxex make a bound exclusive. */
export interface ScoreRange {
  min: number;
  max: number;
  minex: boolean;
  maxex: boolean;
}

/** The "-" and "+" bounds of a lex range (Redis's shared.minstring / shared.maxstring). */
export const LEX_MIN: unique symbol = Symbol('-');
export const LEX_MAX: unique symbol = Symbol('+');
export type LexBound = string | typeof LEX_MIN | typeof LEX_MAX;

export interface LexRange {
  min: LexBound;
  max: LexBound;
  minex: boolean;
  maxex: boolean;
}

/** Redis's sdscmplex: compare two lex bounds; "-" is below everything, "+" above everything. */
export function compareLex(a: LexBound, b: LexBound): number {
  if (a === b) return 0;
  if (a === LEX_MIN || b === LEX_MAX) return -1;
  if (a === LEX_MAX || b === LEX_MIN) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

export function scoreGteMin(v: number, r: ScoreRange): boolean { return r.minex ? v > r.min : v >= r.min; }
export function scoreLteMax(v: number, r: ScoreRange): boolean { return r.maxex ? v < r.max : v <= r.max; }
export function lexGteMin(v: string, r: LexRange): boolean {
  const c = compareLex(v, r.min);
  return r.minex ? c > 0 : c >= 0;
}
export function lexLteMax(v: string, r: LexRange): boolean {
  const c = compareLex(v, r.max);
  return r.maxex ? c < 0 : c <= 0;
}
/** A score range that can never contain anything. */
export function scoreRangeEmpty(r: ScoreRange): boolean {
  return r.min > r.max || (r.min === r.max && (r.minex || r.maxex));
}
export function lexRangeEmpty(r: LexRange): boolean {
  const c = compareLex(r.min, r.max);
  return c > 0 || (c === 0 && (r.minex || r.maxex));
}

/** A random source: returns a uniformly random unsigned 32-bit integer. */
export type RandomU32 = () => number;

function name(x: ZslNode, header: ZslNode): string {
  return x === header ? ZSL_HEADER : x.member;
}

// Scratch arrays for insert / delete / updateScore (Redis's update[] and rank[] on the stack): reused,
// never held across calls. Range deletions, which call back into the caller, use their own.
const UPDATE: ZslNode[] = [];
const RANK: number[] = [];
for (let i = 0; i < ZSKIPLIST_MAXLEVEL; i++) { UPDATE.push(new ZslNode('', 0, 1)); RANK.push(0); }

export class Skiplist {
  header = new ZslNode('', 0, ZSKIPLIST_MAXLEVEL);
  tail: ZslNode | null = null;
  length = 0;
  level = 1;
  /** When set, the next insert uses this level instead of flipping coins (then it is cleared). */
  forcedLevel: number | null = null;

  constructor(public random: RandomU32) {}

  /** Force the level of the next inserted node (1..32). */
  forceNextLevel(level: number | null): void {
    this.forcedLevel = level === null ? null : Math.max(1, Math.min(ZSKIPLIST_MAXLEVEL, Math.floor(level)));
  }

  /** Redis's zslRandomLevel: keep flipping while the coin shows heads (probability 1/4). */
  randomLevel(): number {
    if (this.forcedLevel !== null) {
      const l = this.forcedLevel;
      this.forcedLevel = null;
      return l;
    }
    let level = 1;
    const threshold = ZSKIPLIST_P * 0xffff;
    for (;;) {
      const heads = (this.random() & 0xffff) < threshold;
      if (tracing.sink) tracing.sink.push({ k: 'zsl.coin', heads, level });
      if (!heads) break;
      level++;
    }
    return level < ZSKIPLIST_MAXLEVEL ? level : ZSKIPLIST_MAXLEVEL;
  }

  /** Walk down to the last node before (score, member) on every level; fills update[] and rank[]. */
  private findUpdate(score: number, member: string, update: ZslNode[], rank: number[] | null): ZslNode {
    let x = this.header;
    const h = this.header;
    const st = steps;
    let r = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      for (;;) {
        const f = fwd(x, i);
        if (f === null) break;
        st.n++;
        const right = f.score < score || (f.score === score && f.member < member);
        if (tracing.sink) tracing.sink.push({ k: 'zsl.compare', node: f.member, level: i, goRight: right });
        if (!right) break;
        r += spn(x, i);
        x = f;
        if (tracing.sink) tracing.sink.push({ k: 'zsl.visit', node: f.member, level: i });
      }
      update[i] = x;
      if (rank !== null) rank[i] = r;
      if (tracing.sink) {
        tracing.sink.push({ k: 'zsl.update', node: name(x, h), level: i, rank: rank ? r : -1 });
        if (i > 0) tracing.sink.push({ k: 'zsl.down', node: name(x, h), level: i - 1 });
      }
    }
    return x;
  }

  /** Redis's zslInsert: the member must not be in the list already. Returns the new node. */
  insert(score: number, member: string): ZslNode {
    const update = UPDATE, rank = RANK, h = this.header;
    this.findUpdate(score, member, update, rank);
    const level = this.randomLevel();
    if (level > this.level) {
      for (let i = this.level; i < level; i++) {
        rank[i] = 0;
        update[i] = h;
        setSpn(h, i, this.length);
      }
      this.level = level;
    }
    const x = new ZslNode(member, score, level);
    if (tracing.sink) tracing.sink.push({ k: 'zsl.create', node: member, level, score });
    const st = steps;
    const r0 = rank[0];
    for (let i = 0; i < level; i++) {
      st.n++;
      const u = update[i];
      const us = spn(u, i);
      setFwd(x, i, fwd(u, i));
      setFwd(u, i, x);
      setSpn(x, i, us - (r0 - rank[i]));
      setSpn(u, i, r0 - rank[i] + 1);
      if (tracing.sink) {
        tracing.sink.push({ k: 'zsl.span', node: name(u, h), level: i, span: spn(u, i) });
        tracing.sink.push({ k: 'zsl.span', node: member, level: i, span: spn(x, i) });
      }
    }
    for (let i = level; i < this.level; i++) {
      const u = update[i];
      setSpn(u, i, spn(u, i) + 1);
      if (tracing.sink) tracing.sink.push({ k: 'zsl.span', node: name(u, h), level: i, span: spn(u, i) });
    }
    x.backward = update[0] === h ? null : update[0];
    const next = x.forward0;
    if (next !== null) next.backward = x;
    else this.tail = x;
    this.length++;
    return x;
  }

  /** Redis's zslDeleteNode: unlink x given the update[] array of its predecessors. */
  private deleteNode(x: ZslNode, update: ZslNode[]): void {
    const h = this.header;
    for (let i = 0; i < this.level; i++) {
      const u = update[i];
      if (fwd(u, i) === x) {
        steps.n++;
        setSpn(u, i, spn(u, i) + spn(x, i) - 1);
        setFwd(u, i, fwd(x, i));
      } else {
        setSpn(u, i, spn(u, i) - 1);
      }
      if (tracing.sink) tracing.sink.push({ k: 'zsl.span', node: name(u, h), level: i, span: spn(u, i) });
    }
    const next = x.forward0;
    if (next !== null) next.backward = x.backward;
    else this.tail = x.backward;
    while (this.level > 1 && fwd(h, this.level - 1) === null) this.level--;
    this.length--;
    if (tracing.sink) tracing.sink.push({ k: 'zsl.delete', node: x.member });
  }

  /** Redis's zslDelete: remove the node with this score and member; returns it, or null if absent. */
  delete(score: number, member: string): ZslNode | null {
    const update = UPDATE;
    const x = this.findUpdate(score, member, update, null).forward0;
    if (x) steps.n++;
    if (x && x.score === score && x.member === member) {
      this.deleteNode(x, update);
      return x;
    }
    return null;
  }

  /**
   * Redis's zslUpdateScore: the node (curscore, member) must exist. When the new score keeps the
   * node between its neighbours it is updated in place, else removed and inserted again (new level).
   */
  updateScore(curscore: number, member: string, newscore: number): ZslNode {
    const update = UPDATE;
    const x = this.findUpdate(curscore, member, update, null).forward0;
    if (!x || x.score !== curscore || x.member !== member) throw new Error('zsl.updateScore: element not found');
    steps.n++;
    const next = x.forward0;
    if ((x.backward === null || x.backward.score < newscore) &&
        (next === null || next.score > newscore)) {
      x.score = newscore;
      return x;
    }
    this.deleteNode(x, update);
    return this.insert(newscore, member);
  }

  /** Redis's zslGetRank: 1-based rank of (score, member), 0 when absent. */
  getRank(score: number, member: string): number {
    const h = this.header;
    const st = steps;
    let x = h;
    let rank = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      for (;;) {
        const f = fwd(x, i);
        if (f === null) break;
        st.n++;
        const right = f.score < score || (f.score === score && f.member <= member);
        if (tracing.sink) tracing.sink.push({ k: 'zsl.compare', node: f.member, level: i, goRight: right });
        if (!right) break;
        rank += spn(x, i);
        x = f;
        if (tracing.sink) tracing.sink.push({ k: 'zsl.visit', node: f.member, level: i });
      }
      if (x !== h && x.member === member) {
        if (tracing.sink) tracing.sink.push({ k: 'zsl.rank', node: member, rank });
        return rank;
      }
      if (tracing.sink && i > 0) tracing.sink.push({ k: 'zsl.down', node: name(x, h), level: i - 1 });
    }
    return 0;
  }

  /** Redis's zslGetElementByRank (1-based rank); null when out of range. */
  getElementByRank(rank: number): ZslNode | null {
    let x = this.header;
    let traversed = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      for (;;) {
        const f = fwd(x, i);
        if (f === null) break;
        steps.n++;
        const right = traversed + spn(x, i) <= rank;
        if (tracing.sink) tracing.sink.push({ k: 'zsl.compare', node: f.member, level: i, goRight: right });
        if (!right) break;
        traversed += spn(x, i);
        x = f;
        if (tracing.sink) tracing.sink.push({ k: 'zsl.visit', node: f.member, level: i });
      }
      if (traversed === rank) return x === this.header ? null : x;
      if (tracing.sink && i > 0) tracing.sink.push({ k: 'zsl.down', node: name(x, this.header), level: i - 1 });
    }
    return null;
  }

  // ---------------------------------------------------------------- score ranges

  isInRange(r: ScoreRange): boolean {
    if (scoreRangeEmpty(r)) return false;
    const t = this.tail;
    if (t === null || !scoreGteMin(t.score, r)) return false;
    const f = this.header.forward0;
    if (f === null || !scoreLteMax(f.score, r)) return false;
    return true;
  }

  /** Walk on every level while `goRight(next)` holds; returns the last node reached (maybe the header). */
  private walk(goRight: (n: ZslNode) => boolean, update?: ZslNode[]): ZslNode {
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      for (;;) {
        const f = fwd(x, i);
        if (f === null) break;
        steps.n++;
        const right = goRight(f);
        if (tracing.sink) tracing.sink.push({ k: 'zsl.compare', node: f.member, level: i, goRight: right });
        if (!right) break;
        x = f;
        if (tracing.sink) tracing.sink.push({ k: 'zsl.visit', node: f.member, level: i });
      }
      if (update) update[i] = x;
      if (tracing.sink && i > 0) tracing.sink.push({ k: 'zsl.down', node: name(x, this.header), level: i - 1 });
    }
    return x;
  }

  firstInRange(r: ScoreRange): ZslNode | null {
    if (!this.isInRange(r)) return null;
    const x = this.walk((n) => !scoreGteMin(n.score, r)).forward0!;
    steps.n++;
    return scoreLteMax(x.score, r) ? x : null;
  }

  lastInRange(r: ScoreRange): ZslNode | null {
    if (!this.isInRange(r)) return null;
    const x = this.walk((n) => scoreLteMax(n.score, r));
    return scoreGteMin(x.score, r) ? x : null;
  }

  // ---------------------------------------------------------------- lex ranges

  isInLexRange(r: LexRange): boolean {
    if (lexRangeEmpty(r)) return false;
    const t = this.tail;
    if (t === null || !lexGteMin(t.member, r)) return false;
    const f = this.header.forward0;
    if (f === null || !lexLteMax(f.member, r)) return false;
    return true;
  }

  firstInLexRange(r: LexRange): ZslNode | null {
    if (!this.isInLexRange(r)) return null;
    const x = this.walk((n) => !lexGteMin(n.member, r)).forward0!;
    steps.n++;
    return lexLteMax(x.member, r) ? x : null;
  }

  lastInLexRange(r: LexRange): ZslNode | null {
    if (!this.isInLexRange(r)) return null;
    const x = this.walk((n) => lexLteMax(n.member, r));
    return lexGteMin(x.member, r) ? x : null;
  }

  // ---------------------------------------------------------------- range deletion

  /** Delete every node with a score in range; calls onDelete(member) for each. Returns how many. */
  deleteRangeByScore(r: ScoreRange, onDelete: (member: string) => void): number {
    const update: ZslNode[] = new Array(ZSKIPLIST_MAXLEVEL);
    let x = this.walk((n) => (r.minex ? n.score <= r.min : n.score < r.min), update).forward0;
    let removed = 0;
    while (x) {
      steps.n++;
      if (!scoreLteMax(x.score, r)) break;
      const next = x.forward0;
      this.deleteNode(x, update);
      onDelete(x.member);
      removed++;
      x = next;
    }
    return removed;
  }

  deleteRangeByLex(r: LexRange, onDelete: (member: string) => void): number {
    const update: ZslNode[] = new Array(ZSKIPLIST_MAXLEVEL);
    let x = this.walk((n) => !lexGteMin(n.member, r), update).forward0;
    let removed = 0;
    while (x) {
      steps.n++;
      if (!lexLteMax(x.member, r)) break;
      const next = x.forward0;
      this.deleteNode(x, update);
      onDelete(x.member);
      removed++;
      x = next;
    }
    return removed;
  }

  /** Delete ranks start..end (1-based, inclusive). */
  deleteRangeByRank(start: number, end: number, onDelete: (member: string) => void): number {
    const update: ZslNode[] = new Array(ZSKIPLIST_MAXLEVEL);
    let traversed = 0;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      for (;;) {
        const f = fwd(x, i);
        if (f === null) break;
        steps.n++;
        const right = traversed + spn(x, i) < start;
        if (tracing.sink) tracing.sink.push({ k: 'zsl.compare', node: f.member, level: i, goRight: right });
        if (!right) break;
        traversed += spn(x, i);
        x = f;
        if (tracing.sink) tracing.sink.push({ k: 'zsl.visit', node: f.member, level: i });
      }
      update[i] = x;
    }
    traversed++;
    let n = x.forward0;
    let removed = 0;
    while (n && traversed <= end) {
      steps.n++;
      const next = n.forward0;
      this.deleteNode(n, update);
      onDelete(n.member);
      removed++;
      traversed++;
      n = next;
    }
    return removed;
  }

  // ---------------------------------------------------------------- iteration, copies

  first(): ZslNode | null { return this.header.forward0; }

  /** Members and scores in order (no steps counted: for tests, snapshots and conversion). */
  *nodes(): IterableIterator<ZslNode> {
    for (let x = this.header.forward0; x; x = x.forward0) yield x;
  }

  /** A deep copy with the same node levels and spans (COPY). */
  clone(random: RandomU32 = this.random): Skiplist {
    const out = new Skiplist(random);
    out.level = this.level;
    out.length = this.length;
    const last: ZslNode[] = new Array(ZSKIPLIST_MAXLEVEL).fill(out.header);
    for (let i = 0; i < ZSKIPLIST_MAXLEVEL; i++) setSpn(out.header, i, spn(this.header, i));
    let prev: ZslNode | null = null;
    for (let x = this.header.forward0; x; x = x.forward0) {
      const level = x.level;
      const n = new ZslNode(x.member, x.score, level);
      for (let i = 0; i < level; i++) {
        setSpn(n, i, spn(x, i));
        setFwd(last[i], i, n);
        last[i] = n;
      }
      n.backward = prev;
      prev = n;
    }
    out.tail = prev;
    return out;
  }
}
