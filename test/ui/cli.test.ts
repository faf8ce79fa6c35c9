/** redis-cli's side of the console: syntax strings, hints, completion and help, against redis-cli 7.0.15. */
import { describe, expect, it } from 'vitest';
import meta from '../../src/engine/command-meta';
import { commandSyntax, type DocArg } from '../../src/ui/syntax';
import { completions, helpBlocks, helpText, hintFor } from '../../src/ui/cli';
import type { CommandDoc } from '../../src/worker/api';

type Meta = Record<string, { docs?: { arguments?: DocArg[]; subcommands?: Record<string, { arguments?: DocArg[] }> } }>;
const m = meta as unknown as Meta;
const syntaxOf = (name: string) => {
  const [c, s] = name.split(' ');
  const d = s ? m[c].docs?.subcommands?.[`${c}|${s}`] : m[c].docs;
  return commandSyntax(d?.arguments ?? []);
};

describe('commandSyntax (the params redis-cli prints in help and hints)', () => {
  // Copied from `help <command>` in redis-cli 7.0.15 (all 351 entries were compared while writing this).
  it.each([
    ['set', 'key value [NX|XX] [GET] [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|KEEPTTL]'],
    ['zadd', 'key [NX|XX] [GT|LT] [CH] [INCR] score member [score member ...]'],
    ['config get', 'parameter [parameter ...]'],
    ['config set', 'parameter value [parameter value ...]'],
    ['client kill', 'ip:port|[ID client-id]|[TYPE NORMAL|MASTER|SLAVE|REPLICA|PUBSUB]|[USER username]|[ADDR ip:port]|[LADDR ip:port]|[SKIPME yes/no] [[ID client-id]|[TYPE NORMAL|MASTER|SLAVE|REPLICA|PUBSUB]|[USER username]|[ADDR ip:port]|[LADDR ip:port]|[SKIPME yes/no] ...]'],
    ['client tracking', 'ON|OFF [REDIRECT client-id] [PREFIX prefix [PREFIX prefix ...]] [BCAST] [OPTIN] [OPTOUT] [NOLOOP]'],
    ['migrate', 'host port key|"" destination-db timeout [COPY] [REPLACE] [[AUTH password]|[AUTH2 username password]] [KEYS key [key ...]]'],
    ['bitpos', 'key bit [start [end [BYTE|BIT]]]'],
    ['blmpop', 'timeout numkeys key [key ...] LEFT|RIGHT [COUNT count]'],
    ['pfadd', 'key [element [element ...]]'],
    ['get', 'key'],
    ['ping', '[message]'],
  ])('%s', (name, expected) => {
    expect(syntaxOf(name)).toBe(expected);
  });
});

const doc = (name: string, group: string, summary: string, since: string, complexity = 'O(1)'): CommandDoc => ({
  name, syntax: syntaxOf(name.toLowerCase()), summary, since, group, complexity, complexityClass: 'O(1)',
});
const docs: CommandDoc[] = [
  doc('CONFIG', 'server', 'A container for server configuration commands', '2.0.0', 'Depends on subcommand.'),
  doc('CONFIG GET', 'server', 'Get the values of configuration parameters', '2.0.0', 'O(N) when N is the number of configuration parameters provided'),
  doc('CONFIG SET', 'server', 'Set configuration parameters to the given values', '2.0.0'),
  doc('GET', 'string', 'Get the value of a key', '1.0.0'),
  doc('GETDEL', 'string', 'Get the value of a key and delete the key', '6.2.0'),
  doc('SET', 'string', 'Set the string value of a key', '1.0.0'),
];

describe('hintFor (redis-cli hintsCallback, copied from a TTY session)', () => {
  const SET = 'value [NX|XX] [GET] [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|KEEPTTL]';
  it.each([
    ['SET', ' key ' + SET],
    ['SET k', ' ' + SET],
    ['SET k ', SET],
    ['GET k', ' '],
    ['GET k ', ''],
    ['config get', ' parameter [parameter ...]'],
    ['config get x', ' [parameter ...]'],
    ['SET k v ex', ' [NX|XX] [GET] [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|KEEPTTL]'],
    ['NOPE a', ''],
    ['', ''],
    ['SET "a', ''],
  ])('%j', (line, expected) => {
    expect(hintFor(line, docs)).toBe(expected);
  });
});

describe('completions (Tab)', () => {
  it('completes command names in the typed case', () => {
    expect(completions('ge', docs)).toEqual(['get', 'getdel']);
    expect(completions('GE', docs)).toEqual(['GET', 'GETDEL']);
    expect(completions('co', docs)).toEqual(['config']);
    expect(completions('get k', docs)).toEqual([]);
  });
});

describe('help', () => {
  it('help GET prints like redis-cli, plus the complexity', () => {
    expect(helpText(helpBlocks(['GET'], docs) ?? [])).toBe(
      '\n  GET key\n  summary: Get the value of a key\n  since: 1.0.0\n  group: string\n  complexity: O(1)\n',
    );
  });
  it('help config lists the container and its subcommands', () => {
    expect(helpBlocks(['config'], docs)?.map((h) => h.name)).toEqual(['CONFIG', 'CONFIG GET', 'CONFIG SET']);
  });
  it('help @string lists the group without the group line', () => {
    const blocks = helpBlocks(['@string'], docs) ?? [];
    expect(blocks.map((h) => h.name)).toEqual(['GET', 'GETDEL', 'SET']);
    expect(blocks[0].lines.map((l) => l.label)).toEqual(['summary', 'since', 'complexity']);
  });
  it('help nosuch prints nothing; help alone the banner', () => {
    expect(helpBlocks(['nosuch'], docs)).toEqual([]);
    expect(helpBlocks([], docs)).toBeNull();
  });
});
