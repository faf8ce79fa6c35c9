/**
 * The sandbox's dataset survives a reload: an append only log kept in a LogStorage (IndexedDB in the
 * browser), written the way Redis writes its AOF with `appendfsync everysec`:
 *
 * - every write the engine propagates (engine.onPropagate: EXPIRE as PEXPIREAT, expired keys as DEL
 *   ...) is appended to a buffer, with a SELECT when the db changes (feedAppendOnlyFile);
 * - the buffer is written as one segment once a second, and when the page asks (it is hidden or
 *   closing), so acknowledged writes survive a normal close;
 * - when the log has grown past `rewriteMinSize` and to twice its size after the last rewrite, it is
 *   replaced by aofRewrite() of the dataset (auto-aof-rewrite-percentage 100, -min-size 64mb scaled
 *   down to 64 KB); "Rewrite log" / BGREWRITEAOF does it at once;
 * - on start the log is replayed with aofLoad; a damaged log keeps its valid prefix, the report says
 *   what was cut, and the log is rewritten so it is valid again. The sandbox always starts.
 *
 * No DOM: it runs in the worker (or on the page in the fallback) and in Node tests (MemoryStorage).
 */
import type { Engine } from '../engine/engine';
import { Config } from '../engine/config';
import { aofLoad, aofRewrite, respCommand, rewriteAppendOnlyFile, AofError } from '../engine/persistence/aof';
import { rdbLoad } from '../engine/persistence/rdb';
import { saveRdb } from '../engine/t_persist';
import { scanLog, tailEntry, type TailEntry } from './resp-scan';
import type { LogMeta, LogStorage } from './storage';

export interface PersistOptions {
  /** Clock for "last saved" (ms). */
  now?: () => number;
  /** Flush period in ms (appendfsync everysec: 1000); 0: only on flush(). */
  flushMs?: number;
  /** Rewrite when the log is at least this big ... (bytes, default 64 KB) */
  rewriteMinSize?: number;
  /** ... and grew by this percentage since the last rewrite (default 100: twice the size). */
  rewritePercentage?: number;
  /** Commands kept for the view of the log's end (default 12). */
  tailSize?: number;
}

/** What happened when the saved log was replayed at start. */
export interface RestoreReport {
  /** Commands replayed. */
  commands: number;
  /** Bytes of log replayed. */
  bytes: number;
  /** Keys in the dataset after the replay (every db). */
  keys: number;
  /** Bytes of the saved log that were not replayed. */
  cutBytes: number;
  /** Saved records dropped whole (not text, or after a damaged one). */
  cutRecords: number;
  /** What was wrong with the log (the loader's words), or null when it loaded whole. */
  damage: string | null;
  /** The console's database restored from the log's meta record. */
  db: number;
}

export type PersistMode = 'saving' | 'unavailable' | 'other-tab';

/** What the persistence view shows. Plain data. */
export interface PersistStatus {
  /** 'saving': the log is written to storage; 'unavailable': no storage (e.g. private mode); 'other-tab': another tab owns the log. */
  mode: PersistMode;
  /** Size of the log in bytes and commands, including writes not saved yet. */
  bytes: number;
  commands: number;
  /** Size of the base (the last rewrite) in bytes. */
  baseBytes: number;
  /** Bytes and commands waiting for the next flush. */
  pendingBytes: number;
  pendingCommands: number;
  /** Last time the log was written to storage (ms), or null. */
  savedAt: number | null;
  /** Last time the log was rewritten (ms), or null. */
  rewrittenAt: number | null;
  rewrites: number;
  /** The last commands of the log, oldest first (arguments cut short: see TailEntry). */
  tail: TailEntry[];
  /** What the start-up replay found (null before it ran or after a reset). */
  restore: RestoreReport | null;
  /** The last storage error (a write that failed and will be retried), or null. */
  writeError: string | null;
}

export interface OpenRdbResult {
  ok: boolean;
  /** The loader's message when not ok. */
  message: string;
  keys: number;
}

