/**
 * The visualizer's current command: the console hands every result over (`showRun`), the
 * visualizer panel draws it. One player for the page.
 */
import type { ExecResponse, VisualData } from '../worker/api';
import { groupFrames, type Frame } from './frames';
import { Player } from './player.svelte';
import { complexityLog } from './chart/store.svelte';
import { finalScene, initialScene, makeContext, reduceScene, type Scene } from './scene';

export interface Run {
  id: number;
  data: VisualData;
  frames: Frame[];
  steps: number;
  complexity: string;
  error: boolean;
  /** The command's reply (the stream view reads which entries XRANGE / XREAD ... returned). */
  reply: ExecResponse['reply'];
}

export function prefersReducedMotion(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
}

class Current {
  run = $state.raw<Run | null>(null);
  readonly player = new Player<Scene, Frame>();
  private nextId = 1;

  /** Show a command's result (ignored without visual data). */
  show(r: ExecResponse): void {
    const data = r.visual;
    if (!data) return;
    complexityLog.record(r);
    const frames = groupFrames(data.trace);
    const ctx = makeContext(data);
    this.run = { id: this.nextId++, data, frames, steps: r.steps, complexity: r.complexity, error: r.reply.t === 'error', reply: r.reply };
    const reduced = prefersReducedMotion();
    this.player.load(
      { initial: initialScene(data), frames, reduce: (s, f, i) => reduceScene(s, f, i, ctx), atEnd: (s) => finalScene(s, data) },
      { autoplay: !reduced, at: reduced ? 'end' : 'start' },
    );
  }
}

export const current = new Current();
