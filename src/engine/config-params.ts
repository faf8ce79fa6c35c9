/**
 * The CONFIG parameter registry (as the standardConfig table of src/config.c in Redis 7.0): every
 * parameter's name, alias, type, bounds, how CONFIG GET prints it and how CONFIG SET parses it,
 * with Redis's own error texts ("argument must be between 0 and 500 inclusive", ...).
 *
 * The parameters the engine uses are typed fields of `Config`; every other real 7.0 parameter is
 * kept as text in `config.extra`, with the default value the real server prints (recorded from
 * `CONFIG GET *` of redis-server 7.0.15 started with `--save '' --appendonly no`).
 */
import type { Config, MaxmemoryPolicy } from './config';
import { parseLongLong } from './util';

export interface ConfigParam {
  name: string;
  alias?: string;
  /** CONFIG SET refuses it: "can't set immutable config". */
  immutable?: boolean;
  /** CONFIG SET refuses it (enable-protected-configs is no): "can't set protected config". */
  protected?: boolean;
  /** A memory value, parsed with memtoull (whose strtoull leaves errno behind: SORT reads it). */
  memory?: boolean;
  get(cfg: Config): string;
  /** Parse and store; returns an error text (without the "CONFIG SET failed" prefix) or null. */
  set(cfg: Config, value: string): string | null;
}

const INT_MIN = -2147483648n, INT_MAX = 2147483647n, UINT_MAX = 4294967295n;
const LLONG_MAX = 9223372036854775807n, ULLONG_MAX = 18446744073709551615n;
const TWO64 = 18446744073709551616n;

const NOT_INT = "argument couldn't be parsed into an integer";
const NOT_MEM = 'argument must be a memory value';
const YES_NO = "argument must be 'yes' or 'no'";

/**
 * Redis's memtoull: digits then an optional unit (b, k, kb, m, mb, g, gb; any case). The digits
 * saturate at 2^64-1 (strtoull) and the unit multiplication wraps (unsigned long long). Null if invalid.
 */
export function memToULL(s: string): bigint | null {
  const m = /^([0-9]*)(b|k|kb|m|mb|g|gb)?$/i.exec(s);
  if (!m) return null;
  let v = m[1] === '' ? 0n : BigInt(m[1]);
  if (v > ULLONG_MAX) v = ULLONG_MAX;
  const unit = (m[2] ?? 'b').toLowerCase();
  const mul: Record<string, bigint> = { b: 1n, k: 1000n, kb: 1024n, m: 1000000n, mb: 1048576n, g: 1000000000n, gb: 1073741824n };
  return (v * mul[unit]) % TWO64;
}

type NumField = { [K in keyof Config]: Config[K] extends number ? K : never }[keyof Config];

interface NumOpts {
  alias?: string;
  memory?: boolean;
  /** Bounds compared as unsigned (unsigned long long / unsigned int configs). */
  unsigned?: boolean;
  /** Adjust the stored value (hz is clamped to 1..500). */
  clamp?: (v: number) => number;
  immutable?: boolean;
}

function numeric(name: string, field: NumField, min: bigint, max: bigint, o: NumOpts = {}): ConfigParam {
  return {
    name, alias: o.alias, immutable: o.immutable, memory: o.memory,
    get: (cfg) => {
      const exact = cfg.exact[name];
      const v = cfg[field] as number;
      if (exact !== undefined && Number(exact) === v) return exact;
      return String(v);
    },
    set: (cfg, value) => {
      let v: bigint;
      if (o.memory) {
        const m = memToULL(value);
        if (m === null) return NOT_MEM;
        v = m;
        if (!o.unsigned && v > LLONG_MAX) v -= TWO64; // stored in a signed long long
      } else {
        const p = parseLongLong(value);
        if (p === null) return NOT_INT;
        v = BigInt(p);
        if (o.unsigned && v < 0n) v += TWO64;
      }
      if (v < min || v > max) return `argument must be between ${min} and ${max} inclusive`;
      let n = Number(v);
      if (o.clamp) n = o.clamp(n);
      (cfg as unknown as Record<string, number>)[field] = n;
      if (Number.isSafeInteger(n)) delete cfg.exact[name];
      else cfg.exact[name] = v.toString();
      return null;
    },
  };
}

