/**
 * The conformance case format (test/conformance/cases/*.txt):
 *
 *   # a comment
 *   === a case name            starts a new case
 *   SET k "hello world"        a command line, split exactly like redis-cli (quotes, \xHH escapes)
 *   ?PTTL k                    leading '?': nondeterministic reply; only the RESP type byte is compared
 *   !sleep 120                 real sleep of 120 ms when recording; the ManualClock advances 120 ms on replay
 *   @2 SUBSCRIBE ch            runs on connection 2 (a case with any `@N` line is a multi-connection case;
 *                              lines without a prefix run on connection 1). `@2 ?PTTL k` for both.
 *
 * Lines before the first `===` belong to an implicit case named after the file. Blank lines are ignored.
 */
import { parseCommandLine } from '../../../src/engine/splitargs';

export type CaseStep =
  /** conn: the `@N` connection prefix (multi-connection cases); absent when the line has none. */
  | { kind: 'command'; line: string; argv: string[]; typeOnly: boolean; lineNo: number; conn?: number }
  | { kind: 'sleep'; ms: number; lineNo: number };

export interface Case {
  name: string;
  steps: CaseStep[];
}

export class CaseSyntaxError extends Error {}

export function parseCaseFile(text: string, fileName: string): Case[] {
  const cases: Case[] = [];
  let current: Case | null = null;
  const implicitName = fileName.replace(/\.txt$/, '');
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const raw = lines[i];
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const where = `${fileName}:${lineNo}`;
    if (trimmed.startsWith('===')) {
      const name = trimmed.slice(3).trim();
      if (!name) throw new CaseSyntaxError(`${where}: a case needs a name after ===`);
      current = { name, steps: [] };
      cases.push(current);
      continue;
    }
    if (!current) {
      current = { name: implicitName, steps: [] };
      cases.push(current);
    }
    if (trimmed.startsWith('!')) {
      const m = /^!sleep\s+(\d+)\s*$/.exec(trimmed);
      if (!m) throw new CaseSyntaxError(`${where}: unknown directive ${JSON.stringify(trimmed)} (only "!sleep <ms>")`);
      current.steps.push({ kind: 'sleep', ms: Number(m[1]), lineNo });
      continue;
    }
    let line = trimmed;
    let conn: number | undefined;
    const cm = /^@(\d+)\s+/.exec(line);
    if (cm) {
      conn = Number(cm[1]);
      if (conn < 1) throw new CaseSyntaxError(`${where}: connections are numbered from 1`);
      line = line.slice(cm[0].length);
    }
    let typeOnly = false;
    if (line.startsWith('?')) {
      typeOnly = true;
      line = line.slice(1).trimStart();
    }
    const argv = parseCommandLine(line);
    if (argv === null) throw new CaseSyntaxError(`${where}: unbalanced quotes in ${JSON.stringify(line)}`);
    if (argv.length === 0) throw new CaseSyntaxError(`${where}: empty command`);
    current.steps.push(conn === undefined ? { kind: 'command', line, argv, typeOnly, lineNo } : { kind: 'command', line, argv, typeOnly, lineNo, conn });
  }
  // Duplicate names make "file: case" test names ambiguous.
  const seen = new Map<string, number>();
  for (const c of cases) {
    const n = (seen.get(c.name) ?? 0) + 1;
    seen.set(c.name, n);
    if (n > 1) c.name = `${c.name} (${n})`;
  }
  return cases;
}

/** A case with `@N` lines: several connections, pushes recorded per connection. */
export function isMultiConnection(c: Case): boolean {
  return c.steps.some((s) => s.kind === 'command' && s.conn !== undefined);
}
