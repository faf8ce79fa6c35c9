/**
 * INFO sections (as genRedisInfoString in src/server.c, Redis 7.0): the same section names, field
 * names and field order as 7.0.15 prints them. Values the sandbox cannot measure (RSS, CPU time,
 * network bytes) are plausible constants; counters the engine keeps (commands, hits, misses,
 * expired and evicted keys, connections) are real.
 */
import type { Engine } from './engine';
import type { Client } from './client';
import type { Command } from './commands';

/**
 * Memory accounting hook: memory.ts (or evict.ts) sets `memoryHooks.usedMemory` to the engine's
 * real estimate. Until then a baseline like a fresh 7.0 server's is reported.
 */
export const memoryHooks: { usedMemory: ((engine: Engine) => number) | null } = { usedMemory: null };

/**
 * used_memory_startup of a fresh redis-server 7.0.15 (INFO memory). Defined here, re-exported by
 * memory.ts: info.ts must not import memory.ts (the import cycle left memoryHooks uninitialized).
 */
export const USED_MEMORY_STARTUP = 876312;

export function usedMemory(engine: Engine): number {
  if (memoryHooks.usedMemory) return memoryHooks.usedMemory(engine);
  let keys = 0;
  for (const db of engine.dbs) keys += db.size();
  return USED_MEMORY_STARTUP + keys * 64;
}

/** Redis's bytesToHuman: "1.60M", "0B". */
export function bytesToHuman(n: number): string {
  if (n < 1024) return `${n}B`;
  const units = ['K', 'M', 'G', 'T', 'P'];
  let d = n / 1024;
  for (let i = 0; i < units.length; i++) {
    if (d < 1024 || i === units.length - 1) return `${d.toFixed(2)}${units[i]}`;
    d /= 1024;
  }
  return `${n}B`;
}

const DEFAULT_SECTIONS = ['server', 'clients', 'memory', 'persistence', 'stats', 'replication', 'cpu', 'module_list', 'errorstats', 'cluster', 'keyspace'];
const ALL_SECTIONS = ['server', 'clients', 'memory', 'persistence', 'stats', 'replication', 'cpu', 'module_list', 'commandstats', 'errorstats', 'latencystats', 'cluster', 'keyspace'];

/** A fixed run id (40 hex chars) and replication id, like a server's random ones. */
const RUN_ID = '5a4d8e0c3f1b2a697e8d0c1b2a3f4e5d6c7b8a91';
const REPL_ID = '8f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c';

/**
 * The INFO text for the arguments of INFO (section names, "all", "default", "everything").
 * No argument: the default sections.
 */
export function genInfo(engine: Engine, client: Client | null, args: string[]): string {
  let wanted: Set<string>;
  if (args.length === 0) wanted = new Set(DEFAULT_SECTIONS);
  else {
    wanted = new Set();
    for (const a of args) {
      const s = a.toLowerCase();
      if (s === 'default') DEFAULT_SECTIONS.forEach((x) => wanted.add(x));
      else if (s === 'all') ALL_SECTIONS.forEach((x) => wanted.add(x));
      else if (s === 'everything') { ALL_SECTIONS.forEach((x) => wanted.add(x)); wanted.add('modules'); }
      else if (s === 'modules') { wanted.add('module_list'); wanted.add('modules'); }
      else wanted.add(s);
    }
  }
  const parts: string[] = [];
  for (const s of ALL_SECTIONS) {
    if (!wanted.has(s)) continue;
    const body = section(engine, client, s);
    if (body !== null) parts.push(body);
  }
  return parts.join('\r\n');
}

function lines(title: string, fields: [string, string | number][]): string {
  let out = `# ${title}\r\n`;
  for (const [k, v] of fields) out += `${k}:${v}\r\n`;
  return out;
}

