/**
 * The one typed API between the page and the engine's Web Worker. Both sides import this file: the
 * worker exposes `createApi(engine)` with Comlink, the page holds a `Remote<EngineApi>` (see bridge.ts).
 * The same object also runs on the main thread when Workers are unavailable.
 *
 * Everything crossing the boundary is plain, structured-clone safe data.
 */
import type { Engine } from '../engine/engine';
import type { Reply } from '../engine/types';
import type { Command } from '../engine/commands';
import { parseCommandLine } from '../engine/splitargs';
import { commandSyntax, type DocArg } from '../ui/syntax';

export type { Reply } from '../engine/types';

/** What one command did, as the console shows it. */
export interface ExecResponse {
  reply: Reply;
  /** Elementary steps the engine really took. */
  steps: number;
  /** Complexity class from the command table ("O(1)", "O(log N)" ...). */
  complexity: string;
  /** The client's selected database after the command (for the `[2]` in the prompt). */
  db: number;
  /** The client is inside MULTI (redis-cli shows `(TX)` in the prompt). */
  inMulti: boolean;
}

/** A command's documentation, for Tab completion, hints and `help <command>`. */
export interface CommandDoc {
  /** Upper-case display name: "GET", "CONFIG GET". */
  name: string;
  /** Arguments as redis-cli's help prints them: "key value [NX|XX] ...". */
  syntax: string;
  summary: string;
  since: string;
  group: string;
  /** The documented complexity text. */
  complexity: string;
  /** The complexity class the engine reports beside each reply. */
  complexityClass: string;
}

/** The engine API exposed by the worker. Every method is safe to call with any input. */
export interface EngineApi {
  /** Run one command: argv as byte strings, or a command line parsed like redis-cli. */
  exec(input: string | string[]): ExecResponse;
  /** Documentation of every implemented command (containers expand to their subcommands). */
  commands(): CommandDoc[];
  /** The selected database and transaction state of the console's client. */
  state(): { db: number; inMulti: boolean };
}

export const INVALID_ARGUMENTS = 'Invalid argument(s)';

export function createApi(engine: Engine): EngineApi {
  const client = engine.defaultClient;
  const state = () => ({ db: client.db.id, inMulti: client.multi !== null });
  let docsCache: CommandDoc[] | null = null;
  return {
    exec(input) {
      try {
        const argv = typeof input === 'string' ? parseCommandLine(input) : input;
        if (argv === null) return { reply: { t: 'error', v: INVALID_ARGUMENTS }, steps: 0, complexity: 'O(1)', ...state() };
        if (!Array.isArray(argv) || argv.some((a) => typeof a !== 'string')) throw new TypeError('argv must be an array of strings');
        const r = engine.execFor(client, argv);
        return { reply: r.reply, steps: r.steps, complexity: r.complexity, ...state() };
      } catch (e) {
        // Never let user input kill the worker: a thrown error becomes an error reply.
        const msg = e instanceof Error ? e.message : String(e);
        let s = { db: 0, inMulti: false };
        try { s = state(); } catch { /* keep defaults */ }
        return { reply: { t: 'error', v: `ERR internal error: ${msg}` }, steps: 0, complexity: 'O(1)', ...s };
      }
    },
    commands() {
      if (!docsCache) docsCache = collectDocs(engine);
      return docsCache;
    },
    state,
  };
}

function collectDocs(engine: Engine): CommandDoc[] {
  const out: CommandDoc[] = [];
  const add = (cmd: Command) => {
    const d = (cmd.docs ?? {}) as Record<string, unknown>;
    out.push({
      name: cmd.fullname.replace('|', ' ').toUpperCase(),
      syntax: commandSyntax((d.arguments as DocArg[] | undefined) ?? []),
      summary: String(d.summary ?? ''),
      since: String(d.since ?? ''),
      group: String(d.group ?? ''),
      complexity: String(d.complexity ?? ''),
      complexityClass: cmd.complexity,
    });
  };
  for (const cmd of engine.commands.commands.values()) {
    if (cmd.subcommands) for (const sub of cmd.subcommands.values()) add(sub);
    // A container (CONFIG, CLIENT ...) is listed too: `help config` shows it before its subcommands.
    if (cmd.proc || cmd.subcommands) add(cmd);
  }
  out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return out;
}
