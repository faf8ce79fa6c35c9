/**
 * The one typed API between the page and the engine's Web Worker. Both sides import this file: the
 * worker exposes `createApi(engine)` with Comlink, the page holds a `Remote<EngineApi>` (see bridge.ts).
 * The same object also runs on the main thread when Workers are unavailable.
 *
 * Everything crossing the boundary is plain, structured-clone safe data.
 */
import type { Engine } from '../engine/engine';
import type { Reply } from '../engine/types';
import { commandKeys, type Command } from '../engine/commands';
import type { TraceEvent } from '../engine/trace';
import { snapshotKey, snapshotKeyspace, snapshotDict, snapshotSkiplistPath, peekDict, type DictView, type KeySnapshot } from '../engine/snapshot';
import { strtod } from '../engine/util';
import { parseCommandLine } from '../engine/splitargs';
import { toProtocol } from '../engine/resp';
import { keysFromSpecs } from '../engine/server';
import { commandSyntax, type DocArg } from '../ui/syntax';
import { evaluateChecks, type CheckSpec } from '../lessons/evaluate';
import type { CheckResult } from '../lessons/checks';
import type { PersistApi } from '../persist/api';
import type { Client } from '../engine/client';
import { createClientsApi } from './clients';

export type { Reply } from '../engine/types';
export type { TraceEvent } from '../engine/trace';
export type { KeySnapshot, DictView, StructView } from '../engine/snapshot';

/** What one command did, as the console shows it. */
export interface ExecResponse {
  reply: Reply;
  /** Elementary steps the engine really took. */
  steps: number;
  /** Complexity class from the command table ("O(1)", "O(log N)" ...). */
  complexity: string;
  /** The client's selected database after the command (for the `[2]` in the prompt). */
  db: number;
  /** The client is inside MULTI (redis-cli shows `(TX)` in the prompt). */
  inMulti: boolean;
  /** What the visualizer needs, when exec was asked for it (`{ visual: true }`). */
  visual?: VisualData;
  /**
   * Replies the client received before `reply`, in order (SUBSCRIBE a b's first confirmations,
   * messages or a late blocked reply not drained yet), as its protocol delivers them.
   */
  extra?: Reply[];
  /** The command blocked (BLPOP on empty keys ...): `reply` is a placeholder, print nothing yet. */
  blocked?: boolean;
}

// ---------------------------------------------------------------- many clients (src/ui/clients)

/** What a blocked client waits for. */
export interface BlockedInfo {
  /** The blocking command, lower case ("blpop"). */
  command: string;
  keys: string[];
  /** The timeout in seconds as given (0 = forever). */
  timeout: number;
}

/** A sandbox client (one console) after a command or a drain. */
export interface ClientState {
  id: number;
  /** CLIENT SETNAME's name ('' when none). */
  name: string;
  db: number;
  inMulti: boolean;
  /** Channels + patterns + shard channels it is subscribed to. */
  subscriptions: number;
  blocked: BlockedInfo | null;
  /** The connection is closed (CLIENT KILL, QUIT): the next command reconnects. */
  closed: boolean;
}

/** Who received a PUBLISH (for the pub/sub view). */
export interface PublishDelivery {
  publisher: { id: number; name: string };
  channel: string;
  message: string;
  /** SPUBLISH. */
  shard: boolean;
  /** PUBLISH's integer reply. */
  receivers: number;
  /** One per message delivered, in delivery order. */
  deliveries: { client: { id: number; name: string }; via: 'channel' | 'pattern' | 'shard'; pattern?: string }[];
}

/** exec on a given client. */
export interface ClientExecResponse extends ExecResponse {
  client: ClientState;
  /** Other clients that now have out-of-band replies, were woken or closed: drain them. */
  wake: number[];
  /** Set when the command (or a transaction) published messages. */
  publish?: PublishDelivery[];
}

/** What a client received out of band since the last exec / drain. */
export interface ClientDrain {
  client: ClientState;
  /** Messages, a woken command's reply, a timeout's null array: in order, as its protocol delivers them. */
  replies: Reply[];
}

/** Options of one exec call. */
export interface ExecOptions {
  /** Record the trace and snapshot the touched key and the keyspace before and after (for the visualizer). */
  visual?: boolean;
  /** Most structure entries in a snapshot (default 64). */
  maxNodes?: number;
}

