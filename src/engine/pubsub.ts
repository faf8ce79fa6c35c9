/**
 * Pub/Sub (as src/pubsub.c in Redis 7.0): SUBSCRIBE UNSUBSCRIBE PSUBSCRIBE PUNSUBSCRIBE PUBLISH
 * SSUBSCRIBE SUNSUBSCRIBE SPUBLISH and PUBSUB CHANNELS / NUMSUB / NUMPAT / SHARDCHANNELS /
 * SHARDNUMSUB / HELP. In a standalone server the shard commands work as a second, separate namespace.
 *
 * Replies: (P|S)(UN)SUBSCRIBE answer once per channel ([kind, channel, count]); all but the last go
 * out through `client.addReply` (the RESP server writes them at once, before the returned reply).
 * In RESP3 every pub/sub reply is a push (`>`), in RESP2 an array. Messages reach other clients
 * through their `addReply` / `onPush`: ["message", channel, msg], ["pmessage", pattern, channel, msg],
 * ["smessage", channel, msg].
 *
 * Server state (per engine): channel -> subscribers in subscription order (Redis appends to a
 * list), pattern -> subscribers. A client's own sets live on the Client (channels, patterns,
 * shardChannels), in subscription order.
 */
import type { Client } from './client';
import type { CommandDef } from './commands';
import type { Engine } from './engine';
import type { Reply } from './types';
import * as R from './reply';
import { stringMatch } from './util';
import { steps } from './trace';
import { denyBlocking } from './multi';
import { pushingReplies } from './client';

interface PubsubState {
  channels: Map<string, Set<Client>>;
  patterns: Map<string, Set<Client>>;
  shardChannels: Map<string, Set<Client>>;
}

const states = new WeakMap<Engine, PubsubState>();

/** The engine's pub/sub state (created, and the client clean-up hooks chained, on first use). */
export function pubsubState(e: Engine): PubsubState {
  let s = states.get(e);
  if (!s) {
    s = { channels: new Map(), patterns: new Map(), shardChannels: new Map() };
    states.set(e, s);
    const prevFreed = e.onClientFreed;
    e.onClientFreed = (c) => { prevFreed?.(c); pubsubUnsubscribeEverything(c, false); };
    const prevReset = e.onClientReset;
    e.onClientReset = (c) => { prevReset?.(c); pubsubUnsubscribeEverything(c, false); };
  }
  return s;
}

/** A pub/sub reply: a push in RESP3, an array in RESP2. */
function msg(c: Client, items: Reply[]): Reply {
  if (c.resp === 3) return { t: 'push', v: items };
  const r = R.array(items);
  pushingReplies.add(r); // CLIENT_PUSHING: sent even with CLIENT REPLY OFF
  return r;
}

function subCount(c: Client): number {
  return c.channels.size + c.patterns.size;
}

type Kind = 'channel' | 'pattern' | 'shard';

function clientSet(c: Client, kind: Kind): Set<string> {
  return kind === 'channel' ? c.channels : kind === 'pattern' ? c.patterns : c.shardChannels;
}

function serverMap(s: PubsubState, kind: Kind): Map<string, Set<Client>> {
  return kind === 'channel' ? s.channels : kind === 'pattern' ? s.patterns : s.shardChannels;
}

function countFor(c: Client, kind: Kind): number {
  return kind === 'shard' ? c.shardChannels.size : subCount(c);
}

function subscribeOne(c: Client, kind: Kind, name: string): void {
  const s = pubsubState(c.engine);
  const mine = clientSet(c, kind);
  steps.n++;
  if (!mine.has(name)) {
    mine.add(name);
    const m = serverMap(s, kind);
    let set = m.get(name);
    if (!set) { set = new Set(); m.set(name, set); }
    set.add(c);
  }
}

