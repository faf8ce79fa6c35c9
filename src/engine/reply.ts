/** Reply constructors and the shared replies (like Redis's shared.* objects). */
import type { Reply, ByteString } from './types';
import { formatDouble } from './util';

export const OK: Reply = { t: 'status', v: 'OK' };
export const PONG: Reply = { t: 'status', v: 'PONG' };
export const QUEUED: Reply = { t: 'status', v: 'QUEUED' };
export const NIL: Reply = { t: 'nil' };
export const NILARRAY: Reply = { t: 'nilarray' };
export const EMPTY_ARRAY: Reply = { t: 'array', v: [] };
export const ZERO: Reply = { t: 'int', v: 0 };
export const ONE: Reply = { t: 'int', v: 1 };
export const MINUS_ONE: Reply = { t: 'int', v: -1 };
export const MINUS_TWO: Reply = { t: 'int', v: -2 };

const smallInts: Reply[] = [];
for (let i = 0; i < 1024; i++) smallInts.push({ t: 'int', v: i });

export function int(n: number | bigint): Reply {
  if (typeof n === 'number' && n >= 0 && n < 1024 && Number.isInteger(n)) return smallInts[n];
  return { t: 'int', v: n };
}
export function bulk(v: ByteString): Reply { return { t: 'bulk', v }; }
export function status(v: string): Reply { return { t: 'status', v }; }
/** An error reply. `msg` includes its code: "ERR ...", "WRONGTYPE ...". */
export function error(msg: string): Reply { return { t: 'error', v: msg }; }
export function array(v: Reply[]): Reply { return { t: 'array', v }; }
export function map(v: Reply[]): Reply { return { t: 'map', v }; }
export function set(v: Reply[]): Reply { return { t: 'set', v }; }
export function double(v: number): Reply { return { t: 'double', v, s: formatDouble(v) }; }
export function bulks(values: ByteString[]): Reply { return { t: 'array', v: values.map(bulk) }; }
export function verbatim(v: ByteString, fmt = 'txt'): Reply { return { t: 'verbatim', v, fmt }; }

/** Error texts used in many places, exactly as Redis 7.0 writes them. */
export const E = {
  wrongType: error('WRONGTYPE Operation against a key holding the wrong kind of value'),
  syntax: error('ERR syntax error'),
  notInt: error('ERR value is not an integer or out of range'),
  notFloat: error('ERR value is not a valid float'),
  noKey: error('ERR no such key'),
  outOfRange: error('ERR index out of range'),
  overflow: error('ERR increment or decrement would overflow'),
  dbIndex: error('ERR DB index is out of range'),
  invalidExpire: (cmd: string) => error(`ERR invalid expire time in '${cmd}' command`),
  oom: error("OOM command not allowed when used memory > 'maxmemory'."),
  execAbort: error('EXECABORT Transaction discarded because of previous errors.'),
  wrongArgs: (name: string) => error(`ERR wrong number of arguments for '${name}' command`),
};
