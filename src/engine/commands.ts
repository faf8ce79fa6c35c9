/**
 * The command table: every command's name, arity, flags, key positions and complexity class, and
 * the function that runs it (as the table in Redis's src/server.c / commands.c).
 *
 * Arity, flags and key positions come from `command-meta.ts`, generated from a real redis-server
 * 7.0 (`COMMAND INFO` and `COMMAND DOCS`, see scripts/gen-command-meta.ts), so they are exactly the
 * server's. Each t_*.ts file lists the commands it implements as CommandDef entries.
 */
import meta, { type RawInfo } from './command-meta';
import type { Client } from './client';
import type { Reply } from './types';

export type CommandProc = (c: Client, argv: string[]) => Reply;

export interface CommandDef {
  /** Lower-case name; a subcommand is "container|sub" (e.g. "config|get"). */
  name: string;
  proc: CommandProc;
  /** Complexity class shown beside each reply ("O(1)", "O(log N)", "O(N)", ...). */
  complexity: string;
}


export interface Command {
  name: string;
  /** "config|get" for subcommands, else the name. */
  fullname: string;
  arity: number;
  flags: Set<string>;
  firstKey: number;
  lastKey: number;
  keyStep: number;
  complexity: string;
  proc: CommandProc | null;
  subcommands: Map<string, Command> | null;
  parent: Command | null;
  /** The raw COMMAND INFO entry of the real server (COMMAND INFO replies with it). */
  info: RawInfo;
  docs: Record<string, unknown> | undefined;
  /** Calls, for INFO commandstats. */
  calls: number;
  usec: number;
  rejectedCalls: number;
  failedCalls: number;
  /** Completed at least once since CONFIG RESETSTAT: INFO latencystats lists it (its histogram exists). */
  latency: boolean;
  /** Its latency histogram (latency.ts): counts per power-of-two step of microseconds. */
  latencyHist?: number[];
}

const LOOKUP_CACHE_MAX = 4096;

const metaTable = meta as unknown as Record<string, { info: RawInfo; docs?: Record<string, unknown> }>;

export class CommandTable {
  readonly commands = new Map<string, Command>();

  constructor(defs: CommandDef[]) {
    for (const d of defs) this.register(d);
  }

  private register(d: CommandDef): void {
    const [container, sub] = d.name.split('|');
    const m = metaTable[container];
    if (!m) throw new Error(`no metadata for command '${container}'`);
    let parent = this.commands.get(container);
    if (!parent) {
      parent = makeCommand(m.info, m.docs, null);
      this.commands.set(container, parent);
    }
    if (sub === undefined) {
      parent.proc = d.proc;
      parent.complexity = d.complexity;
      return;
    }
    const subInfo = m.info[9].find((s) => s[0] === d.name);
    if (!subInfo) throw new Error(`no metadata for subcommand '${d.name}'`);
    const subDocs = (m.docs?.subcommands as Record<string, Record<string, unknown>> | undefined)?.[d.name];
    const cmd = makeCommand(subInfo, subDocs, parent);
    cmd.proc = d.proc;
    cmd.complexity = d.complexity;
    parent.subcommands ??= new Map();
    parent.subcommands.set(sub, cmd);
  }

  /**
   * argv[0] exactly as clients spell it ("GET", "get", "Get") -> the command: saves a toLowerCase
   * and a lookup per command. Only known commands are cached, at most LOOKUP_CACHE_MAX spellings.
   */
  private readonly bySpelling = new Map<string, Command>();

  /** Redis's lookupCommand: the command, or its subcommand when it is a container. */
  lookup(argv: string[]): Command | null {
    const name = argv[0];
    let base = this.bySpelling.get(name);
    if (base === undefined) {
      base = this.commands.get(name.toLowerCase());
      if (!base) return null;
      if (this.bySpelling.size < LOOKUP_CACHE_MAX) this.bySpelling.set(name, base);
    }
    if (!base.subcommands || argv.length === 1) return base;
    return base.subcommands.get(argv[1].toLowerCase()) ?? null;
  }

  isContainer(name: string): boolean {
    return this.commands.get(name.toLowerCase())?.subcommands != null;
  }
}

function makeCommand(info: RawInfo, docs: Record<string, unknown> | undefined, parent: Command | null): Command {
  const fullname = info[0];
  return {
    name: parent ? fullname.split('|')[1] : fullname,
    fullname,
    arity: info[1],
    flags: new Set(info[2]),
    firstKey: info[3],
    lastKey: info[4],
    keyStep: info[5],
    complexity: 'O(1)',
    proc: null,
    subcommands: null,
    parent,
    info,
    docs,
    calls: 0,
    usec: 0,
    rejectedCalls: 0,
    failedCalls: 0,
    latency: false,
    latencyHist: undefined,
  };
}

/** The key positions of a command call (for WATCH, memory accounting, COMMAND GETKEYS). */
export function commandKeys(cmd: Command, argv: string[]): string[] {
  if (cmd.firstKey <= 0) return [];
  const last = cmd.lastKey < 0 ? argv.length + cmd.lastKey : cmd.lastKey;
  const keys: string[] = [];
  for (let i = cmd.firstKey; i <= last && i < argv.length; i += cmd.keyStep) keys.push(argv[i]);
  return keys;
}
