import { describe, it, expect } from 'vitest';
import { createEngine, ManualClock, type Engine, type Client } from '../../src/engine';
import { encodeReply } from '../../src/engine/resp';
import { CommandTable } from '../../src/engine/commands';
import { keysFromSpecs } from '../../src/engine/server';
import { memToULL, lookupConfigParam } from '../../src/engine/config-params';
import { genInfo, bytesToHuman } from '../../src/engine/info';

const T0 = 1_700_000_000_000;
function setup() {
  const clock = new ManualClock(T0);
  const e = createEngine({ clock, seed: 1 });
  return { e, clock };
}
const run = (c: Client, ...argv: string[]) => encodeReply(c.exec(argv).reply, c.resp);
const r2 = (e: Engine, ...argv: string[]) => run(e.defaultClient, ...argv);
/** The text of a bulk/verbatim reply. */
function text(c: Client, ...argv: string[]): string {
  const rep = c.exec(argv).reply;
  if (rep.t !== 'bulk' && rep.t !== 'verbatim') throw new Error(`not a string reply: ${JSON.stringify(rep)}`);
  return rep.v;
}

describe('INFO', () => {
  it('prints the default sections in 7.0 order with the main fields', () => {
    const { e } = setup();
    r2(e, 'SET', 'a', '1');
    r2(e, 'GET', 'a');
    r2(e, 'GET', 'nokey');
    const info = text(e.defaultClient, 'INFO');
    const titles = [...info.matchAll(/^# (\w+)\r$/gm)].map((m) => m[1]);
    expect(titles).toEqual(['Server', 'Clients', 'Memory', 'Persistence', 'Stats', 'Replication', 'CPU', 'Modules', 'Errorstats', 'Cluster', 'Keyspace']);
    expect(info).toMatch(/^# Server\r\nredis_version:7\.0\.15\r\n/);
    expect(info).toMatch(/\r\nredis_mode:standalone\r\n/);
    expect(info).toMatch(/\r\ntcp_port:6379\r\n/);
    expect(info).toMatch(/\r\nuptime_in_seconds:0\r\n/);
    expect(info).toMatch(/\r\nconnected_clients:1\r\n/);
    expect(info).toMatch(/\r\nused_memory:\d+\r\nused_memory_human:[\d.]+[BKMG]\r\n/);
    expect(info).toMatch(/\r\nmaxmemory:0\r\nmaxmemory_human:0B\r\nmaxmemory_policy:noeviction\r\n/);
    expect(info).toMatch(/\r\nkeyspace_hits:1\r\nkeyspace_misses:1\r\n/);
    expect(info).toMatch(/\r\nexpired_keys:0\r\n/);
    expect(info).toMatch(/\r\nevicted_keys:0\r\n/);
    expect(info).toMatch(/\r\ntotal_commands_processed:3\r\n/);
    expect(info).toMatch(/\r\nrole:master\r\n/);
    expect(info.endsWith('# Keyspace\r\ndb0:keys=1,expires=0,avg_ttl=0\r\n')).toBe(true);
    expect(info).toContain('\r\n\r\n# Clients\r\n');
  });

  it('selects sections: all, everything, several names, unknown', () => {
    const { e } = setup();
    const titles = (s: string) => [...s.matchAll(/^# (\w+)\r$/gm)].map((m) => m[1]);
    expect(titles(genInfo(e, null, ['all']))).toEqual(['Server', 'Clients', 'Memory', 'Persistence', 'Stats', 'Replication', 'CPU', 'Modules', 'Commandstats', 'Errorstats', 'Latencystats', 'Cluster', 'Keyspace']);
    expect(titles(genInfo(e, null, ['everything']))).toHaveLength(13);
    expect(titles(genInfo(e, null, ['keyspace', 'SERVER']))).toEqual(['Server', 'Keyspace']);
    expect(r2(e, 'INFO', 'nosuch')).toBe('$0\r\n\r\n');
    expect(r2(e, 'INFO', 'keyspace')).toBe('$12\r\n# Keyspace\r\n\r\n');
  });

  it('counts uptime with the clock, commandstats, and CONFIG RESETSTAT clears them', () => {
    const { e, clock } = setup();
    r2(e, 'SET', 'k', 'v');
    r2(e, 'GET', 'k');
    r2(e, 'GET', 'k');
    r2(e, 'GET');
    clock.advance(5000);
    expect(text(e.defaultClient, 'INFO', 'server')).toMatch(/\r\nuptime_in_seconds:5\r\n/);
    const cs = text(e.defaultClient, 'INFO', 'commandstats');
    expect(cs).toMatch(/\r\ncmdstat_get:calls=2,usec=0,usec_per_call=0\.00,rejected_calls=1,failed_calls=0\r\n/);
    expect(cs).toMatch(/\r\ncmdstat_set:calls=1,/);
    expect(r2(e, 'CONFIG', 'RESETSTAT')).toBe('+OK\r\n');
    expect(text(e.defaultClient, 'INFO', 'commandstats')).toBe('# Commandstats\r\ncmdstat_config|resetstat:calls=1,usec=0,usec_per_call=0.00,rejected_calls=0,failed_calls=0\r\n');
    expect(text(e.defaultClient, 'INFO', 'stats')).toMatch(/\r\nkeyspace_hits:0\r\n/);
  });

  it('is a verbatim string in RESP3', () => {
    const { e } = setup();
    r2(e, 'HELLO', '3');
    expect(r2(e, 'INFO', 'cluster')).toBe('=34\r\ntxt:# Cluster\r\ncluster_enabled:0\r\n\r\n');
  });

  it('formats human sizes as bytesToHuman', () => {
    expect(bytesToHuman(0)).toBe('0B');
    expect(bytesToHuman(1682952)).toBe('1.60M');
    expect(bytesToHuman(32768)).toBe('32.00K');
  });
});

const CLIENT_LINE = /^id=(\d+) addr=\S+:\d+ laddr=\S+:\d+ fd=\d+ name=(\S*) age=(\d+) idle=(\d+) flags=([A-Za-z]+) db=(\d+) sub=0 psub=0 ssub=0 multi=-?\d+ qbuf=\d+ qbuf-free=\d+ argv-mem=\d+ multi-mem=\d+ rbs=\d+ rbp=\d+ obl=0 oll=0 omem=0 tot-mem=\d+ events=r cmd=(\S+) user=default redir=-1 resp=([23])$/;

describe('CLIENT', () => {
  it('LIST prints one 7.0-formatted line per client', () => {
    const { e, clock } = setup();
    const c1 = e.defaultClient;
    const c2 = e.createClient();
    run(c2, 'CLIENT', 'SETNAME', 'worker');
    run(c2, 'SELECT', '4');
    clock.advance(3000);
    const out = text(c1, 'CLIENT', 'LIST');
    expect(out.endsWith('\n')).toBe(true);
    const lines = out.slice(0, -1).split('\n');
    expect(lines).toHaveLength(2);
    const m1 = CLIENT_LINE.exec(lines[0])!;
    const m2 = CLIENT_LINE.exec(lines[1])!;
    expect(m1).not.toBeNull();
    expect(m2).not.toBeNull();
    expect(m1[1]).toBe(String(c1.id));
    expect(m1[5]).toBe('N');
    expect(m1[7]).toBe('client|list');
    expect(lines[0]).toContain(' qbuf=26 ');
    expect(lines[0]).toContain(' argv-mem=10 ');
    expect(m2[2]).toBe('worker');
    expect(m2[3]).toBe('3');
    expect(m2[4]).toBe('3');
    expect(m2[6]).toBe('4');
    expect(m2[7]).toBe('select');
    expect(text(c1, 'CLIENT', 'LIST', 'ID', String(c2.id)).split('\n')).toHaveLength(2);
    expect(text(c1, 'CLIENT', 'LIST', 'TYPE', 'normal').split('\n')).toHaveLength(3);
    expect(text(c1, 'CLIENT', 'LIST', 'TYPE', 'pubsub')).toBe('');
  });

  it('INFO describes the calling client; flags show MULTI-less no-evict', () => {
    const { e } = setup();
    const c = e.defaultClient;
    run(c, 'CLIENT', 'NO-EVICT', 'on');
    const line = text(c, 'CLIENT', 'INFO');
    expect(line).toMatch(/ flags=e /);
    expect(CLIENT_LINE.test(line.slice(0, -1))).toBe(true);
    expect(line).toContain(' cmd=client|info ');
  });

  it('KILL by id, addr (old form) and skipme', () => {
    const { e } = setup();
    const c1 = e.defaultClient;
    const c2 = e.createClient();
    const c3 = e.createClient();
    c3.addr = '10.0.0.3:5555';
    expect(run(c1, 'CLIENT', 'KILL', 'ID', String(c2.id))).toBe(':1\r\n');
    expect(c2.killed).toBe(true);
    expect(e.clients.has(c2.id)).toBe(false);
    expect(run(c1, 'CLIENT', 'KILL', '10.0.0.3:5555')).toBe('+OK\r\n');
    expect(e.clients.has(c3.id)).toBe(false);
    expect(run(c1, 'CLIENT', 'KILL', 'ID', String(c1.id))).toBe(':0\r\n');
    expect(run(c1, 'CLIENT', 'KILL', 'ID', String(c1.id), 'SKIPME', 'no')).toBe(':1\r\n');
    expect(c1.closeAfterReply).toBe(true);
  });

  it('SETNAME / GETNAME / ID', () => {
    const { e } = setup();
    const c = e.defaultClient;
    expect(run(c, 'CLIENT', 'ID')).toBe(`:${c.id}\r\n`);
    expect(run(c, 'CLIENT', 'GETNAME')).toBe('$-1\r\n');
    expect(run(c, 'CLIENT', 'SETNAME', 'x\x7f')).toBe('-ERR Client names cannot contain spaces, newlines or special characters.\r\n');
    expect(run(c, 'CLIENT', 'SETNAME', 'abc')).toBe('+OK\r\n');
    expect(run(c, 'CLIENT', 'GETNAME')).toBe('$3\r\nabc\r\n');
  });
});

describe('keyspace commands', () => {
  it('FLUSHALL / FLUSHDB / SWAPDB invalidate WATCHed keys', () => {
    const { e } = setup();
    const c = e.defaultClient;
    run(c, 'SET', 'k', 'v');
    e.watchedKeys.set('0\0k', new Set([c]));
    c.watched.add('0\0k');
    run(c, 'FLUSHDB');
    expect(c.dirtyCas).toBe(true);
    c.dirtyCas = false;
    run(c, 'SET', 'k', 'v');
    run(c, 'FLUSHALL');
    expect(c.dirtyCas).toBe(true);
    c.dirtyCas = false;
    run(c, 'SELECT', '1');
    run(c, 'SET', 'k', 'v');
    run(c, 'SWAPDB', '0', '1');
    expect(c.dirtyCas).toBe(true);
    expect(e.dbs[0].size()).toBe(1);
    expect(e.dbs[1].size()).toBe(0);
  });

  it('FLUSHALL counts dirty; TIME follows the clock', () => {
    const { e, clock } = setup();
    r2(e, 'SET', 'a', '1');
    r2(e, 'SET', 'b', '1');
    const before = e.dirty;
    r2(e, 'FLUSHALL');
    expect(e.dirty).toBe(before + 3);
    clock.set(1_700_000_123_456);
    expect(r2(e, 'TIME')).toBe('*2\r\n$10\r\n1700000123\r\n$6\r\n456000\r\n');
  });
});

describe('OBJECT', () => {
  it('IDLETIME follows the LRU clock; FREQ under an LFU policy', () => {
    const { e, clock } = setup();
    r2(e, 'SET', 'k', 'hello');
    clock.advance(12_000);
    expect(r2(e, 'OBJECT', 'IDLETIME', 'k')).toBe(':12\r\n');
    expect(r2(e, 'OBJECT', 'IDLETIME', 'k')).toBe(':12\r\n');
    r2(e, 'GET', 'k');
    expect(r2(e, 'OBJECT', 'IDLETIME', 'k')).toBe(':0\r\n');
    r2(e, 'CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lfu');
    r2(e, 'SET', 'f', 'x');
    expect(r2(e, 'OBJECT', 'FREQ', 'f')).toBe(':5\r\n');
  });

  it('REFCOUNT: shared integers 0..9999', () => {
    const { e } = setup();
    r2(e, 'SET', 'a', '9999');
    r2(e, 'SET', 'b', '10000');
    expect(r2(e, 'OBJECT', 'REFCOUNT', 'a')).toBe(':2147483647\r\n');
    expect(r2(e, 'OBJECT', 'REFCOUNT', 'b')).toBe(':1\r\n');
  });
});

describe('CONFIG', () => {
  it('SET updates the typed config the engine reads', () => {
    const { e } = setup();
    expect(r2(e, 'CONFIG', 'SET', 'hash-max-ziplist-entries', '7', 'maxmemory', '2mb', 'maxmemory-policy', 'allkeys-lru')).toBe('+OK\r\n');
    expect(e.config.hashMaxListpackEntries).toBe(7);
    expect(e.config.maxmemory).toBe(2 * 1024 * 1024);
    expect(e.config.maxmemoryPolicy).toBe('allkeys-lru');
    expect(r2(e, 'CONFIG', 'SET', 'hz', '0')).toBe('+OK\r\n');
    expect(e.config.hz).toBe(1);
  });

  it('GET with globs returns names and aliases; RESP3 map', () => {
    const { e } = setup();
    expect(r2(e, 'CONFIG', 'GET', 'hash-max-*')).toBe('*8\r\n$25\r\nhash-max-listpack-entries\r\n$3\r\n512\r\n$24\r\nhash-max-ziplist-entries\r\n$3\r\n512\r\n$23\r\nhash-max-listpack-value\r\n$2\r\n64\r\n$22\r\nhash-max-ziplist-value\r\n$2\r\n64\r\n');
    const all = e.exec(['CONFIG', 'GET', '*']).reply;
    expect(all.t).toBe('map');
    if (all.t === 'map') expect(all.v.length / 2).toBe(192 - 1 /* port is typed; count all 7.0 names */ + 1);
    r2(e, 'HELLO', '3');
    expect(r2(e, 'CONFIG', 'GET', 'hz')).toBe('%1\r\n$2\r\nhz\r\n$2\r\n10\r\n');
  });

  it('memtoull wraps and saturates like C', () => {
    expect(memToULL('1kb')).toBe(1024n);
    expect(memToULL('')).toBe(0n);
    expect(memToULL('99999999999999999999999')).toBe(18446744073709551615n);
    expect(memToULL('9999999999gb')).toBe(10737418238926258176n);
    expect(memToULL('-1')).toBeNull();
    expect(lookupConfigParam('HASH-MAX-ZIPLIST-VALUE')?.name).toBe('hash-max-listpack-value');
  });
});

describe('AUTH / HELLO / RESET / QUIT', () => {
  it('requirepass: new clients need AUTH; HELLO AUTH authenticates', () => {
    const { e } = setup();
    r2(e, 'CONFIG', 'SET', 'requirepass', 'pw');
    const c = e.createClient();
    expect(run(c, 'GET', 'k')).toBe('-NOAUTH Authentication required.\r\n');
    expect(run(c, 'HELLO', '3')).toMatch(/^-NOAUTH HELLO must be called with the client already authenticated/);
    expect(run(c, 'AUTH', 'nope')).toBe('-WRONGPASS invalid username-password pair or user is disabled.\r\n');
    expect(run(c, 'HELLO', '3', 'AUTH', 'default', 'pw', 'SETNAME', 'n1')).toMatch(/^%7\r\n/);
    expect(c.resp).toBe(3);
    expect(c.name).toBe('n1');
    expect(run(c, 'GET', 'k')).toBe('_\r\n');
    const d = e.createClient();
    r2(e, 'CONFIG', 'SET', 'requirepass', '');
    expect(run(d, 'GET', 'k')).toBe('$-1\r\n');
  });

  it('HELLO replies an array in RESP2 with the client id', () => {
    const { e } = setup();
    const id = e.defaultClient.id;
    expect(r2(e, 'HELLO')).toBe(`*14\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$6\r\n7.0.15\r\n$5\r\nproto\r\n:2\r\n$2\r\nid\r\n:${id}\r\n$4\r\nmode\r\n$10\r\nstandalone\r\n$4\r\nrole\r\n$6\r\nmaster\r\n$7\r\nmodules\r\n*0\r\n`);
  });

  it('RESET clears db, name, protocol, watches; QUIT closes', () => {
    const { e } = setup();
    const c = e.defaultClient;
    run(c, 'HELLO', '3', 'SETNAME', 'x');
    run(c, 'SELECT', '5');
    c.watched.add('5\0k');
    e.watchedKeys.set('5\0k', new Set([c]));
    expect(run(c, 'RESET')).toBe('+RESET\r\n');
    expect(c.resp).toBe(2);
    expect(c.db.id).toBe(0);
    expect(c.name).toBe('');
    expect(c.watched.size).toBe(0);
    expect(e.watchedKeys.size).toBe(0);
    expect(run(c, 'QUIT')).toBe('+OK\r\n');
    expect(c.closeAfterReply).toBe(true);
  });
});

describe('COMMAND', () => {
  it('COUNT is the size of the engine table; LIST includes implemented subcommands', () => {
    const { e } = setup();
    expect(r2(e, 'COMMAND', 'COUNT')).toBe(`:${e.commands.commands.size}\r\n`);
    const list = e.exec(['COMMAND', 'LIST']).reply;
    expect(list.t).toBe('array');
    if (list.t === 'array') {
      const names = list.v.map((x) => (x.t === 'bulk' ? x.v : ''));
      expect(names).toContain('config|get');
      expect(names).toContain('get');
    }
    const all = e.exec(['COMMAND']).reply;
    expect(all.t === 'array' && all.v.length).toBe(e.commands.commands.size);
  });

  it('finds keys with range and keynum key specs', () => {
    const table = new CommandTable([
      { name: 'zunionstore', proc: () => ({ t: 'nil' }), complexity: 'O(N)' },
      { name: 'mset', proc: () => ({ t: 'nil' }), complexity: 'O(N)' },
    ]);
    const z = table.commands.get('zunionstore')!;
    expect(keysFromSpecs(z, ['zunionstore', 'dst', '2', 'a', 'b', 'WEIGHTS', '1', '2'])!.map((k) => k.index)).toEqual([1, 3, 4]);
    expect(keysFromSpecs(z, ['zunionstore', 'dst', '3', 'a', 'b'])).toBeNull();
    const m = table.commands.get('mset')!;
    expect(keysFromSpecs(m, ['mset', 'a', '1', 'b', '2'])!.map((k) => k.index)).toEqual([1, 3]);
  });
});
