/**
 * Lessons: one Markdown file per lesson and language, src/lessons/<lang>/<id>.md (format: README.md).
 * `parseLesson` turns a file into front matter + segments (Markdown, runnable ```redis blocks,
 * ```check blocks) or a LessonError naming the file and line. `loadLessons` gathers every file with
 * import.meta.glob: a teacher adds a lesson by adding a file.
 */
import { CheckSyntaxError, parseCheck, type Check } from './checks';

export const LEVELS = ['beginner', 'intermediate', 'advanced'] as const;
export type Level = (typeof LEVELS)[number];
export const LESSON_LANGS = ['en', 'zh-CN'] as const;
export type LessonLang = (typeof LESSON_LANGS)[number];

export interface LessonMeta {
  title: string;
  level: Level;
  minutes: number;
  language: LessonLang;
  order: number;
}

export type Segment =
  | { kind: 'markdown'; text: string }
  | { kind: 'redis'; index: number; commands: string[]; line: number; client: number }
  | { kind: 'checks'; checks: Check[]; line: number };

export interface Lesson extends LessonMeta {
  id: string;
  file: string;
  segments: Segment[];
  /** Every ```redis block, in order. */
  blocks: string[][];
  /**
   * The client each block runs on, in order (1 = the student's console; ```redis client=2 = a second
   * client, for lessons with two sides: pub/sub, WATCH races, locks).
   * The page runs a block with client N > 1 in console N, opening it when needed (ClientTabs
   * registers consoleBus.clientRunner); runner.ts does the same with engine.createClient().
   */
  blockClients: number[];
  /** Every check, in order. */
  checks: Check[];
}

export interface LessonError {
  file: string;
  line: number;
  message: string;
}

export class LessonParseError extends Error {
  constructor(public readonly file: string, public readonly line: number, public readonly reason: string) {
    super(`${file}:${line}: ${reason}`);
  }
}

/** "src/lessons/en/first-steps.md" -> { lang: "en", id: "first-steps" }. */
export function lessonPath(file: string): { lang: string; id: string } | null {
  const m = /(?:^|\/)([A-Za-z-]+)\/([A-Za-z0-9][\w-]*)\.md$/.exec(file);
  return m ? { lang: m[1], id: m[2] } : null;
}

