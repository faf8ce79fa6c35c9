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
  intset: { id: 'intset', title: 'intsetAdd / intsetSearch (intset.c)', lines: [
    'if _intsetValueEncoding(value) > is.encoding:',
    '  intsetUpgradeAndAdd: widen every value (back to front), put value at an end',
    'if value > is[length-1] or value < is[0]: not found, insert at that end',
    'lo = 0; hi = length - 1',
    'while lo <= hi: mid = (lo + hi) / 2; compare value with is[mid]',
    'intsetResize; memmove the tail one slot right; is[pos] = value',
    'intsetRemove: memmove the tail one slot left',
  ] },
  setConvert: { id: 'setConvert', title: 'setTypeConvert(o, OBJ_ENCODING_HT)', lines: [
    'not an integer, or length > set-max-intset-entries:',
    '  d = dictCreate(); dictExpand(d, intsetLen(is))',
    '  for value in is: dictAdd(d, sdsfromlonglong(value))',
    '  o.encoding = HT; o.ptr = d',
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
  ql: { id: 'ql', title: 'quicklist (quicklist.c)', lines: [
    'node = head or tail          // LPUSH / RPUSH / LPOP / RPOP: O(1), no walk',
    'from the nearer end: while i >= node.count: i -= node.count; node = next',
    'lpSeek(node.lp, offset)      // inside one listpack',
    'if _quicklistNodeAllowInsert(node): lpInsert(node.lp, offset, value)',
    'else: new = quicklistCreateNode(); link it (prev / next pointers)',
    'lpReplace(node.lp, offset, value)   // LSET',
    'lpDelete(node.lp, offset); if node is empty: unlink node',
    'full node in the middle: _quicklistSplitNode(node, offset)',
    '_quicklistMergeNodes: join neighbours that fit in one node',
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
  'is.probe': ['intset', 4], 'is.insert': ['intset', 5], 'is.delete': ['intset', 6], 'is.upgrade': ['intset', 1],
  'zsl.compare': ['zsl', 2], 'zsl.visit': ['zsl', 3], 'zsl.update': ['zsl', 4], 'zsl.down': ['zsl', 1],
  'zsl.coin': ['zsl', 5], 'zsl.create': ['zsl', 6], 'zsl.span': ['zsl', 7], 'zsl.delete': ['zsl', 7], 'zsl.rank': ['zsl', 3],
  'ql.visitNode': ['ql', 1], 'ql.visitEntry': ['ql', 2], 'ql.insert': ['ql', 3], 'ql.createNode': ['ql', 4],
  'ql.delete': ['ql', 6], 'ql.deleteNode': ['ql', 6], 'ql.split': ['ql', 7], 'ql.merge': ['ql', 8],
  'key.expired': ['keys', 0], 'key.evicted': ['keys', 1], 'expire.pass': ['keys', 0],
};

/** The program and the highlighted line (0-based) of a frame's main event. */
export function pseudocodeFor(ev: TraceEvent | undefined): { program: Program; line: number } | null {
  if (!ev) return null;
  if (ev.k === 'ql.insert' && ev.replace) return { program: P.ql, line: 5 };
  if (ev.k === 'obj.convert' && ev.from === 'intset') return { program: P.setConvert, line: 0 };
  const hit = LINE[ev.k];
  if (!hit) return null;
  // dict.found merged into a visit frame highlights the "return he" line too.
  return { program: P[hit[0]], line: hit[1] };
}

// ---------------------------------------------------------------- sorted sets (skiplist)

/** zslInsert / zslGetRank / zslDelete of src/t_zset.c, line by line. */
export const ZSL_PROGRAMS: Record<'zslInsert' | 'zslGetRank' | 'zslDelete', Program> = {
  zslInsert: { id: 'zslInsert', title: 'zslInsert(zsl, score, ele)', lines: [
    'x = zsl.header',
    'for i = zsl.level-1 down to 0:',
    '  rank[i] = (i == zsl.level-1) ? 0 : rank[i+1]',
    '  while x.level[i].forward && forward < (score, ele):',
    '    rank[i] += x.level[i].span; x = x.level[i].forward',
    '  update[i] = x',
    'level = zslRandomLevel()   // while random() < 1/4: level++',
    'if level > zsl.level: update[i] = header for the new levels',
    'x = zslCreateNode(level, score, ele)',
    'for i = 0 to level-1:',
    '  x.level[i].forward = update[i].level[i].forward; update[i].level[i].forward = x',
    '  x.level[i].span = update[i].level[i].span - (rank[0] - rank[i]); update[i].level[i].span = rank[0] - rank[i] + 1',
    'for i = level to zsl.level-1: update[i].level[i].span++',
  ] },
  zslGetRank: { id: 'zslGetRank', title: 'zslGetRank(zsl, score, ele)', lines: [
    'x = zsl.header; rank = 0',
    'for i = zsl.level-1 down to 0:',
    '  while x.level[i].forward && forward <= (score, ele):',
    '    rank += x.level[i].span; x = x.level[i].forward',
    '  if x.ele == ele: return rank',
    'return 0',
  ] },
  zslDelete: { id: 'zslDelete', title: 'zslDelete(zsl, score, ele)', lines: [
    'x = zsl.header',
    'for i = zsl.level-1 down to 0:',
    '  while x.level[i].forward && forward < (score, ele):',
    '    x = x.level[i].forward',
    '  update[i] = x',
    'x = x.level[0].forward; if x is (score, ele): zslDeleteNode(zsl, x, update)',
    'for i = 0 to zsl.level-1: if update[i].level[i].forward == x:',
    '    update[i].level[i].span += x.level[i].span - 1; update[i].level[i].forward = x.level[i].forward',
    '  else: update[i].level[i].span -= 1',
    'while zsl.level > 1 && header.level[zsl.level-1].forward == NULL: zsl.level--',
    'zslFreeNode(x); zsl.length--',
  ] },
};

const ZSL_LINE: Record<'zslInsert' | 'zslGetRank' | 'zslDelete', Partial<Record<TraceEvent['k'], number>>> = {
  zslInsert: { 'zsl.compare': 3, 'zsl.visit': 4, 'zsl.update': 5, 'zsl.down': 1, 'zsl.coin': 6, 'zsl.create': 8, 'zsl.span': 11 },
  zslGetRank: { 'zsl.compare': 2, 'zsl.visit': 3, 'zsl.down': 1, 'zsl.update': 1, 'zsl.rank': 4 },
  zslDelete: { 'zsl.compare': 2, 'zsl.visit': 3, 'zsl.update': 4, 'zsl.down': 1, 'zsl.span': 7, 'zsl.delete': 10 },
};

/**
 * The program and line of a skiplist frame, given the command's program (zslProgramOf): ZADD
 * follows zslInsert, ZRANK zslGetRank, ZREM zslDelete (a ZADD that updates a score deletes then
 * inserts: the delete events switch to zslDelete). Null for other events (dict ones: pseudocodeFor).
 */
export function pseudocodeForZsl(program: 'zslInsert' | 'zslGetRank' | 'zslDelete' | 'zslWalk', ev: TraceEvent | undefined): { program: Program; line: number } | null {
  if (!ev || !ev.k.startsWith('zsl.') || program === 'zslWalk') return null;
  const p = ev.k === 'zsl.delete' ? 'zslDelete' : ev.k === 'zsl.coin' || ev.k === 'zsl.create' ? 'zslInsert' : program;
  const line = ZSL_LINE[p][ev.k];
  return line === undefined ? null : { program: ZSL_PROGRAMS[p], line };
}
