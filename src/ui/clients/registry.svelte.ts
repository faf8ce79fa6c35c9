/**
 * The sandbox's clients as the page shows them: a label per engine client id ("Client 2", or the
 * name given with "Rename client"). The pub/sub view names its nodes with these.
 */
class ClientLabels {
  labels = $state<Record<number, string>>({});
  set(id: number, label: string): void { this.labels[id] = label; }
  delete(id: number): void { delete this.labels[id]; }
  /** The label of a client: its tab's label, else its CLIENT SETNAME name, else `id=N`. */
  of(id: number, name = ''): string { return this.labels[id] ?? (name !== '' ? name : `id=${id}`); }
}

export const clientLabels = new ClientLabels();

/** redis-cli's elapsed-time line after a command that took 0.5 s or more: "(1.37s)". */
export function elapsedLine(ms: number): string | null {
  return ms >= 500 ? `(${(ms / 1000).toFixed(2)}s)` : null;
}

/** The waiting indicator of a blocked console: "waiting… 3.2 s (timeout 10 s)" / "(no timeout)". */
export function waitingText(elapsedMs: number, timeout: number, t: { waiting: (s: string) => string; waitTimeout: (s: string) => string; waitForever: string }): string {
  const s = (Math.max(0, elapsedMs) / 1000).toFixed(1);
  return `${t.waiting(s)} ${timeout > 0 ? t.waitTimeout(formatSeconds(timeout)) : t.waitForever}`;
}

function formatSeconds(s: number): string {
  return Number.isInteger(s) ? String(s) : String(Number(s.toFixed(3)));
}

/** redis-cli enters its "Reading messages" mode after these commands. */
export function isSubscribeCommand(argv: readonly string[]): boolean {
  const c = (argv[0] ?? '').toLowerCase();
  return c === 'subscribe' || c === 'psubscribe' || c === 'ssubscribe';
}

export const READING_MESSAGES = 'Reading messages... (press Ctrl-C to quit)';
