/** 简体中文 UI strings. */
import type { Messages } from './en';

export const zhCN: Messages = {
  appTitle: 'Redis 沙盒',
  tagline: '在浏览器中运行的真实 Redis 7.0 引擎',
  consoleTitle: '控制台',
  commandLabel: 'Redis 命令',
  outputLabel: '控制台输出',
  placeholder: '输入命令，例如 SET greeting hello',
  welcome: '已连接到沙盒引擎。输入 "help" 查看帮助，Tab 补全命令名，↑/↓ 浏览历史。',
  visualizerTitle: '可视化',
  visualizerEmpty: '执行一条命令：它访问的数据结构将在这里绘制。',
  language: '语言',
  steps: (n: number) => `${n} 步`,
  stepsTitle: (n: number, c: string) => `引擎执行了 ${n} 个基本步骤；该命令的复杂度为 ${c}`,
  clearButton: '清屏',
  engineStarting: '正在启动引擎…',
  engineFallback: 'Web Worker 不可用：引擎在页面线程中运行。',
  keyboardHelp: 'Enter 执行 · Tab 补全 · ↑/↓ 历史 · Ctrl+L 清屏',
  updateAvailable: '有新版本可用',
  updateReload: '重新加载',
  updateLater: '稍后',
};