type BoolField = { [K in keyof Config]: Config[K] extends boolean ? K : never }[keyof Config];

function bool(name: string, field: BoolField): ConfigParam {
  return {
    name,
    get: (cfg) => (cfg[field] ? 'yes' : 'no'),
    set: (cfg, value) => {
      const v = value.toLowerCase();
      if (v !== 'yes' && v !== 'no') return YES_NO;
      (cfg as unknown as Record<string, boolean>)[field] = v === 'yes';
      return null;
    },
  };
}

function enumerated<F extends 'maxmemoryPolicy' | 'appendfsync'>(name: string, field: F, values: string[]): ConfigParam {
  return {
    name,
    get: (cfg) => cfg[field],
    set: (cfg, value) => {
      // Several words are accepted only by multi-value enums (none here).
      const v = value.toLowerCase();
      if (!values.includes(v)) return `argument(s) must be one of the following: ${values.join(', ')}`;
      (cfg as unknown as Record<string, string>)[field] = v;
      return null;
    },
  };
}

const saveParam: ConfigParam = {
  name: 'save',
  get: (cfg) => cfg.save,
  set: (cfg, value) => {
    if (value === '') { cfg.save = ''; return null; }
    const parts = value.split(' ');
    if (parts.length % 2 !== 0) return 'Invalid save parameters';
    for (const p of parts) if (!/^[0-9]+$/.test(p)) return 'Invalid save parameters';
    cfg.save = parts.map((p) => String(Number(p))).join(' ');
    return null;
  },
};

const requirepassParam: ConfigParam = {
  name: 'requirepass',
  get: (cfg) => cfg.requirepass,
  set: (cfg, value) => { cfg.requirepass = value; return null; },
};

/** The sandbox cannot bind sockets: loopback and wildcard addresses are accepted, others fail as an unavailable address would. */
const bindParam: ConfigParam = {
  name: 'bind',
  get: (cfg) => cfg.bind,
  set: (cfg, value) => {
    const addrs = value.split(' ').filter((a) => a !== '');
    if (addrs.length > 16) return 'Too many bind addresses specified.';
    const ok = /^-?(\*|::\*|127\.\d+\.\d+\.\d+|::1|localhost|0\.0\.0\.0|::)$/i;
    for (const a of addrs) if (!ok.test(a)) return 'Failed to bind to specified addresses.';
    cfg.bind = addrs.length ? addrs.join(' ') : '* -::*';
    return null;
  },
};

const protectedString = (name: string, field: 'dir' | 'dbfilename'): ConfigParam => ({
  name, protected: true,
  get: (cfg) => cfg[field],
  set: (cfg, value) => { cfg[field] = value; return null; },
});

const POLICIES: MaxmemoryPolicy[] = ['volatile-lru', 'volatile-lfu', 'volatile-random', 'volatile-ttl', 'allkeys-lru', 'allkeys-lfu', 'allkeys-random', 'noeviction'];

