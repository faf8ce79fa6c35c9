/**
 * Trace events grouped into frames: one frame is one thing a student sees happen (a bucket hashed,
 * a chain entry compared, a bucket moved by the rehash ...). `step` events (narration boundaries)
 * annotate the following frame; a few follow-up events merge into the frame before them.
 */
import type { TraceEvent } from '../engine/trace';

export interface Frame {
  /** The events of this frame; the first one is the main event. */
  events: TraceEvent[];
  /** The narration boundary the engine recorded before this frame, if any. */
  step?: Extract<TraceEvent, { k: 'step' }>;
}

/** Does `ev` continue the frame whose last event is `prev`? */
function continues(prev: TraceEvent, ev: TraceEvent): boolean {
  switch (ev.k) {
    case 'dict.found': return prev.k === 'dict.visit' && prev.key === ev.key && prev.dict === ev.dict;
    case 'dict.rehashDone': return prev.k === 'dict.rehashStep' && prev.dict === ev.dict;
    case 'zsl.down': return prev.k === 'zsl.update';
    case 'zsl.span': return prev.k === 'zsl.span' || prev.k === 'zsl.create';
    case 'zsl.rank': return prev.k === 'zsl.update' || prev.k === 'zsl.down';
    // A list's listpack edit and the quicklist event of the same edit are one frame (the ql event leads).
    case 'ql.visitEntry': return prev.k === 'lp.visit' && prev.index === ev.index;
    case 'ql.insert': return prev.k === 'lp.insert' && prev.value === ev.value;
    case 'lp.delete': return prev.k === 'ql.delete' && prev.index === ev.index;
    default: return false;
  }
}

export function groupFrames(trace: readonly TraceEvent[]): Frame[] {
  const frames: Frame[] = [];
  let pendingStep: Frame['step'];
  for (const ev of trace) {
    if (ev.k === 'step') { pendingStep = ev; continue; }
    const last = frames[frames.length - 1];
    if (last && !pendingStep && continues(last.events[last.events.length - 1], ev)) {
      last.events.push(ev);
      // The quicklist event names the node: it leads the frame (narration, pseudocode).
      if (ev.k.startsWith('ql.') && last.events[0].k.startsWith('lp.')) last.events.unshift(last.events.pop()!);
      continue;
    }
    const f: Frame = { events: [ev] };
    if (pendingStep) { f.step = pendingStep; pendingStep = undefined; }
    frames.push(f);
  }
  return frames;
}
