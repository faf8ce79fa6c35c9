/**
 * Lesson checks: a tiny declarative language on the engine's state (see README.md).
 *
 *   ZCARD leaderboard == 3                    # three players
 *   ZREVRANGE leaderboard 0 0 == ["alice"]    # alice ranks first
 *   OBJECT ENCODING session:1 == "hashtable"
 *   TTL cache:user:1 > 0
 *
 * A check is a read-only command, a comparison operator and an expected value (JSON: numbers,
 * "strings", [arrays], null / nil, true / false, or a bare word), then an optional `# label`.
 * This file is pure (no engine, no DOM): the page parses lessons with it, the worker compares with it
 * (evaluate.ts runs the command).
 */
import { parseCommandLine } from '../engine/splitargs';
import { toText } from '../engine/bytes';
import type { Reply } from '../engine/types';

export const OPERATORS = ['==', '!=', '>=', '<=', '>', '<', 'contains'] as const;
export type Operator = (typeof OPERATORS)[number];

/** A value a check compares against (what a reply is turned into). */
export type CheckValue = null | boolean | number | string | CheckValue[] | { error: string };

export interface Check {
  /** The command as written ("ZCARD leaderboard"). */
  command: string;
  /** Its argv (byte strings, parsed like redis-cli). */
  argv: string[];
  op: Operator;
  expected: CheckValue;
  /** The expected value as written. */
  expectedText: string;
  /** The human label (`# ...`), or the check's own text when there is none. */
  label: string;
  /** Language-independent identity (command, operator, value): progress is kept under it. */
  key: string;
  /** 1-based line in the lesson file. */
  line: number;
}

export interface CheckResult {
  ok: boolean;
  /** The reply, printed compactly ("3", "[\"alice\"]", "nil"), or the error text. */
  actual: string;
  /** Why the check could not run (write command, unknown command, wrong arity). */
  error?: string;
}

export class CheckSyntaxError extends Error {}

/** Split the line at the first `#` outside quotes (the label). */
function splitLabel(src: string): { body: string; label: string } {
  let quote: string | null = null;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(src[i - 1]))) return { body: src.slice(0, i).trim(), label: src.slice(i + 1).trim() };
  }
  return { body: src.trim(), label: '' };
}

/** Whitespace-separated tokens outside quotes and brackets, with their start offsets. */
function tokens(src: string): { text: string; start: number }[] {
  const out: { text: string; start: number }[] = [];
  let i = 0;
  while (i < src.length) {
    while (i < src.length && /\s/.test(src[i])) i++;
    if (i >= src.length) break;
    const start = i;
    let quote: string | null = null;
    let depth = 0;
    while (i < src.length) {
      const c = src[i];
      if (quote) {
        if (c === '\\') i++;
        else if (c === quote) quote = null;
      } else if (c === '"' || c === "'") quote = c;
      else if (c === '[') depth++;
      else if (c === ']') depth--;
      else if (depth <= 0 && /\s/.test(c)) break;
      i++;
    }
    out.push({ text: src.slice(start, i), start });
  }
  return out;
}

/** Read an expected value: JSON, nil, or a bare word (`hashtable`, `OK`). */
export function parseValue(text: string): CheckValue {
  const t = text.trim();
  if (t === '') throw new CheckSyntaxError('missing expected value after the operator');
  if (t === 'nil' || t === '(nil)' || t === 'null') return null;
  if (/^[A-Za-z_][\w:.\-]*$/.test(t) && t !== 'true' && t !== 'false') return t;
  let v: unknown;
  try {
    v = JSON.parse(t);
  } catch {
    throw new CheckSyntaxError(`cannot read the expected value ${t} (use a number, "a string", [an, array] or nil)`);
  }
  const valid = (x: unknown): boolean =>
    x === null || typeof x === 'number' || typeof x === 'string' || typeof x === 'boolean' || (Array.isArray(x) && x.every(valid));
  if (!valid(v)) throw new CheckSyntaxError(`cannot read the expected value ${t} (objects are not allowed)`);
  return v as CheckValue;
}

