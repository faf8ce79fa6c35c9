/**
 * Evaluate lesson checks against the engine, on the engine's side (the worker), without touching the
 * student's session:
 * - read-only commands only (the command table's `readonly` flag, plus a few harmless server
 *   commands); write, blocking and random commands are refused;
 * - a private client that is never registered (no CLIENT LIST entry, no connection counted), on the
 *   student's selected database;
 * - the command's function is called directly: no command stats, no eviction, no MULTI queueing;
 * - while checks run, reads do not expire keys lazily (an expired key reads as missing but stays
 *   for the student to find), do not touch the LRU/LFU clock and do not advance a dict's rehash;
 *   the keyspace hit/miss counters are restored afterwards.
 */
import type { Engine } from '../engine/engine';
import { Client } from '../engine/client';
import { Dict } from '../engine/structures/dict';
import { tracing, steps } from '../engine/trace';
import { compare, replyValue, showValue, type Check, type CheckResult } from './checks';

/** Server commands without the readonly flag that read state only. */
const ALSO_ALLOWED = new Set(['info', 'ping', 'echo', 'config|get', 'time', 'lastsave', 'object|help', 'memory|stats', 'command|count', 'command|info']);
/** Pub/sub introspection: flagged `pubsub` like SUBSCRIBE, but they only count subscriptions. */
const PUBSUB_READS = new Set(['pubsub|channels', 'pubsub|numsub', 'pubsub|numpat', 'pubsub|shardchannels', 'pubsub|shardnumsub']);
/** Read-only but random (they would draw from the seeded source the student's session uses). */
const REFUSED = new Set(['randomkey', 'srandmember', 'hrandfield', 'zrandmember']);

/** The checks as plain data (what crosses the worker boundary). */
export type CheckSpec = Pick<Check, 'argv' | 'op' | 'expected'>;

/** Why a check command may not run, or null when it may. */
export function refuseReason(engine: Engine, argv: string[]): string | null {
  const cmd = engine.commands.lookup(argv);
  const name = argv[0] ?? '';
  if (!cmd || !cmd.proc) return `unknown command '${name}'`;
  if ((cmd.arity > 0 && cmd.arity !== argv.length) || argv.length < -cmd.arity) return `wrong number of arguments for '${cmd.fullname}'`;
  const f = cmd.flags;
  if (f.has('write') || f.has('blocking') || (f.has('pubsub') && !PUBSUB_READS.has(cmd.fullname)) || REFUSED.has(cmd.fullname) || (!f.has('readonly') && !ALSO_ALLOWED.has(cmd.fullname) && !PUBSUB_READS.has(cmd.fullname))) {
    return `checks run read-only commands only: '${cmd.fullname.replace('|', ' ').toUpperCase()}' is not one`;
  }
  return null;
}

type Patchable = { touchObject?: unknown; expireIfNeeded?: unknown };

/** Run the checks' commands read-only and compare. Never throws. */
export function evaluateChecks(engine: Engine, checks: CheckSpec[], db = engine.defaultClient.db.id): CheckResult[] {
  const client = new Client(0, engine);
  client.selectDb(Math.max(0, Math.min(engine.dbs.length - 1, db)));
  const stats = { ...engine.stats };
  const cmdTime = engine.cmdTime;
  const sink = tracing.sink;
  const stepCount = steps.n;
  const proto = Dict.prototype as unknown as { rehashStep: () => void };
  const rehashStep = proto.rehashStep;
  const eng = engine as unknown as Patchable;
  const patchedDbs = engine.dbs as unknown as (Patchable & { keyIsExpired(k: string): boolean })[];
  try {
    tracing.sink = null;
    proto.rehashStep = function noRehash() { /* paused while checks read */ };
    eng.touchObject = () => {};
    for (const d of patchedDbs) d.expireIfNeeded = (k: string) => d.keyIsExpired(k);
    engine.cmdTime = engine.clock.now();
    return checks.map((c) => {
      try {
        if (!c || !Array.isArray(c.argv) || c.argv.length === 0 || c.argv.some((x) => typeof x !== 'string')) return { ok: false, actual: '', error: 'bad check' };
        const why = refuseReason(engine, c.argv);
        if (why) return { ok: false, actual: '', error: why };
        const cmd = engine.commands.lookup(c.argv)!;
        const reply = cmd.proc!(client, c.argv);
        const v = replyValue(reply);
        return { ok: compare(v, c.op, c.expected), actual: showValue(v) };
      } catch (e) {
        return { ok: false, actual: '', error: e instanceof Error ? e.message : String(e) };
      }
    });
  } finally {
    proto.rehashStep = rehashStep;
    delete eng.touchObject;
    for (const d of patchedDbs) delete d.expireIfNeeded;
    Object.assign(engine.stats, stats);
    engine.cmdTime = cmdTime;
    tracing.sink = sink;
    steps.n = stepCount;
  }
}
