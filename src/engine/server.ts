/**
 * Connection and server commands (as parts of src/server.c, src/networking.c, src/config.c,
 * src/object.c, src/db.c in Redis 7.0): PING ECHO SELECT DBSIZE FLUSHDB FLUSHALL SWAPDB TIME INFO
 * COMMAND CONFIG HELLO AUTH CLIENT OBJECT RESET QUIT.
 *
 * COMMAND (bare, COUNT, INFO, LIST, DOCS) describes the commands the engine implements, from the raw
 * COMMAND INFO / COMMAND DOCS entries of the real server kept in command-meta.ts: COMMAND COUNT is
 * the size of the engine's table, not Redis's 240.
 */
import type { Client } from './client';
import type { Command, CommandDef } from './commands';
import type { Engine } from './engine';
import type { Db } from './db';
import type { Reply } from './types';
import * as R from './reply';
import { parseLongLong, stringMatch, eqi } from './util';
import { encodeCommand } from './resp';
import { estimateIdleTime, lfuDecrAndReturn } from './lru';
import { lookupConfigParam, allConfigNames, type ConfigParam } from './config-params';
import { genInfo, everyCommand } from './info';
import { performEvictions } from './evict';
import { clientUnblock, pauseClients, unpauseClients } from './blocked';
import { noteMemtoullErrno, sortResetErrno } from './t_sort';
import { denyBlocking } from './multi';

const OBJ_SHARED_REFCOUNT = 2147483647;
const OBJ_SHARED_INTEGERS = 10000;

// ------------------------------------------------------------------ helpers

/** Redis's addReplyHelp: the header, the lines, and the HELP footer, as status replies. */
function help(name: string, lines: string[]): Reply {
  const out = [`${name} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:`, ...lines, 'HELP', '    Prints this help.'];
  return R.array(out.map(R.status));
}

/** getIntFromObjectOrReply: a C int (32 bits), or null. */
function parseInt32(s: string): number | null {
  const v = parseLongLong(s);
  if (v === null || typeof v === 'bigint' || v < -2147483648 || v > 2147483647) return null;
  return v;
}

/** Client names: printable ASCII without spaces (33..126). */
function validClientName(name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const ch = name.charCodeAt(i);
    if (ch < 33 || ch > 126) return false;
  }
  return true;
}

const CLIENT_NAME_ERR = 'ERR Client names cannot contain spaces, newlines or special characters.';

/** Client state kept here rather than on Client (CLIENT NO-EVICT). */
const noEvict = new WeakSet<Client>();

// ------------------------------------------------------------------ PING ECHO SELECT ...

function pingCommand(c: Client, argv: string[]): Reply {
  if (argv.length > 2) return R.E.wrongArgs('ping');
  // RESP2 and subscribed: ["pong", message] (pub/sub lives in pubsub.ts; the dispatcher lets PING through).
  if (c.resp === 2 && c.isSubscribed()) return R.array([R.bulk('pong'), R.bulk(argv.length === 2 ? argv[1] : '')]);
  if (argv.length === 2) return R.bulk(argv[1]);
  return R.PONG;
}

function echoCommand(_c: Client, argv: string[]): Reply {
  return R.bulk(argv[1]);
}

function selectCommand(c: Client, argv: string[]): Reply {
  if (parseLongLong(argv[1]) === null) return R.E.notInt;
  const id = parseInt32(argv[1]);
  if (id === null) return R.error('ERR value is out of range, value must between -2147483648 and 2147483647');
  if (id < 0 || id >= c.engine.dbs.length) return R.E.dbIndex;
  c.selectDb(id);
  return R.OK;
}

function dbsizeCommand(c: Client): Reply {
  return R.int(c.db.size());
}

/** FLUSHDB / FLUSHALL's optional [ASYNC|SYNC]; null on a syntax error. */
function flushFlagsOk(argv: string[]): boolean {
  if (argv.length > 2) return false;
  if (argv.length === 2 && !eqi(argv[1], 'sync') && !eqi(argv[1], 'async')) return false;
  return true;
}

function flushdbCommand(c: Client, argv: string[]): Reply {
  if (!flushFlagsOk(argv)) return R.E.syntax;
  c.engine.touchAllWatchedKeysInDb(c.db);
  c.engine.dirty += c.db.flush();
  return R.OK;
}

function flushallCommand(c: Client, argv: string[]): Reply {
  if (!flushFlagsOk(argv)) return R.E.syntax;
  let removed = 0;
  for (const db of c.engine.dbs) {
    c.engine.touchAllWatchedKeysInDb(db);
    removed += db.flush();
  }
  c.engine.dirty += removed;
  c.engine.dirty++;
  return R.OK;
}

function swapdbCommand(c: Client, argv: string[]): Reply {
  const a = parseInt32(argv[1]);
  if (a === null) return R.error('ERR invalid first DB index');
  const b = parseInt32(argv[2]);
  if (b === null) return R.error('ERR invalid second DB index');
  const e = c.engine;
  if (a < 0 || a >= e.dbs.length || b < 0 || b >= e.dbs.length) return R.E.dbIndex;
  if (a !== b) {
    const d1 = e.dbs[a], d2 = e.dbs[b];
    e.touchAllWatchedKeysInDb(d1, d2);
    swapDbContents(d1, d2);
    // Blocked clients may now find their keys (scanDatabaseForReadyKeys).
    if (e.onKeyReady) for (const db of [d1, d2]) for (const k of db.dict.keys()) { const o = db.dict.get(k)!; e.signalKeyAsReady(db, k, o); }
  }
  e.dirty++;
  return R.OK;
}

