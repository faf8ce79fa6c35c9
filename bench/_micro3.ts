import { createEngine } from '../src/engine';
import { steps, tracing } from '../src/engine/trace';
const N = 10000;
const keys = Array.from({ length: N }, (_, i) => 'key:' + i);
const e = createEngine({ seed: 42 });
const c = e.createClient();
for (const k of keys) c.exec(['SET', k, 'value-' + k]);
c.exec(['EXPIRE', 'key:1', '1000']);
const gets = Array.from({ length: 200000 }, (_, i) => ['GET', keys[(i * 7919) % N]]);
const db = e.dbs[0];
const getProc = e.commands.lookup(['GET'])!.proc!;
function t(name: string, f: () => void) {
  let best = Infinity;
  for (let r = 0; r < 9; r++) { const t0 = performance.now(); f(); best = Math.min(best, performance.now() - t0); }
  console.log(name.padEnd(16), (best * 1e6 / 200000).toFixed(0), 'ns/op');
}
t('dict.get', () => { let s = 0; for (const a of gets) s += db.dict.get(a[1])!.lru; if (s < 0) console.log(s); });
t('expires.get', () => { let s = 0; for (const a of gets) s += db.expires.get(a[1]) ?? 1; if (s < 0) console.log(s); });
t('lookupKey', () => { let s = 0; for (const a of gets) s += db.lookupKey(a[1])!.lru; if (s < 0) console.log(s); });
t('lookupKeyRead', () => { let s = 0; for (const a of gets) s += db.lookupKeyRead(a[1])!.lru; if (s < 0) console.log(s); });
t('getProc', () => { let s = 0; for (const a of gets) s += getProc(c, a).t.length; if (s < 0) console.log(s); });
t('call', () => { let s = 0; const cmd = e.commands.lookup(['GET'])!; for (const a of gets) s += e.call(c, cmd, a).t.length; if (s < 0) console.log(s); });
t('processCommand', () => { let s = 0; for (const a of gets) s += e.processCommand(c, a).reply.t.length; if (s < 0) console.log(s); });
t('exec', () => { let s = 0; for (const a of gets) s += c.exec(a).steps; if (s < 0) console.log(s); });
