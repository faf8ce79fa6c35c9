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
}
export interface GoldenSleep { sleep: number }
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
      if (isSleep(s)) body = `{"sleep": ${s.sleep}}`;
      else {
        const parts = [`"line": ${j(s.line)}`, `"argv": ${j(s.argv)}`, `"resp": ${j(s.resp)}`];
        if (s.typeOnly) parts.push('"typeOnly": true');
        if (s.timeout) parts.push('"timeout": true');
        if (s.closed) parts.push('"closed": true');
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
