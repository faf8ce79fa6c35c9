/** The golden transcript files (test/conformance/golden/<file>.json): types, writer and loader. */
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface GoldenCommand {
  /** The case file line (without the leading '?'). */
  line: string;
  /** The arguments as sent (byte strings: one char per byte). */
  argv: string[];
  /** The raw reply bytes (latin1). Several replies when the server sent more (pub/sub). "" when none. */
  resp: string;
  /** Only the first byte (the RESP type) is compared. */
  typeOnly?: true;
  /** The server did not reply in time (a blocked command); the connection was then closed. */
  timeout?: true;
  /** The server closed the connection after this command (QUIT, CLIENT KILL ...). */
  closed?: true;
  /** Multi-connection cases: the connection (1, 2, ...) the command ran on. */
  conn?: number;
  /** Multi-connection cases: the command blocked (no reply yet; the connection stays open and the
   *  reply shows up later in `pushes`). */
  blocked?: true;
  /** Multi-connection cases: bytes that arrived on the other connections ("2": ...) after the command. */
  pushes?: Record<string, string>;
}
export interface GoldenSleep {
  sleep: number;
  /** Multi-connection cases: bytes that arrived on each connection during the sleep. */
  pushes?: Record<string, string>;
}
export type GoldenStep = GoldenCommand | GoldenSleep;
export interface GoldenCase { name: string; steps: GoldenStep[] }
export interface GoldenFile { file: string; redis: string; cases: GoldenCase[] }

export const CONFORMANCE_DIR = fileURLToPath(new URL('..', import.meta.url));
export const CASES_DIR = join(CONFORMANCE_DIR, 'cases');
export const GOLDEN_DIR = join(CONFORMANCE_DIR, 'golden');

export function isSleep(s: GoldenStep): s is GoldenSleep {
  return (s as GoldenSleep).sleep !== undefined;
}

/** JSON with bytes 0x7f..0xff escaped as \u00XX so that binary replies stay readable and ASCII. */
function j(v: unknown): string {
  return JSON.stringify(v).replace(/[\u007f-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

/** Serialize with a stable key order, one step per line (reviewable in git diffs). */
export function serializeGolden(g: GoldenFile): string {
  const out: string[] = [];
  out.push('{');
  out.push(`  "file": ${j(g.file)},`);
  out.push(`  "redis": ${j(g.redis)},`);
  out.push('  "cases": [');
  g.cases.forEach((c, ci) => {
    out.push('    {');
    out.push(`      "name": ${j(c.name)},`);
    out.push('      "steps": [');
    c.steps.forEach((s, si) => {
      let body: string;
      const pushes = (p: Record<string, string> | undefined) =>
        p && Object.keys(p).length ? `"pushes": {${Object.keys(p).sort().map((k) => `${j(k)}: ${j(p[k])}`).join(', ')}}` : null;
      if (isSleep(s)) {
        const p = pushes(s.pushes);
        body = p ? `{"sleep": ${s.sleep}, ${p}}` : `{"sleep": ${s.sleep}}`;
      } else {
        const parts = [`"line": ${j(s.line)}`, `"argv": ${j(s.argv)}`, `"resp": ${j(s.resp)}`];
        if (s.conn !== undefined) parts.unshift(`"conn": ${s.conn}`);
        if (s.typeOnly) parts.push('"typeOnly": true');
        if (s.timeout) parts.push('"timeout": true');
        if (s.closed) parts.push('"closed": true');
        if (s.blocked) parts.push('"blocked": true');
        const p = pushes(s.pushes);
        if (p) parts.push(p);
        body = '{' + parts.join(', ') + '}';
      }
      out.push('        ' + body + (si < c.steps.length - 1 ? ',' : ''));
    });
    out.push('      ]');
    out.push('    }' + (ci < g.cases.length - 1 ? ',' : ''));
  });
  out.push('  ]');
  out.push('}');
  return out.join('\n') + '\n';
}

export function listGoldenFiles(dir = GOLDEN_DIR): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
}

export function loadGolden(path: string): GoldenFile {
  return JSON.parse(readFileSync(path, 'utf8')) as GoldenFile;
}