/** Swap the keyspaces of two databases; clients keep their db index and see the other data. */
function swapDbContents(d1: Db, d2: Db): void {
  const dict = d1.dict, expires = d1.expires, cursor = d1.expiresCursor, avg = d1.avgTtl;
  d1.dict = d2.dict; d1.expires = d2.expires; d1.expiresCursor = d2.expiresCursor; d1.avgTtl = d2.avgTtl;
  d2.dict = dict; d2.expires = expires; d2.expiresCursor = cursor; d2.avgTtl = avg;
}

function timeCommand(c: Client): Reply {
  const ms = c.engine.clock.now();
  const sec = Math.floor(ms / 1000);
  const usec = Math.floor((ms - sec * 1000) * 1000);
  return R.array([R.bulk(String(sec)), R.bulk(String(usec))]);
}

function infoCommand(c: Client, argv: string[]): Reply {
  return R.verbatim(genInfo(c.engine, c, argv.slice(1)));
}

function quitCommand(c: Client): Reply {
  c.closeAfterReply = true;
  return R.OK;
}

function resetCommand(c: Client): Reply {
  const e = c.engine;
  c.multi = null;
  c.dirtyCas = false;
  e.unwatchAll(c);
  e.onClientReset?.(c);
  c.channels.clear();
  c.patterns.clear();
  c.selectDb(0);
  c.resp = 2;
  c.name = '';
  c.replyOff = false;
  c.replySkipNext = false;
  // (CLIENT NO-EVICT stays on: clearClientConnectionState does not touch CLIENT_NO_EVICT.)
  // Back to the default user: authenticated only if it needs no password.
  c.authenticated = e.config.requirepass === '';
  return R.status('RESET');
}

// ------------------------------------------------------------------ AUTH / HELLO

/** ACLAuthenticateUser for the only user, "default". Returns an error reply or null. */
function authenticate(c: Client, user: string, pass: string): Reply | null {
  const req = c.engine.config.requirepass;
  if (user === 'default' && (req === '' || pass === req)) {
    c.authenticated = true;
    return null;
  }
  return R.error('WRONGPASS invalid username-password pair or user is disabled.');
}

function authCommand(c: Client, argv: string[]): Reply {
  if (argv.length > 3) return R.E.syntax;
  if (argv.length === 2) {
    if (c.engine.config.requirepass === '') {
      return R.error('ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?');
    }
    return authenticate(c, 'default', argv[1]) ?? R.OK;
  }
  return authenticate(c, argv[1], argv[2]) ?? R.OK;
}

function helloCommand(c: Client, argv: string[]): Reply {
  let ver = 0;
  let next = 1;
  if (argv.length >= 2) {
    const v = parseLongLong(argv[1]);
    if (v === null) return R.error('ERR Protocol version is not an integer or out of range');
    next = 2;
    if (v < 2 || v > 3) return R.error('NOPROTO unsupported protocol version');
    ver = Number(v);
  }
  let auth: [string, string] | null = null;
  let setname: string | null = null;
  for (let j = next; j < argv.length; j++) {
    const more = argv.length - j - 1;
    if (eqi(argv[j], 'auth') && more >= 2) {
      auth = [argv[j + 1], argv[j + 2]];
      j += 2;
    } else if (eqi(argv[j], 'setname') && more >= 1) {
      setname = argv[j + 1];
      j += 1;
    } else {
      return R.error(`ERR Syntax error in HELLO option '${argv[j]}'`);
    }
  }
  if (auth) {
    const err = authenticate(c, auth[0], auth[1]);
    if (err) return err;
  }
  if (!c.authenticated) {
    return R.error('NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time');
  }
  if (setname !== null) {
    if (!validClientName(setname)) return R.error(CLIENT_NAME_ERR);
    c.name = setname;
  }
  if (ver) c.resp = ver as 2 | 3;
  return R.map([
    R.bulk('server'), R.bulk('redis'),
    R.bulk('version'), R.bulk('7.0.15'),
    R.bulk('proto'), R.int(c.resp),
    R.bulk('id'), R.int(c.id),
    R.bulk('mode'), R.bulk('standalone'),
    R.bulk('role'), R.bulk('master'),
    R.bulk('modules'), R.array([]),
  ]);
}

// ------------------------------------------------------------------ CLIENT