/** The parameters the engine uses, typed. */
const typed: ConfigParam[] = [
  numeric('hash-max-listpack-entries', 'hashMaxListpackEntries', 0n, LLONG_MAX, { alias: 'hash-max-ziplist-entries' }),
  numeric('hash-max-listpack-value', 'hashMaxListpackValue', 0n, LLONG_MAX, { alias: 'hash-max-ziplist-value', memory: true }),
  numeric('set-max-intset-entries', 'setMaxIntsetEntries', 0n, LLONG_MAX),
  numeric('zset-max-listpack-entries', 'zsetMaxListpackEntries', 0n, LLONG_MAX, { alias: 'zset-max-ziplist-entries' }),
  numeric('zset-max-listpack-value', 'zsetMaxListpackValue', 0n, LLONG_MAX, { alias: 'zset-max-ziplist-value', memory: true }),
  numeric('list-max-listpack-size', 'listMaxListpackSize', INT_MIN, INT_MAX, { alias: 'list-max-ziplist-size' }),
  numeric('list-compress-depth', 'listCompressDepth', 0n, INT_MAX),
  numeric('maxmemory', 'maxmemory', 0n, ULLONG_MAX, { memory: true, unsigned: true }),
  enumerated('maxmemory-policy', 'maxmemoryPolicy', POLICIES),
  numeric('maxmemory-samples', 'maxmemorySamples', 1n, INT_MAX),
  numeric('maxmemory-eviction-tenacity', 'maxmemoryEvictionTenacity', 0n, 100n),
  numeric('lfu-log-factor', 'lfuLogFactor', 0n, INT_MAX),
  numeric('lfu-decay-time', 'lfuDecayTime', 0n, INT_MAX),
  numeric('hz', 'hz', 0n, INT_MAX, { clamp: (v) => Math.min(500, Math.max(1, v)) }),
  numeric('active-expire-effort', 'activeExpireEffort', 1n, 10n),
  numeric('databases', 'databases', 1n, INT_MAX, { immutable: true }),
  requirepassParam,
  numeric('timeout', 'timeout', 0n, INT_MAX),
  numeric('maxclients', 'maxclients', 1n, UINT_MAX, { unsigned: true }),
  numeric('proto-max-bulk-len', 'protoMaxBulkLen', 1048576n, LLONG_MAX, { memory: true }),
  numeric('client-query-buffer-limit', 'clientQueryBufferLimit', 1048576n, LLONG_MAX, { memory: true }),
  bool('activerehashing', 'activerehashing'),
  saveParam,
  bool('appendonly', 'appendonly'),
  enumerated('appendfsync', 'appendfsync', ['everysec', 'always', 'no']),
  protectedString('dir', 'dir'),
  protectedString('dbfilename', 'dbfilename'),
  numeric('port', 'port', 0n, 65535n),
  bindParam,
  numeric('stream-node-max-bytes', 'streamNodeMaxBytes', 0n, LLONG_MAX, { memory: true }),
  numeric('stream-node-max-entries', 'streamNodeMaxEntries', 0n, LLONG_MAX),
  numeric('hll-sparse-max-bytes', 'hllSparseMaxBytes', 0n, LLONG_MAX, { memory: true }),
  numeric('slowlog-log-slower-than', 'slowlogLogSlowerThan', -1n, LLONG_MAX),
  numeric('slowlog-max-len', 'slowlogMaxLen', 0n, LLONG_MAX, { unsigned: true }),
  numeric('latency-monitor-threshold', 'latencyMonitorThreshold', 0n, LLONG_MAX),
];

/**
 * The other parameters of Redis 7.0.15 with their default values. 'b' marks yes/no parameters
 * (CONFIG SET checks yes/no), 'i' immutable, 'p' protected; other values are stored as given.
 */
