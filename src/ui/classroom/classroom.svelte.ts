/**
 * Classroom state for the page: presenter mode, embed mode, and the replay of a shared script.
 * The layout modes are written on <html data-classroom="present embed"> (see ClassroomLayer.svelte's
 * global styles); the replay runs each line through the console exactly as if it had been typed
 * (consoleBus.runLine: same queue, same printing, the visualizer follows).
 */
import { consoleBus } from '../lessons/bus.svelte';
import { checkVersion, decodeScript, parseLocation, type LinkErrorCode } from './link';

export interface Replay {
  lines: string[];
  /** Commands already run. */
  index: number;
  running: boolean;
}

class Classroom {
  presenting = $state(false);
  embed = $state(false);
  replay = $state<Replay | null>(null);
  linkError = $state<LinkErrorCode | null>(null);
  private loadToken = 0;

  togglePresenting(): void {
    this.presenting = !this.presenting;
  }

  /** Read the modes and the shared script from the address (on load and on hashchange). */
  async loadFrom(search: string, hash: string, initial: boolean): Promise<void> {
    const req = parseLocation(search, hash);
    if (initial) {
      this.embed = req.embed;
      if (req.present) this.presenting = true;
    } else if (req.embed) {
      this.embed = true;
    }
    const token = ++this.loadToken;
    if (req.script === null) {
      if (!initial) { this.replay = null; this.linkError = null; }
      return;
    }
    const tooNew = checkVersion(req.version);
    const r = tooNew ? { ok: false as const, error: tooNew } : await decodeScript(req.script);
    if (token !== this.loadToken) return;
    if (r.ok) {
      this.replay = { lines: r.lines, index: 0, running: false };
      this.linkError = null;
    } else {
      this.replay = null;
      this.linkError = r.error;
    }
  }

  /** Start a replay of these lines (tests, or a script typed elsewhere). */
  load(lines: string[]): void {
    this.replay = { lines, index: 0, running: false };
    this.linkError = null;
  }

  get canRun(): boolean {
    const r = this.replay;
    return !!r && !r.running && r.index < r.lines.length && consoleBus.runLine !== null;
  }

  /** Run the next command of the script in the console. */
  async next(): Promise<void> {
    const r = this.replay;
    const run = consoleBus.runLine;
    if (!r || r.running || r.index >= r.lines.length || !run) return;
    r.running = true;
    try {
      await run(r.lines[r.index]);
      r.index++;
    } finally {
      r.running = false;
    }
  }

  /** Run every remaining command, one after another (the visualizer shows the last). */
  async runAll(): Promise<void> {
    const r = this.replay;
    const run = consoleBus.runLine;
    if (!r || r.running || !run) return;
    r.running = true;
    try {
      while (r.index < r.lines.length && this.replay === r) {
        await run(r.lines[r.index]);
        r.index++;
      }
    } finally {
      r.running = false;
    }
  }

  restart(): void {
    if (this.replay && !this.replay.running) this.replay.index = 0;
  }

  dismiss(): void {
    this.replay = null;
    this.linkError = null;
  }
}

export const classroom = new Classroom();