/** The CLIENT LIST line of a client (without the trailing newline), as Redis 7.0's catClientInfoString. */
export function clientInfoString(c: Client, current: Client | null, currentArgv: string[] | null): string {
  const e = c.engine;
  const now = e.clock.now();
  let flags = '';
  if (c.isSubscribed()) flags += 'P';
  if (c.multi) flags += 'x';
  if ((c as unknown as { blocked?: unknown }).blocked) flags += 'b';
  if (c.dirtyCas) flags += 'd';
  if (c.closeAfterReply) flags += 'c';
  if (noEvict.has(c)) flags += 'e';
  if (flags === '') flags = 'N';
  const isCurrent = c === current;
  const qbuf = isCurrent && currentArgv ? encodeCommand(currentArgv).length : c.qbuf;
  const qbufFree = isCurrent ? Math.max(0, 20474 - qbuf) : 0;
  let argvMem = 0;
  // Inside EXEC Redis still counts EXEC's own argv (argv_len_sum is not switched with the commands).
  if (isCurrent && denyBlocking.has(c)) argvMem = 4;
  else if (isCurrent && currentArgv) for (const a of currentArgv) argvMem += a.length;
  else if (c.blocked) argvMem = c.blocked.argvLen ?? 0; // a blocked client keeps its command's argv
  let multiMem = 0;
  if (c.multi) for (const q of c.multi.queue) { multiMem += 16; for (const a of q) multiMem += a.length + 16; }
  const rbs = isCurrent ? 1024 : 1024;
  const rbp = isCurrent ? 20 : 0;
  const totMem = 20512 + 1024 + qbuf + (isCurrent ? qbufFree : 0) + argvMem + multiMem;
  return `id=${c.id} addr=${c.addr} laddr=${c.laddr} fd=${c.id + 7} name=${c.name} ` +
    `age=${Math.floor((now - c.createdAt) / 1000)} idle=${Math.floor((now - c.lastInteraction) / 1000)} ` +
    `flags=${flags} db=${c.db.id} sub=${c.channels.size} psub=${c.patterns.size} ssub=${c.shardChannels.size} ` +
    `multi=${c.multi ? c.multi.queue.length : -1} qbuf=${qbuf} qbuf-free=${qbufFree} argv-mem=${argvMem} ` +
    `multi-mem=${multiMem} rbs=${rbs} rbp=${rbp} obl=0 oll=0 omem=0 tot-mem=${totMem} events=r ` +
    `cmd=${c.lastCommand} user=default redir=-1 resp=${c.resp}`;
}

const CLIENT_TYPES = ['normal', 'master', 'replica', 'slave', 'pubsub'];

function clientType(c: Client): string {
  return c.isSubscribed() ? 'pubsub' : 'normal';
}

function typeMatches(c: Client, type: string): boolean {
  const t = type === 'slave' ? 'replica' : type;
  return clientType(c) === t;
}

function clientListCommand(c: Client, argv: string[]): Reply {
  let type: string | null = null;
  if (argv.length === 4 && eqi(argv[2], 'type')) {
    type = argv[3].toLowerCase();
    if (!CLIENT_TYPES.includes(type)) return R.error(`ERR Unknown client type '${argv[3]}'`);
  } else if (argv.length >= 4 && eqi(argv[2], 'id')) {
    // In argument order, a repeated id twice; an invalid id fails the whole command.
    let out = '';
    for (let j = 3; j < argv.length; j++) {
      const id = parseLongLong(argv[j]);
      if (id === null) return R.error('ERR Invalid client ID');
      const cl = typeof id === 'number' ? c.engine.clients.get(id) : undefined;
      if (cl) out += clientInfoString(cl, c, argv) + '\n';
    }
    return R.verbatim(out);
  } else if (argv.length !== 2) {
    return R.E.syntax;
  }
  let out = '';
  for (const cl of c.engine.clients.values()) {
    if (type !== null && !typeMatches(cl, type)) continue;
    out += clientInfoString(cl, c, argv) + '\n';
  }
  return R.verbatim(out);
}

function clientInfoCommand(c: Client, argv: string[]): Reply {
  return R.verbatim(clientInfoString(c, c, argv) + '\n');
}

function killClient(self: Client, target: Client): void {
  if (target === self) {
    self.closeAfterReply = true;
    return;
  }
  target.killed = true;
  self.engine.freeClient(target);
}

function clientKillCommand(c: Client, argv: string[]): Reply {
  const e = c.engine;
  if (argv.length === 3) {
    // Old form: CLIENT KILL ip:port
    for (const cl of e.clients.values()) {
      if (cl.addr === argv[2]) { killClient(c, cl); return R.OK; }
    }
    return R.error('ERR No such client');
  }
  if (argv.length % 2 !== 0) return R.E.syntax;
  let id: number | null = null, type: string | null = null, addr: string | null = null, laddr: string | null = null;
  let user: string | null = null;
  let skipme = true;
  for (let j = 2; j < argv.length; j += 2) {
    const opt = argv[j], val = argv[j + 1];
    if (eqi(opt, 'id')) {
      const v = parseLongLong(val);
      if (v === null || v <= 0) return R.error('ERR client-id should be greater than 0');
      id = Number(v);
    } else if (eqi(opt, 'type')) {
      type = val.toLowerCase();
      if (!CLIENT_TYPES.includes(type)) return R.error(`ERR Unknown client type '${val}'`);
    } else if (eqi(opt, 'addr')) {
      addr = val;
    } else if (eqi(opt, 'laddr')) {
      laddr = val;
    } else if (eqi(opt, 'user')) {
      if (val !== 'default') return R.error(`ERR No such user '${val}'`);
      user = val;
    } else if (eqi(opt, 'skipme')) {
      if (eqi(val, 'yes')) skipme = true;
      else if (eqi(val, 'no')) skipme = false;
      else return R.E.syntax;
    } else {
      return R.E.syntax;
    }
  }
  let killed = 0;
  for (const cl of [...e.clients.values()]) {
    if (id !== null && cl.id !== id) continue;
    if (type !== null && !typeMatches(cl, type)) continue;
    if (addr !== null && cl.addr !== addr) continue;
    if (laddr !== null && cl.laddr !== laddr) continue;
    if (user !== null && user !== 'default') continue;
    if (cl === c && skipme) continue;
    killClient(c, cl);
    killed++;
  }
  return R.int(killed);
}

function clientSetnameCommand(c: Client, argv: string[]): Reply {
  if (!validClientName(argv[2])) return R.error(CLIENT_NAME_ERR);
  c.name = argv[2];
  return R.OK;
}

