/**
 * Server configuration. Hot paths read the typed fields directly; CONFIG GET/SET go through the
 * parameter registry in config-params.ts. Defaults are Redis 7.0's built-in defaults (no config file).
 */
export type MaxmemoryPolicy =
  | 'noeviction' | 'allkeys-lru' | 'allkeys-lfu' | 'allkeys-random'
  | 'volatile-lru' | 'volatile-lfu' | 'volatile-random' | 'volatile-ttl';

export class Config {
  hashMaxListpackEntries = 512;
  hashMaxListpackValue = 64;
  setMaxIntsetEntries = 512;
  zsetMaxListpackEntries = 128;
  zsetMaxListpackValue = 64;
  listMaxListpackSize = -2;
  listCompressDepth = 0;
  maxmemory = 0;
  maxmemoryPolicy: MaxmemoryPolicy = 'noeviction';
  maxmemorySamples = 5;
  maxmemoryEvictionTenacity = 10;
  lfuLogFactor = 10;
  lfuDecayTime = 1;
  hz = 10;
  activeExpireEffort = 1;
  databases = 16;
  requirepass = '';
  port = 6379;
  bind = '127.0.0.1';
  clientQueryBufferLimit = 1024 * 1024 * 1024;
  protoMaxBulkLen = 512 * 1024 * 1024;
  maxclients = 10000;
  timeout = 0;
  activerehashing = true;
  dir = '.';
  dbfilename = 'dump.rdb';
  appendonly = false;
  appendfsync: 'always' | 'everysec' | 'no' = 'everysec';
  /** RDB save points as CONFIG GET prints them ("3600 1 300 100"); empty: no snapshots (the oracle runs with --save ''). */
  save = '';
  /** hll-sparse-max-bytes: a sparse HyperLogLog growing past this many bytes becomes dense. */
  hllSparseMaxBytes = 3000;
  /** slowlog-log-slower-than (microseconds; -1 disables the slow log, 0 logs every command). */
  slowlogLogSlowerThan = 10000;
  slowlogMaxLen = 128;
  /** latency-monitor-threshold (milliseconds; 0: the latency monitor is off). */
  latencyMonitorThreshold = 0;
  /** stream-node-max-bytes / stream-node-max-entries: when a stream's tail listpack node is full. */
  streamNodeMaxBytes = 4096;
  streamNodeMaxEntries = 100;
  /** Values of parameters without a typed field (CONFIG GET/SET of the rest of Redis's parameters), by name. */
  extra: Record<string, string> = {};
  /** Exact text of numeric values that do not fit a JS number (maxmemory 18446744073709551615), by name. */
  exact: Record<string, string> = {};
}
