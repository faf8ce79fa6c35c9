/**
 * The engine: server state (databases, clients, config, clock, random source, stats) and command
 * dispatch, as Redis's processCommand() and call() in src/server.c.
 */
import { Config } from './config';
import { Db } from './db';
import { Client, isPushing } from './client';
import { CommandTable, type Command, type CommandDef } from './commands';
import { systemClock, type Clock } from './clock';
import { Random } from './random';
import { dictSeed } from './structures/dict';
import { steps, tracing, type TraceEvent } from './trace';
import type { ExecResult, Reply } from './types';
import type { RObj } from './object';
import * as R from './reply';
import { allCommands } from './command-list';
import { lruClock, lfuInitObject, lfuTouchObject } from './lru';
import { activeExpireCycle } from './expire';
import { performEvictions, maybeDenyOom } from './evict';
import { memoryBeforeWrite, memoryAfterWrite } from './memory';
import { PersistenceState } from './persistence/state';
import { propagateCall, syncAppendOnly } from './persistence/aof';
import { slowlogPushCurrentCommand } from './slowlog';
import { latencyCommandDone } from './latency';

export interface EngineOptions {
  /** Clock for expiry and TIME; defaults to the wall clock. Tests inject a ManualClock. */
  clock?: Clock;
  /** Seed of the random source (skiplist levels, SPOP, RANDOMKEY, eviction sampling). */
  seed?: number;
  /** Initial configuration overrides, e.g. { hz: 100 }. */
  config?: Partial<Config>;
  /** Run the periodic server cron (active expiry) from a timer. Default false: call engine.cron(). */
  timers?: boolean;
}

export class Stats {
  totalCommands = 0;
  totalConnections = 0;
  expiredKeys = 0;
  evictedKeys = 0;
  keyspaceHits = 0;
  keyspaceMisses = 0;
  expiredStalePerc = 0;
  expireCycleCpuMs = 0;
  rejectedCalls = 0;
  startTime = 0;
  /** stat_total_error_replies, and the per-prefix counts of INFO errorstats (errorstat_ERR ...). */
  errorReplies = 0;
  errorStats = new Map<string, number>();
  /** Redis's static prev_err_count (incrCommandStatsOnError): errors since the last accounting. */
  prevErrCount = 0;
}

export class Engine {
  readonly config: Config;
  readonly clock: Clock;
  readonly random: Random;
  /** Seed of the hash function of the dicts this engine creates (see dictSeed in dict.ts). */
  readonly hashSeed: number;
  readonly dbs: Db[] = [];
  readonly clients = new Map<number, Client>();
  readonly commands: CommandTable;
  readonly stats = new Stats();
  /** RDB / AOF state: last RDB bytes, the in-memory AOF, INFO persistence counters (persistence/). */
  readonly persistence = new PersistenceState();
  /**
   * Called for every write command that changed the dataset, as Redis propagates it (EXPIRE as
   * PEXPIREAT, SPOP as SREM, expired keys as DEL ...: persistence/aof.ts), with the db it ran in.
   */
  onPropagate: ((dbid: number, argv: string[]) => void) | null = null;
  /** Milliseconds time snapshot of the command being executed (Redis's fixed time for expiry). */
  cmdTime = 0;
  /** True while loading a persistence file: keys do not expire. */
  loading = false;
  /** Changes since the last save (INFO persistence rdb_changes_since_last_save). */
  dirty = 0;
  lastSave = 0;
  private nextClientId = 1;
  private cronTimer: ReturnType<typeof setInterval> | null = null;
  readonly defaultClient: Client;
  /** Keys WATCHed by clients: "db\0key" -> clients. */
  readonly watchedKeys = new Map<string, Set<Client>>();
  /** Hook for blocking commands (blocked.ts sets it). */
  onKeyReady: ((db: Db, key: string) => void) | null = null;