const errText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export class Persister {
  private readonly now: () => number;
  private readonly flushMs: number;
  private readonly rewriteMinSize: number;
  private readonly rewritePercentage: number;
  private readonly tailSize: number;

  /** The stored log (base first, then the segments), as byte strings, for "Download AOF". */
  private chunks: string[] = [];
  private storedBytes = 0;
  private storedCommands = 0;
  private baseBytes = 0;
  /** Written but not committed yet. */
  private inflightBytes = 0;
  private inflightCommands = 0;
  private pending: string[] = [];
  private pendingBytes = 0;
  private pendingCommands = 0;
  private selectedDb = -1;
  private seq = 0;
  private tail: TailEntry[] = [];
  private queue: Promise<void> = Promise.resolve();
  private timer: ReturnType<typeof setInterval> | null = null;
  private savedAt: number | null = null;
  private rewrittenAt: number | null = null;
  private rewrites = 0;
  private restoreReport: RestoreReport | null = null;
  private writeError: string | null = null;
  private owner: boolean;
  private started = false;

  constructor(
    private readonly engine: Engine,
    private readonly storage: LogStorage | null,
    opts: PersistOptions & { owner?: boolean } = {},
  ) {
    this.now = opts.now ?? (() => Date.now());
    this.flushMs = opts.flushMs ?? 1000;
    this.rewriteMinSize = opts.rewriteMinSize ?? 64 * 1024;
    this.rewritePercentage = opts.rewritePercentage ?? 100;
    this.tailSize = opts.tailSize ?? 12;
    this.owner = opts.owner ?? true;
  }

  get mode(): PersistMode {
    return this.storage === null ? 'unavailable' : this.owner ? 'saving' : 'other-tab';
  }

  /** Replay the saved log into the engine, then follow its writes. Never throws. */
  async start(): Promise<RestoreReport> {
    if (this.started) return this.restoreReport!;
    this.started = true;
    // In the write queue: nothing (a rewrite when another tab lets go, say) runs before the restore ends.
    await this.enqueue(async () => {
      try {
        this.restoreReport = await this.restore();
      } catch (e) {
        // Storage itself failed (blocked, quota, not allowed): run without it.
        this.flushEngine();
        this.restoreReport = { commands: 0, bytes: 0, keys: 0, cutBytes: 0, cutRecords: 0, damage: `the saved log could not be read: ${errText(e)}`, db: 0 };
      }
    });
    const report = this.restoreReport!;
    const prev = this.engine.onPropagate;
    this.engine.onPropagate = (dbid, argv) => {
      prev?.(dbid, argv);
      this.feed(dbid, argv);
    };
    const prevRewrite = this.engine.persistence.onAofRewrite;
    this.engine.persistence.onAofRewrite = (base, seq) => {
      prevRewrite?.(base, seq);
      void this.rewrite();
    };
    if (this.flushMs > 0 && this.storage) {
      this.timer = setInterval(() => { if (this.pendingBytes > 0) void this.flush(); }, this.flushMs);
      (this.timer as { unref?: () => void }).unref?.();
    }
    return report;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async restore(): Promise<RestoreReport> {
    const report: RestoreReport = { commands: 0, bytes: 0, keys: 0, cutBytes: 0, cutRecords: 0, damage: null, db: 0 };
    if (!this.storage) return report;
    const stored = await this.storage.load();
    const problems: string[] = [];
    // The records: base, then segments in order; a record that is not text ends the usable log.
    const parts: string[] = [];
    let broken = false;
    if (stored.base !== undefined) {
      if (typeof stored.base === 'string') parts.push(stored.base);
      else { problems.push(`the base record is not text (${kind(stored.base)})`); broken = true; }
    }
    let maxSeq = 0;
    for (const { key, value } of stored.segments) {
      maxSeq = Math.max(maxSeq, key as number);
      if (broken) { report.cutRecords++; if (typeof value === 'string') report.cutBytes += value.length; continue; }
      if (typeof value === 'string') parts.push(value);
      else { problems.push(`segment ${String(key)} is not text (${kind(value)})`); broken = true; report.cutRecords++; }
    }
    if (broken && stored.base !== undefined && typeof stored.base !== 'string') report.cutRecords++;
    if (stored.other.length) problems.push(`${stored.other.length} unknown record(s) ignored`);
    let text = parts.join('');
    // Well-formed prefix first (a quick scan), then the engine's loader, which may still refuse a command.
    const scan = scanLog(text);
    if (scan.problem && scan.end < text.length) {
      problems.push(scan.problem);
      report.cutBytes += text.length - scan.end;
      text = text.slice(0, scan.end);
    }
    for (let attempt = 0; ; attempt++) {
      try {
        const res = aofLoad(this.engine, text);
        if (res.truncated) {
          problems.push(res.truncated);
          report.cutBytes += res.truncatedBytes;
          text = text.slice(0, res.validBytes);
        }
        break;
      } catch (e) {
        this.flushEngine();
        const at = e instanceof AofError && e.offset >= 0 && e.offset < text.length && attempt < 8 ? e.offset : 0;
        problems.push(errText(e));
        report.cutBytes += text.length - at;
        text = text.slice(0, at);
        if (at === 0) break;
      }
    }
    const meta = stored.meta as Partial<LogMeta> | undefined;
    if (meta && typeof meta === 'object') {
      if (typeof meta.savedAt === 'number') this.savedAt = meta.savedAt;
      if (typeof meta.rewrittenAt === 'number') this.rewrittenAt = meta.rewrittenAt;
      if (typeof meta.db === 'number' && Number.isInteger(meta.db) && meta.db >= 0 && meta.db < this.engine.dbs.length) {
        this.engine.defaultClient.selectDb(meta.db);
        report.db = meta.db;
      }
    }
    const loaded = scanLog(text, this.tailSize);
    report.commands = loaded.count;
    report.bytes = text.length;
    report.keys = this.keyCount();
    const damaged = problems.length > 0 && (report.cutBytes > 0 || report.cutRecords > 0);
    if (damaged) {
      report.damage = problems.join('; ');
      // Make the stored log valid again: the dataset as it was loaded.
      await this.rewriteNow();
    } else {
      this.chunks = text ? [text] : [];
      this.storedBytes = text.length;
      this.storedCommands = loaded.count;
      this.baseBytes = typeof stored.base === 'string' ? stored.base.length : 0;
      this.tail = loaded.tail.map(tailEntry);
      this.seq = maxSeq;
    }
    return report;
  }

  /** engine.onPropagate: append one command (and a SELECT when the db changes) to the buffer. */
  private feed(dbid: number, argv: string[]): void {
    let chunk = '';
    if (dbid !== this.selectedDb) {
      const sel = ['SELECT', String(dbid)];
      chunk += respCommand(sel);
      this.pushTail(sel);
      this.pendingCommands++;
      this.selectedDb = dbid;
    }
    chunk += respCommand(argv);
    this.pushTail(argv);
    this.pendingCommands++;
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
  }

  private pushTail(argv: string[]): void {
    this.tail.push(tailEntry(argv));
    if (this.tail.length > this.tailSize) this.tail.shift();
  }

  private enqueue(job: () => Promise<void>): Promise<void> {
    const next = this.queue.then(job, job);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private meta(): LogMeta {
    return { v: 1, db: this.engine.defaultClient.db.id, savedAt: this.now(), rewrittenAt: this.rewrittenAt ?? 0 };
  }

  /** Write the buffer as one segment (everysec, or when the page is hidden / closing). */
  flush(): Promise<void> {
    return this.enqueue(async () => {
      if (this.pending.length === 0) return;
      const chunk = this.pending.join('');
      const n = this.pendingCommands;
      this.pending = [];
      this.pendingBytes = 0;
      this.pendingCommands = 0;
      this.chunks.push(chunk);
      this.storedBytes += chunk.length;
      this.storedCommands += n;
      if (!this.storage || !this.owner) return;
      this.inflightBytes = chunk.length;
      this.inflightCommands = n;
      const meta = this.meta();
      try {
        await this.storage.append(this.seq + 1, chunk, meta);
        this.seq++;
        this.savedAt = meta.savedAt;
        this.writeError = null;
      } catch (e) {
        // Not saved: the next flush tries again with everything since.
        this.writeError = errText(e);
        this.chunks.pop();
        this.storedBytes -= chunk.length;
        this.storedCommands -= n;
        this.pending.unshift(chunk);
        this.pendingBytes += chunk.length;
        this.pendingCommands += n;
      } finally {
        this.inflightBytes = 0;
        this.inflightCommands = 0;
      }
      const size = this.storedBytes;
      const base = this.baseBytes || 1;
      if (size >= this.rewriteMinSize && ((size - base) * 100) / base >= this.rewritePercentage) await this.rewriteNow();
    });
  }

  /** BGREWRITEAOF: replace the log by the commands that rebuild the dataset. */
  rewrite(): Promise<void> {
    return this.enqueue(() => this.rewriteNow());
  }

  private async rewriteNow(): Promise<void> {
    // The dataset already holds every buffered write: the rewrite replaces them.
    const base = aofRewrite(this.engine);
    const scan = scanLog(base, this.tailSize);
    this.pending = [];
    this.pendingBytes = 0;
    this.pendingCommands = 0;
    this.selectedDb = -1;
    this.chunks = base ? [base] : [];
    this.storedBytes = base.length;
    this.storedCommands = scan.count;
    this.baseBytes = base.length;
    this.tail = scan.tail.map(tailEntry);
    this.rewrites++;
    this.rewrittenAt = this.now();
    this.seq = 0;
    if (!this.storage || !this.owner) return;
    const meta = this.meta();
    try {
      await this.storage.replace(base, meta);
      this.savedAt = meta.savedAt;
      this.writeError = null;
    } catch (e) {
      this.writeError = errText(e);
    }
  }

  /** Another tab gave the log up: this tab's dataset becomes the saved one. */
  becomeOwner(): Promise<void> {
    if (this.owner) return Promise.resolve();
    this.owner = true;
    return this.rewrite();
  }

  /** "Reset sandbox": an empty dataset, configuration defaults, the console back to db 0, no saved log. */
  reset(): Promise<void> {
    return this.enqueue(async () => {
      const e = this.engine;
      const c = e.createClient();
      try { e.execFor(c, ['FLUSHALL']); } finally { e.freeClient(c); }
      this.flushEngine();
      Object.assign(e.config, new Config());
      e.execFor(e.defaultClient, ['RESET']);
      this.pending = [];
      this.pendingBytes = 0;
      this.pendingCommands = 0;
      this.selectedDb = -1;
      this.chunks = [];
      this.storedBytes = 0;
      this.storedCommands = 0;
      this.baseBytes = 0;
      this.tail = [];
      this.seq = 0;
      this.restoreReport = null;
      this.rewrittenAt = null;
      if (!this.storage || !this.owner) return;
      try {
        await this.storage.clear();
        this.savedAt = this.now();
        this.writeError = null;
      } catch (err) {
        this.writeError = errText(err);
      }
    });
  }

  /** "Open RDB file": replace the dataset by an RDB file's; the log is rewritten from it. */
  async openRdb(bytes: Uint8Array): Promise<OpenRdbResult> {
    if (!(bytes instanceof Uint8Array)) return { ok: false, message: 'not a file', keys: 0 };
    try {
      const res = rdbLoad(this.engine, bytes);
      await this.rewrite();
      return { ok: true, message: '', keys: res.keysLoaded };
    } catch (e) {
      return { ok: false, message: errText(e), keys: 0 };
    }
  }

  /** "Download RDB": SAVE, then the file's bytes. */
  rdb(): Uint8Array {
    return saveRdb(this.engine);
  }

  /** "Download AOF": the whole log as one file (saved and buffered). */
  aof(): string {
    return this.chunks.join('') + this.pending.join('');
  }

  /** Wait for every queued write. */
  idle(): Promise<void> {
    return this.queue;
  }

  status(): PersistStatus {
    return {
      mode: this.mode,
      bytes: this.storedBytes + this.pendingBytes,
      commands: this.storedCommands + this.pendingCommands,
      baseBytes: this.baseBytes,
      pendingBytes: this.pendingBytes + this.inflightBytes,
      pendingCommands: this.pendingCommands + this.inflightCommands,
      savedAt: this.savedAt,
      rewrittenAt: this.rewrittenAt,
      rewrites: this.rewrites,
      tail: this.tail,
      restore: this.restoreReport,
      writeError: this.writeError,
    };
  }

  private keyCount(): number {
    let n = 0;
    for (const db of this.engine.dbs) n += db.dict.size();
    return n;
  }

  private flushEngine(): void {
    for (const db of this.engine.dbs) db.flush();
  }
}

function kind(v: unknown): string {
  if (v === null) return 'null';
  if (v instanceof ArrayBuffer || ArrayBuffer.isView(v)) return 'binary data';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}
