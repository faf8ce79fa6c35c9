/**
 * Split a command line into arguments exactly as redis-cli does (sdssplitargs): spaces separate,
 * "double quotes" understand \xHH \n \r \t \b \a and \<char>, 'single quotes' only \'. A closing
 * quote must be followed by a space or the end. Returns null for unbalanced quotes.
 * The result holds text (UTF-16) strings; \xHH yields the char code HH, i.e. one raw byte once
 * the caller encodes with `fromText`-aware `argToBytes`.
 */
export interface SplitArg {
  /** The argument as a list of pieces: text (to be UTF-8 encoded) and raw bytes from \xHH escapes. */
  text: string;
  /** Indices in `text` whose char is a raw byte (from \xHH), not a character to encode. */
  rawBytes: Set<number> | null;
}

function isHex(c: string): boolean { return /^[0-9a-fA-F]$/.test(c); }

export function splitArgs(line: string): SplitArg[] | null {
  const out: SplitArg[] = [];
  let i = 0;
  const n = line.length;
  for (;;) {
    while (i < n && /\s/.test(line[i])) i++;
    if (i >= n) return out;
    let inq = false, insq = false, done = false;
    let cur = '';
    let raw: Set<number> | null = null;
    while (!done) {
      const c = line[i];
      if (inq) {
        if (i >= n) return null;
        if (c === '\\' && line[i + 1] === 'x' && i + 3 < n + 0 && isHex(line[i + 2] ?? '') && isHex(line[i + 3] ?? '')) {
          (raw ??= new Set()).add(cur.length);
          cur += String.fromCharCode(parseInt(line.slice(i + 2, i + 4), 16));
          i += 3;
        } else if (c === '\\' && i + 1 < n) {
          i++;
          const e = line[i];
          cur += e === 'n' ? '\n' : e === 'r' ? '\r' : e === 't' ? '\t' : e === 'b' ? '\b' : e === 'a' ? '\x07' : e;
        } else if (c === '"') {
          if (i + 1 < n && !/\s/.test(line[i + 1])) return null;
          done = true;
        } else {
          cur += c;
        }
      } else if (insq) {
        if (i >= n) return null;
        if (c === '\\' && line[i + 1] === "'") {
          i++;
          cur += "'";
        } else if (c === "'") {
          if (i + 1 < n && !/\s/.test(line[i + 1])) return null;
          done = true;
        } else {
          cur += c;
        }
      } else {
        if (i >= n) { done = true; break; }
        if (c === ' ' || c === '\n' || c === '\r' || c === '\t' || c === '\0') done = true;
        else if (c === '"') inq = true;
        else if (c === "'") insq = true;
        else cur += c;
      }
      if (i < n) i++;
    }
    out.push({ text: cur, rawBytes: raw });
  }
}

const encoder = new TextEncoder();

/** Turn a split argument into a byte string: characters UTF-8 encoded, \xHH escapes kept as raw bytes. */
export function argToBytes(a: SplitArg): string {
  let out = '';
  let pending = '';
  const flush = () => {
    if (!pending) return;
    let ascii = true;
    for (let i = 0; i < pending.length; i++) if (pending.charCodeAt(i) > 0x7f) { ascii = false; break; }
    if (ascii) out += pending;
    else for (const b of encoder.encode(pending)) out += String.fromCharCode(b);
    pending = '';
  };
  for (let i = 0; i < a.text.length; i++) {
    if (a.rawBytes?.has(i)) { flush(); out += a.text[i]; }
    else pending += a.text[i];
  }
  flush();
  return out;
}

/** Parse a command line into byte-string argv, or null when quotes are unbalanced. */
export function parseCommandLine(line: string): string[] | null {
  const args = splitArgs(line);
  return args ? args.map(argToBytes) : null;
}
