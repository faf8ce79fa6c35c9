/** The engine's Web Worker: thin on purpose. All logic lives in api.ts and src/engine/. */
import { expose } from 'comlink';
import { createEngine } from '../engine';
import { createApi } from './api';

const engine = createEngine({ timers: true });
expose(createApi(engine));
