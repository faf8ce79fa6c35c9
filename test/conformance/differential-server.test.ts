/**
 * Differential test through the RESP server: the same seeded random stream as differential.test.ts
 * (lib/generators.ts), sent pipelined in batches over raw sockets both to our RESP server
 * (src/server/resp-server.ts, in this process) and to a live redis-server 7.0.15; the raw reply bytes
 * are compared command by command. Covers what the in-process test does not: the request parser,
 * the RESP2/RESP3 writer, pipelining, pushes written between replies.
 *
 * A shadow engine runs the stream in process to know how many replies each command produces (SUBSCRIBE
 * a b answers twice) and to skip commands whose reply Redis does not determine (generators' skip()).
 *
 * Env: as differential.test.ts (DIFF_SEEDS, DIFF_LEN, DIFF_COMMANDS, DIFF_MUTATE, DIFF_RESP), and
 * DIFF_BATCH (default 40): at most this many commands written in one go.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createEngine } from '../../src/engine';
import { encodeReply, encodeCommand } from '../../src/engine/resp';
import { startServer, type RunningServer } from '../../src/server/resp-server';
import { findRedisServer, startRedisServer, RespConnection, type RedisServer } from './lib/redis';
import { parseReply, serializeReply, escapeBytes, splitReplies, type RespValue } from './lib/resp-reader';
import { GENERATORS, Rng, mutate, DIFF_RESET_CONFIGS, nondeterministic, type Generator } from './lib/generators';

const seeds = parseSeeds(process.env.DIFF_SEEDS ?? '2');
const LEN = Number(process.env.DIFF_LEN ?? 1500);
const MUTATE = Number(process.env.DIFF_MUTATE ?? 0.05);
const RESP = Number(process.env.DIFF_RESP ?? 2);
const BATCH = Number(process.env.DIFF_BATCH ?? 40);
const bin = findRedisServer();

function parseSeeds(s: string): number[] {
  if (s.includes(',')) return s.split(',').map((x) => Number(x.trim()));
  return Array.from({ length: Number(s) }, (_, i) => i + 1);
}

function enabledGenerators(): Generator[] {
  const want = process.env.DIFF_COMMANDS?.split(',').map((x) => x.trim().toLowerCase()).filter(Boolean);
  const probe = createEngine({ seed: 1 });
  return GENERATORS.filter((g) => (!want || want.includes(g.name) || want.includes(g.family)) && probe.commands.lookup(g.name.split('|'))?.proc);
}

function canonical(raw: string, unordered: boolean | 'nested'): string {
  if (!unordered) return raw;
  try {
    const v = parseReply(raw);
    const sortItems = (x: RespValue): RespValue =>
      'items' in x && x.items ? { type: x.type, items: x.items.slice().sort((a, b) => cmp(serializeReply(a), serializeReply(b))) } : x;
    if (unordered === 'nested') {
      if ('items' in v && v.items && v.items.length === 2) return serializeReply({ type: v.type, items: [v.items[0], sortItems(v.items[1])] } as RespValue);
      return raw;
    }
    return serializeReply(sortItems(v));
  } catch {
    return raw;
  }
}

function cmp(a: string, b: string): number { return a < b ? -1 : a > b ? 1 : 0; }

function show(argv: string[]): string {
  return argv.map((a) => (/^[\x21-\x7e]+$/.test(a) && !/["'\\]/.test(a) ? a : escapeBytes(a))).join(' ');
}

/** Read n complete replies, concatenated. */
async function readN(conn: RespConnection, n: number, what: string): Promise<string> {
  let out = '';
  for (let i = 0; i < n; i++) {
    const r = await conn.read(5000);
    if (r.status !== 'ok') throw new Error(`${what}: ${r.status} (${escapeBytes(r.raw)})`);
    out += r.raw;
  }
  return out;
}

const enabled = enabledGenerators();

describe.skipIf(!bin || enabled.length === 0)('differential through the RESP server: server vs redis-server', () => {
  let redis: RedisServer;

  beforeAll(async () => {
    redis = await startRedisServer(bin!);
  }, 30_000);

  afterAll(async () => {
    await redis?.stop();
  });

  for (const seed of seeds) {
    it(`seed ${seed}: ${LEN} random commands, pipelined (RESP${RESP})`, async () => {
      const ours: RunningServer = await startServer({ port: 0, engineOptions: { seed } });
      const a = await RespConnection.connect(redis.port);
      const b = await RespConnection.connect(ours.port);
      try {
        expect(await a.call(['FLUSHALL'])).toBe('+OK\r\n');
        expect(await a.call(['CONFIG', 'SET', ...DIFF_RESET_CONFIGS.flat()])).toBe('+OK\r\n');
        const shadow = createEngine({ seed }).defaultClient;
        if (RESP === 3) {
          await a.call(['HELLO', '3']);
          await b.call(['HELLO', '3']);
          shadow.exec(['HELLO', '3']);
        }
        const rng = new Rng(seed);
        const history: string[] = [];
        let step = 0;
        while (step < LEN) {
          // One batch: generate, decide skips and reply counts on the shadow, write all at once.
          const batch: { argv: string[]; g: Generator; n: number; step: number }[] = [];
          const size = 1 + rng.int(BATCH);
          while (batch.length < size && step < LEN) {
            const g = rng.pick(enabled);
            let argv = g.gen(rng);
            if (rng.chance(MUTATE)) argv = mutate(rng, argv);
            step++;
            // An unordered reply inside MULTI would be compared as part of EXEC's reply, in order: left out.
            if (g.skip?.(shadow, argv) || nondeterministic(shadow, argv) || (g.unordered && shadow.multi)) continue;
            const r = shadow.exec(argv);
            const bytes = (r.extra ?? []).map((x) => encodeReply(x, shadow.resp)).join('') + encodeReply(r.reply, shadow.resp);
            batch.push({ argv, g, n: Math.max(1, splitReplies(bytes).length), step });
          }
          const wire = batch.map((x) => encodeCommand(x.argv)).join('');
          a.sendRaw(wire);
          b.sendRaw(wire);
          for (const x of batch) {
            const expected = await readN(a, x.n, `redis-server after ${show(x.argv)}`);
            const actual = await readN(b, x.n, `our server after ${show(x.argv)}`).catch((e) => `<${(e as Error).message}>`);
            history.push(`${x.step}: ${show(x.argv)} -> ${escapeBytes(expected)}`);
            if (canonical(actual, x.g.unordered ?? false) !== canonical(expected, x.g.unordered ?? false)) {
              expect.fail([
                `seed ${seed}, step ${x.step}: ${show(x.argv)}`,
                `  redis:  ${escapeBytes(expected)}`,
                `  server: ${escapeBytes(actual)}`,
                `last ${Math.min(20, history.length)} commands (with Redis's replies):`,
                ...history.slice(-20).map((h) => '  ' + h),
                `reproduce: DIFF_RESP=${RESP} DIFF_SEEDS=${seed} DIFF_LEN=${x.step} npx vitest run test/conformance/differential-server.test.ts`,
              ].join('\n'));
            }
          }
        }
      } finally {
        await a.close();
        await b.close();
        await ours.close();
      }
    }, 180_000);
  }
});
