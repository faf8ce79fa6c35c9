/**
 * Replays the golden transcripts (golden/*.json, recorded from redis-server 7.0.15) against our RESP
 * server (src/server/resp-server.ts) over real TCP sockets, byte for byte, like replay.test.ts does
 * in-process (typeOnly steps: the RESP type byte only).
 *
 * One test per case, a fresh server per case (default engine with the wall clock and its timers,
 * seed 1). One socket per connection number, opened on first use (and again after the server
 * closed it). Every command goes out as a RESP multibulk; the reply is read with resp-reader's
 * `replyEnd`, as many complete replies as the golden `resp` holds. `!sleep` really sleeps.
 * Multi-connection cases: a `blocked` step expects no reply within BLOCK_CHECK_MS, and its reply
 * shows up later in the `pushes` of another step; after every step each other socket must have
 * received exactly `pushes[n]` (read by reply count, then a short grace window for extra bytes).
 */
import { describe, it, expect, afterAll } from 'vitest';
import net from 'node:net';
import { join } from 'node:path';
import { GOLDEN_DIR, listGoldenFiles, loadGolden, isSleep, type GoldenCase, type GoldenCommand } from './lib/golden';
import { replyEnd, splitReplies, escapeBytes } from './lib/resp-reader';
import { formatMismatches, type CaseResult } from './lib/engine-runner';
import { startServer } from '../../src/server/resp-server';

/** How long a reply may take before the step counts as "no reply". */
const REPLY_TIMEOUT_MS = 2000;
/** A blocked command: no reply within this window. */
const BLOCK_CHECK_MS = 50;
/** Multi-connection cases: extra bytes arriving within this window after a step are kept. */
const GRACE_MS = 25;
/** A `closed` step: the server must close the socket within this window. */
const CLOSE_TIMEOUT_MS = 1000;

/**
 * Cases (`file: case`) whose semantics cannot be replayed over a socket, with the reason. Each is
 * registered as it.skip and counted in the summary.
 */
