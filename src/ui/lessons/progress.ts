/** Lesson progress, kept locally: lesson id -> the keys of the checks the student has reached. */
const KEY = 'redis-sandbox:lessons';

export type Progress = Record<string, string[]>;

type StorageLike = Pick<Storage, 'getItem' | 'setItem'> | null;

function store(): StorageLike {
  try { return globalThis.localStorage ?? null; } catch { return null; }
}

export function loadProgress(storage: StorageLike = store()): Progress {
  try {
    const raw = storage?.getItem(KEY);
    if (!raw) return {};
    const v: unknown = JSON.parse(raw);
    if (!v || typeof v !== 'object' || Array.isArray(v)) return {};
    const out: Progress = {};
    for (const [id, keys] of Object.entries(v as Record<string, unknown>)) {
      if (Array.isArray(keys)) out[id] = keys.filter((k): k is string => typeof k === 'string');
    }
    return out;
  } catch {
    return {};
  }
}

export function saveProgress(p: Progress, storage: StorageLike = store()): void {
  try { storage?.setItem(KEY, JSON.stringify(p)); } catch { /* storage full or denied */ }
}