/**
 * CLIENT UNBLOCK <id> [TIMEOUT|ERROR]: the reason is checked first, then the id; a blocked client
 * gets a timeout's reply (or the UNBLOCKED error) through its addReply, the caller 1 or 0.
 */
function clientUnblockCommand(c: Client, argv: string[]): Reply {
  if (argv.length !== 3 && argv.length !== 4) {
    return R.error(`ERR unknown subcommand or wrong number of arguments for '${argv[1].slice(0, 128)}'. Try CLIENT HELP.`);
  }
  let withError = false;
  if (argv.length === 4) {
    if (eqi(argv[3], 'timeout')) withError = false;
    else if (eqi(argv[3], 'error')) withError = true;
    else return R.error('ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR');
  }
  const id = parseLongLong(argv[2]);
  if (id === null) return R.E.notInt;
  const n = Number(id);
  const target = n > 0 && Number.isSafeInteger(n) ? c.engine.clients.get(n) : undefined;
  return R.int(target && clientUnblock(target, withError) ? 1 : 0);
}

/** CLIENT PAUSE <timeout ms> [WRITE|ALL] (networking.c): the mode is checked before the timeout. */
function clientPauseCommand(c: Client, argv: string[]): Reply {
  if (argv.length !== 3 && argv.length !== 4) {
    return R.error(`ERR unknown subcommand or wrong number of arguments for '${argv[1].slice(0, 128)}'. Try CLIENT HELP.`);
  }
  let type: 1 | 2 = 2;
  if (argv.length === 4) {
    if (eqi(argv[3], 'write')) type = 1;
    else if (eqi(argv[3], 'all')) type = 2;
    else return R.error('ERR CLIENT PAUSE mode must be WRITE or ALL');
  }
  // getTimeoutFromObjectOrReply(UNIT_MILLISECONDS): a long long; added to the time as C would (wrapping).
  const v = parseLongLong(argv[2]);
  if (v === null) return R.error('ERR timeout is not an integer or out of range');
  let end = BigInt(v);
  if (end < 0n) return R.error('ERR timeout is negative');
  if (end > 0n) {
    end += BigInt(c.engine.cmdTime);
    if (end > 9223372036854775807n) end -= 18446744073709551616n;
  }
  pauseClients(c.engine, Number(end), type);
  return R.OK;
}

function clientUnpauseCommand(c: Client): Reply {
  unpauseClients(c.engine);
  return R.OK;
}

/** CLIENT REPLY ON|OFF|SKIP: OFF and SKIP have no reply of their own. */
function clientReplyCommand(c: Client, argv: string[]): Reply {
  if (eqi(argv[2], 'on')) {
    c.replyOff = false;
    c.replySkip = false;
    return R.OK;
  }
  if (eqi(argv[2], 'off')) c.replyOff = true;
  else if (eqi(argv[2], 'skip')) { if (!c.replyOff) c.replySkipNext = true; }
  else return R.E.syntax;
  c.replyNone = true;
  return R.OK;
}

function clientGetnameCommand(c: Client): Reply {
  return c.name === '' ? R.NIL : R.bulk(c.name);
}

function clientIdCommand(c: Client): Reply {
  return R.int(c.id);
}

function clientNoEvictCommand(c: Client, argv: string[]): Reply {
  if (eqi(argv[2], 'on')) noEvict.add(c);
  else if (eqi(argv[2], 'off')) noEvict.delete(c);
  else return R.E.syntax;
  return R.OK;
}

const CLIENT_HELP = [
  'CACHING (YES|NO)',
  '    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.',
  'GETREDIR',
  '    Return the client ID we are redirecting to when tracking is enabled.',
  'GETNAME',
  '    Return the name of the current connection.',
  'ID',
  '    Return the ID of the current connection.',
  'INFO',
  '    Return information about the current client connection.',
  'KILL <ip:port>',
  '    Kill connection made from <ip:port>.',
  'KILL <option> <value> [<option> <value> [...]]',
  '    Kill connections. Options are:',
  '    * ADDR (<ip:port>|<unixsocket>:0)',
  '      Kill connections made from the specified address',
  '    * LADDR (<ip:port>|<unixsocket>:0)',
  '      Kill connections made to specified local address',
  '    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)',
  '      Kill connections by type.',
  '    * USER <username>',
  '      Kill connections authenticated by <username>.',
  '    * SKIPME (YES|NO)',
  '      Skip killing current connection (default: yes).',
  'LIST [options ...]',
  '    Return information about client connections. Options:',
  '    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)',
  '      Return clients of specified type.',
  'UNPAUSE',
  '    Stop the current client pause, resuming traffic.',
  'PAUSE <timeout> [WRITE|ALL]',
  '    Suspend all, or just write, clients for <timeout> milliseconds.',
  'REPLY (ON|OFF|SKIP)',
  '    Control the replies sent to the current connection.',
  'SETNAME <name>',
  '    Assign the name <name> to the current connection.',
  'UNBLOCK <clientid> [TIMEOUT|ERROR]',
  '    Unblock the specified blocked client.',
  'TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]',
  '         [OPTIN] [OPTOUT] [NOLOOP]',
  '    Control server assisted client side caching.',
  'TRACKINGINFO',
  '    Report tracking status for the current connection.',
  'NO-EVICT (ON|OFF)',
  '    Protect current client connection from eviction.',
];

// ------------------------------------------------------------------ OBJECT