const OTHER_DEFAULTS = `acl-pubsub-default=resetchannels|aclfile=|i|acllog-max-len=128|active-defrag-cycle-max=25|
active-defrag-cycle-min=1|active-defrag-ignore-bytes=104857600|active-defrag-max-scan-fields=1000|
active-defrag-threshold-lower=10|active-defrag-threshold-upper=100|activedefrag=no|b|always-show-logo=no|i|
aof-disable-auto-gc=no|b|aof-load-truncated=yes|b|aof-rewrite-incremental-fsync=yes|b|aof-timestamp-enabled=no|b|
aof-use-rdb-preamble=yes|b|aof_rewrite_cpulist=|i|appenddirname=appendonlydir|i|appendfilename=appendonly.aof|i|
auto-aof-rewrite-min-size=67108864|auto-aof-rewrite-percentage=100|bgsave_cpulist=|i|bind-source-addr=|
bio_cpulist=|i|busy-reply-threshold=5000|
client-output-buffer-limit=normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60|
cluster-allow-pubsubshard-when-down=yes|b|cluster-allow-reads-when-down=no|b|cluster-allow-replica-migration=yes|b|
cluster-announce-bus-port=0|cluster-announce-hostname=|cluster-announce-ip=|cluster-announce-port=0|
cluster-announce-tls-port=0|cluster-config-file=nodes.conf|i|cluster-enabled=no|i|cluster-link-sendbuf-limit=0|
cluster-migration-barrier=1|cluster-node-timeout=15000|cluster-port=0|i|cluster-preferred-endpoint-type=ip|
cluster-replica-no-failover=no|b|cluster-replica-validity-factor=10|cluster-require-full-coverage=yes|b|
cluster-slave-no-failover=no|b|cluster-slave-validity-factor=10|crash-log-enabled=yes|b|crash-memcheck-enabled=yes|b|
daemonize=no|i|disable-thp=yes|i|dynamic-hz=yes|b|enable-debug-command=no|i|enable-module-command=no|i|
enable-protected-configs=no|i|ignore-warnings=|io-threads=1|i|io-threads-do-reads=no|i|
jemalloc-bg-thread=yes|b|latency-tracking=yes|b|latency-tracking-info-percentiles=50 99 99.9|
lazyfree-lazy-eviction=no|b|lazyfree-lazy-expire=no|b|lazyfree-lazy-server-del=no|b|lazyfree-lazy-user-del=no|b|
lazyfree-lazy-user-flush=no|b|logfile=|i|loglevel=notice|lua-time-limit=5000|masterauth=|masteruser=|
maxmemory-clients=0|min-replicas-max-lag=10|min-replicas-to-write=0|min-slaves-max-lag=10|min-slaves-to-write=0|
no-appendfsync-on-rewrite=no|b|notify-keyspace-events=|oom-score-adj=no|oom-score-adj-values=0 200 800|
pidfile=|i|proc-title-template={title} {listen-addr} {server-mode}|propagation-error-behavior=ignore|
protected-mode=yes|b|rdb-del-sync-files=no|b|rdb-save-incremental-fsync=yes|b|rdbchecksum=yes|i|
rdbcompression=yes|b|repl-backlog-size=1048576|repl-backlog-ttl=3600|repl-disable-tcp-nodelay=no|b|
repl-diskless-load=disabled|repl-diskless-sync=yes|b|repl-diskless-sync-delay=5|repl-diskless-sync-max-replicas=0|
repl-ping-replica-period=10|repl-ping-slave-period=10|repl-timeout=60|replica-announce-ip=|replica-announce-port=0|
replica-announced=yes|b|replica-ignore-disk-write-errors=no|b|replica-ignore-maxmemory=yes|b|replica-lazy-flush=no|b|
replica-priority=100|replica-read-only=yes|b|replica-serve-stale-data=yes|b|replicaof=|i|sanitize-dump-payload=no|
server_cpulist=|i|set-proc-title=yes|i|shutdown-on-sigint=default|shutdown-on-sigterm=default|shutdown-timeout=10|
slave-announce-ip=|slave-announce-port=0|slave-ignore-maxmemory=yes|b|slave-lazy-flush=no|b|slave-priority=100|
slave-read-only=yes|b|slave-serve-stale-data=yes|b|slaveof=|
socket-mark-id=0|i|stop-writes-on-bgsave-error=yes|b|
supervised=no|i|syslog-enabled=no|i|syslog-facility=local0|i|syslog-ident=redis|i|tcp-backlog=511|i|tcp-keepalive=300|
tls-auth-clients=yes|tls-ca-cert-dir=|tls-ca-cert-file=|tls-cert-file=|tls-ciphers=|tls-ciphersuites=|
tls-client-cert-file=|tls-client-key-file=|tls-client-key-file-pass=|tls-cluster=no|b|tls-dh-params-file=|
tls-key-file=|tls-key-file-pass=|tls-port=0|tls-prefer-server-ciphers=no|b|tls-protocols=|tls-replication=no|b|
tls-session-cache-size=20480|tls-session-cache-timeout=300|tls-session-caching=yes|b|tracking-table-max-keys=1000000|
unixsocket=|i|unixsocketperm=0|i`;

