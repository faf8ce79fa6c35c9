/**
 * A throwaway redis-server for the conformance tools, and a minimal RESP connection that keeps the
 * raw reply bytes (no client library: we want exactly what the server wrote).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer, Socket } from 'node:net';
import { encodeCommand } from '../../../src/engine/resp';
import { replyEnd } from './resp-reader';

/** The redis-server binary (env REDIS_SERVER overrides), or null when it is not installed. */
export function findRedisServer(): string | null {
  const bin = process.env.REDIS_SERVER ?? 'redis-server';
  const r = spawnSync(bin, ['--version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return null;
  return bin;
}

/** A free TCP port on 127.0.0.1 (asks the OS). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export interface RedisServer {
  port: number;
  proc: ChildProcess;
  stop(): Promise<void>;
}

/** Start `redis-server --port P --save '' --appendonly no` (built-in defaults, no config file). */
export async function startRedisServer(bin = findRedisServer() ?? 'redis-server', port?: number): Promise<RedisServer> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const p = port ?? (await freePort());
    const proc = spawn(bin, ['--port', String(p), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let exited = false;
    let log = '';
    proc.stdout!.on('data', (d) => { log += d; });
    proc.stderr!.on('data', (d) => { log += d; });
    proc.on('exit', () => { exited = true; });
    const deadline = Date.now() + 10_000;
    while (!exited && Date.now() < deadline) {
      try {
        const c = await RespConnection.connect(p);
        const pong = await c.call(['PING']);
        c.destroy();
        if (pong === '+PONG\r\n') {
          return {
            port: p,
            proc,
            stop: () => new Promise<void>((resolve) => {
              if (exited) return resolve();
              proc.once('exit', () => resolve());
              proc.kill('SIGTERM');
              setTimeout(() => { if (!exited) proc.kill('SIGKILL'); }, 5000).unref();
            }),
          };
        }
      } catch {
        await sleep(50);
      }
    }
    if (!exited) proc.kill('SIGKILL');
    if (port !== undefined) throw new Error(`redis-server did not start on port ${p}:\n${log}`);
  }
  throw new Error('redis-server did not start');
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export type ReadResult =
  | { status: 'ok'; raw: string }
  /** No complete reply in time; `raw` holds any partial bytes. */
  | { status: 'timeout'; raw: string }
  /** The server closed the connection; `raw` holds any bytes received before. */
  | { status: 'closed'; raw: string };

/** A raw RESP connection: send argv as multibulk, read whole replies as raw bytes (latin1 strings). */
export class RespConnection {
  private buf: Buffer = Buffer.alloc(0);
  private ended = false;
  private wake: (() => void) | null = null;
  /** Resolves when the socket is fully closed. */
  readonly closedPromise: Promise<void>;

  private constructor(private socket: Socket) {
    socket.setNoDelay(true);
    socket.on('data', (d: Buffer) => {
      this.buf = this.buf.length ? Buffer.concat([this.buf, d]) : d;
      this.notify();
    });
    this.closedPromise = new Promise((resolve) => {
      socket.on('close', () => { this.ended = true; this.notify(); resolve(); });
    });
    socket.on('end', () => { this.ended = true; this.notify(); });
    socket.on('error', () => { this.ended = true; this.notify(); });
  }

  static connect(port: number, host = '127.0.0.1'): Promise<RespConnection> {
    return new Promise((resolve, reject) => {
      const s = new Socket();
      const onError = (e: Error) => reject(e);
      s.once('error', onError);
      s.connect(port, host, () => {
        s.off('error', onError);
        resolve(new RespConnection(s));
      });
    });
  }

  get isClosed(): boolean { return this.ended; }

  private notify(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  send(argv: string[]): void {
    this.socket.write(Buffer.from(encodeCommand(argv), 'latin1'));
  }

  /** Write raw bytes (a latin1 string): several commands pipelined in one write. */
  sendRaw(bytes: string): void {
    this.socket.write(Buffer.from(bytes, 'latin1'));
  }

  /** Read exactly one complete reply. */
  async read(timeoutMs = 5000): Promise<ReadResult> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const end = replyEnd(this.buf, 0);
      if (end >= 0) {
        const raw = this.buf.subarray(0, end).toString('latin1');
        this.buf = this.buf.subarray(end);
        return { status: 'ok', raw };
      }
      if (this.ended) return { status: 'closed', raw: this.buf.toString('latin1') };
      const left = deadline - Date.now();
      if (left <= 0) return { status: 'timeout', raw: this.buf.toString('latin1') };
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => { this.wake = null; resolve(); }, left);
        this.wake = () => { clearTimeout(t); resolve(); };
      });
    }
  }

  /** Every further complete reply that arrives within `graceMs` (pub/sub confirmations, pushes). */
  async readExtra(graceMs: number): Promise<string> {
    let out = '';
    for (;;) {
      const r = await this.read(graceMs);
      if (r.status !== 'ok') return out;
      out += r.raw;
    }
  }

  /** Send a command and return its raw reply; throws on timeout or close. */
  async call(argv: string[], timeoutMs = 5000): Promise<string> {
    this.send(argv);
    const r = await this.read(timeoutMs);
    if (r.status !== 'ok') throw new Error(`${argv[0]}: connection ${r.status}`);
    return r.raw;
  }

  /** Close our side and wait until the socket is closed. */
  async close(): Promise<void> {
    if (!this.ended) this.socket.end();
    await Promise.race([this.closedPromise, sleep(2000)]);
    this.socket.destroy();
  }

  destroy(): void {
    this.socket.destroy();
  }
}
