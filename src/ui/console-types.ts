/** What the console log holds: one entry per line typed, with what it printed. */
import type { HelpBlock } from './cli';

export type Output =
  /** A reply from the engine, already formatted like redis-cli; `error` colors it. */
  | { kind: 'reply'; text: string; error: boolean; steps: number; complexity: string }
  /** `help <command>` blocks. */
  | { kind: 'help'; blocks: HelpBlock[] }
  /** Plain text printed by the console itself (help banner, Invalid argument(s)). */
  | { kind: 'text'; text: string; error?: boolean };

export interface Entry {
  id: number;
  prompt: string;
  line: string;
  outputs: Output[];
  pending: boolean;
}

/** redis-cli's prompt: host:port, [db] when not 0, (TX) inside MULTI. */
export function promptFor(db: number, inMulti: boolean, host = '127.0.0.1:6379'): string {
  return `${host}${db !== 0 ? `[${db}]` : ''}${inMulti ? '(TX)' : ''}>`;
}