/** Aliases among the other parameters (name -> alias), as 7.0 pairs them. */
const OTHER_ALIASES: Record<string, string> = {
  'cluster-replica-no-failover': 'cluster-slave-no-failover',
  'cluster-replica-validity-factor': 'cluster-slave-validity-factor',
  'min-replicas-max-lag': 'min-slaves-max-lag',
  'min-replicas-to-write': 'min-slaves-to-write',
  'repl-ping-replica-period': 'repl-ping-slave-period',
  'replica-announce-ip': 'slave-announce-ip',
  'replica-announce-port': 'slave-announce-port',
  'replica-ignore-maxmemory': 'slave-ignore-maxmemory',
  'replica-lazy-flush': 'slave-lazy-flush',
  'replica-priority': 'slave-priority',
  'replica-read-only': 'slave-read-only',
  'replica-serve-stale-data': 'slave-serve-stale-data',
  replicaof: 'slaveof',
  'busy-reply-threshold': 'lua-time-limit',
};

/**
 * How CONFIG SET checks the other parameters (as their standardConfig entries in Redis 7.0.15, error
 * texts recorded from the real server): 'int:min:max' (a long long), 'mem:min:max' (memtoull),
 * 'umem' (an unsigned memory value), 'enum:a,b' (one word), 'flags:a,b' (words of the list).
 * Parameters not listed take any text (strings: masterauth, tls files ...).
 */
const I = '2147483647', L = '9223372036854775807';
const OTHER_SPECS: Record<string, string> = {
  'acllog-max-len': `int:0:${L}`, 'active-defrag-cycle-max': 'int:1:99', 'active-defrag-cycle-min': 'int:1:99',
  'active-defrag-ignore-bytes': `mem:1:${L}`, 'active-defrag-max-scan-fields': `int:1:${L}`,
  'active-defrag-threshold-lower': 'int:0:1000', 'active-defrag-threshold-upper': 'int:0:1000',
  'auto-aof-rewrite-min-size': `mem:0:${L}`, 'auto-aof-rewrite-percentage': `int:0:${I}`, 'busy-reply-threshold': `int:0:${L}`,
  'cluster-announce-bus-port': 'int:0:65535', 'cluster-announce-port': 'int:0:65535', 'cluster-announce-tls-port': 'int:0:65535',
  'cluster-link-sendbuf-limit': 'umem', 'cluster-migration-barrier': `int:0:${I}`, 'cluster-node-timeout': `int:0:${L}`,
  'cluster-replica-validity-factor': `int:0:${I}`, 'min-replicas-max-lag': `int:0:${I}`, 'min-replicas-to-write': `int:0:${I}`,
  'repl-backlog-size': `mem:1:${L}`, 'repl-backlog-ttl': `int:0:${L}`, 'repl-diskless-sync-delay': `int:0:${I}`,
  'repl-diskless-sync-max-replicas': `int:0:${I}`, 'repl-ping-replica-period': `int:1:${I}`, 'repl-timeout': `int:1:${I}`,
  'replica-announce-port': 'int:0:65535', 'replica-priority': `int:0:${I}`, 'shutdown-timeout': `int:0:${I}`,
  'tcp-keepalive': `int:0:${I}`, 'tls-session-cache-size': `int:0:${I}`, 'tls-session-cache-timeout': `int:0:${I}`,
  'tracking-table-max-keys': `int:0:${L}`, 'tls-port': 'int:0:65535',
  'acl-pubsub-default': 'enum:allchannels,resetchannels', 'cluster-preferred-endpoint-type': 'enum:ip,hostname,unknown-endpoint',
  loglevel: 'enum:debug,verbose,notice,warning', 'oom-score-adj': 'enum:no,yes,relative,absolute',
  'propagation-error-behavior': 'enum:ignore,panic,panic-on-replicas', 'repl-diskless-load': 'enum:disabled,on-empty-db,swapdb',
  'sanitize-dump-payload': 'enum:no,yes,clients', 'tls-auth-clients': 'enum:no,yes,optional',
  'shutdown-on-sigint': 'flags:default,save,nosave,now,force', 'shutdown-on-sigterm': 'flags:default,save,nosave,now,force',
};

