/**
 * Random access over a sequence of frames: the state after frame i, for any i, without replaying
 * from zero. The state after every K frames is kept (a keyframe); `stateAt(i)` starts from the
 * keyframe at or before i and replays at most K - 1 frames. Stepping forward by one reuses the last
 * state (one reduce). States must be treated as immutable by `reduce` (return a new object).
 */
export interface TimelineSource<S, F> {
  initial: S;
  frames: readonly F[];
  /** The state after frame `f` (the i-th frame, 0-based) from the state before it. Must not mutate `s`. */
  reduce(s: S, f: F, i: number): S;
  /** Applied to the state after the last frame (e.g. the authoritative "after" snapshot). */
  atEnd?(s: S): S;
}

export class Timeline<S, F> {
  readonly length: number;
  /** keyframes[j] = state after j * K frames. */
  private readonly keyframes: S[];
  private last: { i: number; s: S } | null = null;
  /** How many times `reduce` ran (tests check that stepping back never replays from zero). */
  reduceCalls = 0;

  constructor(private readonly src: TimelineSource<S, F>, readonly K = 16) {
    if (!(K >= 1)) throw new RangeError('K must be >= 1');
    this.length = src.frames.length;
    this.keyframes = [src.initial];
  }

  private step(s: S, i: number): S {
    this.reduceCalls++;
    return this.src.reduce(s, this.src.frames[i], i);
  }

  /** The state after `i` frames (0 = before the first frame), clamped to [0, length]. */
  stateAt(i: number): S {
    i = Math.max(0, Math.min(this.length, Math.floor(i)));
    let s: S;
    if (this.last && this.last.i === i) {
      s = this.last.s;
    } else if (this.last && this.last.i + 1 === i) {
      s = this.step(this.last.s, i - 1);
    } else {
      const j = Math.floor(i / this.K);
      // Extend the keyframes forward (each computed once).
      while (this.keyframes.length <= j) {
        const k = this.keyframes.length - 1;
        let t = this.keyframes[k];
        for (let n = k * this.K; n < (k + 1) * this.K; n++) t = this.step(t, n);
        this.keyframes.push(t);
      }
      s = this.keyframes[j];
      for (let n = j * this.K; n < i; n++) s = this.step(s, n);
    }
    if (i % this.K === 0 && this.keyframes.length === i / this.K) this.keyframes.push(s);
    this.last = { i, s };
    return i === this.length && this.src.atEnd ? this.src.atEnd(s) : s;
  }
}