const SKIP_CASES: Record<string, string> = {};

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function multibulk(argv: string[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${argv.length}\r\n`, 'latin1')];
  for (const a of argv) {
    const b = Buffer.from(a, 'latin1'); // byte strings: one char per byte
    parts.push(Buffer.from(`$${b.length}\r\n`, 'latin1'), b, Buffer.from('\r\n', 'latin1'));
  }
  return Buffer.concat(parts);
}

/** One client socket with a receive buffer. */
class Conn {
  buf: Buffer = Buffer.alloc(0);
  closed = false;
  private waiter: (() => void) | null = null;

  private constructor(readonly sock: net.Socket) {
    sock.on('data', (d: Buffer) => { this.buf = Buffer.concat([this.buf, d]); this.wake(); });
    sock.on('close', () => { this.closed = true; this.wake(); });
    sock.on('end', () => { this.closed = true; this.wake(); });
    sock.on('error', () => { this.closed = true; this.wake(); });
  }

  static open(port: number): Promise<Conn> {
    return new Promise((resolve, reject) => {
      const s = net.createConnection({ port, host: '127.0.0.1' });
      s.setNoDelay(true);
      s.once('connect', () => resolve(new Conn(s)));
      s.once('error', reject);
    });
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = null;
    if (w) w();
  }

  /** Resolves on new data / close, or after ms. */
  private waitEvent(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => { this.waiter = null; resolve(); }, ms);
      this.waiter = () => { clearTimeout(t); resolve(); };
    });
  }

  /** Number of bytes holding `count` complete replies at the start of the buffer, or -1. */
  private completeLen(count: number): number {
    let pos = 0;
    for (let i = 0; i < count; i++) {
      let end: number;
      try { end = replyEnd(this.buf, pos); } catch { return -2; }
      if (end < 0) return -1;
      pos = end;
    }
    return pos;
  }

  /**
   * Take `count` complete replies (latin1). On a timeout, a closed socket or a protocol error:
   * whatever the buffer holds.
   */
  async take(count: number, timeoutMs = REPLY_TIMEOUT_MS): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const n = this.completeLen(count);
      if (n >= 0) {
        const out = this.buf.subarray(0, n).toString('latin1');
        this.buf = this.buf.subarray(n);
        return out;
      }
      const left = deadline - Date.now();
      if (n === -2 || this.closed || left <= 0) return this.drain();
      await this.waitEvent(left);
    }
  }

  drain(): string {
    const out = this.buf.toString('latin1');
    this.buf = Buffer.alloc(0);
    return out;
  }

  /** Resolves true once the socket is closed (false after ms). */
  async waitClosed(ms: number): Promise<boolean> {
    const deadline = Date.now() + ms;
    while (!this.closed) {
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await this.waitEvent(left);
    }
    return true;
  }

  destroy(): void {
    this.sock.destroy();
  }
}

function replyCount(resp: string): number {
  try { return splitReplies(resp).length; } catch { return 1; }
}

async function runCaseOverTcp(gc: GoldenCase): Promise<CaseResult> {
  const multi = gc.steps.some((s) => !isSleep(s) && (s as GoldenCommand).conn !== undefined);
  const srv = await startServer({ port: 0, engineOptions: { seed: 1 } });
  const conns = new Map<number, Conn>();
  const out: CaseResult = { compared: 0, mismatches: [] };
  try {
    const connFor = async (n: number): Promise<Conn> => {
      let c = conns.get(n);
      if (!c || c.closed) {
        c = await Conn.open(srv.port);
        conns.set(n, c);
      }
      return c;
    };
    /** Compare what each socket but `skip` received with `expected` (multi cases). */
    const comparePushes = async (expected: Record<string, string> | undefined, skip: number | null): Promise<{ diff: string | null; got: Record<string, string> }> => {
      const got: Record<string, string> = {};
      const nums = new Set<number>([...conns.keys(), ...Object.keys(expected ?? {}).map(Number)]);
      for (const n of nums) {
        if (n === skip) continue;
        const exp = expected?.[String(n)] ?? '';
        const c = conns.get(n);
        if (!c) { got[n] = ''; continue; }
        got[n] = exp ? await c.take(replyCount(exp)) : '';
      }
      await sleep(GRACE_MS);
      const diffs: string[] = [];
      for (const n of [...nums].sort((a, b) => a - b)) {
        if (n === skip) continue;
        const c = conns.get(n);
        if (c) got[n] += c.drain();
        const exp = expected?.[String(n)] ?? '';
        if (exp !== got[n]) diffs.push(`@${n} expected ${escapeBytes(exp)} got ${escapeBytes(got[n])}`);
      }
      return { diff: diffs.length ? 'pushes differ: ' + diffs.join('; ') : null, got };
    };

    for (let index = 0; index < gc.steps.length; index++) {
      const st = gc.steps[index];
      if (isSleep(st)) {
        await sleep(st.sleep);
        if (multi) {
          const { diff, got } = await comparePushes(st.pushes, null);
          if (diff) {
            out.compared++;
            out.mismatches.push({ index, line: `!sleep ${st.sleep}`, expected: JSON.stringify(st.pushes ?? {}), actual: JSON.stringify(got), note: diff });
          }
        }
        continue;
      }
      const g = st as GoldenCommand;
      const n = g.conn ?? 1;
      out.compared++;
      const c = await connFor(n);
      c.sock.write(multibulk(g.argv));
      let actual: string;
      let note: string | undefined;
      let ok: boolean;
      if (g.blocked || g.timeout || g.resp === '') {
        await sleep(BLOCK_CHECK_MS);
        actual = c.drain();
        ok = actual === '';
        if (!ok) note = 'Redis sent no reply (blocked); our server replied';
      } else {
        actual = await c.take(replyCount(g.resp));
        ok = g.typeOnly ? actual.length > 0 && actual[0] === g.resp[0] : actual === g.resp;
      }
      if (ok && g.closed) {
        if (!(await c.waitClosed(CLOSE_TIMEOUT_MS))) { ok = false; note = 'Redis closed the connection after this reply; our server did not'; }
      } else if (ok && !g.timeout && c.closed) {
        ok = false;
        note = 'our server closed the connection; Redis did not';
      }
      if (multi) {
        const { diff } = await comparePushes(g.pushes, n);
        if (ok && diff) { ok = false; note = diff; }
      }
      if (!ok) out.mismatches.push({ index, line: multi ? `@${n} ${g.line}` : g.line, expected: g.resp, actual, note });
      if (g.timeout || g.closed || c.closed) {
        c.destroy();
        conns.delete(n);
      }
    }
    // Anything left unread on a socket is a reply Redis did not send.
    if (!multi) {
      await sleep(5);
      const left = [...conns.values()].map((c) => c.drain()).join('');
      if (left) out.mismatches.push({ index: gc.steps.length - 1, line: '<end of case>', expected: '', actual: left, note: 'extra bytes after the last step' });
    }
  } finally {
    for (const c of conns.values()) c.destroy();
    await srv.close();
  }
  return out;
}

const files = listGoldenFiles();
const summary = new Map<string, { compared: number; failed: number; cases: number; failedCases: number; skipped: number; skippedSteps: number }>();
const skipReasons: string[] = [];

if (files.length === 0) {
  describe('conformance replay over TCP', () => {
    it.skip(`no golden transcripts in ${GOLDEN_DIR} (npm run record-golden)`, () => {});
  });
}

for (const file of files) {
  const golden = loadGolden(join(GOLDEN_DIR, file));
  const s = { compared: 0, failed: 0, cases: golden.cases.length, failedCases: 0, skipped: 0, skippedSteps: 0 };
  summary.set(golden.file, s);
  describe(`${golden.file} over TCP`, () => {
    for (const gc of golden.cases) {
      const name = `${golden.file}: ${gc.name}`;
      const reason = SKIP_CASES[name];
      if (reason) {
        s.skipped++;
        s.skippedSteps += gc.steps.filter((x) => !isSleep(x)).length;
        skipReasons.push(`  ${name}: ${reason}`);
        it.skip(`${name} (skipped: ${reason})`, () => {});
        continue;
      }
      it(name, async () => {
        const r = await runCaseOverTcp(gc);
        s.compared += r.compared;
        s.failed += r.mismatches.length;
        if (r.mismatches.length) s.failedCases++;
        if (r.mismatches.length) expect.fail(formatMismatches(name, r));
      });
    }
  });
}

afterAll(() => {
  let compared = 0, failed = 0, cases = 0, skipped = 0, skippedSteps = 0;
  const rows: string[] = [];
  for (const [file, s] of summary) {
    compared += s.compared;
    failed += s.failed;
    cases += s.cases - s.skipped;
    skipped += s.skipped;
    skippedSteps += s.skippedSteps;
    rows.push(`  ${file.padEnd(24)} ${String(s.compared).padStart(6)} compared ${String(s.failed).padStart(6)} failed   (${s.failedCases}/${s.cases - s.skipped} cases fail, ${s.skipped} skipped)`);
  }
  console.log(
    `conformance replay over TCP: ${cases} cases replayed, ${compared} steps compared with Redis 7.0.15, ${failed} differ; ` +
      `${skipped} cases (${skippedSteps} commands) skipped\n${rows.join('\n')}` +
      (skipReasons.length ? `\nskipped:\n${skipReasons.join('\n')}` : ''),
  );
});
