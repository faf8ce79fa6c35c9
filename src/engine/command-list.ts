/** Every implemented command, gathered from the per-family files (one family per file). */
import type { CommandDef } from './commands';
import { connectionCommands } from './server';
import { stringCommands } from './t_string';
import { keysCommands } from './t_keys';
import { listCommands } from './t_list';
import { hashCommands } from './t_hash';
import { setCommands } from './t_set';
import { zsetCommands } from './t_zset';
import { sortCommands } from './t_sort';
import { memoryCommands } from './memory';
import { multiCommands } from './multi';
import { pubsubCommands } from './pubsub';
import { blockingCommands } from './blocked';
import { persistCommands } from './t_persist';
import { streamCommands } from './t_stream';
import { bitopsCommands } from './bitops';
import { hyperloglogCommands } from './hyperloglog';
import { geoCommands } from './t_geo';
import { dumpCommands } from './t_dump';
import { slowlogCommands } from './slowlog';
import { latencyCommands } from './latency';
import { replicationCommands } from './replication';
import { lolwutCommands } from './lolwut';

export const allCommands: CommandDef[] = [
  ...connectionCommands,
  ...stringCommands,
  ...keysCommands,
  ...listCommands,
  ...hashCommands,
  ...setCommands,
  ...zsetCommands,
  ...sortCommands,
  ...memoryCommands,
  ...multiCommands,
  ...pubsubCommands,
  ...blockingCommands,
  ...persistCommands,
  ...streamCommands,
  ...bitopsCommands,
  ...hyperloglogCommands,
  ...geoCommands,
  ...dumpCommands,
  ...slowlogCommands,
  ...latencyCommands,
  ...replicationCommands,
  ...lolwutCommands,
];
