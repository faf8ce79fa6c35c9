/**
 * Share links: a script of console commands carried in the URL fragment, compressed with the
 * browser's own CompressionStream('deflate-raw') and written as base64url (no dependency).
 *
 *   https://host/path/#v=1&script=<base64url(deflate-raw(utf8(lines.join('\n'))))>
 *   https://host/path/#embed&v=1&script=...    (the same script, for an <iframe>)
 *
 * `v` is the link format's version (LINK_VERSION). A link without it is read as version 1 (the
 * links made before versioning); a link from a newer format is refused with a message, not guessed at.
 *
 * A link can hold anything, so decoding never trusts it: the encoded text, the decompressed bytes and
 * the number of commands are capped (decompression stops as soon as the cap is passed: no zip bomb),
 * the bytes must be valid UTF-8, and every failure is a typed error the page explains in words. The
 * commands stay plain text: they are shown as text and run through the console like typed lines.
 *
 * Pure logic (no DOM): runs in Node tests and in the page.
 */

/** The version of the link format this build writes and reads. */
export const LINK_VERSION = 1;

/** Most commands a script may hold. */
export const MAX_COMMANDS = 2000;
/** Most bytes of the script text (UTF-8, lines joined with "\n"). */
export const MAX_SCRIPT_BYTES = 100_000;
/** Most characters of the encoded fragment value (checked before any decoding work). */
export const MAX_ENCODED_CHARS = 180_000;

export type LinkErrorCode =
  | 'too-many-commands' // more than MAX_COMMANDS
  | 'too-large' // more than MAX_SCRIPT_BYTES (before or after decompression) or MAX_ENCODED_CHARS
  | 'bad-base64' // not base64url
  | 'bad-compression' // not a deflate-raw stream
  | 'bad-text' // decompressed bytes are not UTF-8
  | 'empty' // no commands
  | 'unsupported' // the browser lacks CompressionStream
  | 'newer-version'; // made by a newer version of the sandbox (`v` above LINK_VERSION)

export class LinkError extends Error {
  constructor(readonly code: LinkErrorCode, message?: string) {
    super(message ?? code);
    this.name = 'LinkError';
  }
}

export type DecodeResult = { ok: true; lines: string[] } | { ok: false; error: LinkErrorCode };

/** A typed script (textarea) as commands: one per line; blank lines and `#` / `//` comments are skipped. */
export function scriptFromText(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split(/\r\n|\r|\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('//')) continue;
    out.push(line);
  }
  return out;
}

/** Lines as a script: CR/LF inside a line splits it (a console line never holds one), blank lines go. */
export function normalizeLines(lines: readonly string[]): string[] {
  const out: string[] = [];
  for (const l of lines) for (const part of String(l).split(/\r\n|\r|\n/)) if (part.trim() !== '') out.push(part);
  return out;
}

/** Why a script cannot be shared or replayed, or null. */
export function checkScript(lines: readonly string[]): LinkErrorCode | null {
  if (lines.length === 0) return 'empty';
  if (lines.length > MAX_COMMANDS) return 'too-many-commands';
  if (utf8Length(lines.join('\n')) > MAX_SCRIPT_BYTES) return 'too-large';
  return null;
}

function utf8Length(s: string): number {
  return new TextEncoder().encode(s).length;
}

function hasStreams(): boolean {
  return typeof CompressionStream === 'function' && typeof DecompressionStream === 'function';
}

/** Encode a script as the fragment value (base64url). Throws LinkError when it is empty or too big. */
export async function encodeScript(input: readonly string[]): Promise<string> {
  const lines = normalizeLines(input);
  const problem = checkScript(lines);
  if (problem) throw new LinkError(problem);
  if (!hasStreams()) throw new LinkError('unsupported');
  const bytes = new TextEncoder().encode(lines.join('\n'));
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  const packed = new Uint8Array(await new Response(stream).arrayBuffer());
  return toBase64Url(packed);
}

