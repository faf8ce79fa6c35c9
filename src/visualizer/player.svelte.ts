/**
 * The player: a trace's frames, a cursor and a speed. Play / pause, step forward / back, jump to the
 * start / end, scrub. Random access through a Timeline (keyframes every K frames): stepping back is
 * instant, never a replay from zero. Reactive with Svelte 5 runes ($state.raw: the scene objects are
 * immutable and replaced, never deeply proxied).
 */
import { Timeline, type TimelineSource } from './timeline';

export const SPEEDS = [0.5, 1, 2, 4] as const;
/** Milliseconds per frame at 1x. */
export const BASE_INTERVAL = 700;

export class Player<S, F> {
  /** Frames applied (0 = before the first frame, length = after the last). */
  cursor = $state.raw(0);
  playing = $state.raw(false);
  speed = $state.raw(1);
  timeline = $state.raw<Timeline<S, F> | null>(null);
  /** The state at the cursor. */
  state = $state.raw<S | null>(null);
  private timer: ReturnType<typeof setTimeout> | null = null;

  get length(): number { return this.timeline?.length ?? 0; }
  get atEnd(): boolean { return this.cursor >= this.length; }
  get atStart(): boolean { return this.cursor <= 0; }

  /** Load a new trace; starts at the beginning (and plays unless `autoplay` is false), or at the end. */
  load(src: TimelineSource<S, F>, opts: { autoplay?: boolean; at?: 'start' | 'end'; K?: number } = {}): void {
    this.pause();
    this.timeline = new Timeline(src, opts.K ?? 16);
    this.seek(opts.at === 'end' ? this.timeline.length : 0);
    if (opts.autoplay && this.length > 0) this.play();
  }

  seek(i: number): void {
    if (!this.timeline) return;
    const c = Math.max(0, Math.min(this.timeline.length, Math.floor(Number.isFinite(i) ? i : 0)));
    this.cursor = c;
    this.state = this.timeline.stateAt(c);
  }

  forward(): void { this.pause(); this.seek(this.cursor + 1); }
  back(): void { this.pause(); this.seek(this.cursor - 1); }
  toStart(): void { this.pause(); this.seek(0); }
  toEnd(): void { this.pause(); this.seek(this.length); }
  scrub(i: number): void { this.pause(); this.seek(i); }

  setSpeed(x: number): void {
    const s = Number(x);
    this.speed = Number.isFinite(s) ? Math.max(SPEEDS[0], Math.min(SPEEDS[SPEEDS.length - 1], s)) : 1;
    if (this.playing) { this.clearTimer(); this.schedule(); }
  }

  play(): void {
    if (!this.timeline || this.length === 0) return;
    if (this.atEnd) this.seek(0);
    this.playing = true;
    this.schedule();
  }

  pause(): void {
    this.playing = false;
    this.clearTimer();
  }

  toggle(): void { if (this.playing) this.pause(); else this.play(); }

  /** Stop the timer (component teardown). */
  destroy(): void { this.pause(); }

  private schedule(): void {
    this.clearTimer();
    this.timer = setTimeout(() => {
      this.timer = null;
      if (!this.playing) return;
      this.seek(this.cursor + 1);
      if (this.atEnd) this.playing = false;
      else this.schedule();
    }, BASE_INTERVAL / this.speed);
  }

  private clearTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}