  constructor(options: EngineOptions = {}) {
    this.config = Object.assign(new Config(), options.config ?? {});
    this.clock = options.clock ?? systemClock;
    this.random = new Random(options.seed ?? 0x5eed);
    this.hashSeed = options.seed ?? 0x5eed;
    dictSeed.current = this.hashSeed;
    for (let i = 0; i < this.config.databases; i++) this.dbs.push(new Db(i, this));
    this.commands = new CommandTable(allCommands as CommandDef[]);
    this.stats.startTime = this.clock.now();
    this.lastSave = this.stats.startTime;
    this.cmdTime = this.clock.now();
    this.defaultClient = this.createClient();
    if (options.timers) this.startTimers();
  }

  // ---------------------------------------------------------------- clients

  createClient(): Client {
    const c = new Client(this.nextClientId++, this);
    this.clients.set(c.id, c);
    this.stats.totalConnections++;
    return c;
  }

  freeClient(c: Client): void {
    this.unwatchAll(c);
    this.onClientFreed?.(c);
    this.clients.delete(c.id);
  }

  /** Hook for pub/sub and blocking to clean up a client's state. */
  onClientFreed: ((c: Client) => void) | null = null;
  /** Hook for pub/sub and blocking to clean up a client's state on RESET (server.ts calls it). */
  onClientReset: ((c: Client) => void) | null = null;
  /** Hook run after each top-level command (blocked.ts: serve clients blocked on keys made ready). */
  onAfterCommand: (() => void) | null = null;
  /** Hook run by cron() (blocked.ts: blocking timeouts, checked against the engine clock). */
  onCronTick: (() => void) | null = null;
  /** CLIENT PAUSE: 0 off, 1 WRITE, 2 ALL, until pauseEnd (unix ms); blocked.ts postpones the clients. */
  pauseType: 0 | 1 | 2 = 0;
  pauseEnd = 0;
  onPostpone: ((c: Client, argv: string[]) => Reply) | null = null;
  /** Redis's checkClientPauseTimeoutAndReturnIfPaused (blocked.ts sets it): ends a pause whose time is up. */
  checkPause: (() => boolean) | null = null;

  // ---------------------------------------------------------------- exec

  /** Run a command on the default client. argv: byte strings (see bytes.ts). */
  exec(argv: string[], options?: { trace?: boolean }): ExecResult {
    return this.execFor(this.defaultClient, argv, options);
  }

