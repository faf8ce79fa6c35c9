/**
 * Many clients at once (the engine side of src/ui/clients): open, close, rename connections, run a
 * command on one of them, and hand the page what each received out of band.
 *
 * Out-of-band replies (pub/sub messages, the late reply of a blocked command, a blocking timeout's
 * null array) are kept on the engine's Client (`pendingReplies`: no `onPush` handler) and taken by
 * the page with `clientDrain` — polling rather than Comlink callbacks: it works the same in the
 * worker and in the main-thread fallback, keeps the engine's order of replies, and needs no proxy
 * lifetime management. Every `clientExec` answer lists the other clients that have something
 * (`wake`), so a PUBLISH or LPUSH reaches the other consoles at once; the page polls only while a
 * client waits on a timeout (the engine's cron serves timeouts, see engine.startTimers).
 */
import type { Engine } from '../engine/engine';
import type { Client } from '../engine/client';
import type { Reply } from '../engine/types';
import { toProtocol } from '../engine/resp';
import type { ClientDrain, ClientExecResponse, ClientState, EngineApi, ExecOptions, ExecResponse, PublishDelivery } from './api';

export type ClientsApi = Pick<EngineApi, 'clientDefault' | 'clientOpen' | 'clientClose' | 'clientRename' | 'clientExec' | 'clientDrain'>;

const CLIENT_NAME_ERR = 'ERR Client names cannot contain spaces, newlines or special characters.';

/** CLIENT SETNAME's rule: bytes 33..126 only. */
export function validClientName(name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const ch = name.charCodeAt(i);
    if (ch < 33 || ch > 126) return false;
  }
  return true;
}

/** A timeout further away than this is "forever" (Redis stores LLONG_MAX-ish values). */
const FOREVER_MS = 1e13;

export function createClientsApi(engine: Engine, execOn: (c: Client, input: string | string[], options?: ExecOptions) => ExecResponse): ClientsApi {
  const def = engine.defaultClient;
  /** The sandbox's connections by client id (the default client's, and those opened here). */
  const known = new Map<number, Client>([[def.id, def]]);

  const isClosed = (c: Client) => engine.clients.get(c.id) !== c;

  const stateOf = (c: Client): ClientState => {
    const b = c.blocked;
    let blocked: ClientState['blocked'] = null;
    if (b) {
      const ms = b.timeout === 0 ? 0 : b.timeout - b.since;
      blocked = { command: b.cmd, keys: b.keys.slice(), timeout: ms <= 0 || ms > FOREVER_MS ? 0 : ms / 1000 };
    }
    return {
      id: c.id,
      name: c.name,
      db: c.db.id,
      inMulti: c.multi !== null,
      subscriptions: c.channels.size + c.patterns.size + c.shardChannels.size,
      blocked,
      closed: isClosed(c),
    };
  };

  /** redis-cli reconnecting: a new connection (the default client comes back with its id). Keeps the name. */
  const reconnect = (c: Client): Client => {
    const name = c.name;
    let n: Client;
    if (c === def) {
      engine.clients.set(def.id, def);
      def.killed = false;
      def.closeAfterReply = false;
      def.pendingReplies = [];
      engine.execFor(def, ['RESET']);
      def.pendingReplies = [];
      n = def;
    } else {
      known.delete(c.id);
      n = engine.createClient();
      n.addr = `127.0.0.1:${49152 + n.id}`;
      known.set(n.id, n);
    }
    if (name !== '') n.name = name;
    return n;
  };

  /** Close after the reply (QUIT, CLIENT KILL of itself), as the server does. */
  const closeIfAsked = (c: Client) => {
    if (c.closeAfterReply && !isClosed(c)) {
      c.closeAfterReply = false;
      engine.freeClient(c);
    }
  };

  return {
    clientDefault() {
      return stateOf(def);
    },
    clientOpen(name) {
      const c = engine.createClient();
      c.addr = `127.0.0.1:${49152 + c.id}`; // a connection of its own, as CLIENT LIST / KILL ADDR show it
      if (typeof name === 'string' && name !== '' && validClientName(name)) c.name = name;
      known.set(c.id, c);
      return stateOf(c);
    },
    clientClose(id) {
      const c = known.get(id);
      if (!c || c === def) return false;
      known.delete(id);
      if (!isClosed(c)) engine.freeClient(c);
      return true;
    },
    clientRename(id, name) {
      const c = known.get(id);
      if (!c) return { reply: { t: 'error', v: 'ERR No such client' }, client: null };
      const s = String(name);
      if (!validClientName(s)) return { reply: { t: 'error', v: CLIENT_NAME_ERR }, client: stateOf(c) };
      c.name = s;
      return { reply: { t: 'status', v: 'OK' }, client: stateOf(c) };
    },
    clientExec(id, input, options) {
      let c = known.get(id);
      if (!c) {
        c = engine.createClient();
        known.set(c.id, c);
      } else if (isClosed(c)) {
        c = reconnect(c);
      }
      const before = new Map<Client, number>();
      for (const cl of engine.clients.values()) before.set(cl, cl.pendingReplies.length);
      const res = execOn(c, input, options) as ClientExecResponse;
      closeIfAsked(c);
      // Who received messages (the publisher's own are in res.extra).
      const got: { client: Client; reply: Reply }[] = [];
      for (const cl of engine.clients.values()) {
        if (cl === c) continue;
        for (let i = before.get(cl) ?? 0; i < cl.pendingReplies.length; i++) got.push({ client: cl, reply: cl.pendingReplies[i] });
      }
      if (res.extra) for (let i = before.get(c) ?? 0; i < res.extra.length; i++) got.push({ client: c, reply: res.extra[i] });
      const publish = publishDeliveries(c, typeof input === 'string' ? null : input, res, got);
      if (publish.length > 0) res.publish = publish;
      res.client = stateOf(c);
      res.wake = [];
      for (const k of known.values()) {
        if (k !== c && (k.pendingReplies.length > 0 || isClosed(k))) res.wake.push(k.id);
      }
      return res;
    },
    clientDrain(ids) {
      const out: ClientDrain[] = [];
      for (const id of Array.isArray(ids) ? ids : []) {
        const c = known.get(id);
        if (!c) {
          out.push({ client: { id, name: '', db: 0, inMulti: false, subscriptions: 0, blocked: null, closed: true }, replies: [] });
          continue;
        }
        const replies = c.pendingReplies.map((r) => toProtocol(r, c.resp));
        c.pendingReplies = [];
        out.push({ client: stateOf(c), replies });
      }
      return out;
    },
  };
}

