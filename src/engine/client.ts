/** A connected client: its own db, name, protocol, transaction state and subscriptions. */
import type { Db } from './db';
import type { Engine } from './engine';
import type { Reply, ExecResult } from './types';

export interface MultiState {
  queue: string[][];
  /** A command failed to queue: EXEC replies EXECABORT. */
  dirty: boolean;
}

/**
 * Replies Redis sends with CLIENT_PUSHING set (pub/sub confirmations and messages, in RESP2 too):
 * CLIENT REPLY OFF / SKIP does not hold them back. RESP3 'push' replies always count.
 */
export const pushingReplies = new WeakSet<object>();

export function isPushing(r: Reply): boolean {
  return r.t === 'push' || pushingReplies.has(r);
}

export class Client {
  name = '';
  resp: 2 | 3 = 2;
  db: Db;
  authenticated: boolean;
  multi: MultiState | null = null;
  /** Keys this client WATCHes: "db\0key". */
  watched = new Set<string>();
  /** A watched key was touched: the next EXEC fails. */
  dirtyCas = false;
  /** QUIT or a protocol error: close after the reply. */
  closeAfterReply = false;
  /** Set by CLIENT KILL: the connection should close. */
  killed = false;
  createdAt: number;
  lastInteraction: number;
  lastCommand = 'NULL';
  /** Address for CLIENT LIST / INFO. */
  addr = '127.0.0.1:0';
  laddr = '127.0.0.1:6379';
  /** Channel / pattern subscriptions (pubsub.ts). */
  channels = new Set<string>();
  patterns = new Set<string>();
  /** Shard channels (SSUBSCRIBE; in a standalone server they behave like channels of their own namespace). */
  shardChannels = new Set<string>();
  /** WATCHed keys ("db\0key") that were already logically expired when WATCHed (multi.ts). */
  watchedExpired = new Set<string>();
  /** Set while the client waits in a blocking command (blocked.ts); resp-server stops reading meanwhile. */
  blocked: import('./blocked').BlockedState | null = null;
  /** Out-of-band replies produced while no `onPush` handler is set; the next exec result takes them (`extra`). */
  pendingReplies: Reply[] = [];
  /** Out-of-band replies (pub/sub messages, served blocked commands) waiting for the connection. */
  onPush: ((reply: Reply) => void) | null = null;
  /** An out-of-band reply was held back (CLIENT REPLY OFF / SKIP): the RESP server may go on reading. */
  onReplyHeld: (() => void) | null = null;
  /** Library name/version (CLIENT SETINFO does not exist in 7.0; kept for CLIENT LIST "lib-name"). */
  /** Per-client query buffer bytes (the RESP server fills it). */
  qbuf = 0;
  /**
   * CLIENT REPLY: OFF holds back every reply; SKIP the replies of one command (the one after
   * CLIENT REPLY SKIP, armed by replySkipNext); replyNone: this command has no reply (OFF, SKIP);
   * replySkipBlocked: the skipped command blocked, its late reply is the one held back.
   */
  replyOff = false;
  replySkip = false;
  replySkipNext = false;
  replyNone = false;
  replySkipBlocked = false;
  /** EXEC returned the last reply of its commands as its own (multi.ts): not a new error reply. */
  execTail: Reply | null = null;

  constructor(public id: number, public engine: Engine) {
    this.db = engine.dbs[0];
    this.authenticated = engine.config.requirepass === '';
    this.createdAt = engine.clock.now();
    this.lastInteraction = this.createdAt;
  }

  /** Run one command on this client. argv: byte strings. */
  exec(argv: string[], options?: { trace?: boolean }): ExecResult {
    return this.engine.execFor(this, argv, options);
  }

  selectDb(index: number): void {
    this.db = this.engine.dbs[index];
  }

  /** resetClient's part for CLIENT REPLY SKIP: the skip covered one command; an armed one starts. */
  endCommandReplies(): void {
    this.replySkip = false;
    if (this.replySkipNext) { this.replySkip = true; this.replySkipNext = false; }
  }

  isSubscribed(): boolean {
    return this.channels.size + this.patterns.size + this.shardChannels.size > 0;
  }

  /**
   * Send a reply to this client outside the return value of the command being run: extra pub/sub
   * confirmations (SUBSCRIBE a b: all but the last), messages, the late reply of a blocked command.
   * Goes to `onPush` when set (the RESP server writes it at once, before the command's own reply),
   * else is kept in `pendingReplies` for the next exec result (`extra`).
   */
  addReply(r: Reply): void {
    if ((this.replyOff || this.replySkip) && !isPushing(r)) {
      // A skipped command that blocked: its late reply is held back, then the next command replies.
      if (this.replySkipBlocked) { this.replySkipBlocked = false; this.endCommandReplies(); }
      this.onReplyHeld?.();
      return;
    }
    if (this.onPush) this.onPush(r);
    else this.pendingReplies.push(r);
  }
}