/** Special parameters: parse, return the error text or the value CONFIG GET prints afterwards. */
const OTHER_SPECIAL: Record<string, (value: string, cfg: Config) => { err: string } | { v: string }> = {
  'notify-keyspace-events': (value) => {
    // keyspaceEventsStringToFlags, then keyspaceEventsFlagsToString (A covers g$lshzxetd, not n).
    const ALL = 'g$lshzxetd';
    const set = new Set<string>();
    for (const ch of value) {
      if (ch === 'A') for (const x of ALL) set.add(x);
      else if ('g$lshzxeKEtmdn'.includes(ch)) set.add(ch);
      else return { err: "Invalid event class character. Use 'Ag$lshzxeKEtmdn'." };
    }
    let out = '';
    if ([...ALL].every((x) => set.has(x))) out = 'A';
    else for (const x of 'g$lshzxetdn') if (set.has(x)) out += x;
    for (const x of 'KEm') if (set.has(x)) out += x;
    return { v: out };
  },
  'latency-tracking-info-percentiles': (value) => {
    if (value === '') return { v: '' };
    const out: string[] = [];
    for (const p of value.split(' ')) {
      const d = strtod(p);
      if (d === null) return { err: 'Invalid latency-tracking-info-percentiles parameters' };
      if (d < 0 || d > 100) return { err: 'latency-tracking-info-percentiles parameters should sit between [0.0,100.0]' };
      out.push(d.toFixed(6).replace(/\.?0+$/, ''));
    }
    return { v: out.join(' ') };
  },
  'oom-score-adj-values': (value) => {
    const parts = value.split(' ');
    if (parts.length !== 3) return { err: 'wrong number of arguments' };
    const vals: number[] = [];
    for (const p of parts) {
      const m = /^[ \t]*([+-]?)(\d*)$/.exec(p); // strtol: the whole text must be read
      const n = m ? (m[2] === '' ? 0 : Number(m[1] + m[2])) : NaN;
      if (!(n >= -2000 && n <= 2000)) return { err: 'Invalid oom-score-adj-values, elements must be between -2000 and 2000.' };
      vals.push(n === 0 ? 0 : n);
    }
    return { v: vals.join(' ') };
  },
  'client-output-buffer-limit': (value, cfg) => {
    const args = value === '' ? [] : value.split(' ');
    if (args.length % 4 !== 0) return { err: 'Wrong number of arguments in buffer limit configuration.' };
    const cur = new Map<string, string[]>();
    const now = (cfg.extra['client-output-buffer-limit'] ?? 'normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60').split(' ');
    for (let j = 0; j < now.length; j += 4) cur.set(now[j], now.slice(j + 1, j + 4));
    const classes: Record<string, string> = { normal: 'normal', slave: 'slave', replica: 'slave', pubsub: 'pubsub' };
    for (let j = 0; j < args.length; j += 4) {
      if (!classes[args[j].toLowerCase()]) return { err: 'Invalid client class specified in buffer limit configuration.' };
      const hard = memToULL(args[j + 1]), soft = memToULL(args[j + 2]);
      const secs = /^[ \t]*[+-]?\d+$/.test(args[j + 3]) ? BigInt(args[j + 3].trim()) : null;
      if (hard === null || soft === null || secs === null || secs < 0n) return { err: 'Error in hard, soft or soft_seconds setting in buffer limit configuration.' };
      cur.set(classes[args[j].toLowerCase()], [String(hard), String(soft), String(BigInt.asIntN(32, secs))]);
    }
    return { v: ['normal', 'slave', 'pubsub'].map((k) => [k, ...cur.get(k)!].join(' ')).join(' ') };
  },
  'proc-title-template': (value) => {
    // validateProcTitleTemplate: sdstemplate with the variables expanded ({title} empty), trimmed, not empty.
    const vars: Record<string, string> = { title: '', 'listen-addr': '127.0.0.1:6379', 'server-mode': '', port: '6379', 'tls-port': '0', unixsocket: '', 'config-file': '' };
    let res = '';
    let p = 0;
    const bad = { err: 'template format is invalid or contains unknown variables' };
    while (p < value.length) {
      const sv = value.indexOf('{', p);
      if (sv < 0) { res += value.slice(p); break; }
      res += value.slice(p, sv);
      if (sv + 1 >= value.length) return bad;
      if (value[sv + 1] === '{') { res += '{'; p = sv + 2; continue; }
      const ev = value.indexOf('}', sv + 1);
      if (ev < 0) return bad;
      const name = value.slice(sv + 1, ev);
      if (!(name in vars)) return bad;
      res += vars[name];
      p = ev + 1;
    }
    if (res.replace(/^ +| +$/g, '') === '') return bad;
    return { v: value };
  },
  'maxmemory-clients': (value) => {
    if (value.endsWith('%')) {
      const m = /^\d+$/.exec(value.slice(0, -1));
      if (!m) return { err: 'argument must be a memory or percent value' };
      const n = Number(value.slice(0, -1));
      if (n > 100) return { err: 'percentage argument must be less or equal to 100' };
      return { v: n === 0 ? '0' : `${n}%` };
    }
    const v = memToULL(value);
    if (v === null) return { err: 'argument must be a memory or percent value' };
    // Kept in a signed long long where a negative value is a percentage: 2^64-1 reads back as 1%.
    return { v: v > LLONG_MAX ? `${TWO64 - v}%` : String(v) };
  },
  'repl-backlog-size': (value) => {
    const m = memToULL(value);
    if (m === null) return { err: NOT_MEM };
    const v = m > LLONG_MAX ? m - TWO64 : m;
    if (v < 1n) return { err: `argument must be between 1 and ${LLONG_MAX} inclusive` };
    return { v: String(v < 16384n ? 16384n : v) }; // resizeReplicationBacklog: at least 16 KB
  },
  'cluster-announce-hostname': (value) => {
    if (!/^[A-Za-z0-9.-]*$/.test(value)) return { err: 'Hostnames may only contain alphanumeric characters, hyphens or dots' };
    return { v: value };
  },
  // Debian's redis-server is built with the system jemalloc (no defrag support) and without TLS.
  activedefrag: (value) => {
    const v = value.toLowerCase();
    if (v !== 'yes' && v !== 'no') return { err: YES_NO };
    if (v === 'yes') return { err: 'Active defragmentation cannot be enabled: it requires a Redis server compiled with a modified Jemalloc like the one shipped by default with the Redis source distribution' };
    return { v };
  },
  'tls-cluster': (value) => tlsBool(value),
  'tls-replication': (value) => tlsBool(value),
};

