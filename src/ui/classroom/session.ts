/**
 * The console session as the classroom tools see it: the console registers a getter for its entries
 * (one additive line in Console.svelte); Share takes its commands, Export writes it as Markdown.
 */
import type { Entry, Output } from '../console-types';
import { helpText } from '../cli';

let source: (() => readonly Entry[]) | null = null;

/** Called by Console.svelte on mount; returns the unregister function (onMount's cleanup). */
export function registerSession(get: () => readonly Entry[]): () => void {
  source = get;
  return () => {
    if (source === get) source = null;
  };
}

/** The console's entries now (plain copies), or [] without a console. */
export function sessionEntries(): Entry[] {
  if (!source) return [];
  return source().map((e) => ({ id: e.id, prompt: e.prompt, line: e.line, pending: e.pending, outputs: e.outputs.map((o) => ({ ...o }) as Output) }));
}

/** The commands typed (or replayed) in the console, in order. */
export function sessionCommands(): string[] {
  return sessionEntries().map((e) => e.line);
}

/** One output as the console printed it. */
export function outputText(o: Output): string {
  if (o.kind === 'help') return helpText(o.blocks);
  return o.text;
}

/** The session as a redis-cli transcript: "prompt> line", then what it printed. */
export function transcript(entries: readonly Entry[]): string {
  const out: string[] = [];
  for (const e of entries) {
    out.push(`${e.prompt} ${e.line}`);
    for (const o of e.outputs) out.push(outputText(o));
  }
  return out.join('\n');
}

/** A fence longer than any run of backticks in the text (so nothing can close it early). */
export function fenceFor(text: string): string {
  let longest = 0;
  for (const m of text.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  return '`'.repeat(Math.max(3, longest + 1));
}

export interface MarkdownLabels {
  title: string;
  exported: (when: string, commands: number) => string;
  empty: string;
}

/** The session as Markdown: a title, a line with the date and the count, the transcript in a fence. */
export function sessionMarkdown(entries: readonly Entry[], labels: MarkdownLabels, when: Date = new Date()): string {
  const body = transcript(entries);
  const stamp = `${when.getFullYear()}-${pad(when.getMonth() + 1)}-${pad(when.getDate())} ${pad(when.getHours())}:${pad(when.getMinutes())}`;
  const head = `# ${labels.title}\n\n${labels.exported(stamp, entries.length)}\n`;
  if (entries.length === 0) return `${head}\n${labels.empty}\n`;
  const fence = fenceFor(body);
  return `${head}\n${fence}text\n${body}\n${fence}\n`;
}

/** File name for the download: redis-session-YYYYMMDD-HHMM.md */
export function sessionFileName(when: Date = new Date()): string {
  return `redis-session-${when.getFullYear()}${pad(when.getMonth() + 1)}${pad(when.getDate())}-${pad(when.getHours())}${pad(when.getMinutes())}.md`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