  execFor(c: Client, argv: string[], options?: { trace?: boolean }): ExecResult {
    const trace: TraceEvent[] | null = options?.trace ? [] : null;
    dictSeed.current = this.hashSeed; // dicts created by this command hash with this engine's seed
    const prevSink = tracing.sink;
    tracing.sink = trace;
    steps.n = 0;
    let reply: Reply;
    let complexity = 'O(1)';
    try {
      this.cmdComplexity = 'O(1)';
      reply = this.processCommandReply(c, argv);
      complexity = this.cmdComplexity;
    } catch (e) {
      // A bug must never kill the worker or the server: report it as an error reply.
      reply = R.error(`ERR internal error: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      tracing.sink = prevSink;
    }
    this.burstSteps += steps.n;
    const result: ExecResult = { reply, steps: steps.n, complexity };
    if (trace) result.trace = trace;
    // A blocking command parked the client (blocked.ts): `reply` is a placeholder, the real reply
    // comes later through client.onPush (or the `extra` of a later result).
    if (c.blocked) result.blocked = true;
    // CLIENT REPLY OFF / SKIP: the reply is held back (pub/sub confirmations are not); then
    // resetClient's part: a SKIP covers one command (not yet one that blocked: its late reply).
    if (c.replyOff || c.replySkip || c.replyNone) {
      if (c.blocked) c.replySkipBlocked = c.replySkip;
      else if (!isPushing(reply)) result.noReply = true;
      c.replyNone = false;
    }
    if (!c.blocked && (c.replySkip || c.replySkipNext)) c.endCommandReplies();
    if (c.pendingReplies.length > 0) { result.extra = c.pendingReplies; c.pendingReplies = []; }
    // Redis's handleClientsBlockedOnKeys after the command (serves clients blocked on keys it pushed to).
    if (this.onAfterCommand) {
      const saved = steps.n;
      try { this.onAfterCommand(); } catch { /* never kill the caller */ }
      steps.n = saved;
    }
    return result;
  }

  /** Redis's processCommand: lookup, arity, auth, OOM, pub/sub context, MULTI queueing, then call. */
  processCommand(c: Client, argv: string[]): { reply: Reply; complexity: string } {
    this.cmdComplexity = 'O(1)';
    const reply = this.processCommandReply(c, argv);
    return { reply, complexity: this.cmdComplexity };
  }

  /**
   * The complexity class of the command processCommandReply last ran or refused (execFor reads it:
   * no { reply, complexity } object per command).
   */
  cmdComplexity = 'O(1)';

  /**
   * The time a command runs at. Reading the wall clock costs about as much as a simple command's
   * whole work (Date.now() measured at 45 ns here), so within one synchronous burst of commands
   * (a pipeline, a benchmark loop) it is read again only every 16 commands or after 1,000 steps of
   * work, and always on the first command after the burst yields to the event loop. An injected
   * clock (tests) is read every time.
   */
  private readClock(): number {
    if (this.clock !== systemClock) return this.clock.now();
    if (this.clockFresh && ++this.clockReads < 16 && this.burstSteps < 1000) return this.cmdTime;
    this.clockReads = 0;
    this.burstSteps = 0;
    if (!this.clockFresh) {
      this.clockFresh = true;
      queueMicrotask(() => { this.clockFresh = false; });
    }
    return this.clock.now();
  }
  private clockFresh = false;
  private clockReads = 0;
  /** Steps done since the wall clock was last read (execFor adds each command's). */
  private burstSteps = 0;

  /** processCommand's body: returns the reply, leaves the complexity class in cmdComplexity. */
  processCommandReply(c: Client, argv: string[]): Reply {
    this.cmdTime = this.readClock();
    c.lastInteraction = this.cmdTime;
    if (argv.length === 0) return R.NIL;
    const cmd = this.commands.lookup(argv);
    // Redis sets c->lastcmd at lookup (CLIENT LIST cmd=): also for a refused or queued command; NULL
    // for an unknown command or subcommand. EXEC's commands leave it at exec.
    c.lastCommand = cmd && (cmd.proc || argv.length === 1) ? cmd.fullname : 'NULL';
    if (!cmd || !cmd.proc) {
      if (this.commands.isContainer(argv[0]) && argv.length > 1) {
        return this.rejectCommand(c, cmd, R.error(sanitize(`ERR unknown subcommand '${cstr(argv[1], 128)}'. Try ${asciiUpper(cstr(argv[0], Infinity))} HELP.`)));
      }
      if (cmd && !cmd.proc && argv.length > 1) {
        return this.rejectCommand(c, cmd, R.error(sanitize(`ERR unknown subcommand '${cstr(argv[1], 128)}'. Try ${asciiUpper(cstr(argv[0], Infinity))} HELP.`)));
      }
      if (!cmd) {
        let args = '';
        for (let i = 1; i < argv.length && args.length < 128; i++) args += `'${cstr(argv[i], 128 - args.length)}' `;
        return this.rejectCommand(c, cmd, R.error(sanitize(`ERR unknown command '${cstr(argv[0], 128)}', with args beginning with: ${args}`)));
      }
    }
    if ((cmd.arity > 0 && cmd.arity !== argv.length) || argv.length < -cmd.arity) {
      return this.rejectCommand(c, cmd, R.E.wrongArgs(cmd.fullname));
    }
    if (!c.authenticated && this.config.requirepass !== '' && !cmd.flags.has('no_auth')) {
      return this.rejectCommand(c, cmd, R.error('NOAUTH Authentication required.'));
    }
    if (this.config.maxmemory > 0) {
      const oom = maybeDenyOom(this, c, cmd);
      if (oom) return this.rejectCommand(c, cmd, oom);
    }
    if (c.resp === 2 && c.isSubscribed() && !isAllowedWhileSubscribed(cmd.fullname)) {
      return this.rejectCommand(c, cmd, R.error(`ERR Can't execute '${cmd.fullname}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context`));
    }
    // CLIENT PAUSE: the client waits (blocked, BLOCKED_POSTPONE) until the pause ends, then the
    // command is processed from the start (blocked.ts postponeClient).
    if (this.pauseType !== 0 && this.onPostpone !== null && (this.pauseType === 2 || mayReplicate(this, c, cmd))) {
      return this.onPostpone(c, argv);
    }
    if (c.multi && !isMultiControl(cmd.fullname)) {
      if (cmd.flags.has('no_multi')) {
        return this.rejectCommand(c, cmd, R.error(`ERR Command not allowed inside a transaction`));
      }
      // queueMultiCommand: an aborted transaction (a refused command, a touched WATCHed key) keeps
      // answering QUEUED but queues nothing (CLIENT LIST multi= stops counting).
      if (!c.multi.dirty && !c.dirtyCas) c.multi.queue.push(argv);
      this.cmdComplexity = cmd.complexity;
      return R.QUEUED;
    }
    const reply = this.call(c, cmd, argv);
    this.cmdComplexity = cmd.complexity; // after call(): a nested command (EXEC) must not leave its own
    return reply;
  }

  /**
   * A command refused before call() (rejectCommand): flags the transaction, counts the rejection.
   * A method rather than a closure in processCommand: no allocation per command (and tsx's keepNames
   * wraps every closure in a costly __name call).
   */
  private rejectCommand(c: Client, cmd: Command | null, reply: Reply): Reply {
    if (c.multi) c.multi.dirty = true;
    this.stats.rejectedCalls++;
    this.cmdComplexity = cmd?.complexity ?? 'O(1)';
    if (cmd && cmd.name === 'exec' && reply.t === 'error') {
      // execCommandAbort: a rejected EXEC discards the transaction (MULTI or not) and says why.
      c.multi = null;
      c.dirtyCas = false;
      this.unwatchAll(c);
      const why = reply.v.startsWith('ERR ') ? reply.v.slice(4) : reply.v;
      reply = R.error(`EXECABORT Transaction discarded because of: ${why}`);
    }
    // incrCommandStatsOnError(cmd, ERROR_COMMAND_REJECTED)
    if (reply.t === 'error') this.countErrorReply(reply.v);
    const st = this.stats;
    if (cmd && st.errorReplies - st.prevErrCount > 0) cmd.rejectedCalls++;
    st.prevErrCount = st.errorReplies;
    return reply;
  }

  /**
   * Redis's afterErrorReply: an error reply was sent (to any client): total_error_replies and the
   * errorstats count of its prefix (the text before the first space within 32 bytes, else ERR).
   */
  countErrorReply(msg: string): void {
    const st = this.stats;
    st.errorReplies++;
    const sp = msg.indexOf(' ');
    const prefix = sp > 0 && sp < 31 ? msg.slice(0, sp) : 'ERR';
    st.errorStats.set(prefix, (st.errorStats.get(prefix) ?? 0) + 1);
  }

  /** Redis's call(): run the command and account for it. */
  call(c: Client, cmd: Command, argv: string[]): Reply {
    // Memory accounting (memory.ts): only with maxmemory set, only around writes.
    const mem = this.config.maxmemory > 0 && cmd.flags.has('write') ? memoryBeforeWrite(this, c, cmd, argv) : null;
    if (this.config.appendonly !== this.persistence.aofOn && !this.loading) syncAppendOnly(this);
    const dirty0 = this.dirty;
    const steps0 = steps.n;
    this.stats.prevErrCount = this.stats.errorReplies; // incrCommandStatsOnError(NULL, 0): only errors from here on
    const reply = cmd.proc!(c, argv);
    // Its duration for the slow log and the latency monitor, in microseconds at the engine clock's
    // (millisecond) resolution: the clock is read only after a command that did real work; a
    // shorter one takes 0 (reading the clock for every command would cost as much as the command).
    const duration = steps.n - steps0 > SLOW_COMMAND_STEPS ? (this.clock.now() - this.cmdTime) * 1000 : 0;
    // Redis's propagate(): only commands that changed something; EXEC's commands propagate themselves.
    if (this.dirty !== dirty0 && (this.onPropagate !== null || this.persistence.aofOn) && !this.loading && cmd.name !== 'exec') {
      propagateCall(this, c, cmd, argv, reply);
    }
    if (mem !== null) memoryAfterWrite(this, mem);
    cmd.calls++;
    // incrCommandStatsOnError(cmd, ERROR_COMMAND_FAILED): any error reply since the last accounting,
    // this command's or one it sent to another client (CLIENT UNBLOCK ... ERROR); not EXEC's commands'.
    const st = this.stats;
    if (reply.t === 'error' && c.execTail !== reply) this.countErrorReply(reply.v);
    c.execTail = null;
    if (st.errorReplies - st.prevErrCount > 0) cmd.failedCalls++;
    st.prevErrCount = st.errorReplies;
    if (!c.blocked) {
      // The latency monitor and histogram, then the slow log (latency.ts, slowlog.ts).
      latencyCommandDone(this, cmd, duration);
      slowlogPushCurrentCommand(this, c, cmd, argv, duration);
    }
    if (!c.blocked) cmd.latency = true; // updateCommandLatencyHistogram (not for a command that blocked)
    st.totalCommands++;
    return reply;
  }

  // ---------------------------------------------------------------- keyspace signals

  /** Redis's signalModifiedKey: invalidates WATCHes on this key. Every write must call it. */
  signalModifiedKey(db: Db, key: string): void {
    if (this.watchedKeys.size === 0) return;
    const k = db.id + '\0' + key;
    const clients = this.watchedKeys.get(k);
    if (!clients) return;
    // Redis 7.0's touchWatchedKey, watchers in WATCH order.
    for (const cl of clients) {
      if (cl.watchedExpired.size > 0 && cl.watchedExpired.has(k)) {
        // Watched while already expired: its deletion is no logical change.
        if (!db.dict.has(key)) { cl.watchedExpired.delete(k); continue; }
        break; // (sic: Redis 7.0 leaves the loop here)
      }
      cl.dirtyCas = true;
      // (Redis also drops a dirty client's watches here; nothing in 7.0 can observe that.)
    }
  }

  /** A list, sorted set or stream key received elements: blocked clients may be served. */
  signalKeyAsReady(db: Db, key: string, val: RObj): void {
    if (this.onKeyReady && (val.type === 'list' || val.type === 'zset' || val.type === 'stream')) this.onKeyReady(db, key);
  }

  /** signalDeletedKeyAsReady: a stream was deleted or overwritten; XREADGROUP clients on it are unblocked. */
  signalDeletedKeyAsReady(db: Db, key: string, val: RObj): void {
    if (this.onKeyReady && val.type === 'stream') this.onKeyReady(db, key);
  }

  /** Keyspace notifications (not configurable yet): a hook for the UI and lessons. */
  notifyKeyspaceEvent(_event: string, _key: string, _dbid: number): void {}

  /** FLUSHDB / FLUSHALL / SWAPDB touch every watched key of the db(s). */
  touchAllWatchedKeysInDb(db: Db, other?: Db): void {
    for (const [k, clients] of this.watchedKeys) {
      const [id, key] = [Number(k.slice(0, k.indexOf('\0'))), k.slice(k.indexOf('\0') + 1)];
      if (id !== db.id && id !== other?.id) continue;
      if (db.dict.has(key) || (other && other.dict.has(key))) for (const cl of clients) cl.dirtyCas = true;
    }
  }

  unwatchAll(c: Client): void {
    for (const k of c.watched) {
      const set = this.watchedKeys.get(k);
      if (set) { set.delete(c); if (set.size === 0) this.watchedKeys.delete(k); }
    }
    c.watched.clear();
    c.watchedExpired.clear();
  }

  // ---------------------------------------------------------------- LRU / LFU

  /** The LRU clock (seconds resolution, 24 bits) as Redis keeps it. */
  lruClock(): number { return lruClock(this.cmdTime); }

  usesLfu(): boolean {
    const p = this.config.maxmemoryPolicy;
    return p === 'allkeys-lfu' || p === 'volatile-lfu';
  }

  initObjectLru(o: RObj): void {
    o.lru = this.usesLfu() ? lfuInitObject(this.cmdTime) : this.lruClock();
  }

  touchObject(o: RObj): void {
    if (this.usesLfu()) o.lru = lfuTouchObject(o.lru, this.cmdTime, this.config, this.random);
    else o.lru = this.lruClock();
  }

  // ---------------------------------------------------------------- cron

  /** One run of serverCron (call it hz times a second): active expiry, eviction, incremental rehash. */
  cron(): void {
    dictSeed.current = this.hashSeed;
    this.cmdTime = this.clock.now();
    // While clients are paused the dataset stays as it is: no active expiry (nor eviction).
    const paused = this.pauseType !== 0 && this.checkPause !== null && this.checkPause();
    if (!paused) activeExpireCycle(this);
    this.onCronTick?.();
    if (this.config.maxmemory > 0) performEvictions(this);
    if (this.config.activerehashing) {
      for (const db of this.dbs) {
        if (db.dict.isRehashing()) { db.dict.rehashMilliseconds(1); break; }
        if (db.expires.isRehashing()) { db.expires.rehashMilliseconds(1); break; }
      }
    }
    for (const db of this.dbs) {
      if (db.dict.needsResize()) db.dict.resize();
      if (db.expires.needsResize()) db.expires.resize();
    }
  }

  startTimers(): void {
    this.stopTimers();
    this.cronTimer = setInterval(() => this.cron(), Math.max(1, Math.floor(1000 / this.config.hz)));
  }

  /** True while the cron timer runs (CONFIG SET hz restarts it). */
  isCronRunning(): boolean { return this.cronTimer !== null; }

  stopTimers(): void {
    if (this.cronTimer) clearInterval(this.cronTimer);
    this.cronTimer = null;
  }
}

/** Commands CLIENT PAUSE WRITE postpones: write or may-replicate commands, an EXEC that queued one. */
const MAY_REPLICATE = new Set(['publish', 'spublish', 'pfcount', 'eval', 'evalsha', 'fcall', 'script|load', 'script|flush', 'function|load', 'function|delete', 'function|flush', 'function|restore']);
function mayReplicate(e: Engine, c: Client, cmd: Command): boolean {
  if (cmd.flags.has('write') || MAY_REPLICATE.has(cmd.fullname)) return true;
  if (cmd.name === 'exec' && c.multi) {
    for (const argv of c.multi.queue) {
      const q = e.commands.lookup(argv);
      if (q && (q.flags.has('write') || MAY_REPLICATE.has(q.fullname))) return true;
    }
  }
  return false;
}

/** A command that took fewer steps than this ran for well under a millisecond (see call()). */
const SLOW_COMMAND_STEPS = 2000;

function isMultiControl(name: string): boolean {
  return name === 'exec' || name === 'discard' || name === 'multi' || name === 'watch' || name === 'quit' || name === 'reset';
}

function isAllowedWhileSubscribed(fullname: string): boolean {
  switch (fullname) {
    case 'ping': case 'subscribe': case 'ssubscribe': case 'unsubscribe': case 'sunsubscribe':
    case 'psubscribe': case 'punsubscribe': case 'quit': case 'reset':
      return true;
  }
  return false;
}

/** An argument as C's "%.<max>s" prints it: up to the first NUL byte, at most max bytes. */
function cstr(s: string, max: number): string {
  const nul = s.indexOf('\0');
  return (nul >= 0 ? s.slice(0, nul) : s).slice(0, max);
}

/** C's toupper over bytes: ASCII letters only (JS toUpperCase would map latin1 bytes outside 0..255). */
function asciiUpper(s: string): string {
  return s.replace(/[a-z]+/g, (m) => m.toUpperCase());
}

/** Redis's rejectCommandFormat: newlines in an error would break the protocol. */
function sanitize(msg: string): string {
  return msg.replace(/[\r\n]/g, ' ');
}
