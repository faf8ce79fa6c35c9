/**
 * A RESP2/RESP3 server over Node's `net`, backed by one Redis Sandbox engine: one engine Client per
 * connection, requests parsed like Redis's processInputBuffer, replies written in order (all the
 * replies to one received chunk go out in a single write), QUIT and protocol errors close the
 * connection after the reply, pushes (pub/sub, served blocked commands) written as they come.
 *
 *   const srv = await startServer({ port: 6380 });   // port 0: any free port
 *   ...
 *   await srv.close();
 */
import net from 'node:net';
import { Engine, type EngineOptions } from '../engine/engine';
import type { Client } from '../engine/client';
import type { Reply } from '../engine/types';
import { encodeReply, RequestParser, PROTO_IOBUF_LEN } from '../engine/resp';

export interface StartServerOptions {
  /** TCP port; 0 picks a free one. Default 6379. */
  port?: number;
  /** Address to bind. Default 127.0.0.1. */
  host?: string;
  /** Options for the engine this server creates (ignored when `engine` is given). */
  engineOptions?: EngineOptions;
  /** Serve an existing engine instead of creating one. */
  engine?: Engine;
  /** Run the engine's cron (active expiry) from a timer. Default true. */
  timers?: boolean;
}

export interface RunningServer {
  port: number;
  host: string;
  engine: Engine;
  /** Number of open connections. */
  connections(): number;
  /** Stop listening, close every connection, stop the engine timers. */
  close(): Promise<void>;
}

/** A client that a blocking command parked (blocked.ts): its reply comes later through onPush. */
function isBlocked(c: Client): boolean {
  return Boolean((c as unknown as { blocked?: unknown }).blocked);
}

class Connection {
  readonly client: Client;
  private readonly parser: RequestParser;
  /** Replies produced while handling the current chunk, written in one go. */
  private out = '';
  private inHandler = false;
  private resumeScheduled = false;
  private closing = false;
  private ended = false;

  constructor(private readonly engine: Engine, private readonly socket: net.Socket, private readonly all: Set<Connection>) {
    const c = engine.createClient();
    this.client = c;
    c.addr = `${fmtAddr(socket.remoteAddress)}:${socket.remotePort ?? 0}`;
    c.laddr = `${fmtAddr(socket.localAddress)}:${socket.localPort ?? 0}`;
    this.parser = new RequestParser({
      protoMaxBulkLen: engine.config.protoMaxBulkLen,
      authRequired: () => engine.config.requirepass !== '' && !c.authenticated,
    });
    c.onPush = (reply: Reply) => this.push(reply);
    c.onReplyHeld = () => { if (!this.inHandler) this.resume(); };
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => { /* ECONNRESET and friends: 'close' follows */ });
    socket.on('close', () => this.onClose());
  }

  private onData(chunk: Buffer): void {
    if (this.closing) return;
    this.client.lastInteraction = this.engine.clock.now(); // readQueryFromClient: c->lastinteraction
    this.inHandler = true;
    try {
      // Redis reads (at most) 16 KB at a time and parses after each read; slicing the same way
      // makes the inline / count-string size limits trigger where Redis's do.
      for (let off = 0; off < chunk.length && !this.closing; off += PROTO_IOBUF_LEN) {
        const slice = chunk.length <= PROTO_IOBUF_LEN ? chunk : chunk.subarray(off, off + PROTO_IOBUF_LEN);
        this.parser.feed(slice);
        if (this.parser.pending > this.engine.config.clientQueryBufferLimit) {
          // "Closing client that reached max query buffer length": no reply, just close.
          this.out = '';
          this.closing = true;
          this.socket.destroy();
          return;
        }
        this.processInput();
      }
    } finally {
      this.inHandler = false;
    }
    this.flush();
  }

  /** Run every complete request in the buffer (processInputBuffer). */
  private processInput(): void {
    const c = this.client;
    const parser = this.parser;
    while (!this.closing && !isBlocked(c)) {
      const argv = parser.next();
      if (argv === null) {
        if (parser.error !== null) {
          this.engine.countErrorReply(parser.error);
          this.out += '-' + parser.error + '\r\n';
          this.closeAfterFlush();
        }
        break;
      }
      c.qbuf = parser.pending;
      const r = c.exec(argv);
      if (!isBlocked(c) && !r.noReply) this.out += encodeReply(r.reply, c.resp);
      if (c.closeAfterReply || c.killed) this.closeAfterFlush();
      // CLIENT KILL (also inside EXEC) marked clients killed: close their connections now.
      const name = argv[0].length === 6 || argv[0].length === 4 ? argv[0].toLowerCase() : '';
      if (name === 'client' || name === 'exec') this.reapKilled();
    }
    c.qbuf = parser.pending;
  }

  /** CLIENT KILL marks clients `killed`: close their connections. */
  private reapKilled(): void {
    for (const conn of this.all) {
      if (conn !== this && conn.client.killed && !conn.closing) {
        conn.closing = true;
        conn.flush();
        conn.socket.destroy();
      }
    }
  }

  private push(reply: Reply): void {
    if (this.closing) return;
    this.out += encodeReply(reply, this.client.resp);
    if (this.inHandler) return; // written with the replies of the chunk being handled
    this.resume();
  }

  /**
   * Out of band: another client's PUBLISH, a served blocked command (its reply maybe held back by
   * CLIENT REPLY), a blocking timeout: write, and go on with requests that arrived meanwhile.
   */
  private resume(): void {
    if (!isBlocked(this.client) && this.parser.pending > 0 && !this.resumeScheduled) {
      // Maybe just unblocked: go on with the requests that arrived meanwhile, but not from inside
      // the command that served us (another client's exec): on the next turn, like Redis's
      // processUnblockedClients in beforeSleep.
      this.resumeScheduled = true;
      setImmediate(() => {
        this.resumeScheduled = false;
        if (this.closing || isBlocked(this.client)) return;
        this.inHandler = true;
        try { this.processInput(); } finally { this.inHandler = false; }
        this.flush();
      });
    }
    this.flush();
  }

  private closeAfterFlush(): void {
    if (this.closing) return;
    this.closing = true;
    this.parser.release();
  }

  private flush(): void {
    if (this.out.length > 0) {
      const s = this.out;
      this.out = '';
      if (!this.socket.destroyed) this.socket.write(s, 'latin1');
    }
    if (this.closing && !this.ended && !this.socket.destroyed) {
      // Like Redis's close() after the reply: FIN once the bytes are out, then drop the socket.
      this.ended = true;
      this.socket.end(() => this.socket.destroy());
    }
  }

  private onClose(): void {
    this.closing = true;
    this.parser.release();
    this.client.onPush = null;
    this.client.onReplyHeld = null;
    this.all.delete(this);
    // CLIENT KILL already freed a killed client.
    if (this.engine.clients.get(this.client.id) === this.client) this.engine.freeClient(this.client);
  }

  destroy(): void {
    this.closing = true;
    this.socket.destroy();
  }
}

