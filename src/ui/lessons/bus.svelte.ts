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

  /** Set by ClientTabs: make sure lesson client N (2, 3, ...) has a console; resolves to its runner. */
  clientRunner: ((n: number) => Promise<((line: string) => Promise<void>) | null>) | null = null;

  /** Run lines one at a time, in order, on lesson client `client` (1 = the main console). False when not ready. */
  async run(lines: string[], client = 1): Promise<boolean> {
    const run = client === 1 ? this.runLine : await this.clientRunner?.(client);
    if (!run) return false;
    for (const line of lines) await run(line);
    return true;
  }

  /** Run blocks in order, each on its own client (```redis client=N). */
  async runBlocks(blocks: { lines: string[]; client: number }[]): Promise<boolean> {
    for (const b of blocks) if (!(await this.run(b.lines, b.client))) return false;
    return true;
  }
}

export const consoleBus = new ConsoleBus();
