/**
 * Pseudocode of what Redis runs, per event family, with the line each event kind corresponds to
 * (after src/dict.c, src/listpack.c, src/t_hash.c, src/t_zset.c, src/quicklist.c, src/intset.c).
 */
import type { TraceEvent } from '../engine/trace';

export interface Program { id: string; title: string; lines: string[] }

const P: Record<string, Program> = {
  dictFind: { id: 'dictFind', title: 'dictFind(d, key)', lines: [
    'if rehashing: _dictRehashStep(d)',
    'h = hash(key)',
    'for table in 0..1:',
    '  idx = h & sizemask[table]',
    '  he = ht[table][idx]',
    '  while he != NULL:',
    '    if key == he.key: return he',
    '    he = he.next',
    '  if not rehashing: return NULL',
    'return NULL',
  ] },
  dictAdd: { id: 'dictAdd', title: 'dictAdd(d, key, val)', lines: [
    'if rehashing: _dictRehashStep(d)',
    '_dictExpandIfNeeded(d)   // used >= size: grow',
    'idx = hash(key) & sizemask',
    'ht = rehashing ? ht[1] : ht[0]',
    'entry.next = ht[idx]',
    'ht[idx] = entry; used++',
  ] },
  dictDelete: { id: 'dictDelete', title: 'dictDelete(d, key)', lines: [
    'if rehashing: _dictRehashStep(d)',
    'idx = hash(key) & sizemask',
    'walk the chain of ht[idx] to key',
    'prev.next = he.next; used--',
  ] },
  dictRehash: { id: 'dictRehash', title: 'dictRehash(d, 1)', lines: [
    'while ht[0][rehashidx] == NULL: rehashidx++',
    'for he in ht[0][rehashidx]:',
    '  idx = hash(he.key) & ht[1].sizemask',
    '  he.next = ht[1][idx]; ht[1][idx] = he',
    'ht[0][rehashidx++] = NULL',
    'if ht[0].used == 0: ht[0] = ht[1]; rehashidx = -1',
  ] },
  dictExpand: { id: 'dictExpand', title: '_dictExpand(d, size)', lines: [
    'realsize = next power of two >= size',
    'if ht[0] is empty: ht[0] = new table(realsize)',
    'else: ht[1] = new table(realsize); rehashidx = 0',
  ] },
  lpFind: { id: 'lpFind', title: 'lpFind(lp, field, skip)', lines: [
    'p = lpFirst(lp)',
    'while p != EOF:',
    '  if p == field: return p',
    '  p = lpNext(p) skipping values',
    'return NULL',
  ] },
  lpInsert: { id: 'lpInsert', title: 'lpInsert / lpDelete', lines: [
    'p = position (or the end)',
    'memmove the tail to make room',
    'write encoding + data + backlen at p',
    'lpDelete: memmove the tail over p',
  ] },
  convert: { id: 'convert', title: 'hashTypeConvert(o, OBJ_ENCODING_HT)', lines: [
    'if length > hash-max-listpack-entries:',
    '  d = dictCreate(); dictExpand(d, length)',
    '  for (field, value) in listpack:',
    '    dictAdd(d, field, value)',
    '  o.encoding = HT; o.ptr = d',
  ] },
  intset: { id: 'intset', title: 'intsetSearch / intsetAdd', lines: [
    'if value needs a wider encoding: upgrade and add',
    'lo = 0; hi = length - 1',
    'while lo <= hi: mid = (lo+hi)/2; compare',
    'memmove the tail; write value at pos',
    'delete: memmove the tail over pos',
  ] },
  zsl: { id: 'zsl', title: 'zslInsert(zsl, score, member)', lines: [
    'x = header',
    'for i = level-1 down to 0:',
    '  while x.level[i].forward < (score, member):',
    '    rank[i] += x.level[i].span; x = forward',
    '  update[i] = x',
    'level = zslRandomLevel()   // p = 1/4',
    'x = createNode(level, score, member)',
    'link x after update[i] on each level; fix spans',
  ] },
  ql: { id: 'ql', title: 'quicklist', lines: [
    'node = head or tail (or walk to index)',
    'for node: skip node.count entries',
    'if _quicklistNodeAllowInsert(node): lpInsert',
    'else: node = new node; link it',
    'delete: lpDelete; if node empty: unlink node',
    'split / merge nodes to keep them within fill',
  ] },
  keys: { id: 'keys', title: 'expireIfNeeded / evict', lines: [
    'if now > expire(key): delete key',
    'evict: sample keys, pick the best by policy, delete',
  ] },
};

const LINE: Record<string, [string, number]> = {
  'dict.hash': ['dictFind', 3], 'dict.visit': ['dictFind', 6], 'dict.found': ['dictFind', 6],
  'dict.insert': ['dictAdd', 5], 'dict.delete': ['dictDelete', 3],
  'dict.rehashStep': ['dictRehash', 3], 'dict.rehashDone': ['dictRehash', 5], 'dict.expand': ['dictExpand', 1],
  'lp.visit': ['lpFind', 2], 'lp.insert': ['lpInsert', 2], 'lp.delete': ['lpInsert', 3],
  'obj.convert': ['convert', 4],
  'is.probe': ['intset', 2], 'is.insert': ['intset', 3], 'is.delete': ['intset', 4], 'is.upgrade': ['intset', 0],
  'zsl.compare': ['zsl', 2], 'zsl.visit': ['zsl', 3], 'zsl.update': ['zsl', 4], 'zsl.down': ['zsl', 1],
  'zsl.coin': ['zsl', 5], 'zsl.create': ['zsl', 6], 'zsl.span': ['zsl', 7], 'zsl.delete': ['zsl', 7], 'zsl.rank': ['zsl', 3],
  'ql.visitNode': ['ql', 1], 'ql.visitEntry': ['ql', 1], 'ql.insert': ['ql', 2], 'ql.createNode': ['ql', 3],
  'ql.delete': ['ql', 4], 'ql.deleteNode': ['ql', 4], 'ql.split': ['ql', 5], 'ql.merge': ['ql', 5],
  'key.expired': ['keys', 0], 'key.evicted': ['keys', 1], 'expire.pass': ['keys', 0],
};

/** The program and the highlighted line (0-based) of a frame's main event. */
export function pseudocodeFor(ev: TraceEvent | undefined): { program: Program; line: number } | null {
  if (!ev) return null;
  const hit = LINE[ev.k];
  if (!hit) return null;
  // dict.found merged into a visit frame highlights the "return he" line too.
  return { program: P[hit[0]], line: hit[1] };
}