function fmtAddr(a: string | undefined): string {
  if (!a) return '127.0.0.1';
  return a.startsWith('::ffff:') ? a.slice(7) : a;
}

/** Start a RESP server; resolves once it listens. */
export function startServer(options: StartServerOptions = {}): Promise<RunningServer> {
  const engine = options.engine ?? new Engine(options.engineOptions);
  // The engine's in-process default client is no connection: CLIENT LIST, CLIENT KILL, INFO's
  // connected_clients and maxclients only see the server's connections, as in Redis.
  if (engine.clients.get(engine.defaultClient.id) === engine.defaultClient) engine.clients.delete(engine.defaultClient.id);
  // CONFIG GET dir: the server's working directory (Redis prints getcwd()).
  if (engine.config.dir === '.') engine.config.dir = process.cwd();
  const host = options.host ?? '127.0.0.1';
  const conns = new Set<Connection>();
  const server = net.createServer((socket) => {
    // acceptCommonHandler: refuse before creating a client (the in-process default client aside).
    if (engine.clients.size >= engine.config.maxclients) {
      socket.on('error', () => {});
      socket.end('-ERR max number of clients reached\r\n', () => socket.destroy());
      return;
    }
    conns.add(new Connection(engine, socket, conns));
  });
  if (options.timers ?? true) engine.startTimers();
  // CONFIG SET timeout <seconds>: clientsCronHandleTimeout closes idle connections (not blocked or
  // subscribed ones), checked about hz times a second like Redis's clientsCron.
  const idleTimer = setInterval(() => {
    const max = engine.config.timeout;
    if (max <= 0) return;
    const now = Math.floor(engine.clock.now() / 1000);
    for (const conn of conns) {
      const c = conn.client;
      if (c.blocked || c.isSubscribed()) continue;
      if (now - Math.floor(c.lastInteraction / 1000) > max) conn.destroy();
    }
  }, 100);
  idleTimer.unref();
  return new Promise((resolve, reject) => {
    server.once('error', (e) => { engine.stopTimers(); clearInterval(idleTimer); reject(e); });
    server.listen(options.port ?? 6379, host, () => {
      const addr = server.address() as net.AddressInfo;
      engine.config.port = addr.port;
      engine.config.bind = host;
      resolve({
        port: addr.port,
        host,
        engine,
        connections: () => conns.size,
        close: () => new Promise<void>((res) => {
          engine.stopTimers();
          clearInterval(idleTimer);
          for (const c of conns) c.destroy();
          server.close(() => res());
        }),
      });
    });
  });
}
