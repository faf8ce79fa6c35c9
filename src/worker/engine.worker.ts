/** The engine's Web Worker: thin on purpose. All logic lives in api.ts and src/engine/. */
import { expose } from 'comlink';
import { createEngine } from '../engine';
import { createApi } from './api';
import { withPersistence } from '../persist/setup';

const engine = createEngine({ timers: true });
// The dataset saved in IndexedDB is restored before any call runs (src/persist/).
expose(withPersistence(engine, createApi(engine)));
