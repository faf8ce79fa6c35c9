/**
 * Rax, Redis's radix tree (as src/rax.c in Redis 7.0): byte-string keys, each node either
 * compressed (a run of bytes with exactly one child) or not (one edge byte per child, the edges
 * sorted). A node `iskey` when the bytes leading to it form a stored key; its value is kept in the
 * node. Inserting splits compressed nodes, removing frees nodes and merges chains back into
 * compressed nodes, exactly as rax.c does, so `numnodes` is the node count Redis reports (XINFO
 * STREAM radix-tree-nodes, MEMORY USAGE).
 *
 * Streams use it keyed by 128-bit IDs (16 big-endian bytes: order of keys = order of IDs) for the
 * listpack nodes and the pending entries lists; consumer groups and consumers are keyed by name.
 *
 * Steps: one per node visited while walking. No command knowledge here.
 */
import { steps } from '../trace';

/** Longest run of bytes a compressed node holds (29 bits of size in the node header). */
export const RAX_NODE_MAX_SIZE = (1 << 29) - 1;

export class RaxNode<V> {
  iskey = false;
  /** A key stored without a value (raxInsert with NULL data). */
  isnull = false;
  iscompr = false;
  /** The edge bytes (not compressed) or the compressed run of bytes. */
  data = '';
  /** One child per edge byte, or the only child of a compressed node. */
  children: RaxNode<V>[] = [];
  value: V | undefined = undefined;

  get size(): number { return this.data.length; }
}

/** Where a node hangs: its parent and the index in the parent's children (null parent: the head). */
interface Link<V> { parent: RaxNode<V> | null; index: number }

interface Walk<V> {
  /** Bytes of the key matched. */
  i: number;
  /** The node the walk stopped at. */
  h: RaxNode<V>;
  link: Link<V>;
  /** Inside a compressed node: the position the walk stopped at. */
  splitpos: number;
  /** The parents of h, head first. */
  stack: RaxNode<V>[];
}

export class Rax<V> {
  head: RaxNode<V> = new RaxNode<V>();
  /** Keys stored. */
  numele = 0;
  /** Nodes allocated (the head included). */
  numnodes = 1;

  size(): number { return this.numele; }

  private setLink(link: Link<V>, n: RaxNode<V>): void {
    if (link.parent === null) this.head = n;
    else link.parent.children[link.index] = n;
  }

  /** raxLowWalk: follow `s` from the head as far as the tree allows. */
  private lowWalk(s: string): Walk<V> {
    let h = this.head;
    let link: Link<V> = { parent: null, index: 0 };
    const stack: RaxNode<V>[] = [];
    const len = s.length;
    let i = 0;
    let j = 0;
    steps.n++;
    while (h.data.length && i < len) {
      const v = h.data;
      if (h.iscompr) {
        for (j = 0; j < v.length && i < len; j++, i++) if (v.charCodeAt(j) !== s.charCodeAt(i)) break;
        if (j !== v.length) break;
      } else {
        const c = s.charCodeAt(i);
        for (j = 0; j < v.length; j++) if (v.charCodeAt(j) === c) break;
        if (j === v.length) break;
        i++;
      }
      stack.push(h);
      const idx = h.iscompr ? 0 : j;
      link = { parent: h, index: idx };
      h = h.children[idx];
      steps.n++;
      j = 0;
    }
    return { i, h, link, splitpos: h.iscompr ? j : 0, stack };
  }

  /** raxInsert: add or overwrite; true if the key is new. */
  insert(s: string, data: V): boolean { return this.genericInsert(s, data, true); }

  /** raxTryInsert: add only if missing; true if the key is new. */
  tryInsert(s: string, data: V): boolean { return this.genericInsert(s, data, false); }

