/**
 * The redis-cli side of the console (what redis-cli does before a command reaches the server):
 * online hints, Tab completion of command names, and `help`.
 */
import type { CommandDoc } from '../worker/api';
import { splitArgs } from '../engine/splitargs';

/** Find the documentation entry for a typed command: "config get ..." matches CONFIG GET. */
export function findDoc(words: string[], docs: readonly CommandDoc[]): { doc: CommandDoc; words: number } | null {
  if (words.length === 0) return null;
  if (words.length >= 2) {
    const two = `${words[0]} ${words[1]}`.toUpperCase();
    const sub = docs.find((d) => d.name === two);
    if (sub) return { doc: sub, words: 2 };
  }
  const one = words[0].toUpperCase();
  const doc = docs.find((d) => d.name === one);
  return doc ? { doc, words: 1 } : null;
}

/**
 * redis-cli's hint (hintsCallback): the syntax of the command being typed, without the arguments
 * already typed (one word removed per typed argument, stopping at the first optional one).
 * Returns the text to show after the typed line (may be a lone space, as redis-cli), or '' for none.
 */
export function hintFor(line: string, docs: readonly CommandDoc[]): string {
  const parsed = splitArgs(line);
  if (!parsed || parsed.length === 0) return '';
  const words = parsed.map((a) => a.text);
  const found = findDoc(words, docs);
  if (!found) return '';
  const endSpace = /\s$/.test(line);
  let hint = found.doc.syntax;
  let toRemove = words.length - found.words;
  while (toRemove > 0 && hint.length > 0) {
    if (hint[0] === '[') break;
    if (hint[0] === ' ') toRemove--;
    hint = hint.slice(1);
  }
  return endSpace ? hint : ' ' + hint;
}

/** Tab completion candidates for the command name at the start of the line, in the typed case. */
export function completions(line: string, docs: readonly CommandDoc[]): string[] {
  const m = /^(\s*)(\S*)$/.exec(line);
  if (!m) return [];
  const [, lead, typed] = m;
  const lower = typed.length > 0 && typed === typed.toLowerCase();
  const prefix = typed.toUpperCase();
  const seen = new Set<string>();
  const out: string[] = [];
  for (const d of docs) {
    const name = d.name.split(' ')[0];
    if (!name.startsWith(prefix) || seen.has(name)) continue;
    seen.add(name);
    out.push(lead + (lower ? name.toLowerCase() : name));
  }
  return out;
}

/** One block of `help` output: a command's name and syntax, then label/value lines. */
export interface HelpBlock {
  name: string;
  syntax: string;
  lines: { label: string; value: string }[];
}

export const HELP_BANNER = [
  'redis-cli 7.0.15',
  'To get help about Redis commands type:',
  '      "help @<group>" to get a list of commands in <group>',
  '      "help <command>" for help on <command>',
  '      "help <tab>" to get a list of possible help topics',
  '      "clear" to clear the console',
].join('\n');

/**
 * redis-cli's cliOutputHelp: `help @group` lists a group (without the group line); `help cmd [sub]`
 * lists every entry whose words start with the typed words (CONFIG, then CONFIG GET ...).
 * Each block also carries the complexity, which the sandbox adds to redis-cli's lines.
 */
export function helpBlocks(args: string[], docs: readonly CommandDoc[]): HelpBlock[] | null {
  if (args.length === 0) return null;
  const block = (d: CommandDoc, withGroup: boolean): HelpBlock => ({
    name: d.name,
    syntax: d.syntax,
    lines: [
      { label: 'summary', value: d.summary },
      { label: 'since', value: d.since },
      ...(withGroup ? [{ label: 'group', value: d.group }] : []),
      ...(d.complexity ? [{ label: 'complexity', value: d.complexity }] : []),
    ],
  });
  if (args[0].startsWith('@')) {
    const group = args[0].slice(1).toLowerCase();
    return docs.filter((d) => d.group === group).map((d) => block(d, false));
  }
  const want = args.map((a) => a.toUpperCase());
  return docs
    .filter((d) => {
      const words = d.name.split(' ');
      return want.length <= words.length && want.every((w, i) => w === words[i]);
    })
    .map((d) => block(d, true));
}

/** The help blocks as the plain text redis-cli prints (without colors). */
export function helpText(blocks: HelpBlock[]): string {
  let out = '';
  for (const b of blocks) {
    out += `\n  ${b.name}${b.syntax ? ' ' + b.syntax : ''}\n`;
    for (const l of b.lines) out += `  ${l.label}: ${l.value}\n`;
  }
  return out;
}
