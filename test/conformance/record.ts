/**
 * Record the golden transcripts from a real redis-server 7.0.15.
 *
 *   npm run record-golden                 every cases/*.txt
 *   npm run record-golden -- basics.txt   only these files (names or paths)
 *
 * Starts its own throwaway server (built-in defaults, no config file) on a free port; for every
 * case: resets the server (FLUSHALL, configs back to the defaults) over a separate admin connection,
 * then opens a NEW connection for the case, sends each command as a RESP multibulk and keeps the raw
 * bytes of exactly one reply. Writes golden/<file>.json. Env RECORD_TIMEOUT_MS (default 5000): how
 * long to wait for a reply before recording a timeout (a blocked command).
 */
import { readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseCaseFile, isMultiConnection, type Case } from './lib/cases';
import { CASES_DIR, GOLDEN_DIR, serializeGolden, type GoldenCase, type GoldenCommand, type GoldenFile } from './lib/golden';
import { findRedisServer, startRedisServer, RespConnection, sleep } from './lib/redis';
import { escapeBytes, parseReply } from './lib/resp-reader';

const REPLY_TIMEOUT_MS = Number(process.env.RECORD_TIMEOUT_MS ?? 5000);
/** How long to wait for further replies after one, on a connection in pub/sub mode. */
const PUBSUB_GRACE_MS = 50;

/** Configs the cases may change, with Redis 7.0's built-in defaults (CONFIG SET in one call). */
export const DEFAULT_CONFIGS: [string, string][] = [
  ['hash-max-listpack-entries', '512'],
  ['hash-max-listpack-value', '64'],
  ['set-max-intset-entries', '512'],
  ['zset-max-listpack-entries', '128'],
  ['zset-max-listpack-value', '64'],
  ['list-max-listpack-size', '-2'],
  ['list-compress-depth', '0'],
  ['maxmemory', '0'],
  ['maxmemory-policy', 'noeviction'],
  ['maxmemory-samples', '5'],
  ['lfu-log-factor', '10'],
  ['lfu-decay-time', '1'],
  ['hz', '10'],
  ['active-expire-effort', '1'],
  ['activerehashing', 'yes'],
  ['notify-keyspace-events', ''],
  ['timeout', '0'],
  ['requirepass', ''],
];

/** Multi-connection cases: how long a blocking command may take to answer before it counts as blocked. */
const BLOCK_DETECT_MS = Number(process.env.RECORD_BLOCK_MS ?? 100);
/** Multi-connection cases: how long to collect what arrives on every connection after a step. */
const MULTI_GRACE_MS = Number(process.env.RECORD_GRACE_MS ?? 50);
const BLOCKING_COMMANDS = new Set(['blpop', 'brpop', 'blmove', 'brpoplpush', 'blmpop', 'bzpopmin', 'bzpopmax', 'bzmpop', 'xread', 'xreadgroup', 'wait']);

const PUBSUB_COMMANDS = new Set(['subscribe', 'psubscribe', 'ssubscribe', 'unsubscribe', 'punsubscribe', 'sunsubscribe']);

class Recorder {
  private baseline = new Map<string, string>();
  /** Passwords the cases set (CONFIG SET requirepass x), to authenticate the admin connection. */
  private passwords = new Set<string>();
  version = '';

  constructor(private port: number) {}

  async init(): Promise<void> {
    const c = await RespConnection.connect(this.port);
    const info = await c.call(['INFO', 'server']);
    this.version = /redis_version:([^\r\n]+)/.exec(info)?.[1] ?? 'unknown';
    this.baseline = await this.configAll(c);
    await c.close();
  }

  private async configAll(c: RespConnection): Promise<Map<string, string>> {
    const v = parseReply(await c.call(['CONFIG', 'GET', '*']));
    const m = new Map<string, string>();
    if ('items' in v && v.items) {
      for (let i = 0; i + 1 < v.items.length; i += 2) {
        const k = v.items[i], val = v.items[i + 1];
        if ('bulk' in k && 'bulk' in val) m.set(k.bulk ?? '', val.bulk ?? '');
      }
    }
    return m;
  }

  private async admin(): Promise<RespConnection> {
    const c = await RespConnection.connect(this.port);
    const pong = await c.call(['PING']);
    if (pong.startsWith('-NOAUTH')) {
      for (const p of this.passwords) {
        if ((await c.call(['AUTH', p])) === '+OK\r\n') return c;
      }
      throw new Error('cannot authenticate the admin connection (a case set an unknown requirepass)');
    }
    return c;
  }

