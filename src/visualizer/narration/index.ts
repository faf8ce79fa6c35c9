/** Narration of a frame in the UI's language: one sentence per frame, values shown as text. */
import type { TraceEvent } from '../../engine/trace';
import type { Frame } from '../frames';
import type { Scene } from '../scene';
import { display } from '../text';
import { en, type VisMessages } from './en';
import { zhCN } from './zh-CN';
import { entryOf } from '../list/reduce';

export const VIS_MESSAGES: Record<'en' | 'zh-CN', VisMessages> = { en, 'zh-CN': zhCN };

export function visMessages(lang: string): VisMessages {
  return lang === 'zh-CN' ? zhCN : en;
}

/** The arguments of an event, for the narration templates (strings decoded for display). */
export function eventArgs(ev: TraceEvent, before: Scene | null): Record<string, string | number> {
  const a: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(ev)) {
    if (typeof v === 'string') a[k] = display(v);
    else if (typeof v === 'number') a[k] = v;
    else if (typeof v === 'boolean') a[k] = v ? 1 : 0;
  }
  if (ev.k === 'dict.rehashStep') a.n = ev.moved.length;
  if (ev.k === 'ql.visitEntry' || ev.k === 'ql.delete') {
    const e = entryOf(before?.value, ev.node, ev.index);
    if (e !== undefined) a.value = display(e);
  }
  if (ev.k === 'lp.visit' && before?.value?.kind === 'quicklist') {
    const e = entryOf(before.value, before.hl?.node, ev.index);
    a.value = e === undefined ? '…' : display(e);
    return a;
  }
  if (ev.k === 'lp.visit') {
    const v = before?.value;
    const e = v && v.kind === 'listpack' ? v.entries[ev.index - v.from] : undefined;
    a.value = e === undefined ? '…' : display(e);
  }
  return a;
}

export function narrate(m: VisMessages, frame: Frame | undefined, before: Scene | null): string {
  if (!frame) return m.ui.start;
  const ev = frame.events[0];
  const args = eventArgs(ev, before);
  if (frame.step?.args) for (const [k, v] of Object.entries(frame.step.args)) args[k] = typeof v === 'string' ? display(v) : v;
  const fn = (frame.step && m.say[frame.step.say]) || m.say[ev.k] || m.say.other;
  // dict.found merged into a visit frame: say "found".
  const last = frame.events[frame.events.length - 1];
  if (last.k === 'dict.found' && ev.k === 'dict.visit') return m.say['dict.found'](eventArgs(last, before));
  return fn(args);
}