/** The trace of one command and snapshots of what it touched (all plain data). */
export interface VisualData {
  /** The argv that ran (byte strings). */
  argv: string[];
  /** The command's first key (from the command table's key positions), or null. */
  key: string | null;
  /** The database the command ran against. */
  db: number;
  /** Trace events, at most MAX_TRACE_EVENTS. */
  trace: TraceEvent[];
  /** Events the command really emitted (more than trace.length when cut). */
  traceTotal: number;
  before: KeySnapshot | null;
  after: KeySnapshot | null;
  keyspaceBefore: DictView;
  keyspaceAfter: DictView;
  /** The db's expires dict after the command (key -> unix ms), null when no key has a TTL. */
  expiresAfter?: DictView | null;
  /** The level the student forced for the node this command inserted (forceNextLevel), if any. */
  forcedLevel?: number;
}

/** A trace longer than this is cut (the visualizer says so). */
export const MAX_TRACE_EVENTS = 2000;

/** A command's documentation, for Tab completion, hints and `help <command>`. */
export interface CommandDoc {
  /** Upper-case display name: "GET", "CONFIG GET". */
  name: string;
  /** Arguments as redis-cli's help prints them: "key value [NX|XX] ...". */
  syntax: string;
  summary: string;
  since: string;
  group: string;
  /** The documented complexity text. */
  complexity: string;
  /** The complexity class the engine reports beside each reply. */
  complexityClass: string;
}

/** The engine API exposed by the worker. Every method is safe to call with any input. */
export interface EngineApi {
  /** Run one command: argv as byte strings, or a command line parsed like redis-cli. */
  exec(input: string | string[], options?: ExecOptions): ExecResponse;
  /** Documentation of every implemented command (containers expand to their subcommands). */
  commands(): CommandDoc[];
  /** The selected database and transaction state of the console's client. */
  state(): { db: number; inMulti: boolean };
  /** Lesson checks: read-only commands on the console client's database, without touching its session. */
  checks(specs: CheckSpec[]): CheckResult[];
  /**
   * Force the level (1..32) of the next node inserted into an existing skiplist-encoded sorted set
   * by ZADD / ZINCRBY (null: flip coins again). Returns the pending level (null when cleared).
   */
  forceNextLevel(level: number | null): number | null;
  /** The console's own client (the one `exec`, `state` and `checks` use): "Client 1". */
  clientDefault(): ClientState;
  /** Open a new connection (engine.createClient), named with CLIENT SETNAME when a name is given. */
  clientOpen(name?: string): ClientState;
  /** Close a connection (engine.freeClient). The default client cannot be closed: false. */
  clientClose(id: number): boolean;
  /** CLIENT SETNAME on that client ('' clears it): OK or Redis's error. */
  clientRename(id: number, name: string): { reply: Reply; client: ClientState | null };
  /** Run one command on a given client (a closed one reconnects first, as redis-cli does). */
  clientExec(id: number, input: string | string[], options?: ExecOptions): ClientExecResponse;
  /** Take the out-of-band replies of these clients (pub/sub messages, woken blocking commands). */
  clientDrain(ids: number[]): ClientDrain[];
}

/** The engine API joined with the saved log's (src/persist/): what the page talks to. */
export type SandboxApi = EngineApi & PersistApi;
export type { PersistStatus, RestoreReport, OpenRdbResult } from '../persist/api';

export const INVALID_ARGUMENTS = 'Invalid argument(s)';

