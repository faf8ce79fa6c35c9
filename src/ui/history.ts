/**
 * Command history as redis-cli's linenoise keeps it: at most `max` lines, no consecutive
 * duplicates, Up/Down walk from the newest; kept across reloads in localStorage.
 */
export interface HistoryStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export const HISTORY_KEY = 'redis-sandbox:history';

export class History {
  private lines: string[] = [];
  /** Index into lines while browsing; lines.length = the line being edited. */
  private cursor = 0;
  private draft = '';

  constructor(private storage: HistoryStorage | null, private max = 100, private key = HISTORY_KEY) {
    try {
      const raw = storage?.getItem(key);
      const parsed: unknown = raw ? JSON.parse(raw) : [];
      if (Array.isArray(parsed)) this.lines = parsed.filter((l): l is string => typeof l === 'string').slice(-max);
    } catch {
      this.lines = [];
    }
    this.cursor = this.lines.length;
  }

  get entries(): readonly string[] { return this.lines; }

  add(line: string): void {
    if (line.trim() === '') return;
    if (this.lines[this.lines.length - 1] !== line) {
      this.lines.push(line);
      if (this.lines.length > this.max) this.lines.splice(0, this.lines.length - this.max);
      try { this.storage?.setItem(this.key, JSON.stringify(this.lines)); } catch { /* quota or privacy mode */ }
    }
    this.reset();
  }

  /** Up: the previous line, or null at the oldest. `current` is the text being edited. */
  prev(current: string): string | null {
    if (this.cursor === 0) return null;
    if (this.cursor === this.lines.length) this.draft = current;
    this.cursor--;
    return this.lines[this.cursor];
  }

  /** Down: the next line, the draft after the newest, or null when not browsing. */
  next(): string | null {
    if (this.cursor >= this.lines.length) return null;
    this.cursor++;
    return this.cursor === this.lines.length ? this.draft : this.lines[this.cursor];
  }

  reset(): void {
    this.cursor = this.lines.length;
    this.draft = '';
  }
}