function tlsBool(value: string): { err: string } | { v: string } {
  const v = value.toLowerCase();
  if (v !== 'yes' && v !== 'no') return { err: YES_NO };
  if (v === 'yes') return { err: 'Unable to update TLS configuration. Check server logs.' };
  return { v };
}

/** C's strtod over the whole text (decimal, hex, inf/nan words are refused here), or null. */
function strtod(s: string): number | null {
  if (/^[+-]?0x[0-9a-f]+(\.[0-9a-f]*)?(p[+-]?\d+)?$/i.test(s)) {
    const m = /^([+-]?)0x([0-9a-f]+)(?:\.([0-9a-f]*))?(?:p([+-]?\d+))?$/i.exec(s)!;
    let v = parseInt(m[2], 16);
    if (m[3]) for (let i = 0; i < m[3].length; i++) v += parseInt(m[3][i], 16) / 16 ** (i + 1);
    if (m[4]) v *= 2 ** Number(m[4]);
    return m[1] === '-' ? -v : v;
  }
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(s)) return null;
  return Number(s);
}

/** Check and normalize a value of an "other" parameter: the error text, or the value to store. */
function checkOther(name: string, value: string, cfg: Config): { err: string } | { v: string } {
  const special = OTHER_SPECIAL[name];
  if (special) return special(value, cfg);
  const spec = OTHER_SPECS[name];
  if (!spec) return { v: value };
  const [kind, a, b] = spec.split(':');
  if (kind === 'int' || kind === 'mem') {
    let v: bigint;
    if (kind === 'mem') {
      const m = memToULL(value);
      if (m === null) return { err: NOT_MEM };
      v = m > LLONG_MAX ? m - TWO64 : m;
    } else {
      const p = parseLongLong(value);
      if (p === null) return { err: NOT_INT };
      v = BigInt(p);
    }
    if (v < BigInt(a) || v > BigInt(b)) return { err: `argument must be between ${a} and ${b} inclusive` };
    return { v: String(v) };
  }
  if (kind === 'umem') {
    const m = memToULL(value);
    return m === null ? { err: NOT_MEM } : { v: String(m) };
  }
  const words = a.split(',');
  const err = { err: `argument(s) must be one of the following: ${words.join(', ')}` };
  if (kind === 'enum') {
    const v = value.toLowerCase();
    return words.includes(v) ? { v } : err;
  }
  // flags: one or more words of the list, printed in the list's order.
  const given = value.toLowerCase().split(' ');
  if (value === '' || given.some((w) => !words.includes(w))) return err;
  return { v: words.filter((w) => given.includes(w)).join(' ') };
}