  /** Back to a clean server: no keys, default configs, no pause, fresh stats. */
  async reset(): Promise<void> {
    const c = await this.admin();
    const expectOk = async (argv: string[]) => {
      const r = await c.call(argv);
      if (r !== '+OK\r\n') throw new Error(`reset: ${argv.join(' ')} -> ${escapeBytes(r)}`);
    };
    await expectOk(['CLIENT', 'UNPAUSE']);
    await expectOk(['FLUSHALL']);
    await expectOk(['SCRIPT', 'FLUSH']);
    await expectOk(['FUNCTION', 'FLUSH']);
    await expectOk(['CONFIG', 'SET', ...DEFAULT_CONFIGS.flat()]);
    // Anything else a case changed: compare every config with the server's start values.
    const now = await this.configAll(c);
    for (const [k, v] of now) {
      const base = this.baseline.get(k);
      if (base === undefined || base === v) continue;
      const r = await c.call(['CONFIG', 'SET', k, base]);
      if (r !== '+OK\r\n') console.warn(`  warning: cannot reset config ${k} to ${JSON.stringify(base)}: ${escapeBytes(r)}`);
    }
    await expectOk(['CONFIG', 'RESETSTAT']);
    await expectOk(['SLOWLOG', 'RESET']);
    await c.call(['QUIT']);
    await c.close();
  }

  /**
   * A multi-connection case (`@N` lines): connections opened on first use; each command reads its
   * reply (a blocking command that does not answer within BLOCK_DETECT_MS is `blocked`, and its
   * connection stays open), then everything that arrives on every connection within MULTI_GRACE_MS
   * is kept: on the command's own connection appended to `resp`, on the others in `pushes`. A sleep
   * keeps what arrived meanwhile in its `pushes`.
   */
  async recordMultiCase(cs: Case, file: string): Promise<GoldenCase> {
    await this.reset();
    const steps: GoldenCase['steps'] = [];
    const conns = new Map<number, RespConnection>();
    // After a CLIENT PAUSE any command may be postponed (blocked) until the pause ends.
    let paused = false;
    const collect = async (skip: number | null): Promise<Record<string, string>> => {
      const out: Record<string, string> = {};
      const entries = [...conns.entries()].filter(([n, c]) => n !== skip && !c.isClosed);
      const got = await Promise.all(entries.map(([, c]) => c.readExtra(MULTI_GRACE_MS)));
      entries.forEach(([n], i) => { if (got[i]) out[String(n)] = got[i]; });
      return out;
    };
    for (const st of cs.steps) {
      if (st.kind === 'sleep') {
        await sleep(st.ms);
        const pushes = await collect(null);
        steps.push(Object.keys(pushes).length ? { sleep: st.ms, pushes } : { sleep: st.ms });
        continue;
      }
      this.notePasswords(st.argv);
      const n = st.conn ?? 1;
      let conn = conns.get(n);
      if (!conn || conn.isClosed) {
        conn = await RespConnection.connect(this.port);
        conns.set(n, conn);
      }
      const name = st.argv[0].toLowerCase();
      const mayBlock = BLOCKING_COMMANDS.has(name) || paused;
      if (name === 'client' && st.argv[1]?.toLowerCase() === 'pause') paused = true;
      conn.send(st.argv);
      const r = await conn.read(mayBlock ? BLOCK_DETECT_MS : REPLY_TIMEOUT_MS);
      const g: GoldenCommand = { line: st.line, argv: st.argv, resp: r.raw };
      if (st.conn !== undefined) g.conn = st.conn;
      if (st.typeOnly) g.typeOnly = true;
      if (r.status === 'timeout') {
        if (mayBlock) g.blocked = true;
        else {
          g.timeout = true;
          console.warn(`  ${file}: ${cs.name}: no reply to ${JSON.stringify(st.line)} in ${REPLY_TIMEOUT_MS} ms (recorded as a timeout; the connection is closed)`);
          await conn.close();
          conns.delete(n);
        }
      }
      if (!g.timeout && r.status !== 'closed') {
        const own = await conn.readExtra(0);
        if (own) g.resp += own;
      }
      const pushes = await collect(null);
      if (pushes[String(n)]) { g.resp += pushes[String(n)]; delete pushes[String(n)]; }
      if (Object.keys(pushes).length) g.pushes = pushes;
      if (name === 'quit' && !conn.isClosed) await Promise.race([conn.closedPromise, sleep(1000)]);
      if (r.status === 'closed' || (conns.get(n) === conn && conn.isClosed)) {
        g.closed = true;
        await conn.close();
        conns.delete(n);
      }
      steps.push(g);
    }
    for (const c of conns.values()) await c.close();
    return { name: cs.name, steps };
  }