  private genericInsert(s: string, data: V, overwrite: boolean): boolean {
    const len = s.length;
    const w = this.lowWalk(s);
    let { i, h, link } = w;
    const j = w.splitpos;

    // The whole key was walked and we are not in the middle of a compressed node: h is the key's node.
    if (i === len && (!h.iscompr || j === 0)) {
      if (h.iskey) {
        if (overwrite) { h.value = data; h.isnull = false; }
        return false;
      }
      h.iskey = true;
      h.isnull = false;
      h.value = data;
      this.numele++;
      return true;
    }

    if (h.iscompr && i !== len) {
      // ALGO 1: a mismatch inside a compressed node: split it around the mismatching byte.
      const next = h.children[0];
      const postfixlen = h.data.length - j - 1;
      const splitnode = new RaxNode<V>();
      splitnode.data = h.data[j];
      if (j === 0) {
        // The split node replaces h, taking its key.
        if (h.iskey) { splitnode.iskey = true; splitnode.isnull = h.isnull; splitnode.value = h.value; }
        this.setLink(link, splitnode);
      } else {
        // h is trimmed to the bytes before the split and points to the split node.
        const trimmed = new RaxNode<V>();
        trimmed.data = h.data.slice(0, j);
        trimmed.iscompr = j > 1;
        trimmed.iskey = h.iskey;
        trimmed.isnull = h.isnull;
        trimmed.value = h.value;
        trimmed.children = [splitnode];
        this.setLink(link, trimmed);
        link = { parent: trimmed, index: 0 };
        this.numnodes++;
      }
      let postfix: RaxNode<V>;
      if (postfixlen) {
        postfix = new RaxNode<V>();
        postfix.data = h.data.slice(j + 1);
        postfix.iscompr = postfixlen > 1;
        postfix.children = [next];
        this.numnodes++;
      } else {
        postfix = next;
      }
      splitnode.children = [postfix];
      steps.n++;
      h = splitnode;
    } else if (h.iscompr && i === len) {
      // ALGO 2: the key ends inside a compressed node: split it there, the second half is the key.
      const next = h.children[0];
      const postfix = new RaxNode<V>();
      postfix.data = h.data.slice(j);
      postfix.iscompr = postfix.data.length > 1;
      postfix.iskey = true;
      postfix.value = data;
      postfix.children = [next];
      this.numnodes++;
      const trimmed = new RaxNode<V>();
      trimmed.data = h.data.slice(0, j);
      trimmed.iscompr = j > 1;
      trimmed.iskey = h.iskey;
      trimmed.isnull = h.isnull;
      trimmed.value = h.value;
      trimmed.children = [postfix];
      this.setLink(link, trimmed);
      this.numele++;
      steps.n++;
      return true;
    }

    // Add the missing bytes: a compressed node for a run, a child per byte otherwise.
    while (i < len) {
      const child = new RaxNode<V>();
      if (h.data.length === 0 && len - i > 1) {
        const comprsize = Math.min(len - i, RAX_NODE_MAX_SIZE);
        h.iscompr = true;
        h.data = s.slice(i, i + comprsize);
        h.children = [child];
        i += comprsize;
      } else {
        // raxAddChild: the edge goes in byte order.
        const c = s.charCodeAt(i);
        let pos = 0;
        while (pos < h.data.length && h.data.charCodeAt(pos) <= c) pos++;
        h.data = h.data.slice(0, pos) + s[i] + h.data.slice(pos);
        h.children.splice(pos, 0, child);
        i++;
      }
      this.numnodes++;
      steps.n++;
      h = child;
    }
    if (!h.iskey) this.numele++;
    h.iskey = true;
    h.isnull = false;
    h.value = data;
    return true;
  }

  /** raxFind: the value, or undefined when the key is missing. */
  find(s: string): V | undefined {
    const w = this.lowWalk(s);
    if (w.i !== s.length || (w.h.iscompr && w.splitpos !== 0) || !w.h.iskey) return undefined;
    return w.h.value;
  }

  has(s: string): boolean {
    const w = this.lowWalk(s);
    return !(w.i !== s.length || (w.h.iscompr && w.splitpos !== 0) || !w.h.iskey);
  }

  /** raxRemoveChild: unlink `child` from `parent` (in place). */
  private removeChild(parent: RaxNode<V>, child: RaxNode<V>): void {
    if (parent.iscompr) {
      parent.iscompr = false;
      parent.data = '';
      parent.children = [];
      return;
    }
    const idx = parent.children.indexOf(child);
    parent.data = parent.data.slice(0, idx) + parent.data.slice(idx + 1);
    parent.children.splice(idx, 1);
  }

