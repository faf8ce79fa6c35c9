/** English UI strings. Keys are shared with zh-CN.ts (its type is checked against this one). */
export const en = {
  appTitle: 'Redis Sandbox',
  tagline: 'A real Redis 7.0 engine in your browser',
  consoleTitle: 'Console',
  commandLabel: 'Redis command',
  outputLabel: 'Console output',
  placeholder: 'Type a command, e.g. SET greeting hello',
  welcome: 'Connected to the sandbox engine. Type "help" for help, Tab completes command names, Up/Down walk the history.',
  visualizerTitle: 'Visualizer',
  visualizerEmpty: 'Run a command: the data structures it touched will be drawn here.',
  language: 'Language',
  steps: (n: number) => (n === 1 ? '1 step' : `${n} steps`),
  stepsTitle: (n: number, c: string) => `The engine took ${n} elementary steps; the command is ${c}`,
  clearButton: 'Clear',
  engineStarting: 'Starting the engine…',
  engineFallback: 'Web Workers are unavailable: the engine runs on the page.',
  keyboardHelp: 'Enter runs · Tab completes · ↑/↓ history · Ctrl+L clears',
  updateAvailable: 'A new version is available',
  updateReload: 'Reload',
  updateLater: 'Later',
};
export type Messages = typeof en;
