import { createEngine } from '../src/engine';
import { Dict } from '../src/engine/structures/dict';
const N = 10000;
const keys = Array.from({ length: N }, (_, i) => 'key:' + i);
const e = createEngine({ seed: 42 });
const c = e.createClient();
for (const k of keys) c.exec(['SET', k, 'value-' + k]);
c.exec(['EXPIRE', 'key:1', '1000']);
const gets = Array.from({ length: 200000 }, (_, i) => ['GET', keys[(i * 7919) % N]]);
const sets = Array.from({ length: 200000 }, (_, i) => ['SET', keys[(i * 7919) % N], 'v' + i]);
const incrs = Array.from({ length: 200000 }, (_, i) => ['INCR', 'c' + ((i * 7919) % N)]);
const d = new Dict<string>();
for (const k of keys) d.add(k, k);
function t(name: string, f: () => void) {
  let best = Infinity;
  for (let r = 0; r < 7; r++) { const t0 = performance.now(); f(); best = Math.min(best, performance.now() - t0); }
  console.log(name.padEnd(12), (best * 1e6 / 200000).toFixed(0), 'ns/op');
}
t('GET', () => { for (const a of gets) c.exec(a); });
t('SET', () => { for (const a of sets) c.exec(a); });
t('INCR', () => { for (const a of incrs) c.exec(a); });
t('dict.get', () => { let s = 0; for (const a of gets) s += d.get(a[1])!.length; if (s < 0) console.log(s); });
t('Date.now', () => { let s = 0; for (const a of gets) s += Date.now(); if (s < 0) console.log(s); });
t('lookup', () => { let s = 0; for (const a of gets) s += e.commands.lookup(a)!.arity; if (s < 0) console.log(s); });
