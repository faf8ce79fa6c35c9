/**
 * Regenerates src/engine/command-meta.json from a real redis-server 7.0 (COMMAND INFO and COMMAND DOCS),
 * so arity, flags, key positions, ACL categories and docs are exactly the server's.
 * Usage: redis-server --port 16379 --save '' --appendonly no &  then  npx tsx scripts/gen-command-meta.ts [port]
 */
import Redis from 'ioredis';
import { writeFileSync } from 'node:fs';

type Raw = string | number | null | Raw[];

function docsToObject(raw: Raw): Record<string, unknown> {
  // COMMAND DOCS replies are flat key/value arrays, nested.
  if (!Array.isArray(raw)) return raw as never;
  const o: Record<string, unknown> = {};
  for (let i = 0; i < raw.length; i += 2) {
    const k = raw[i] as string;
    const v = raw[i + 1];
    if (k === 'arguments') o[k] = (v as Raw[]).map(docsToObject);
    else if (k === 'subcommands') {
      const subs: Record<string, unknown> = {};
      const arr = v as Raw[];
      for (let j = 0; j < arr.length; j += 2) subs[arr[j] as string] = docsToObject(arr[j + 1]);
      o[k] = subs;
    } else if (k === 'history') o[k] = v;
    else o[k] = v;
  }
  return o;
}

const port = Number(process.argv[2] ?? 16379);
const r = new Redis({ port, lazyConnect: true });
await r.connect();
const info = (await r.call('COMMAND', 'INFO')) as Raw[];
const docsRaw = (await r.call('COMMAND', 'DOCS')) as Raw[];
const docs: Record<string, unknown> = {};
for (let i = 0; i < docsRaw.length; i += 2) docs[docsRaw[i] as string] = docsToObject(docsRaw[i + 1]);
const out: Record<string, { info: Raw; docs: unknown }> = {};
for (const entry of info as Raw[][]) {
  const name = entry[0] as string;
  out[name] = { info: entry, docs: docs[name] };
}
const sorted = Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
writeFileSync('src/engine/command-meta.json', JSON.stringify(sorted) + '\n');
console.log(`wrote ${Object.keys(sorted).length} commands`);
await r.quit();