/** Decode a fragment value. Never throws: hostile input gives `{ ok: false, error }`. */
export async function decodeScript(data: string): Promise<DecodeResult> {
  try {
    if (typeof data !== 'string' || data.length === 0) return { ok: false, error: 'empty' };
    if (data.length > MAX_ENCODED_CHARS) return { ok: false, error: 'too-large' };
    const packed = fromBase64Url(data);
    if (!packed) return { ok: false, error: 'bad-base64' };
    if (!hasStreams()) return { ok: false, error: 'unsupported' };
    const inflated = await inflateCapped(packed, MAX_SCRIPT_BYTES);
    if (inflated === 'too-large' || inflated === 'bad-compression') return { ok: false, error: inflated };
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(inflated);
    } catch {
      return { ok: false, error: 'bad-text' };
    }
    const lines = normalizeLines(text.split('\n'));
    const problem = checkScript(lines);
    if (problem) return { ok: false, error: problem };
    return { ok: true, lines };
  } catch {
    return { ok: false, error: 'bad-compression' };
  }
}

/** Inflate at most `cap` bytes: stops reading (and cancels the stream) as soon as the output passes it. */
async function inflateCapped(packed: Uint8Array, cap: number): Promise<Uint8Array | 'too-large' | 'bad-compression'> {
  const ds = new DecompressionStream('deflate-raw');
  const writer = ds.writable.getWriter();
  // Errors surface on the reader; the writer's own promises are only observed so they never go unhandled.
  writer.write(packed as Uint8Array<ArrayBuffer>).catch(() => {});
  writer.close().catch(() => {});
  const reader = ds.readable.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > cap) {
        reader.cancel().catch(() => {});
        return 'too-large';
      }
      chunks.push(value);
    }
  } catch {
    return 'bad-compression';
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) { out.set(c, at); at += c.length; }
  return out;
}

export function toBase64Url(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** base64url (padding optional) to bytes, or null when it is not base64url. */
export function fromBase64Url(s: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*={0,2}$/.test(s)) return null;
  const body = s.replace(/=+$/, '');
  if (body.length % 4 === 1) return null;
  let bin: string;
  try {
    bin = atob(body.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (body.length % 4)) % 4));
  } catch {
    return null;
  }
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** What a page URL asks for: embed / presenter layout and a shared script (still encoded). */
export interface LinkRequest {
  embed: boolean;
  present: boolean;
  /** The `script=` value of the fragment, or null when there is none. */
  script: string | null;
  /** The link format's version (`v=`); 1 when the link does not say. NaN when it is not a number. */
  version: number;
}

/** Why a link's version cannot be read by this build, or null. */
export function checkVersion(version: number): LinkErrorCode | null {
  return version === LINK_VERSION ? null : 'newer-version';
}

/** Read `?embed`, `?present`, `#embed`, `#present`, `#v=...`, `#script=...` (any order, `&`-separated). */
export function parseLocation(search: string, hash: string): LinkRequest {
  const q = params(search.replace(/^\?/, ''));
  const h = params(hash.replace(/^#/, ''));
  const flag = (name: string) => q.has(name) || h.has(name);
  const script = h.get('script') ?? null;
  const v = h.get('v');
  const version = v === undefined ? LINK_VERSION : /^[0-9]{1,6}$/.test(v) ? Number(v) : NaN;
  return { embed: flag('embed'), present: flag('present'), script, version };
}

/** Split `a&b=c` without URLSearchParams's `+` to space (base64url has no `+`, but stay exact). */
function params(s: string): Map<string, string> {
  const m = new Map<string, string>();
  if (!s) return m;
  for (const part of s.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const k = eq < 0 ? part : part.slice(0, eq);
    const v = eq < 0 ? '' : part.slice(eq + 1);
    let key = k;
    try { key = decodeURIComponent(k); } catch { /* keep raw */ }
    if (!m.has(key)) m.set(key, v);
  }
  return m;
}

/** The link for a script: the page's address without query or fragment, then the fragment. */
export function buildLink(pageUrl: string, encoded: string, options: { embed?: boolean } = {}): string {
  const u = new URL(pageUrl);
  u.search = '';
  u.hash = '';
  return `${u.href}#${options.embed ? 'embed&' : ''}v=${LINK_VERSION}&script=${encoded}`;
}

/** The <iframe> a course page or blog pastes (attribute values escaped). */
export function iframeSnippet(link: string, title = 'Redis Sandbox'): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return (
    `<iframe src="${esc(link)}" title="${esc(title)}" width="100%" height="520" loading="lazy"\n` +
    `        style="border:0;border-radius:12px" sandbox="allow-scripts allow-same-origin"></iframe>`
  );
}
