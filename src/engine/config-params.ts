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
    name, alias: o.alias, immutable: o.immutable,
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
enable-protected-configs=no|i|hll-sparse-max-bytes=3000|ignore-warnings=|i|io-threads=1|i|io-threads-do-reads=no|i|
jemalloc-bg-thread=yes|b|latency-monitor-threshold=0|latency-tracking=yes|b|latency-tracking-info-percentiles=50 99 99.9|
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
replica-priority=100|replica-read-only=yes|b|replica-serve-stale-data=yes|b|replicaof=|sanitize-dump-payload=no|
server_cpulist=|i|set-proc-title=yes|i|shutdown-on-sigint=default|shutdown-on-sigterm=default|shutdown-timeout=10|
slave-announce-ip=|slave-announce-port=0|slave-ignore-maxmemory=yes|b|slave-lazy-flush=no|b|slave-priority=100|
slave-read-only=yes|b|slave-serve-stale-data=yes|b|slaveof=|slowlog-log-slower-than=10000|slowlog-max-len=128|
socket-mark-id=0|stop-writes-on-bgsave-error=yes|b|stream-node-max-bytes=4096|stream-node-max-entries=100|
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
        if (isBool) {
          const v = value.toLowerCase();
          if (v !== 'yes' && v !== 'no') return YES_NO;
          cfg.extra[name] = v;
        } else {
          cfg.extra[name] = value;
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