function buildOthers(): ConfigParam[] {
  const tokens = OTHER_DEFAULTS.replace(/\n/g, '').split('|');
  const aliases = new Set(Object.values(OTHER_ALIASES));
  const out: ConfigParam[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const eq = t.indexOf('=');
    const name = t.slice(0, eq);
    const def = t.slice(eq + 1);
    let isBool = false, immutable = false;
    while (tokens[i + 1] === 'b' || tokens[i + 1] === 'i') {
      if (tokens[++i] === 'b') isBool = true; else immutable = true;
    }
    if (aliases.has(name)) continue;
    out.push({
      name, alias: OTHER_ALIASES[name], immutable,
      get: (cfg) => cfg.extra[name] ?? def,
      set: (cfg, value) => {
        if (isBool && !OTHER_SPECIAL[name]) {
          const v = value.toLowerCase();
          if (v !== 'yes' && v !== 'no') return YES_NO;
          cfg.extra[name] = v;
        } else {
          const r = checkOther(name, value, cfg);
          if ('err' in r) return r.err;
          cfg.extra[name] = r.v;
        }
        return null;
      },
    });
  }
  return out;
}

export const configParams: ConfigParam[] = [...typed, ...buildOthers()];

const byName = new Map<string, ConfigParam>();
for (const p of configParams) {
  byName.set(p.name, p);
  if (p.alias) byName.set(p.alias, p);
}

/** A parameter by its name or alias (case-insensitive). */
export function lookupConfigParam(name: string): ConfigParam | undefined {
  return byName.get(name.toLowerCase());
}

/** Every name and alias CONFIG GET can match, in registry order (each name followed by its alias). */
export function allConfigNames(): { name: string; param: ConfigParam }[] {
  const out: { name: string; param: ConfigParam }[] = [];
  for (const p of configParams) {
    out.push({ name: p.name, param: p });
    if (p.alias) out.push({ name: p.alias, param: p });
  }
  return out;
}
