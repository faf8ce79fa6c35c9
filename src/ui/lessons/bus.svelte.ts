/**
 * The link between the lessons panel and the console: the console registers how to run a line (as if
 * typed, one command at a time, in its queue) and bumps `commandCount` after every command it ran, so
 * the lesson view re-evaluates its checks.
 */
class ConsoleBus {
  /** Set by Console.svelte: run one line as if typed; resolves when its reply is printed. */
  runLine: ((line: string) => Promise<void>) | null = null;
  /** Incremented after every command the console ran (typed or sent by a lesson). */
  commandCount = $state(0);

  notify(): void {
    this.commandCount++;
  }

  /** Run lines one at a time, in order. False when the console is not ready. */
  async run(lines: string[]): Promise<boolean> {
    const run = this.runLine;
    if (!run) return false;
    for (const line of lines) await run(line);
    return true;
  }
}

export const consoleBus = new ConsoleBus();
