/**
 * Running golden steps on the engine: one case = a fresh engine (ManualClock at Date.now(), seed 1),
 * its client, the commands in order. Shared by replay.test.ts (and handy in a REPL).
 *
 * What a step's actual bytes are:
 *  - every reply the engine pushes to the client through `client.onPush` during the command (pub/sub
 *    confirmations, messages), in order, then the command's own reply, encoded for the client's
 *    protocol after the command ran (so HELLO 3 answers in RESP3);
 *  - no bytes for the command's own reply when the command blocked (the result has `blocked: true`,
 *    or no reply): Redis sent nothing, the golden step is a timeout;
 *  - after a command that closes the connection (QUIT: `client.closeAfterReply`, `client.killed`) or
 *    a timeout, the client is freed and the next command runs on a new client, as the recorder did.
 *  - `!sleep ms` advances the ManualClock by 1000/hz ms at a time, running `engine.cron()` after each
 *    full period (Redis's serverCron ran during the real sleep), then the remainder.
 */
import { createEngine, ManualClock, type Engine, type Client, type Reply } from '../../../src/engine';
import { encodeReply } from '../../../src/engine/resp';
import { escapeBytes } from './resp-reader';
import { isSleep, type GoldenCase, type GoldenCommand } from './golden';

export interface StepMismatch {
  index: number;
  line: string;
  expected: string;
  actual: string;
  note?: string;
}

export interface CaseResult {
  compared: number;
  mismatches: StepMismatch[];
}

function isBlocked(result: unknown): boolean {
  const r = result as { reply?: Reply | null; blocked?: boolean } | undefined;
  return !r || r.blocked === true || r.reply == null;
}

/** A golden case recorded with several connections (`@N` lines). */
function isMultiGolden(gc: GoldenCase): boolean {
  return gc.steps.some((s) => !isSleep(s) && (s as GoldenCommand).conn !== undefined);
}

function advance(engine: Engine, clock: ManualClock, ms: number): void {
  const period = Math.max(1, Math.floor(1000 / engine.config.hz));
  let left = ms;
  while (left >= period) {
    clock.advance(period);
    engine.cron();
    left -= period;
  }
  clock.advance(left);
}

/**
 * A multi-connection case: one engine client per connection number (created on first use, and
 * again after the connection closed). For each command, the issuing client's bytes (its pushes
 * during the command, then the reply unless it blocked) must equal `resp`, and every other client's
 * pushes must equal `pushes[n]` (none when absent). A sleep advances the clock (cron per period)
 * and compares what each client received meanwhile with the sleep's `pushes`.
 */
function runMultiCase(gc: GoldenCase, options: { now?: number; seed?: number }): CaseResult {
  const clock = new ManualClock(options.now ?? Date.now());
  const engine: Engine = createEngine({ clock, seed: options.seed ?? 1 });
  const clients = new Map<number, Client>();
  const got = new Map<number, string>();
  const clientFor = (n: number): Client => {
    let c = clients.get(n);
    if (!c || c.closeAfterReply || c.killed || engine.clients.get(c.id) !== c) {
      if (c && engine.clients.get(c.id) === c) engine.freeClient(c);
      c = n === 1 && !clients.has(1) ? engine.defaultClient : engine.createClient();
      const cc = c;
      cc.onPush = (r: Reply) => { got.set(n, (got.get(n) ?? '') + encodeReply(r, cc.resp)); };
      clients.set(n, c);
    }
    return c;
  };
  const comparePushes = (expected: Record<string, string> | undefined, skip: number | null): string | null => {
    const diffs: string[] = [];
    const nums = new Set<number>([...got.keys(), ...Object.keys(expected ?? {}).map(Number)]);
    for (const n of [...nums].sort((a, b) => a - b)) {
      if (n === skip) continue;
      const exp = expected?.[String(n)] ?? '';
      const act = got.get(n) ?? '';
      if (exp !== act) diffs.push(`@${n} expected ${escapeBytes(exp)} got ${escapeBytes(act)}`);
    }
    return diffs.length ? 'pushes differ: ' + diffs.join('; ') : null;
  };
  const out: CaseResult = { compared: 0, mismatches: [] };
  gc.steps.forEach((st, index) => {
    got.clear();
    if (isSleep(st)) {
      advance(engine, clock, st.sleep);
      const d = comparePushes(st.pushes, null);
      if (d) {
        out.compared++;
        out.mismatches.push({ index, line: `!sleep ${st.sleep}`, expected: JSON.stringify(st.pushes ?? {}), actual: JSON.stringify(Object.fromEntries(got)), note: d });
      }
      return;
    }
    const g = st as GoldenCommand;
    const n = g.conn ?? 1;
    out.compared++;
    const client = clientFor(n);
    got.clear();
    let actual: string;
    let blocked = false;
    try {
      const result = client.exec(g.argv);
      blocked = isBlocked(result);
      actual = (got.get(n) ?? '') + (blocked ? '' : encodeReply(result.reply, client.resp) ?? '');
    } catch (e) {
      actual = `<exception: ${e instanceof Error ? e.message : String(e)}>`;
    }
    const closed = client.closeAfterReply || client.killed;
    let ok = g.typeOnly ? actual.slice(0, 1) === g.resp.slice(0, 1) && actual.length > 0 : actual === g.resp;
    let note: string | undefined;
    if (g.typeOnly && g.resp === '' && actual === '') ok = true;
    if (ok && !!g.blocked !== blocked) { ok = false; note = g.blocked ? 'Redis blocked; the engine replied' : 'the engine blocked; Redis replied'; }
    if (ok && !!g.closed !== closed && !g.timeout) {
      ok = false;
      note = g.closed ? 'Redis closed the connection after this reply; the engine did not' : 'the engine closed the connection; Redis did not';
    }
    if (ok) {
      const d = comparePushes(g.pushes, n);
      if (d) { ok = false; note = d; }
    }
    if (!ok) out.mismatches.push({ index, line: `@${n} ${g.line}`, expected: g.resp, actual, note });
    // The connection is gone (QUIT, CLIENT KILL, a recording timeout): free the client now, as
    // the server did when the socket closed; a later `@n` line gets a new one.
    if (g.timeout || closed) {
      if (engine.clients.get(client.id) === client) engine.freeClient(client);
      clients.delete(n);
    }
  });
  return out;
}

