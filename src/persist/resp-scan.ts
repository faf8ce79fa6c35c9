/**
 * A fast walk over an append only log (RESP multibulk commands, byte strings): where the last
 * complete, well-formed command ends, how many there are, and the last few of them. No engine: the
 * persister uses it to size the log, to show its tail, and to find the valid prefix of a damaged one.
 */

export interface ScanResult {
  /** Complete, well-formed commands. */
  count: number;
  /** Offset just after the last complete command (the valid prefix's length). */
  end: number;
  /** Why the scan stopped before the end of the text, or null when it reached the end. */
  problem: string | null;
  /** The last `keep` commands (argv byte strings), oldest first. */
  tail: string[][];
}

/** Scan `s` from `from`; keep the last `keep` commands' argv. */
export function scanLog(s: string, keep = 0, from = 0): ScanResult {
  let p = from;
  let count = 0;
  let end = from;
  let problem: string | null = null;
  const tail: string[][] = [];
  const line = (): string | null => {
    const e = s.indexOf('\r\n', p);
    if (e < 0) return null;
    const l = s.slice(p, e);
    p = e + 2;
    return l;
  };
  outer: while (p < s.length) {
    const at = p;
    if (s[p] !== '*') {
      problem = `bad format at offset ${at}: expected '*', found ${describeChar(s, p)}`;
      break;
    }
    p++;
    const n = line();
    if (n === null) { problem = `a partial command at offset ${at}`; break; }
    if (!/^\d{1,9}$/.test(n) || Number(n) < 1) { problem = `bad format at offset ${at}: invalid argument count '${printable(n.slice(0, 24))}'`; break; }
    const argc = Number(n);
    const argv: string[] | null = keep > 0 ? [] : null;
    for (let j = 0; j < argc; j++) {
      if (p >= s.length) { problem = `a partial command at offset ${at}`; break outer; }
      if (s[p] !== '$') { problem = `bad format at offset ${p}: expected '$', found ${describeChar(s, p)}`; break outer; }
      p++;
      const l = line();
      if (l === null) { problem = `a partial command at offset ${at}`; break outer; }
      if (!/^\d{1,10}$/.test(l)) { problem = `bad format at offset ${p}: invalid bulk length '${printable(l.slice(0, 24))}'`; break outer; }
      const len = Number(l);
      if (p + len + 2 > s.length) { problem = `a partial command at offset ${at}`; break outer; }
      if (s[p + len] !== '\r' || s[p + len + 1] !== '\n') { problem = `bad format at offset ${p + len}: missing CRLF after an argument`; break outer; }
      argv?.push(s.slice(p, p + len));
      p += len + 2;
    }
    count++;
    end = p;
    if (argv) {
      tail.push(argv);
      if (tail.length > keep) tail.shift();
    }
  }
  return { count, end, problem, tail };
}

function describeChar(s: string, p: number): string {
  const c = s.charCodeAt(p);
  return c >= 0x20 && c < 0x7f ? `'${s[p]}'` : `byte 0x${c.toString(16).padStart(2, '0')}`;
}

/**
 * One command of the log as the view shows it: at most TAIL_ARGS arguments, each cut to TAIL_ARG_BYTES
 * (a 10,000-member ZADD stays small on its way to the page), with the real count and lengths.
 */
export interface TailEntry {
  argc: number;
  args: string[];
  lens: number[];
}
export const TAIL_ARGS = 8;
export const TAIL_ARG_BYTES = 64;

export function tailEntry(argv: readonly string[]): TailEntry {
  const shown = argv.slice(0, TAIL_ARGS);
  return { argc: argv.length, args: shown.map((a) => a.slice(0, TAIL_ARG_BYTES)), lens: shown.map((a) => a.length) };
}

/** Bytes shown as text: printable ASCII as is, the rest as \xNN. */
export function printable(s: string): string {
  return s.replace(/[^\x20-\x7e]/g, (c) => '\\x' + c.charCodeAt(0).toString(16).padStart(2, '0'));
}

function quoteArg(a: string): string {
  if (a.length > 0 && /^[\x21-\x7e]+$/.test(a) && !/["'\\]/.test(a)) return a;
  const body = a.replace(/[\\"]|[^\x20-\x7e]/g, (c) => {
    if (c === '\\') return '\\\\';
    if (c === '"') return '\\"';
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    return '\\x' + c.charCodeAt(0).toString(16).padStart(2, '0');
  });
  return `"${body}"`;
}

/** A command as a redis-cli command line: plain words bare, the rest double-quoted with escapes. */
export function commandLine(e: TailEntry | readonly string[]): string {
  const t = Array.isArray(e) ? tailEntry(e as string[]) : (e as TailEntry);
  const parts = t.args.map((a, i) => quoteArg(a) + (t.lens[i] > a.length ? `…(${t.lens[i]} bytes)` : ''));
  if (t.argc > t.args.length) parts.push(`…(+${t.argc - t.args.length} arguments)`);
  return parts.join(' ');
}

/** A command as the RESP text stored in the log, CR LF shown as \r\n. */
export function respText(e: TailEntry | readonly string[]): string {
  const t = Array.isArray(e) ? tailEntry(e as string[]) : (e as TailEntry);
  let out = `*${t.argc}\\r\\n`;
  t.args.forEach((a, i) => {
    out += `$${t.lens[i]}\\r\\n${printable(a)}${t.lens[i] > a.length ? '…' : ''}\\r\\n`;
  });
  if (t.argc > t.args.length) out += `…(+${t.argc - t.args.length} arguments)`;
  return out;
}