/** Remove one subscription; true when the client had it. */
function unsubscribeOne(c: Client, kind: Kind, name: string): boolean {
  const s = pubsubState(c.engine);
  const mine = clientSet(c, kind);
  steps.n++;
  if (!mine.delete(name)) return false;
  const m = serverMap(s, kind);
  const set = m.get(name);
  if (set) {
    set.delete(c);
    if (set.size === 0) m.delete(name);
  }
  return true;
}

const SUB_NAMES: Record<Kind, [string, string]> = {
  channel: ['subscribe', 'unsubscribe'],
  pattern: ['psubscribe', 'punsubscribe'],
  shard: ['ssubscribe', 'sunsubscribe'],
};

/** The replies of (P|S)SUBSCRIBE: one per argument; all but the last are sent through addReply. */
function subscribeGeneric(c: Client, argv: string[], kind: Kind): Reply {
  let last: Reply = R.NIL;
  for (let j = 1; j < argv.length; j++) {
    subscribeOne(c, kind, argv[j]);
    if (j > 1) c.addReply(last);
    last = msg(c, [R.bulk(SUB_NAMES[kind][0]), R.bulk(argv[j]), R.int(countFor(c, kind))]);
  }
  return last;
}

/** SSUBSCRIBE: unlike (P)SUBSCRIBE, refused inside MULTI/EXEC too (a CLIENT_DENY_BLOCKING client). */
function ssubscribeCommand(c: Client, argv: string[]): Reply {
  if (denyBlocking.has(c)) return R.error("ERR SSUBSCRIBE isn't allowed for a DENY BLOCKING client");
  return subscribeGeneric(c, argv, 'shard');
}

function unsubscribeGeneric(c: Client, argv: string[], kind: Kind): Reply {
  const replies: Reply[] = [];
  const name = SUB_NAMES[kind][1];
  if (argv.length === 1) {
    // All of them, in the client's subscription order.
    for (const ch of [...clientSet(c, kind)]) {
      unsubscribeOne(c, kind, ch);
      replies.push(msg(c, [R.bulk(name), R.bulk(ch), R.int(countFor(c, kind))]));
    }
    if (replies.length === 0) replies.push(msg(c, [R.bulk(name), R.NIL, R.int(countFor(c, kind))]));
  } else {
    for (let j = 1; j < argv.length; j++) {
      unsubscribeOne(c, kind, argv[j]);
      replies.push(msg(c, [R.bulk(name), R.bulk(argv[j]), R.int(countFor(c, kind))]));
    }
  }
  for (let i = 0; i < replies.length - 1; i++) c.addReply(replies[i]);
  return replies[replies.length - 1];
}

/** Drop every subscription of a client without replies (client freed, RESET). */
export function pubsubUnsubscribeEverything(c: Client, _notify: boolean): void {
  if (!states.has(c.engine)) return;
  for (const kind of ['channel', 'pattern', 'shard'] as Kind[]) {
    for (const ch of [...clientSet(c, kind)]) unsubscribeOne(c, kind, ch);
  }
}

/** Redis's pubsubPublishMessage: channel subscribers, then pattern subscribers; the receiver count. */
export function pubsubPublishMessage(e: Engine, channel: string, message: string, shard = false): number {
  const s = states.get(e);
  if (!s) return 0;
  let receivers = 0;
  const subs = (shard ? s.shardChannels : s.channels).get(channel);
  if (subs) {
    for (const cl of [...subs]) {
      steps.n++;
      cl.addReply(msg(cl, [R.bulk(shard ? 'smessage' : 'message'), R.bulk(channel), R.bulk(message)]));
      receivers++;
    }
  }
  if (shard) return receivers;
  for (const [pat, clients] of s.patterns) {
    steps.n++;
    if (!stringMatch(pat, channel)) continue;
    for (const cl of [...clients]) {
      cl.addReply(msg(cl, [R.bulk('pmessage'), R.bulk(pat), R.bulk(channel), R.bulk(message)]));
      receivers++;
    }
  }
  return receivers;
}