  /** raxRemove: delete the key; true if it was there. Frees the nodes left useless and recompresses. */
  remove(s: string): boolean {
    const w = this.lowWalk(s);
    let h = w.h;
    const ts = w.stack;
    if (w.i !== s.length || (h.iscompr && w.splitpos !== 0) || !h.iskey) return false;
    h.iskey = false;
    h.isnull = false;
    h.value = undefined;
    this.numele--;

    let trycompress = false;
    if (h.data.length === 0) {
      // Free the chain of nodes that only led to this key.
      let child: RaxNode<V> | null = null;
      while (h !== this.head) {
        child = h;
        this.numnodes--;
        h = ts.pop()!;
        steps.n++;
        if (h.iskey || (!h.iscompr && h.data.length !== 1)) break;
      }
      if (child) {
        this.removeChild(h, child);
        if (h.data.length === 1 && !h.iskey) trycompress = true;
      }
    } else if (h.data.length === 1) {
      trycompress = true;
    }

    if (trycompress) {
      // Go up to the first node of the compressible chain.
      let parent: RaxNode<V> | undefined;
      for (;;) {
        parent = ts.pop();
        if (!parent || parent.iskey || (!parent.iscompr && parent.data.length !== 1)) break;
        h = parent;
        steps.n++;
      }
      const start = h;
      let comprsize = h.data.length;
      let nodes = 1;
      while (h.data.length !== 0) {
        h = h.children[h.children.length - 1];
        steps.n++;
        if (h.iskey || (!h.iscompr && h.data.length !== 1)) break;
        if (comprsize + h.data.length > RAX_NODE_MAX_SIZE) break;
        nodes++;
        comprsize += h.data.length;
      }
      if (nodes > 1) {
        const merged = new RaxNode<V>();
        merged.iscompr = true;
        this.numnodes++;
        let bytes = '';
        h = start;
        while (h.data.length !== 0) {
          bytes += h.data;
          h = h.children[h.children.length - 1];
          this.numnodes--;
          if (h.iskey || (!h.iscompr && h.data.length !== 1)) break;
        }
        merged.data = bytes;
        merged.children = [h];
        if (parent) parent.children[parent.children.indexOf(start)] = merged;
        else this.head = merged;
      }
    }
    return true;
  }

  // ------------------------------------------------------------------ ordered access

  /** The smallest key, or null. */
  first(): { key: string; node: RaxNode<V> } | null {
    return this.numele === 0 ? null : subtreeMin(this.head, '');
  }

  /** The greatest key, or null. */
  last(): { key: string; node: RaxNode<V> } | null {
    return this.numele === 0 ? null : subtreeMax(this.head, '');
  }

  /** The smallest key >= s (> s when strict), or null. */
  ceiling(s: string, strict: boolean): { key: string; node: RaxNode<V> } | null {
    return this.numele === 0 ? null : ge(this.head, '', s, strict);
  }

  /** The greatest key <= s (< s when strict), or null. */
  floor(s: string, strict: boolean): { key: string; node: RaxNode<V> } | null {
    return this.numele === 0 ? null : le(this.head, '', s, strict);
  }

  /** Every key and value in order (the walk counts no steps: for persistence, replies, snapshots). */
  forEach(fn: (key: string, value: V) => void): void {
    const walk = (n: RaxNode<V>, prefix: string): void => {
      if (n.iskey) fn(prefix, n.value as V);
      if (n.iscompr) walk(n.children[0], prefix + n.data);
      else for (let k = 0; k < n.children.length; k++) walk(n.children[k], prefix + n.data[k]);
    };
    walk(this.head, '');
  }

  keys(): string[] {
    const out: string[] = [];
    this.forEach((k) => out.push(k));
    return out;
  }

  iterator(): RaxIterator<V> { return new RaxIterator(this); }
}

/** Compare `prefix` with the key: -1 below every key with this prefix... (see ge/le). */
function comparePrefix(prefix: string, key: string): number {
  const m = Math.min(prefix.length, key.length);
  for (let k = 0; k < m; k++) {
    const a = prefix.charCodeAt(k), b = key.charCodeAt(k);
    if (a !== b) return a < b ? -1 : 1;
  }
  return prefix.length > key.length ? 1 : 0;
}

function subtreeMin<V>(n: RaxNode<V>, prefix: string): { key: string; node: RaxNode<V> } | null {
  for (;;) {
    steps.n++;
    if (n.iskey) return { key: prefix, node: n };
    if (n.data.length === 0) return null;
    prefix += n.iscompr ? n.data : n.data[0];
    n = n.children[0];
  }
}

