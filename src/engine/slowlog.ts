/**
 * The slow log (as src/slowlog.c in Redis 7.0): commands that ran for at least
 * slowlog-log-slower-than microseconds (-1: none, 0: every command) are remembered, newest first,
 * at most slowlog-max-len of them. SLOWLOG GET [count] | LEN | RESET | HELP.
 *
 * engine.call() gives each command's duration, measured with the engine clock (milliseconds: a
 * fast command takes 0 microseconds, a test's ManualClock makes every duration 0), to
 * slowlogPushCurrentCommand. A command that blocked is not logged (Redis logs it when served).
 */
import type { Client } from './client';
import type { Command, CommandDef } from './commands';
import type { Engine } from './engine';
import type { Reply } from './types';
import * as R from './reply';
import { eqi, parseLongLong } from './util';

/** At most this many arguments are kept; the last one then says how many were left out. */
const SLOWLOG_ENTRY_MAX_ARGC = 32;
/** Arguments longer than this are cut, with a note of how many bytes were left out. */
const SLOWLOG_ENTRY_MAX_STRING = 128;

export interface SlowlogEntry {
  id: number;
  /** Unix time in seconds. */
  time: number;
  /** Microseconds. */
  duration: number;
  argv: string[];
  peerid: string;
  cname: string;
}

interface SlowlogState {
  /** Newest first. */
  entries: SlowlogEntry[];
  nextId: number;
}

const states = new WeakMap<Engine, SlowlogState>();

function state(e: Engine): SlowlogState {
  let s = states.get(e);
  if (!s) { s = { entries: [], nextId: 0 }; states.set(e, s); }
  return s;
}

/** The entries, newest first (for the UI). */
export function slowlogEntries(e: Engine): readonly SlowlogEntry[] {
  return state(e).entries;
}

/** The arguments as logged: AUTH and HELLO ... AUTH passwords are redacted (redactClientCommandArgument). */
function loggedArgv(cmd: Command, argv: string[]): string[] {
  if (cmd.name === 'auth' && argv.length <= 3) {
    const out = argv.slice();
    for (let i = 1; i < out.length; i++) out[i] = '(redacted)';
    return out;
  }
  if (cmd.name === 'hello') {
    // Only once the protocol version was accepted are the options parsed (and passwords redacted).
    if (argv.length >= 2) {
      const ver = parseLongLong(argv[1]);
      if (ver === null || ver < 2 || ver > 3) return argv;
    }
    let out: string[] | null = null;
    for (let j = 2; j < argv.length; j++) {
      const moreargs = argv.length - 1 - j;
      if (eqi(argv[j], 'auth') && moreargs >= 2) {
        out ??= argv.slice();
        out[j + 1] = '(redacted)';
        out[j + 2] = '(redacted)';
        j += 2;
      } else if (eqi(argv[j], 'setname') && moreargs) {
        j++;
      } else break;
    }
    return out ?? argv;
  }
  return argv;
}

/** slowlogCreateEntry: the arguments trimmed to 32, each to 128 bytes. */
function createEntry(e: Engine, c: Client, argv: string[], duration: number): SlowlogEntry {
  const s = state(e);
  const argc = argv.length;
  const slargc = Math.min(argc, SLOWLOG_ENTRY_MAX_ARGC);
  const out: string[] = new Array(slargc);
  for (let j = 0; j < slargc; j++) {
    if (slargc !== argc && j === slargc - 1) {
      out[j] = `... (${argc - slargc + 1} more arguments)`;
    } else if (argv[j].length > SLOWLOG_ENTRY_MAX_STRING) {
      out[j] = argv[j].slice(0, SLOWLOG_ENTRY_MAX_STRING) + `... (${argv[j].length - SLOWLOG_ENTRY_MAX_STRING} more bytes)`;
    } else {
      out[j] = argv[j];
    }
  }
  return {
    id: s.nextId++,
    time: Math.floor(e.clock.now() / 1000),
    duration,
    argv: out,
    peerid: c.addr,
    cname: c.name,
  };
}

/**
 * slowlogPushCurrentCommand: log the command if it ran for at least slowlog-log-slower-than
 * microseconds (commands flagged skip_slowlog, such as EXEC, are never logged).
 */
export function slowlogPushCurrentCommand(e: Engine, c: Client, cmd: Command, argv: string[], duration: number): void {
  const threshold = e.config.slowlogLogSlowerThan;
  if (threshold < 0 || duration < threshold) return;
  if (cmd.flags.has('skip_slowlog')) return;
  const s = state(e);
  s.entries.unshift(createEntry(e, c, loggedArgv(cmd, argv), duration));
  while (s.entries.length > e.config.slowlogMaxLen) s.entries.pop();
}

const SLOWLOG_HELP = [
  'SLOWLOG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'GET [<count>]',
  '    Return top <count> entries from the slowlog (default: 10, -1 mean all).',
  '    Entries are made of:',
  '    id, timestamp, time in microseconds, arguments array, client IP and port,',
  '    client name',
  'LEN',
  '    Return the length of the slowlog.',
  'RESET',
  '    Reset the slowlog.',
  'HELP',
  '    Prints this help.',
];

/** addReplySubcommandSyntaxError. */
function subcommandSyntaxError(argv: string[]): Reply {
  const sub = argv[1].slice(0, 128).replace(/[\r\n]/g, ' ');
  return R.error(`ERR unknown subcommand or wrong number of arguments for '${sub}'. Try SLOWLOG HELP.`);
}

function slowlogHelpCommand(): Reply {
  return R.array(SLOWLOG_HELP.map((l) => R.status(l)));
}

function slowlogResetCommand(c: Client): Reply {
  state(c.engine).entries.length = 0;
  return R.OK;
}

function slowlogLenCommand(c: Client): Reply {
  return R.int(state(c.engine).entries.length);
}

function slowlogGetCommand(c: Client, argv: string[]): Reply {
  if (argv.length > 3) return subcommandSyntaxError(argv);
  const s = state(c.engine);
  let count = 10;
  if (argv.length === 3) {
    const v = parseLongLong(argv[2]);
    if (v === null || v < -1) return R.error('ERR count should be greater than or equal to -1');
    count = v === -1 ? s.entries.length : Number(v);
  }
  if (count > s.entries.length) count = s.entries.length;
  const out: Reply[] = [];
  for (let i = 0; i < count; i++) {
    const se = s.entries[i];
    out.push(R.array([
      R.int(se.id), R.int(se.time), R.int(se.duration),
      R.array(se.argv.map((a) => R.bulk(a))),
      R.bulk(se.peerid), R.bulk(se.cname),
    ]));
  }
  return R.array(out);
}

export const slowlogCommands: CommandDef[] = [
  { name: 'slowlog|get', proc: slowlogGetCommand, complexity: 'O(N)' },
  { name: 'slowlog|len', proc: slowlogLenCommand, complexity: 'O(1)' },
  { name: 'slowlog|reset', proc: slowlogResetCommand, complexity: 'O(N)' },
  { name: 'slowlog|help', proc: slowlogHelpCommand, complexity: 'O(1)' },
];