function publishCommand(c: Client, argv: string[]): Reply {
  return R.int(pubsubPublishMessage(c.engine, argv[1], argv[2]));
}

function spublishCommand(c: Client, argv: string[]): Reply {
  return R.int(pubsubPublishMessage(c.engine, argv[1], argv[2], true));
}

const PUBSUB_HELP = [
  'CHANNELS [<pattern>]',
  "    Return the currently active channels matching a <pattern> (default: '*').",
  'NUMPAT',
  '    Return number of subscriptions to patterns.',
  'NUMSUB [<channel> ...]',
  '    Return the number of subscribers for the specified channels, excluding',
  '    pattern subscriptions(default: no channels).',
  'SHARDCHANNELS [<pattern>]',
  "    Return the currently active shard level channels matching a <pattern> (default: '*').",
  'SHARDNUMSUB [<shardchannel> ...]',
  '    Return the number of subscribers for the specified shard level channel(s)',
  'HELP',
  '    Prints this help.',
];

function subcommandSyntaxError(argv: string[]): Reply {
  return R.error(`ERR unknown subcommand or wrong number of arguments for '${argv[1].slice(0, 128)}'. Try PUBSUB HELP.`);
}

function channelList(c: Client, argv: string[], shard: boolean): Reply {
  if (argv.length > 3) return subcommandSyntaxError(argv);
  const s = pubsubState(c.engine);
  const pat = argv.length === 3 ? argv[2] : null;
  const out: Reply[] = [];
  for (const ch of (shard ? s.shardChannels : s.channels).keys()) {
    steps.n++;
    if (pat === null || stringMatch(pat, ch)) out.push(R.bulk(ch));
  }
  return R.array(out);
}

function numsub(c: Client, argv: string[], shard: boolean): Reply {
  const s = pubsubState(c.engine);
  const m = shard ? s.shardChannels : s.channels;
  const out: Reply[] = [];
  for (let j = 2; j < argv.length; j++) {
    steps.n++;
    out.push(R.bulk(argv[j]), R.int(m.get(argv[j])?.size ?? 0));
  }
  return R.array(out);
}

export const pubsubCommands: CommandDef[] = [
  { name: 'subscribe', proc: (c, a) => subscribeGeneric(c, a, 'channel'), complexity: 'O(N)' },
  { name: 'psubscribe', proc: (c, a) => subscribeGeneric(c, a, 'pattern'), complexity: 'O(N)' },
  { name: 'ssubscribe', proc: ssubscribeCommand, complexity: 'O(N)' },
  { name: 'unsubscribe', proc: (c, a) => unsubscribeGeneric(c, a, 'channel'), complexity: 'O(N)' },
  { name: 'punsubscribe', proc: (c, a) => unsubscribeGeneric(c, a, 'pattern'), complexity: 'O(N+M)' },
  { name: 'sunsubscribe', proc: (c, a) => unsubscribeGeneric(c, a, 'shard'), complexity: 'O(N)' },
  { name: 'publish', proc: publishCommand, complexity: 'O(N+M)' },
  { name: 'spublish', proc: spublishCommand, complexity: 'O(N)' },
  { name: 'pubsub|channels', proc: (c, a) => channelList(c, a, false), complexity: 'O(N)' },
  { name: 'pubsub|shardchannels', proc: (c, a) => channelList(c, a, true), complexity: 'O(N)' },
  { name: 'pubsub|numsub', proc: (c, a) => numsub(c, a, false), complexity: 'O(N)' },
  { name: 'pubsub|shardnumsub', proc: (c, a) => numsub(c, a, true), complexity: 'O(N)' },
  { name: 'pubsub|numpat', proc: (c) => R.int(pubsubState(c.engine).patterns.size), complexity: 'O(1)' },
  { name: 'pubsub|help', proc: () => R.array(['PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:', ...PUBSUB_HELP].map(R.status)), complexity: 'O(1)' },
];