  async recordCase(cs: Case, file: string): Promise<GoldenCase> {
    if (isMultiConnection(cs)) return this.recordMultiCase(cs, file);
    await this.reset();
    const steps: GoldenCase['steps'] = [];
    let conn: RespConnection | null = await RespConnection.connect(this.port);
    let pubsub = false;
    for (const st of cs.steps) {
      if (st.kind === 'sleep') {
        await sleep(st.ms);
        steps.push({ sleep: st.ms });
        continue;
      }
      this.notePasswords(st.argv);
      if (!conn) {
        conn = await RespConnection.connect(this.port);
        pubsub = false;
      }
      const name = st.argv[0].toLowerCase();
      if (PUBSUB_COMMANDS.has(name) || (name === 'hello' && st.argv[1] === '3') || (name === 'client' && st.argv[1]?.toLowerCase() === 'tracking')) pubsub = true;
      conn.send(st.argv);
      const r = await conn.read(REPLY_TIMEOUT_MS);
      const g: GoldenCommand = { line: st.line, argv: st.argv, resp: r.raw };
      if (st.typeOnly) g.typeOnly = true;
      if (r.status === 'ok' && pubsub) g.resp += await conn.readExtra(PUBSUB_GRACE_MS);
      if (r.status === 'timeout') {
        g.timeout = true;
        console.warn(`  ${file}: ${cs.name}: no reply to ${JSON.stringify(st.line)} in ${REPLY_TIMEOUT_MS} ms (recorded as a timeout; the connection is closed)`);
        await conn.close();
        conn = null;
      } else if (r.status === 'closed' || conn.isClosed) {
        g.closed = true;
        await conn.close();
        conn = null;
      } else if (name === 'quit') {
        // QUIT closes after its reply: wait for the close so that the next line gets a new connection.
        await Promise.race([conn.closedPromise, sleep(1000)]);
        if (conn.isClosed) { g.closed = true; await conn.close(); conn = null; }
      }
      steps.push(g);
    }
    if (conn) await conn.close();
    return { name: cs.name, steps };
  }

  private notePasswords(argv: string[]): void {
    if (argv.length < 4 || argv[0].toLowerCase() !== 'config' || argv[1].toLowerCase() !== 'set') return;
    for (let i = 2; i + 1 < argv.length; i += 2) if (argv[i].toLowerCase() === 'requirepass') this.passwords.add(argv[i + 1]);
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2).filter((a) => a !== '--');
  const files = args.length
    ? args.map((a) => basename(a))
    : readdirSync(CASES_DIR).filter((f) => f.endsWith('.txt')).sort();
  const bin = findRedisServer();
  if (!bin) {
    console.error('redis-server is not installed (or REDIS_SERVER does not point to it): cannot record.');
    process.exit(2);
  }
  const server = await startRedisServer(bin);
  let failed = false;
  try {
    const rec = new Recorder(server.port);
    await rec.init();
    console.log(`recording from redis-server ${rec.version} on port ${server.port}`);
    if (rec.version !== '7.0.15') console.warn(`warning: the oracle is Redis 7.0.15, this server is ${rec.version}`);
    mkdirSync(GOLDEN_DIR, { recursive: true });
    let total = 0;
    for (const file of files) {
      let cases: Case[];
      try {
        cases = parseCaseFile(readFileSync(join(CASES_DIR, file), 'utf8'), file);
      } catch (e) {
        console.error(`${file}: ${e instanceof Error ? e.message : e}`);
        failed = true;
        continue;
      }
      const golden: GoldenFile = { file, redis: rec.version, cases: [] };
      let n = 0;
      for (const cs of cases) {
        const g = await rec.recordCase(cs, file);
        n += g.steps.filter((s) => !('sleep' in s)).length;
        golden.cases.push(g);
      }
      total += n;
      const out = join(GOLDEN_DIR, file.replace(/\.txt$/, '.json'));
      writeFileSync(out, serializeGolden(golden));
      console.log(`${file}: ${cases.length} cases, ${n} commands -> golden/${basename(out)}`);
    }
    console.log(`recorded ${total} commands from ${files.length} files`);
  } finally {
    await server.stop();
  }
  if (failed) process.exit(1);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