export function createApi(engine: Engine): EngineApi {
  const client = engine.defaultClient;
  const state = () => ({ db: client.db.id, inMulti: client.multi !== null });
  let docsCache: CommandDoc[] | null = null;
  let pendingLevel: number | null = null;
  /** exec on any client (the default one, or a sandbox client of src/ui/clients). */
  const execOn = (client: Client, input: string | string[], options?: ExecOptions): ExecResponse => {
      const state = () => ({ db: client.db.id, inMulti: client.multi !== null });
      try {
        const argv = typeof input === 'string' ? parseCommandLine(input) : input;
        if (argv === null) return { reply: { t: 'error', v: INVALID_ARGUMENTS }, steps: 0, complexity: 'O(1)', ...state() };
        if (!Array.isArray(argv) || argv.some((a) => typeof a !== 'string')) throw new TypeError('argv must be an array of strings');
        const force = pendingLevel !== null ? armForcedLevel(engine, argv, pendingLevel, client.db) : null;
        let res: ExecResponse;
        if (options?.visual) res = execVisual(engine, argv, options, state, client);
        else {
          const r = engine.execFor(client, argv);
          res = { reply: toProtocol(r.reply, client.resp), steps: r.steps, complexity: r.complexity, ...state() };
          if (r.extra) res.extra = r.extra.map((x) => toProtocol(x, client.resp));
          if (r.blocked) res.blocked = true;
        }
        if (force) {
          if (force.zsl.forcedLevel === null) {
            if (res.visual) res.visual.forcedLevel = pendingLevel!;
            pendingLevel = null;
          } else force.zsl.forceNextLevel(null); // nothing inserted: keep it for the next ZADD
        }
        return res;
      } catch (e) {
        // Never let user input kill the worker: a thrown error becomes an error reply.
        const msg = e instanceof Error ? e.message : String(e);
        let s = { db: 0, inMulti: false };
        try { s = state(); } catch { /* keep defaults */ }
        return { reply: { t: 'error', v: `ERR internal error: ${msg}` }, steps: 0, complexity: 'O(1)', ...s };
      }
  };
  return {
    exec(input, options) {
      return execOn(client, input, options);
    },
    ...createClientsApi(engine, execOn),
    commands() {
      if (!docsCache) docsCache = collectDocs(engine);
      return docsCache;
    },
    state,
    checks(specs) {
      return evaluateChecks(engine, Array.isArray(specs) ? specs : [], client.db.id);
    },
    forceNextLevel(level) {
      const n = typeof level === 'number' && Number.isFinite(level) ? Math.max(1, Math.min(32, Math.floor(level))) : null;
      pendingLevel = n;
      return n;
    },
  };
}

/** Run with tracing on, snapshotting the first key and the keyspace before and after. */
function execVisual(engine: Engine, argv: string[], options: ExecOptions, state: () => { db: number; inMulti: boolean }, client: Client = engine.defaultClient): ExecResponse {
  const maxNodes = options.maxNodes ?? 64;
  let key: string | null = null;
  try {
    const cmd = argv.length ? engine.commands.lookup(argv) : null;
    if (cmd && cmd.proc) key = commandKeys(cmd, argv)[0] ?? null;
    // Movable keys (XREAD / XREADGROUP ... STREAMS key, LMPOP, ZUNION ...): found with the key specs.
    if (cmd && cmd.proc && key === null && cmd.flags.has('movablekeys')) {
      const k = keysFromSpecs(cmd, argv)?.[0];
      key = k ? argv[k.index] ?? null : null;
      // keysFromSpecs finds no key for a single-stream XREAD / XREADGROUP (its range-with-limit
      // arithmetic differs from Redis's): the first key is the argument after STREAMS.
      if (key === null && (cmd.fullname === 'xread' || cmd.fullname === 'xreadgroup')) {
        const at = argv.findIndex((a, i) => i > 0 && a.toLowerCase() === 'streams');
        key = at > 0 && at + 2 < argv.length ? argv[at + 1] : null;
      }
    }
  } catch { key = null; }
  const dbBefore = client.db;
  const snap = (db: typeof dbBefore) => ({
    key: key === null ? null : snapshotKey(db, key, { maxNodes, focus: undefined }),
    keyspace: snapshotKeyspace(db, { maxNodes, focus: key ?? undefined }),
  });
  const target = zslTarget(engine, argv, client.db);
  const b = withZslPath(snap(dbBefore), dbBefore, key, target, maxNodes);
  const r = engine.execFor(client, argv, { trace: true });
  const a = withZslPath(snap(client.db), client.db, key, target, maxNodes);
  const trace = r.trace ?? [];
  const visual: VisualData = {
    argv: argv.slice(),
    key,
    db: client.db.id,
    trace: trace.length > MAX_TRACE_EVENTS ? trace.slice(0, MAX_TRACE_EVENTS) : trace,
    traceTotal: trace.length,
    before: b.key,
    after: a.key,
    keyspaceBefore: b.keyspace,
    keyspaceAfter: a.keyspace,
    expiresAfter: client.db.expires.size() > 0 ? snapshotDict(client.db.expires, { maxNodes, focus: key ?? undefined }) : null,
  };
  const res: ExecResponse = { reply: toProtocol(r.reply, client.resp), steps: r.steps, complexity: r.complexity, ...state(), visual };
  if (r.extra) res.extra = r.extra.map((x) => toProtocol(x, client.resp));
  if (r.blocked) res.blocked = true;
  return res;
}

