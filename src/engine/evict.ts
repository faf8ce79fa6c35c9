/**
 * maxmemory and eviction (as src/evict.c). PLACEHOLDER: the eviction pool and memory accounting are
 * being written; until then nothing is evicted and nothing is denied.
 */
import type { Engine } from './engine';
import type { Client } from './client';
import type { Command } from './commands';
import type { Reply } from './types';

export function performEvictions(_engine: Engine): boolean { return true; }

export function maybeDenyOom(_engine: Engine, _c: Client, _cmd: Command): Reply | null { return null; }
