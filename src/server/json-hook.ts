/**
 * tsx (esbuild 0.28) turns a JSON import into an ES module with one named export per key, and
 * command-meta.json has the keys "eval" and "arguments": `var eval = ...` is a SyntaxError in strict
 * mode. Node entry points run under tsx (the server, the benchmark) call installJsonHook() first and
 * then import the engine dynamically: the hook loads .json files as `export default <json>`.
 * Vite and vitest have their own JSON handling and do not need this.
 */
import { register } from 'node:module';

const hook = `
import { readFile } from 'node:fs/promises';
export async function load(url, context, next) {
  if (url.startsWith('file:') && url.endsWith('.json')) {
    const text = await readFile(new URL(url), 'utf8');
    return { format: 'module', source: 'export default ' + text + ';', shortCircuit: true };
  }
  return next(url, context);
}
`;

let installed = false;
export function installJsonHook(): void {
  if (installed) return;
  installed = true;
  register('data:text/javascript,' + encodeURIComponent(hook));
}
