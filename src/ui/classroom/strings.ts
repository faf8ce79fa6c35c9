/** The classroom tools' UI strings (English and 简体中文; the language follows the app's i18n). */
import type { LinkErrorCode } from './link';
import { MAX_COMMANDS, MAX_SCRIPT_BYTES } from './link';

const kb = Math.round(MAX_SCRIPT_BYTES / 1000);

export const classroomStringsEn = {
  presenterMode: 'Presenter mode',
  presenterHint: 'Large type for a room (Alt+Shift+P)',
  share: 'Share',
  shareTitle: 'Share a script',
  shareIntro: 'The link carries these commands; opening it replays them step by step.',
  scriptLabel: 'Commands, one per line',
  embedOption: 'For embedding in a page (iframe)',
  linkLabel: 'Link',
  copyLink: 'Copy link',
  copied: 'Link copied to the clipboard.',
  copyFailed: 'Copy the link above (the clipboard is not available).',
  iframeLabel: 'Paste this in a course page or blog',
  close: 'Close',
  exportSession: 'Export session',
  mdTitle: 'Redis Sandbox session',
  mdExported: (when: string, n: number) => `Exported ${when} · ${n === 1 ? '1 command' : `${n} commands`}`,
  mdEmpty: '(no commands yet)',
  replayTitle: 'Shared script',
  replayProgress: (done: number, total: number) => `${done} of ${total} run`,
  replayNext: 'next:',
  replayDone: 'All commands have run.',
  nextCommand: 'Next command',
  runAll: 'Run all',
  restart: 'Restart',
  showScript: 'Show the script',
  dismiss: 'Dismiss',
  waitingEngine: 'Starting the engine…',
  linkErrorTitle: 'This link could not be opened',
  linkError: {
    'too-many-commands': `The script has more than ${MAX_COMMANDS} commands.`,
    'too-large': `The script is larger than ${kb} KB.`,
    'bad-base64': 'The link is damaged: the script is not valid base64url.',
    'bad-compression': 'The link is damaged: the script could not be decompressed.',
    'bad-text': 'The link is damaged: the script is not valid UTF-8 text.',
    empty: 'The script is empty.',
    unsupported: 'This browser cannot decompress shared scripts (CompressionStream is missing).',
    'newer-version': 'The link was made by a newer version of Redis Sandbox. Reload the page to update, then open the link again.',
  } as Record<LinkErrorCode, string>,
};
export type ClassroomStrings = typeof classroomStringsEn;

export const classroomStringsZh: ClassroomStrings = {
  presenterMode: '演示模式',
  presenterHint: '大字号，适合教室投影（Alt+Shift+P）',
  share: '分享',
  shareTitle: '分享脚本',
  shareIntro: '链接中包含这些命令；打开链接即可逐条回放。',
  scriptLabel: '命令，每行一条',
  embedOption: '用于嵌入网页（iframe）',
  linkLabel: '链接',
  copyLink: '复制链接',
  copied: '链接已复制到剪贴板。',
  copyFailed: '请手动复制上面的链接（剪贴板不可用）。',
  iframeLabel: '将以下代码粘贴到课程页面或博客中',
  close: '关闭',
  exportSession: '导出会话',
  mdTitle: 'Redis 沙盒会话',
  mdExported: (when: string, n: number) => `导出于 ${when} · 共 ${n} 条命令`,
  mdEmpty: '（尚无命令）',
  replayTitle: '分享的脚本',
  replayProgress: (done: number, total: number) => `已执行 ${done}/${total}`,
  replayNext: '下一条：',
  replayDone: '所有命令均已执行。',
  nextCommand: '下一条命令',
  runAll: '全部运行',
  restart: '重新开始',
  showScript: '查看脚本',
  dismiss: '关闭',
  waitingEngine: '正在启动引擎…',
  linkErrorTitle: '无法打开此链接',
  linkError: {
    'too-many-commands': `脚本超过 ${MAX_COMMANDS} 条命令。`,
    'too-large': `脚本大于 ${kb} KB。`,
    'bad-base64': '链接已损坏：脚本不是有效的 base64url。',
    'bad-compression': '链接已损坏：脚本无法解压。',
    'bad-text': '链接已损坏：脚本不是有效的 UTF-8 文本。',
    empty: '脚本为空。',
    unsupported: '此浏览器无法解压分享的脚本（缺少 CompressionStream）。',
    'newer-version': '此链接由更新版本的 Redis Sandbox 生成。请刷新页面以更新，然后重新打开链接。',
  },
};

export function classroomStrings(lang: string): ClassroomStrings {
  return lang === 'zh-CN' ? classroomStringsZh : classroomStringsEn;
}
