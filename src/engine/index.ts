/**
 * Redis Sandbox engine: a Redis 7.0 server in plain TypeScript (no DOM), for the Web Worker, Node
 * tests, the benchmark and the RESP server.
 *
 *   import { createEngine, fromText, toText } from './src/engine';
 *   const engine = createEngine({ seed: 1 });
 *   engine.exec(['SET', 'k', 'v']);          // { reply: { t: 'status', v: 'OK' }, steps: 2, complexity: 'O(1)' }
 *   engine.execText('GET k');                // parse like redis-cli, UTF-8 arguments
 *
 * Arguments and values are byte strings (one char per byte); see bytes.ts.
 */
import { Engine, type EngineOptions } from './engine';

export { Engine, type EngineOptions } from './engine';
export { Client } from './client';
export { ManualClock, systemClock, type Clock } from './clock';
export type { Reply, ExecResult, ByteString } from './types';
export type { TraceEvent } from './trace';
export { fromText, toText, fromBytes, toBytes } from './bytes';
export * as persistence from './persistence';

export function createEngine(options?: EngineOptions): Engine {
  return new Engine(options);
}