function objectLookup(c: Client, key: string) {
  return c.db.lookupKeyRead(key, true);
}

function objectEncodingCommand(c: Client, argv: string[]): Reply {
  const o = objectLookup(c, argv[2]);
  return o ? R.bulk(o.encoding) : R.NIL;
}

/**
 * Integers 0..9999 are shared objects, unless maxmemory was set with an LRU/LFU policy when the
 * object was made (o.unshared, set by the string commands; objects without it follow the config now).
 */
function objectRefcountCommand(c: Client, argv: string[]): Reply {
  const o = objectLookup(c, argv[2]);
  if (!o) return R.NIL;
  const cfg = c.engine.config;
  const noShared = o.unshared ?? (cfg.maxmemory > 0 && /-(lru|lfu)$/.test(cfg.maxmemoryPolicy));
  if (o.type === 'string' && o.encoding === 'int' && !noShared) {
    const v = Number(o.ptr);
    if (v >= 0 && v < OBJ_SHARED_INTEGERS) return R.int(OBJ_SHARED_REFCOUNT);
  }
  return R.int(1);
}

function objectIdletimeCommand(c: Client, argv: string[]): Reply {
  const o = objectLookup(c, argv[2]);
  if (!o) return R.NIL;
  if (c.engine.usesLfu()) {
    return R.error('ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.');
  }
  return R.int(Math.floor(estimateIdleTime(o.lru, c.engine.clock.now()) / 1000));
}

function objectFreqCommand(c: Client, argv: string[]): Reply {
  const o = objectLookup(c, argv[2]);
  if (!o) return R.NIL;
  if (!c.engine.usesLfu()) {
    return R.error('ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.');
  }
  return R.int(lfuDecrAndReturn(o.lru, c.engine.clock.now(), c.engine.config));
}

const OBJECT_HELP = [
  'ENCODING <key>',
  '    Return the kind of internal representation used in order to store the value',
  '    associated with a <key>.',
  'FREQ <key>',
  '    Return the access frequency index of the <key>. The returned integer is',
  '    proportional to the logarithm of the recent access frequency of the key.',
  'IDLETIME <key>',
  '    Return the idle time of the <key>, that is the approximated number of',
  '    seconds elapsed since the last access to the key.',
  'REFCOUNT <key>',
  '    Return the number of references of the value associated with the specified',
  '    <key>.',
];

// ------------------------------------------------------------------ CONFIG