export function runCase(gc: GoldenCase, options: { now?: number; seed?: number } = {}): CaseResult {
  if (isMultiGolden(gc)) return runMultiCase(gc, options);
  const clock = new ManualClock(options.now ?? Date.now());
  const engine: Engine = createEngine({ clock, seed: options.seed ?? 1 });
  let client: Client = engine.defaultClient;
  let pushed: string[] = [];
  const attach = (c: Client) => {
    c.onPush = (r: Reply) => { pushed.push(encodeReply(r, c.resp)); };
  };
  attach(client);
  const out: CaseResult = { compared: 0, mismatches: [] };
  gc.steps.forEach((st, index) => {
    if (isSleep(st)) {
      const period = Math.max(1, Math.floor(1000 / engine.config.hz));
      let left = st.sleep;
      while (left >= period) {
        clock.advance(period);
        engine.cron();
        left -= period;
      }
      clock.advance(left);
      return;
    }
    const g = st as GoldenCommand;
    out.compared++;
    pushed = [];
    let actual: string;
    let blocked = false;
    try {
      const result = client.exec(g.argv);
      blocked = isBlocked(result);
      actual = pushed.join('') + (blocked ? '' : encodeReply(result.reply, client.resp) ?? '');
    } catch (e) {
      actual = `<exception: ${e instanceof Error ? e.message : String(e)}>`;
    }
    const closed = client.closeAfterReply || client.killed;
    let ok = g.typeOnly ? actual.slice(0, 1) === g.resp.slice(0, 1) && actual.length > 0 : actual === g.resp;
    let note: string | undefined;
    if (ok && g.timeout && !blocked) { ok = false; note = 'Redis blocked (no reply); the engine replied'; }
    if (ok && !!g.closed !== closed && !g.timeout) {
      ok = false;
      note = g.closed ? 'Redis closed the connection after this reply; the engine did not' : 'the engine closed the connection; Redis did not';
    }
    if (!ok) out.mismatches.push({ index, line: g.line, expected: g.resp, actual, note });
    if (g.timeout || g.closed || closed) {
      engine.freeClient(client);
      client = engine.createClient();
      attach(client);
    }
  });
  return out;
}

export function formatMismatches(name: string, r: CaseResult, max = 10): string {
  const lines = [`${name}: ${r.mismatches.length} of ${r.compared} commands differ from Redis`];
  for (const m of r.mismatches.slice(0, max)) {
    lines.push(`  step ${m.index + 1}: ${m.line}`);
    lines.push(`    expected: ${escapeBytes(m.expected)}`);
    lines.push(`    actual:   ${escapeBytes(m.actual)}`);
    if (m.note) lines.push(`    note:     ${m.note}`);
  }
  if (r.mismatches.length > max) lines.push(`  ... ${r.mismatches.length - max} more`);
  return lines.join('\n');
}
