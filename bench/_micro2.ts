import { createEngine } from '../src/engine';
const N = 10000;
const keys = Array.from({ length: N }, (_, i) => 'key:' + i);
const e = createEngine({ seed: 42 });
const c = e.createClient();
for (const k of keys) c.exec(['SET', k, 'value-' + k]);
c.exec(['EXPIRE', 'key:1', '1000']);
const gets = Array.from({ length: 200000 }, (_, i) => ['GET', keys[(i * 7919) % N]]);
for (let r = 0; r < 40; r++) { for (const a of gets) c.exec(a); }
