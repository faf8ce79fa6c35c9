/** An injectable clock: tests control time; the browser and server use the wall clock. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock a test can move by hand. */
export class ManualClock implements Clock {
  constructor(private ms = 1_700_000_000_000) {}
  now(): number { return this.ms; }
  advance(ms: number): void { this.ms += ms; }
  set(ms: number): void { this.ms = ms; }
}