/** Parse one check line. Throws CheckSyntaxError with a message for the lesson's author. */
export function parseCheck(src: string, line = 0): Check {
  const { body, label } = splitLabel(src);
  const toks = tokens(body);
  const at = toks.findIndex((t) => (OPERATORS as readonly string[]).includes(t.text));
  if (at < 0) {
    const odd = toks.find((t, i) => i > 0 && /^[=!<>~]+$/.test(t.text));
    if (odd) throw new CheckSyntaxError(`unknown check operator '${odd.text}' (use ${OPERATORS.join(', ')})`);
    throw new CheckSyntaxError(`missing comparison operator (use ${OPERATORS.join(', ')})`);
  }
  const opTok = toks[at];
  const command = body.slice(0, opTok.start).trim();
  if (command === '') throw new CheckSyntaxError('missing command before the operator');
  const argv = parseCommandLine(command);
  if (argv === null || argv.length === 0) throw new CheckSyntaxError(`cannot read the command ${command} (unbalanced quotes?)`);
  const expectedText = body.slice(opTok.start + opTok.text.length).trim();
  const expected = parseValue(expectedText);
  const op = opTok.text as Operator;
  if ((op === '>' || op === '<' || op === '>=' || op === '<=') && typeof expected !== 'number') {
    throw new CheckSyntaxError(`operator '${op}' needs a number, not ${expectedText}`);
  }
  const key = `${argv.join(' ')} ${op} ${JSON.stringify(expected)}`;
  return { command, argv, op, expected, expectedText, label: label || body, key, line };
}

/** A reply as a check value: integers and doubles as numbers, strings as UTF-8 text, maps as RESP2 arrays. */
export function replyValue(r: Reply): CheckValue {
  switch (r.t) {
    case 'int': return Number(r.v);
    case 'double': return r.v;
    case 'bool': return r.v;
    case 'nil': case 'nilarray': return null;
    case 'status': return r.v;
    case 'bulk': case 'verbatim': return toText(r.v);
    case 'error': return { error: r.v };
    case 'array': case 'map': case 'set': case 'push': return r.v.map(replyValue);
  }
}

function asNumber(v: CheckValue): number | null {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return null;
}

function equal(a: CheckValue, b: CheckValue): boolean {
  if (a !== null && typeof a === 'object' && !Array.isArray(a)) return false; // an error never equals a value
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => equal(x, b[i]));
  }
  if (typeof b === 'number') { const n = asNumber(a); return n !== null && n === b; }
  if (typeof a === 'number' && typeof b === 'string') { const n = asNumber(b); return n !== null && n === a; }
  return a === b;
}

/** Compare a reply value with the check's expectation. */
export function compare(actual: CheckValue, op: Operator, expected: CheckValue): boolean {
  switch (op) {
    case '==': return equal(actual, expected);
    case '!=': return !equal(actual, expected) && !(actual !== null && typeof actual === 'object' && !Array.isArray(actual));
    case 'contains':
      if (typeof actual === 'string') return typeof expected === 'string' || typeof expected === 'number' ? actual.includes(String(expected)) : false;
      if (Array.isArray(actual)) return actual.some((x) => equal(x, expected));
      return false;
    default: {
      const a = asNumber(actual);
      const b = asNumber(expected);
      if (a === null || b === null) return false;
      return op === '>' ? a > b : op === '<' ? a < b : op === '>=' ? a >= b : a <= b;
    }
  }
}

/** Print a value compactly for the lesson view ("3", "[\"alice\"]", "nil"). */
export function showValue(v: CheckValue): string {
  if (v === null) return 'nil';
  if (typeof v === 'object' && !Array.isArray(v)) return `(error) ${v.error}`;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  const s = JSON.stringify(v);
  return s.length > 200 ? s.slice(0, 199) + '…' : s;
}
