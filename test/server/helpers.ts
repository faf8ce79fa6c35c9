/** Helpers for the RESP server tests: raw sockets, redis-cli, and an optional real redis-server. */
import net from 'node:net';
import { spawn, spawnSync } from 'node:child_process';

export interface RawResult { out: string; closed: boolean }

/**
 * Connect, send `parts` (byte strings, with a pause between parts so they arrive as separate
 * packets), then read until `until(out)` holds, the server closes, or `ms` pass.
 */
export function raw(port: number, parts: string | string[], opts: { until?: (out: string) => boolean; ms?: number; gap?: number } = {}): Promise<RawResult> {
  const list = Array.isArray(parts) ? parts : [parts];
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.setNoDelay(true);
    let out = '';
    let done = false;
    const finish = (closed: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      s.destroy();
      resolve({ out, closed });
    };
    const timer = setTimeout(() => finish(false), opts.ms ?? 400);
    s.on('data', (d) => {
      out += d.toString('latin1');
      if (opts.until?.(out)) finish(false);
    });
    s.on('error', () => {});
    s.on('close', () => finish(true));
    s.on('connect', async () => {
      for (let i = 0; i < list.length; i++) {
        if (done) return;
        s.write(Buffer.from(list[i], 'latin1'));
        if (i < list.length - 1) await new Promise((r) => setTimeout(r, opts.gap ?? 5));
      }
    });
  });
}

/** Run redis-cli and return its stdout (raw bytes as a byte string). */
export function cli(port: number, args: string[], input?: string): Promise<{ stdout: string; code: number | null }> {
  return new Promise((resolve) => {
    const p = spawn('redis-cli', ['-p', String(port), ...args]);
    let stdout = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString('latin1')));
    p.on('close', (code) => resolve({ stdout, code }));
    if (input !== undefined) p.stdin.end(Buffer.from(input, 'latin1'));
    else p.stdin.end();
  });
}

export function hasBinary(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;
}

/** Start a real redis-server 7.0 (Redis's built-in defaults) on `port`; resolves with a stop function. */
export async function startRealRedis(port: number): Promise<() => Promise<void>> {
  const p = spawn('redis-server', ['--port', String(port), '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise<boolean>((res) => {
      const s = net.connect(port, '127.0.0.1');
      s.on('connect', () => { s.destroy(); res(true); });
      s.on('error', () => res(false));
    });
    if (ok) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return () => new Promise<void>((res) => {
    if (p.exitCode !== null) return res();
    p.on('exit', () => res());
    p.kill('SIGTERM');
  });
}