/** A pub/sub message ([p|s]message ...) as { kind, pattern?, channel, message }, or null. */
function asMessage(r: Reply): { kind: string; pattern?: string; channel: string; message: string } | null {
  if ((r.t !== 'array' && r.t !== 'push') || r.v.length < 3) return null;
  const s = r.v.map((x) => (x.t === 'bulk' ? x.v : null));
  if (s[0] === 'message' || s[0] === 'smessage') {
    if (r.v.length !== 3 || s[1] === null || s[2] === null) return null;
    return { kind: s[0], channel: s[1], message: s[2] };
  }
  if (s[0] === 'pmessage' && r.v.length === 4 && s[1] !== null && s[2] !== null && s[3] !== null) {
    return { kind: 'pmessage', pattern: s[1], channel: s[2], message: s[3] };
  }
  return null;
}

/** The PUBLISH / SPUBLISH (or EXEC's publishes) this command made, and who got each message. */
function publishDeliveries(pub: Client, argv: string[] | null, res: ExecResponse, got: { client: Client; reply: Reply }[]): PublishDelivery[] {
  const name = (argv?.[0] ?? '').toLowerCase();
  const isPublish = (name === 'publish' || name === 'spublish') && argv!.length === 3 && res.reply.t === 'int';
  if (!isPublish && !got.some((g) => asMessage(g.reply))) return [];
  const out: PublishDelivery[] = [];
  const find = (channel: string, message: string, shard: boolean) => {
    let d = out.find((x) => x.channel === channel && x.message === message && x.shard === shard);
    if (!d) {
      d = { publisher: { id: pub.id, name: pub.name }, channel, message, shard, receivers: 0, deliveries: [] };
      out.push(d);
    }
    return d;
  };
  if (isPublish) {
    const d = find(argv![1], argv![2], name === 'spublish');
    d.receivers = Number((res.reply as { v: number | bigint }).v);
  }
  for (const g of got) {
    const m = asMessage(g.reply);
    if (!m) continue;
    const d = find(m.channel, m.message, m.kind === 'smessage');
    d.deliveries.push({
      client: { id: g.client.id, name: g.client.name },
      via: m.kind === 'pmessage' ? 'pattern' : m.kind === 'smessage' ? 'shard' : 'channel',
      ...(m.pattern !== undefined ? { pattern: m.pattern } : {}),
    });
    if (!isPublish) d.receivers = d.deliveries.length;
  }
  return out;
}