function parseFrontMatter(file: string, lines: string[]): { meta: LessonMeta; bodyStart: number } {
  if (lines[0]?.trim() !== '---') throw new LessonParseError(file, 1, 'front matter missing: the file must start with a line "---"');
  const fields = new Map<string, { value: string; line: number }>();
  let end = -1;
  for (let i = 1; i < lines.length; i++) {
    const raw = lines[i];
    if (raw.trim() === '---') { end = i; break; }
    if (raw.trim() === '' || raw.trim().startsWith('#')) continue;
    const m = /^([A-Za-z][\w-]*)\s*:\s*(.*)$/.exec(raw);
    if (!m) throw new LessonParseError(file, i + 1, `bad front matter line "${raw.trim()}" (expected "name: value")`);
    const key = m[1];
    if (!['title', 'level', 'minutes', 'language', 'order'].includes(key)) {
      throw new LessonParseError(file, i + 1, `unknown front matter field "${key}" (known: title, level, minutes, language, order)`);
    }
    if (fields.has(key)) throw new LessonParseError(file, i + 1, `front matter field "${key}" given twice`);
    let value = m[2].trim();
    if (/^(["']).*\1$/.test(value) && value.length >= 2) value = value.slice(1, -1);
    else value = value.replace(/\s+#.*$/, '').trim();
    fields.set(key, { value, line: i + 1 });
  }
  if (end < 0) throw new LessonParseError(file, 1, 'front matter not closed: add a line "---" after the fields');
  const need = (k: string) => {
    const f = fields.get(k);
    if (!f || f.value === '') throw new LessonParseError(file, end + 1, `front matter field "${k}" is missing`);
    return f;
  };
  const title = need('title').value;
  const level = need('level');
  if (!(LEVELS as readonly string[]).includes(level.value)) {
    throw new LessonParseError(file, level.line, `level must be one of ${LEVELS.join(', ')}, not "${level.value}"`);
  }
  const minutes = need('minutes');
  if (!/^[1-9]\d{0,2}$/.test(minutes.value)) throw new LessonParseError(file, minutes.line, `minutes must be a positive whole number, not "${minutes.value}"`);
  const language = need('language');
  if (!(LESSON_LANGS as readonly string[]).includes(language.value)) {
    throw new LessonParseError(file, language.line, `language must be one of ${LESSON_LANGS.join(', ')}, not "${language.value}"`);
  }
  const order = need('order');
  if (!/^-?\d{1,6}$/.test(order.value)) throw new LessonParseError(file, order.line, `order must be a whole number, not "${order.value}"`);
  return {
    meta: { title, level: level.value as Level, minutes: Number(minutes.value), language: language.value as LessonLang, order: Number(order.value) },
    bodyStart: end + 1,
  };
}

/** Parse one lesson file. Throws LessonParseError (file, line, reason). */
export function parseLessonStrict(file: string, source: string): Lesson {
  const path = lessonPath(file);
  if (!path) throw new LessonParseError(file, 1, 'a lesson file must be named <lang>/<id>.md (letters, digits, "-" and "_")');
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const { meta, bodyStart } = parseFrontMatter(file, lines);
  if (path.lang !== meta.language) {
    throw new LessonParseError(file, 1, `language "${meta.language}" does not match the folder "${path.lang}"`);
  }
  const segments: Segment[] = [];
  const blocks: string[][] = [];
  const blockClients: number[] = [];
  const checks: Check[] = [];
  let md: string[] = [];
  const flush = () => {
    if (md.join('').trim() !== '') segments.push({ kind: 'markdown', text: md.join('\n') });
    md = [];
  };
  for (let i = bodyStart; i < lines.length; i++) {
    const open = /^(\s{0,3})(`{3,}|~{3,})\s*([\w-]*)((?:\s+[\w-]+=\S*)*)\s*$/.exec(lines[i]);
    if (!open) { md.push(lines[i]); continue; }
    const fence = open[2];
    const lang = open[3].toLowerCase();
    const startLine = i + 1;
    const attrs = open[4].trim() === '' ? [] : open[4].trim().split(/\s+/);
    const body: { text: string; line: number }[] = [];
    let closed = false;
    for (i++; i < lines.length; i++) {
      const close = /^\s{0,3}(`{3,}|~{3,})\s*$/.exec(lines[i]);
      if (close && close[1][0] === fence[0] && close[1].length >= fence.length) { closed = true; break; }
      body.push({ text: lines[i], line: i + 1 });
    }
    if (!closed) throw new LessonParseError(file, startLine, `unterminated \`\`\`${lang} block: close it with a line "${fence}"`);
    if (lang === 'redis') {
      let client = 1;
      for (const a of attrs) {
        const m = /^client=([1-9])$/.exec(a);
        if (!m) throw new LessonParseError(file, startLine, `unknown \`\`\`redis block option "${a}" (known: client=N, N from 1 to 9)`);
        client = Number(m[1]);
      }
      flush();
      const commands = body.map((b) => b.text.trim()).filter((t) => t !== '' && !t.startsWith('#'));
      if (commands.length === 0) throw new LessonParseError(file, startLine, 'empty ```redis block');
      segments.push({ kind: 'redis', index: blocks.length, commands, line: startLine, client });
      blocks.push(commands);
      blockClients.push(client);
    } else if (lang === 'check') {
      if (attrs.length > 0) throw new LessonParseError(file, startLine, `\`\`\`check blocks take no options ("${attrs[0]}")`);
      flush();
      const list: Check[] = [];
      for (const b of body) {
        const t = b.text.trim();
        if (t === '' || t.startsWith('#')) continue;
        try {
          list.push(parseCheck(t, b.line));
        } catch (e) {
          if (e instanceof CheckSyntaxError) throw new LessonParseError(file, b.line, e.message);
          throw e;
        }
      }
      if (list.length === 0) throw new LessonParseError(file, startLine, 'empty ```check block');
      segments.push({ kind: 'checks', checks: list, line: startLine });
      checks.push(...list);
    } else {
      md.push(lines[startLine - 1], ...body.map((b) => b.text), lines[i]);
    }
  }
  flush();
  return { id: path.id, file, ...meta, segments, blocks, blockClients, checks };
}

/** Parse one lesson file: the lesson, or an error naming the file and line. */
export function parseLesson(file: string, source: string): Lesson | LessonError {
  try {
    return parseLessonStrict(file, source);
  } catch (e) {
    if (e instanceof LessonParseError) return { file: e.file, line: e.line, message: e.reason };
    return { file, line: 1, message: e instanceof Error ? e.message : String(e) };
  }
}

export function isLesson(x: Lesson | LessonError): x is Lesson {
  return 'segments' in x;
}

export interface LessonLibrary {
  /** Lessons by language, sorted by order then id. */
  byLang: Record<LessonLang, Lesson[]>;
  errors: LessonError[];
}

/** Build the library from { path: source } (what import.meta.glob gives). */
export function buildLibrary(files: Record<string, string>): LessonLibrary {
  const byLang: Record<LessonLang, Lesson[]> = { en: [], 'zh-CN': [] };
  const errors: LessonError[] = [];
  for (const [path, source] of Object.entries(files)) {
    const file = path.replace(/^.*?(src\/lessons\/|\.\/)/, 'src/lessons/');
    const r = parseLesson(file, source);
    if (isLesson(r)) byLang[r.language].push(r);
    else errors.push(r);
  }
  for (const list of Object.values(byLang)) list.sort((a, b) => a.order - b.order || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  errors.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
  return { byLang, errors };
}

/**
 * The lessons a student sees in a language: every lesson id, in that language when it exists, else
 * in English (a lesson not yet translated still shows).
 */
export function lessonsFor(lib: LessonLibrary, lang: LessonLang): Lesson[] {
  const own = lib.byLang[lang];
  const ids = new Set(own.map((l) => l.id));
  const all = [...own, ...lib.byLang.en.filter((l) => !ids.has(l.id))];
  return all.sort((a, b) => a.order - b.order || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

let cached: LessonLibrary | null = null;

/** Every lesson file under src/lessons/<lang>/ (bundled at build time). */
export function loadLessons(): LessonLibrary {
  if (!cached) {
    const files = import.meta.glob('./*/*.md', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;
    cached = buildLibrary(files);
  }
  return cached;
}