function section(e: Engine, client: Client | null, s: string): string | null {
  const now = e.clock.now();
  const st = e.stats;
  switch (s) {
    case 'server': {
      const uptime = Math.floor((now - st.startTime) / 1000);
      return lines('Server', [
        ['redis_version', '7.0.15'], ['redis_git_sha1', '00000000'], ['redis_git_dirty', 0],
        ['redis_build_id', 'ae4d7c971a948f0'], ['redis_mode', 'standalone'], ['os', 'Redis Sandbox (TypeScript)'],
        ['arch_bits', 64], ['monotonic_clock', 'POSIX clock_gettime'], ['multiplexing_api', 'epoll'],
        ['atomicvar_api', 'c11-builtin'], ['gcc_version', '0.0.0'], ['process_id', 1], ['process_supervised', 'no'],
        ['run_id', RUN_ID], ['tcp_port', e.config.port], ['server_time_usec', now * 1000],
        ['uptime_in_seconds', uptime], ['uptime_in_days', Math.floor(uptime / 86400)],
        ['hz', e.config.hz], ['configured_hz', e.config.hz], ['lru_clock', e.lruClock()],
        ['executable', '/usr/bin/redis-server'], ['config_file', ''], ['io_threads_active', 0],
      ]);
    }
    case 'clients': {
      let blocked = 0;
      let inTimeoutTable = 0; // blocked with a timeout (not 0 = forever)
      for (const c of e.clients.values()) if (c.blocked) { blocked++; if (c.blocked.timeout !== 0) inTimeoutTable++; }
      return lines('Clients', [
        ['connected_clients', e.clients.size], ['cluster_connections', 0], ['maxclients', e.config.maxclients],
        ['client_recent_max_input_buffer', 0], ['client_recent_max_output_buffer', 0], ['blocked_clients', blocked],
        ['tracking_clients', 0], ['clients_in_timeout_table', inTimeoutTable],
      ]);
    }
    case 'memory': {
      const used = usedMemory(e);
      const peak = Math.max(used, peakMemory.get(e) ?? 0);
      peakMemory.set(e, peak);
      const overhead = USED_MEMORY_STARTUP + e.clients.size * 20512;
      const dataset = Math.max(0, used - USED_MEMORY_STARTUP);
      const rss = Math.max(used * 2, 7966720);
      const maxmem = e.config.maxmemory;
      const maxmemText = e.config.exact['maxmemory'] ?? String(maxmem);
      const pct = (a: number, b: number) => (b > 0 ? ((a * 100) / b).toFixed(2) : '0.00') + '%';
      return lines('Memory', [
        ['used_memory', used], ['used_memory_human', bytesToHuman(used)],
        ['used_memory_rss', rss], ['used_memory_rss_human', bytesToHuman(rss)],
        ['used_memory_peak', peak], ['used_memory_peak_human', bytesToHuman(peak)],
        ['used_memory_peak_perc', pct(used, peak)], ['used_memory_overhead', overhead],
        ['used_memory_startup', USED_MEMORY_STARTUP], ['used_memory_dataset', dataset],
        ['used_memory_dataset_perc', pct(dataset, Math.max(1, used - USED_MEMORY_STARTUP))],
        ['allocator_allocated', used], ['allocator_active', used], ['allocator_resident', rss],
        ['total_system_memory', 8589934592], ['total_system_memory_human', '8.00G'],
        ['used_memory_lua', 32768], ['used_memory_vm_eval', 32768], ['used_memory_lua_human', '32.00K'],
        ['used_memory_scripts_eval', 0], ['number_of_cached_scripts', 0], ['number_of_functions', 0],
        ['number_of_libraries', 0], ['used_memory_vm_functions', 33792], ['used_memory_vm_total', 66560],
        ['used_memory_vm_total_human', '65.00K'], ['used_memory_functions', 200], ['used_memory_scripts', 200],
        ['used_memory_scripts_human', '200B'], ['maxmemory', maxmemText],
        ['maxmemory_human', bytesToHuman(maxmem)], ['maxmemory_policy', e.config.maxmemoryPolicy],
        ['allocator_frag_ratio', '1.00'], ['allocator_frag_bytes', 0], ['allocator_rss_ratio', (rss / used).toFixed(2)],
        ['allocator_rss_bytes', rss - used], ['rss_overhead_ratio', '1.00'], ['rss_overhead_bytes', 0],
        ['mem_fragmentation_ratio', (rss / used).toFixed(2)], ['mem_fragmentation_bytes', rss - used],
        ['mem_not_counted_for_evict', 0], ['mem_replication_backlog', 0], ['mem_total_replication_buffers', 0],
        ['mem_clients_slaves', 0], ['mem_clients_normal', 0], ['mem_cluster_links', 0], ['mem_aof_buffer', 0],
        ['mem_allocator', 'jemalloc-5.3.0'], ['active_defrag_running', 0], ['lazyfree_pending_objects', 0],
        ['lazyfreed_objects', 0],
      ]);
    }
    case 'persistence': {
      const ps = e.persistence;
      const aof: [string, string | number][] = e.config.appendonly ? [
        ['aof_current_size', ps.aofBase.length + ps.aofIncrSize], ['aof_base_size', ps.aofBase.length],
        ['aof_pending_rewrite', 0], ['aof_buffer_length', 0], ['aof_pending_bio_fsync', 0], ['aof_delayed_fsync', 0],
      ] : [];
      return lines('Persistence', [
        ['loading', e.loading ? 1 : 0], ['async_loading', 0], ['current_cow_peak', 0], ['current_cow_size', 0],
        ['current_cow_size_age', 0], ['current_fork_perc', '0.00'], ['current_save_keys_processed', 0],
        ['current_save_keys_total', 0], ['rdb_changes_since_last_save', e.dirty], ['rdb_bgsave_in_progress', 0],
        ['rdb_last_save_time', Math.floor(e.lastSave / 1000)], ['rdb_last_bgsave_status', ps.lastBgsaveStatus],
        ['rdb_last_bgsave_time_sec', ps.rdbSaves > 0 ? 0 : -1], ['rdb_current_bgsave_time_sec', -1], ['rdb_saves', ps.rdbSaves],
        ['rdb_last_cow_size', 0], ['rdb_last_load_keys_expired', ps.lastLoadKeysExpired], ['rdb_last_load_keys_loaded', ps.lastLoadKeysLoaded],
        ['aof_enabled', e.config.appendonly ? 1 : 0], ['aof_rewrite_in_progress', 0], ['aof_rewrite_scheduled', 0],
        ['aof_last_rewrite_time_sec', ps.aofRewrites > 0 ? 0 : -1], ['aof_current_rewrite_time_sec', -1], ['aof_last_bgrewrite_status', 'ok'],
        ['aof_rewrites', ps.aofRewrites], ['aof_rewrites_consecutive_failures', 0], ['aof_last_write_status', 'ok'],
        ['aof_last_cow_size', 0], ['module_fork_in_progress', 0], ['module_fork_last_cow_size', 0],
        ...aof,
      ]);
    }
    case 'stats': {
      let channels = 0, patterns = 0;
      const chs = new Set<string>(), pats = new Set<string>(), shards = new Set<string>();
      for (const c of e.clients.values()) {
        c.channels.forEach((x) => chs.add(x)); c.patterns.forEach((x) => pats.add(x)); c.shardChannels.forEach((x) => shards.add(x));
      }
      channels = chs.size; patterns = pats.size;
      return lines('Stats', [
        ['total_connections_received', st.totalConnections], ['total_commands_processed', st.totalCommands],
        ['instantaneous_ops_per_sec', 0], ['total_net_input_bytes', 0], ['total_net_output_bytes', 0],
        ['total_net_repl_input_bytes', 0], ['total_net_repl_output_bytes', 0],
        ['instantaneous_input_kbps', '0.00'], ['instantaneous_output_kbps', '0.00'],
        ['instantaneous_input_repl_kbps', '0.00'], ['instantaneous_output_repl_kbps', '0.00'],
        ['rejected_connections', 0], ['sync_full', 0], ['sync_partial_ok', 0], ['sync_partial_err', 0],
        ['expired_keys', st.expiredKeys], ['expired_stale_perc', st.expiredStalePerc.toFixed(2)],
        ['expired_time_cap_reached_count', 0], ['expire_cycle_cpu_milliseconds', Math.floor(st.expireCycleCpuMs)],
        ['evicted_keys', st.evictedKeys], ['evicted_clients', 0], ['total_eviction_exceeded_time', 0],
        ['current_eviction_exceeded_time', 0], ['keyspace_hits', st.keyspaceHits], ['keyspace_misses', st.keyspaceMisses],
        ['pubsub_channels', channels], ['pubsub_patterns', patterns], ['pubsubshard_channels', shards.size],
        ['latest_fork_usec', 0], ['total_forks', 0], ['migrate_cached_sockets', 0], ['slave_expires_tracked_keys', 0],
        ['active_defrag_hits', 0], ['active_defrag_misses', 0], ['active_defrag_key_hits', 0],
        ['active_defrag_key_misses', 0], ['total_active_defrag_time', 0], ['current_active_defrag_time', 0],
        ['tracking_total_keys', 0], ['tracking_total_items', 0], ['tracking_total_prefixes', 0],
        ['unexpected_error_replies', 0], ['total_error_replies', totalErrorReplies(e)],
        ['dump_payload_sanitizations', 0], ['total_reads_processed', st.totalCommands],
        ['total_writes_processed', st.totalCommands], ['io_threaded_reads_processed', 0],
        ['io_threaded_writes_processed', 0], ['reply_buffer_shrinks', 0], ['reply_buffer_expands', 0],
      ]);
    }
    case 'replication':
      return lines('Replication', [
        ['role', 'master'], ['connected_slaves', 0], ['master_failover_state', 'no-failover'],
        ['master_replid', REPL_ID], ['master_replid2', '0000000000000000000000000000000000000000'],
        ['master_repl_offset', 0], ['second_repl_offset', -1], ['repl_backlog_active', 0],
        ['repl_backlog_size', 1048576], ['repl_backlog_first_byte_offset', 0], ['repl_backlog_histlen', 0],
      ]);
    case 'cpu': {
      const secs = Math.max(0, (now - st.startTime) / 1000) * 0.001;
      const f = (x: number) => x.toFixed(6);
      return lines('CPU', [
        ['used_cpu_sys', f(secs)], ['used_cpu_user', f(secs)], ['used_cpu_sys_children', f(0)],
        ['used_cpu_user_children', f(0)], ['used_cpu_sys_main_thread', f(secs)], ['used_cpu_user_main_thread', f(secs)],
      ]);
    }
    case 'module_list':
      return lines('Modules', []);
    case 'commandstats': {
      const fields: [string, string][] = [];
      for (const cmd of everyCommand(e)) {
        if (cmd.calls === 0 && cmd.failedCalls === 0 && cmd.rejectedCalls === 0) continue;
        const perCall = cmd.calls ? (cmd.usec / cmd.calls).toFixed(2) : '0.00';
        fields.push([`cmdstat_${cmd.fullname}`,
          `calls=${cmd.calls},usec=${cmd.usec},usec_per_call=${perCall},rejected_calls=${cmd.rejectedCalls},failed_calls=${cmd.failedCalls}`]);
      }
      return lines('Commandstats', fields);
    }
    case 'errorstats': {
      const fields: [string, string][] = [];
      // Kept in a rax by Redis: listed in byte order of the prefix.
      const prefixes = [...st.errorStats.keys()].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
      for (const prefix of prefixes) fields.push([`errorstat_${prefix}`, `count=${st.errorStats.get(prefix)}`]);
      return lines('Errorstats', fields);
    }
    case 'latencystats': {
      // latency_percentiles_usec_<cmd>:p50=..,p99=..,p99.9=.. for every command with a histogram;
      // the sandbox does not time commands: every percentile reads as a fast command's 1.003 usec.
      const fields: [string, string][] = [];
      const pcts = (e.config.extra['latency-tracking-info-percentiles'] ?? '50 99 99.9').split(' ').filter(Boolean);
      const vals = pcts.map((p) => `p${trimDouble(Number(p))}=1.003`).join(',');
      for (const cmd of everyCommand(e)) if (cmd.latency) fields.push([`latency_percentiles_usec_${cmd.fullname}`, vals]);
      return lines('Latencystats', fields);
    }
    case 'cluster':
      return lines('Cluster', [['cluster_enabled', 0]]);
    case 'keyspace': {
      const fields: [string, string][] = [];
      for (const db of e.dbs) {
        const keys = db.size();
        if (keys === 0) continue;
        fields.push([`db${db.id}`, `keys=${keys},expires=${db.expires.size()},avg_ttl=${Math.floor(db.avgTtl)}`]);
      }
      return lines('Keyspace', fields);
    }
  }
  return null;
}

const peakMemory = new WeakMap<Engine, number>();

/** Every command and subcommand of the table. */
export function everyCommand(e: Engine): Command[] {
  const out: Command[] = [];
  for (const cmd of e.commands.commands.values()) {
    out.push(cmd);
    if (cmd.subcommands) for (const sub of cmd.subcommands.values()) out.push(sub);
  }
  return out;
}

function totalErrorReplies(e: Engine): number {
  return e.stats.errorReplies;
}

/** C's "%f" then Redis's trimDoubleString: 50 -> "50", 99.9 -> "99.9". */
function trimDouble(x: number): string {
  return x.toFixed(6).replace(/\.?0+$/, '');
}