function configGetCommand(c: Client, argv: string[]): Reply {
  const cfg = c.engine.config;
  const seen = new Set<string>();
  const out: Reply[] = [];
  const add = (name: string, p: ConfigParam) => {
    const k = name.toLowerCase();
    if (seen.has(k)) return;
    seen.add(k);
    out.push(R.bulk(name), R.bulk(p.get(cfg)));
  };
  for (let j = 2; j < argv.length; j++) {
    const pat = argv[j];
    if (!/[*?[]/.test(pat)) {
      const p = lookupConfigParam(pat);
      if (p) add(pat, p);
      continue;
    }
    for (const { name, param } of allConfigNames()) {
      if (stringMatch(pat, name, true)) add(name, param);
    }
  }
  return R.map(out);
}

function configSetCommand(c: Client, argv: string[]): Reply {
  if (argv.length % 2 !== 0) return R.E.syntax;
  const e = c.engine;
  const cfg = e.config;
  const items: { name: string; param: ConfigParam; value: string }[] = [];
  const names = new Set<string>();
  for (let j = 2; j < argv.length; j += 2) {
    const name = argv[j].toLowerCase();
    const param = lookupConfigParam(name);
    if (!param) return R.error(`ERR Unknown option or number of arguments for CONFIG SET - '${argv[j]}'`);
    const fail = (why: string) => R.error(`ERR CONFIG SET failed (possibly related to argument '${name}') - ${why}`);
    if (param.immutable) return fail("can't set immutable config");
    if (param.protected) return fail("can't set protected config");
    if (names.has(name)) return fail('duplicate parameter');
    names.add(name);
    items.push({ name, param, value: argv[j + 1] });
  }
  // All or nothing: restore every value when one fails.
  const saved = { ...cfg, extra: { ...cfg.extra }, exact: { ...cfg.exact } };
  for (let i = 0; i < items.length; i++) {
    const it = items[i];
    const err = it.param.set(cfg, it.value);
    if (it.param.memory) noteMemtoullErrno(e, it.value);
    if (err !== null) {
      // Redis restores items 0..i from their old values: a memory one parses again (errno = 0).
      if (items.slice(0, i + 1).some((x) => x.param.memory)) sortResetErrno(e);
      Object.assign(cfg, saved);
      return R.error(`ERR CONFIG SET failed (possibly related to argument '${it.name}') - ${err}`);
    }
  }
  // Apply functions.
  if (cfg.hz !== saved.hz && e.isCronRunning()) e.startTimers();
  if (cfg.maxmemory > 0 && cfg.maxmemory < saved.maxmemory) performEvictions(e);
  if (cfg.maxmemory > 0 && saved.maxmemory === 0) performEvictions(e);
  return R.OK;
}

function configResetstatCommand(c: Client): Reply {
  resetStats(c.engine);
  return R.OK;
}

/** Redis's resetServerStats and resetCommandTableStats. */
export function resetStats(e: Engine): void {
  const st = e.stats;
  const start = st.startTime;
  st.totalCommands = 0; st.totalConnections = 0; st.expiredKeys = 0; st.evictedKeys = 0;
  st.keyspaceHits = 0; st.keyspaceMisses = 0; st.expiredStalePerc = 0; st.expireCycleCpuMs = 0;
  st.rejectedCalls = 0; st.startTime = start;
  st.errorReplies = 0; st.errorStats.clear();
  for (const cmd of everyCommand(e)) { cmd.calls = 0; cmd.usec = 0; cmd.rejectedCalls = 0; cmd.failedCalls = 0; cmd.latency = false; }
}

function configRewriteCommand(): Reply {
  return R.error('ERR The server is running without a config file');
}

const CONFIG_HELP = [
  'GET <pattern>',
  '    Return parameters matching the glob-like <pattern> and their values.',
  'SET <directive> <value>',
  '    Set the configuration <directive> to <value>.',
  'RESETSTAT',
  '    Reset statistics reported by the INFO command.',
  'REWRITE',
  '    Rewrite the configuration file.',
];

// ------------------------------------------------------------------ COMMAND

type Raw = string | number | null | Raw[];

/** A key spec of COMMAND INFO (raw: flat key/value list) as a map; "flags" is a set of status replies. */
function rawMap(raw: Raw[]): Reply {
  const out: Reply[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const k = raw[i] as string, v = raw[i + 1];
    out.push(R.bulk(k));
    if (k === 'flags') out.push(R.set((v as string[]).map(R.status)));
    else out.push(rawValue(v));
  }
  return R.map(out);
}

function rawValue(v: Raw): Reply {
  if (Array.isArray(v)) return rawMap(v);
  if (typeof v === 'number') return R.int(v);
  if (v === null) return R.NIL;
  return R.bulk(v);
}

/** A COMMAND INFO entry: only the subcommands the engine implements are listed. */
function commandInfoReply(cmd: Command): Reply {
  const i = cmd.info;
  const subs: Reply[] = [];
  if (cmd.subcommands) {
    for (const raw of i[9]) {
      const sub = cmd.subcommands.get(raw[0].split('|')[1]);
      if (sub && sub.proc) subs.push(commandInfoReply(sub));
    }
  }
  return R.array([
    R.bulk(cmd.fullname),
    R.int(i[1]),
    R.set(i[2].map(R.status)),
    R.int(i[3]), R.int(i[4]), R.int(i[5]),
    R.set(i[6].map(R.status)),
    R.set(i[7].map(R.bulk)),
    R.set((i[8] as Raw[][]).map(rawMap)),
    R.set(subs),
  ]);
}

function docsArgReply(a: Record<string, unknown>): Reply {
  const out: Reply[] = [];
  for (const [k, v] of Object.entries(a)) {
    out.push(R.bulk(k));
    if (k === 'flags') out.push(R.set((v as string[]).map(R.status)));
    else if (k === 'arguments') out.push(R.array((v as Record<string, unknown>[]).map(docsArgReply)));
    else if (typeof v === 'number') out.push(R.int(v));
    else out.push(R.bulk(String(v)));
  }
  return R.map(out);
}

function commandDocsReply(cmd: Command): Reply {
  const d = cmd.docs ?? {};
  const out: Reply[] = [];
  for (const [k, v] of Object.entries(d)) {
    if (k === 'subcommands') {
      const subs: Reply[] = [];
      for (const name of Object.keys(v as Record<string, unknown>)) {
        const sub = cmd.subcommands?.get(name.split('|')[1]);
        if (sub && sub.proc) subs.push(R.bulk(sub.fullname), commandDocsReply(sub));
      }
      out.push(R.bulk(k), R.map(subs));
      continue;
    }
    out.push(R.bulk(k));
    if (k === 'doc_flags') out.push(R.set((v as string[]).map(R.status)));
    else if (k === 'history') out.push(R.set((v as string[][]).map((h) => R.array(h.map(R.bulk)))));
    else if (k === 'arguments') out.push(R.array((v as Record<string, unknown>[]).map(docsArgReply)));
    else out.push(R.bulk(String(v)));
  }
  return R.map(out);
}

/** Implemented top-level commands (those with a proc or with implemented subcommands). */
function topCommands(e: Engine): Command[] {
  return [...e.commands.commands.values()];
}

/** A command by its full name ("get", "config|get"), case-insensitive. */
function commandByFullname(e: Engine, name: string): Command | null {
  const [top, sub] = name.toLowerCase().split('|');
  const cmd = e.commands.commands.get(top);
  if (!cmd) return null;
  if (sub === undefined) return cmd;
  if (name.split('|').length > 2) return null;
  const s = cmd.subcommands?.get(sub);
  return s && s.proc ? s : null;
}

function commandCommand(c: Client): Reply {
  return R.array(topCommands(c.engine).map(commandInfoReply));
}

function commandCountCommand(c: Client): Reply {
  return R.int(c.engine.commands.commands.size);
}

function commandInfoCommand(c: Client, argv: string[]): Reply {
  if (argv.length === 2) return commandCommand(c);
  const out: Reply[] = [];
  for (let j = 2; j < argv.length; j++) {
    const cmd = commandByFullname(c.engine, argv[j]);
    out.push(cmd ? commandInfoReply(cmd) : R.NIL);
  }
  return R.array(out);
}

function commandDocsCommand(c: Client, argv: string[]): Reply {
  const out: Reply[] = [];
  if (argv.length === 2) {
    for (const cmd of topCommands(c.engine)) out.push(R.bulk(cmd.fullname), commandDocsReply(cmd));
  } else {
    for (let j = 2; j < argv.length; j++) {
      const cmd = commandByFullname(c.engine, argv[j]);
      if (cmd) out.push(R.bulk(cmd.fullname), commandDocsReply(cmd));
    }
  }
  return R.map(out);
}

function commandListCommand(c: Client, argv: string[]): Reply {
  let filter: ((cmd: Command) => boolean) | null = null;
  if (argv.length === 5 && eqi(argv[2], 'filterby')) {
    const v = argv[4];
    if (eqi(argv[3], 'module')) filter = () => false;
    else if (eqi(argv[3], 'aclcat')) filter = (cmd) => cmd.info[6].some((cat) => cat.slice(1).toLowerCase() === v.toLowerCase());
    else if (eqi(argv[3], 'pattern')) filter = (cmd) => stringMatch(v, cmd.fullname, true);
    else return R.E.syntax;
  } else if (argv.length !== 2) {
    return R.E.syntax;
  }
  const out: Reply[] = [];
  for (const cmd of everyCommand(c.engine)) {
    if (cmd.parent && !cmd.proc) continue;
    if (!filter || filter(cmd)) out.push(R.bulk(cmd.fullname));
  }
  return R.array(out);
}

/** Keys and their key-spec flags, found with the key specs of the raw COMMAND INFO entry. */
export function keysFromSpecs(cmd: Command, argv: string[]): { index: number; flags: string[] }[] | null {
  const out: { index: number; flags: string[] }[] = [];
  const specs = cmd.info[8] as Raw[][];
  for (const spec of specs) {
    const s = toObj(spec);
    let flags = (s.flags as string[]) ?? [];
    if (flags.includes('variable_flags') && cmd.fullname === 'set') {
      // setGetKeys: RW ACCESS UPDATE with the GET option, else OW UPDATE.
      flags = argv.slice(3).some((a) => eqi(a, 'get')) ? ['RW', 'access', 'update'] : ['OW', 'update'];
    }
    const bs = toObj(s.begin_search as Raw[]);
    const bspec = toObj(bs.spec as Raw[]);
    let first: number;
    if (bs.type === 'index') first = bspec.index as number;
    else if (bs.type === 'keyword') {
      const kw = (bspec.keyword as string).toLowerCase();
      const startfrom = bspec.startfrom as number;
      first = -1;
      if (startfrom >= 0) { for (let i = startfrom; i < argv.length; i++) if (argv[i].toLowerCase() === kw) { first = i + 1; break; } }
      else { for (let i = argv.length + startfrom; i > 0; i--) if (argv[i].toLowerCase() === kw) { first = i + 1; break; } }
      if (first < 0) continue;
    } else continue; // unknown: needs a getkeys proc
    const fk = toObj(s.find_keys as Raw[]);
    const fspec = toObj(fk.spec as Raw[]);
    if (fk.type === 'range') {
      const lastkey = fspec.lastkey as number, step = fspec.keystep as number, limit = fspec.limit as number;
      let last: number;
      if (lastkey >= 0) last = first + lastkey;
      else if (limit <= 1) last = argv.length + lastkey;
      else last = first + Math.floor((argv.length - first) / limit) + lastkey; // (argc-first)/limit + lastkey, as db.c
      for (let i = first; i <= last && i < argv.length; i += step) out.push({ index: i, flags });
      if (last >= argv.length) return null;
    } else if (fk.type === 'keynum') {
      const numIdx = first + (fspec.keynumidx as number);
      if (numIdx >= argv.length) return null;
      const n = parseLongLong(argv[numIdx]);
      if (n === null || n < 0) return null;
      const start = first + (fspec.firstkey as number);
      const step = fspec.keystep as number;
      for (let k = 0; k < Number(n); k++) {
        const i = start + k * step;
        if (i >= argv.length) return null;
        out.push({ index: i, flags });
      }
    }
  }
  return out;
}

function toObj(raw: Raw[] | undefined): Record<string, Raw> {
  const o: Record<string, Raw> = {};
  if (!raw) return o;
  for (let i = 0; i < raw.length; i += 2) o[raw[i] as string] = raw[i + 1];
  return o;
}

/** Redis's sortGetKeys: the sort key, and the key of the last STORE (LIMIT, GET and BY arguments skipped). */
function sortGetKeys(argv: string[]): { index: number; flags: string[] }[] {
  const out = [{ index: 1, flags: ['RO', 'access'] }];
  let store = -1;
  for (let i = 2; i < argv.length; i++) {
    const a = argv[i].toLowerCase();
    if (a === 'limit') i += 2;
    else if (a === 'get' || a === 'by') i += 1;
    else if (a === 'store' && i + 1 < argv.length) store = i + 1;
  }
  if (store >= 0) out.push({ index: store, flags: ['OW', 'update'] });
  return out;
}

function commandGetkeys(c: Client, argv: string[], withFlags: boolean): Reply {
  if (argv.length < 4) return R.E.wrongArgs(withFlags ? 'command|getkeysandflags' : 'command|getkeys');
  const target = argv.slice(2);
  const cmd = c.engine.commands.lookup(target);
  if (!cmd || (!cmd.proc && cmd.subcommands && target.length > 1)) return R.error('ERR Invalid command specified');
  const specs = cmd.info[8] as Raw[][];
  if (specs.length === 0 && !cmd.flags.has('movablekeys')) return R.error('ERR The command has no key arguments');
  if ((cmd.arity > 0 && cmd.arity !== target.length) || target.length < -cmd.arity) {
    return R.error('ERR Invalid number of arguments specified for command');
  }
  // SORT's STORE key spec is incomplete: Redis falls back to its getkeys proc (sortGetKeys).
  const keys = cmd.fullname === 'sort' ? sortGetKeys(target) : keysFromSpecs(cmd, target);
  if (!keys || keys.length === 0) {
    if (keys && cmd.flags.has('no_mandatory_keys')) return R.EMPTY_ARRAY;
    return R.error('ERR Invalid arguments specified for command');
  }
  if (!withFlags) return R.array(keys.map((k) => R.bulk(target[k.index])));
  return R.array(keys.map((k) => R.array([R.bulk(target[k.index]), R.set(k.flags.map(R.status))])));
}

const COMMAND_HELP = [
  '(no subcommand)',
  '    Return details about all Redis commands.',
  'COUNT',
  '    Return the total number of commands in this Redis server.',
  'LIST',
  '    Return a list of all commands in this Redis server.',
  'INFO [<command-name> ...]',
  '    Return details about multiple Redis commands.',
  '    If no command names are given, documentation details for all',
  '    commands are returned.',
  'DOCS [<command-name> ...]',
  '    Return documentation details about multiple Redis commands.',
  '    If no command names are given, documentation details for all',
  '    commands are returned.',
  'GETKEYS <full-command>',
  '    Return the keys from a full Redis command.',
  'GETKEYSANDFLAGS <full-command>',
  '    Return the keys and the access flags from a full Redis command.',
];

// ------------------------------------------------------------------ the table

export const connectionCommands: CommandDef[] = [
  { name: 'ping', proc: pingCommand, complexity: 'O(1)' },
  { name: 'echo', proc: echoCommand, complexity: 'O(1)' },
  { name: 'select', proc: selectCommand, complexity: 'O(1)' },
  { name: 'dbsize', proc: dbsizeCommand, complexity: 'O(1)' },
  { name: 'flushdb', proc: flushdbCommand, complexity: 'O(N)' },
  { name: 'flushall', proc: flushallCommand, complexity: 'O(N)' },
  { name: 'swapdb', proc: swapdbCommand, complexity: 'O(N)' },
  { name: 'time', proc: timeCommand, complexity: 'O(1)' },
  { name: 'info', proc: infoCommand, complexity: 'O(1)' },
  { name: 'quit', proc: quitCommand, complexity: 'O(1)' },
  { name: 'reset', proc: resetCommand, complexity: 'O(1)' },
  { name: 'auth', proc: authCommand, complexity: 'O(N)' },
  { name: 'hello', proc: helloCommand, complexity: 'O(1)' },
  { name: 'client|id', proc: clientIdCommand, complexity: 'O(1)' },
  { name: 'client|setname', proc: clientSetnameCommand, complexity: 'O(1)' },
  { name: 'client|getname', proc: clientGetnameCommand, complexity: 'O(1)' },
  { name: 'client|list', proc: clientListCommand, complexity: 'O(N)' },
  { name: 'client|info', proc: clientInfoCommand, complexity: 'O(1)' },
  { name: 'client|kill', proc: clientKillCommand, complexity: 'O(N)' },
  { name: 'client|unblock', proc: clientUnblockCommand, complexity: 'O(log N)' },
  { name: 'client|no-evict', proc: clientNoEvictCommand, complexity: 'O(1)' },
  { name: 'client|pause', proc: clientPauseCommand, complexity: 'O(1)' },
  { name: 'client|reply', proc: clientReplyCommand, complexity: 'O(1)' },
  { name: 'client|unpause', proc: clientUnpauseCommand, complexity: 'O(N)' },
  { name: 'client|help', proc: () => help('CLIENT', CLIENT_HELP), complexity: 'O(1)' },
  { name: 'object|encoding', proc: objectEncodingCommand, complexity: 'O(1)' },
  { name: 'object|refcount', proc: objectRefcountCommand, complexity: 'O(1)' },
  { name: 'object|idletime', proc: objectIdletimeCommand, complexity: 'O(1)' },
  { name: 'object|freq', proc: objectFreqCommand, complexity: 'O(1)' },
  { name: 'object|help', proc: () => help('OBJECT', OBJECT_HELP), complexity: 'O(1)' },
  { name: 'config|get', proc: configGetCommand, complexity: 'O(N)' },
  { name: 'config|set', proc: configSetCommand, complexity: 'O(N)' },
  { name: 'config|resetstat', proc: configResetstatCommand, complexity: 'O(1)' },
  { name: 'config|rewrite', proc: configRewriteCommand, complexity: 'O(1)' },
  { name: 'config|help', proc: () => help('CONFIG', CONFIG_HELP), complexity: 'O(1)' },
  { name: 'command', proc: commandCommand, complexity: 'O(N)' },
  { name: 'command|count', proc: commandCountCommand, complexity: 'O(1)' },
  { name: 'command|info', proc: commandInfoCommand, complexity: 'O(N)' },
  { name: 'command|docs', proc: commandDocsCommand, complexity: 'O(N)' },
  { name: 'command|list', proc: commandListCommand, complexity: 'O(N)' },
  { name: 'command|getkeys', proc: (c, argv) => commandGetkeys(c, argv, false), complexity: 'O(N)' },
  { name: 'command|getkeysandflags', proc: (c, argv) => commandGetkeys(c, argv, true), complexity: 'O(N)' },
  { name: 'command|help', proc: () => help('COMMAND', COMMAND_HELP), complexity: 'O(1)' },
];