function collectDocs(engine: Engine): CommandDoc[] {
  const out: CommandDoc[] = [];
  const add = (cmd: Command) => {
    const d = (cmd.docs ?? {}) as Record<string, unknown>;
    out.push({
      name: cmd.fullname.replace('|', ' ').toUpperCase(),
      syntax: commandSyntax((d.arguments as DocArg[] | undefined) ?? []),
      summary: String(d.summary ?? ''),
      since: String(d.since ?? ''),
      group: String(d.group ?? ''),
      complexity: String(d.complexity ?? ''),
      complexityClass: cmd.complexity,
    });
  };
  for (const cmd of engine.commands.commands.values()) {
    if (cmd.subcommands) for (const sub of cmd.subcommands.values()) add(sub);
    // A container (CONFIG, CLIENT ...) is listed too: `help config` shows it before its subcommands.
    if (cmd.proc || cmd.subcommands) add(cmd);
  }
  out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return out;
}

// ---------------------------------------------------------------- sorted sets: search path, forced level

type AnyDb = Engine['defaultClient']['db'];
const ZADD_FLAGS = new Set(['nx', 'xx', 'gt', 'lt', 'ch', 'incr']);

/** The skiplist value (ZSet) of a key, read without side effects, or null. */
function peekZset(db: AnyDb, key: string): any {
  const de = peekDict(db.dict as never, key);
  const o = de?.val as { type?: string; encoding?: string; ptr?: any } | undefined;
  return o && o.type === 'zset' && o.encoding === 'skiplist' && o.ptr?.zsl ? o.ptr : null;
}

/**
 * Where a sorted-set command searches its skiplist: (score, member) of ZADD / ZINCRBY's first
 * member (its current score when it exists), or of the member of ZRANK, ZREVRANK, ZSCORE, ZREM,
 * ZMSCORE. Null for anything else (the snapshot then shows the start of the list).
 */
function zslTarget(engine: Engine, argv: string[], db: AnyDb = engine.defaultClient.db): { score: number; member: string } | null {
  if (argv.length < 3) return null;
  const name = argv[0].toLowerCase();
  const zs = peekZset(db, argv[1]);
  if (!zs) return null;
  let member: string | undefined;
  let score: number | null = null;
  if (name === 'zadd') {
    let i = 2;
    while (i < argv.length && ZADD_FLAGS.has(argv[i].toLowerCase())) i++;
    score = strtod(argv[i] ?? '');
    member = argv[i + 1];
  } else if (name === 'zincrby') {
    score = strtod(argv[2]);
    member = argv[3];
  } else if (['zrank', 'zrevrank', 'zscore', 'zrem', 'zmscore'].includes(name)) {
    member = argv[2];
  } else return null;
  if (member === undefined) return null;
  const de = peekDict(zs.dict, member);
  if (de) score = de.val as number;
  if (score === null || Number.isNaN(score)) return null;
  return { score, member };
}

/** Replace a big skiplist's snapshot by the search path of `target` and a window around it. */
function withZslPath<T extends { key: KeySnapshot | null }>(s: T, db: AnyDb, key: string | null, target: { score: number; member: string } | null, maxNodes: number): T {
  if (!target || key === null || !s.key || s.key.value.kind !== 'skiplist') return s;
  const zs = peekZset(db, key);
  if (!zs) return s;
  try {
    return { ...s, key: { ...s.key, value: snapshotSkiplistPath(zs, target, { maxNodes }) } };
  } catch {
    return s;
  }
}

/** Arm the skiplist of ZADD / ZINCRBY's key (an existing skiplist-encoded zset) with a forced level. */
function armForcedLevel(engine: Engine, argv: string[], level: number, db: AnyDb = engine.defaultClient.db): { zsl: { forcedLevel: number | null; forceNextLevel(l: number | null): void } } | null {
  if (argv.length < 3) return null;
  const name = argv[0].toLowerCase();
  if (name !== 'zadd' && name !== 'zincrby') return null;
  const zs = peekZset(db, argv[1]);
  if (!zs) return null;
  zs.zsl.forceNextLevel(level);
  return { zsl: zs.zsl };
}