function subtreeMax<V>(n: RaxNode<V>, prefix: string): { key: string; node: RaxNode<V> } | null {
  for (;;) {
    steps.n++;
    if (n.data.length === 0) return n.iskey ? { key: prefix, node: n } : null;
    prefix += n.iscompr ? n.data : n.data[n.data.length - 1];
    n = n.children[n.children.length - 1];
  }
}

function ge<V>(n: RaxNode<V>, prefix: string, key: string, strict: boolean): { key: string; node: RaxNode<V> } | null {
  const c = comparePrefix(prefix, key);
  if (c < 0) return null;
  if (c > 0) return subtreeMin(n, prefix);
  steps.n++;
  // prefix is a prefix of key (or equal to it).
  if (n.iskey && prefix.length === key.length && !strict) return { key: prefix, node: n };
  if (n.iscompr) return ge(n.children[0], prefix + n.data, key, strict);
  const exhausted = prefix.length === key.length;
  const next = exhausted ? -1 : key.charCodeAt(prefix.length);
  for (let k = 0; k < n.children.length; k++) {
    if (!exhausted && n.data.charCodeAt(k) < next) continue;
    const r = ge(n.children[k], prefix + n.data[k], key, strict);
    if (r) return r;
  }
  return null;
}

function le<V>(n: RaxNode<V>, prefix: string, key: string, strict: boolean): { key: string; node: RaxNode<V> } | null {
  const c = comparePrefix(prefix, key);
  if (c > 0) return null;
  if (c < 0) return subtreeMax(n, prefix);
  steps.n++;
  const exhausted = prefix.length === key.length;
  if (!exhausted) {
    if (n.iscompr) {
      const r = le(n.children[0], prefix + n.data, key, strict);
      if (r) return r;
    } else {
      const next = key.charCodeAt(prefix.length);
      for (let k = n.children.length - 1; k >= 0; k--) {
        if (n.data.charCodeAt(k) > next) continue;
        const r = le(n.children[k], prefix + n.data[k], key, strict);
        if (r) return r;
      }
    }
    // A key that is a proper prefix of `key` is smaller than it.
    if (n.iskey) return { key: prefix, node: n };
    return null;
  }
  // prefix === key: every child is greater.
  if (n.iskey && !strict) return { key: prefix, node: n };
  return null;
}

export type RaxSeekOp = '^' | '$' | '>=' | '>' | '<=' | '<' | '=';

/**
 * An iterator in the way of raxIterator: seek(op, key) positions it, then next() / prev() return
 * the element the seek found first, then move on. Each step looks the neighbour up from the root
 * with the current key, so the tree may be changed between steps (Redis re-seeks after changes).
 */
export class RaxIterator<V> {
  key = '';
  data: V | undefined = undefined;
  private eofFlag = true;
  private justSeeked = false;

  constructor(private readonly rax: Rax<V>) {}

  /** raxEOF: true when the seek found nothing or a step went past the end. */
  eof(): boolean { return this.eofFlag; }

  seek(op: RaxSeekOp, ele = ''): void {
    this.justSeeked = true;
    this.eofFlag = false;
    let r: { key: string; node: RaxNode<V> } | null;
    switch (op) {
      case '^': r = this.rax.first(); break;
      case '$': r = this.rax.last(); break;
      case '>=': r = this.rax.ceiling(ele, false); break;
      case '>': r = this.rax.ceiling(ele, true); break;
      case '<=': r = this.rax.floor(ele, false); break;
      case '<': r = this.rax.floor(ele, true); break;
      default: r = this.rax.has(ele) ? this.rax.ceiling(ele, false) : null;
    }
    this.set(r);
  }

  private set(r: { key: string; node: RaxNode<V> } | null): boolean {
    if (!r) { this.eofFlag = true; this.data = undefined; return false; }
    this.key = r.key;
    this.data = r.node.value;
    return true;
  }

  /** raxNext: the element the seek found, then the following ones; false at the end. */
  next(): boolean {
    if (this.eofFlag) return false;
    if (this.justSeeked) { this.justSeeked = false; return true; }
    return this.set(this.rax.ceiling(this.key, true));
  }

  /** raxPrev: the element the seek found, then the preceding ones; false at the end. */
  prev(): boolean {
    if (this.eofFlag) return false;
    if (this.justSeeked) { this.justSeeked = false; return true; }
    return this.set(this.rax.floor(this.key, true));
  }
}
