/**
 * Command line: `npm run server -- [--port 6380] [--bind 127.0.0.1] [--requirepass pw] [--seed n] [--hz n] [--dir path] [--dbfilename dump.rdb]`
 * Starts the RESP server backed by the Redis Sandbox engine; talk to it with redis-cli or any client.
 */
import { startServer } from './resp-server';
import { Engine } from '../engine/engine';
import { attachPersistence } from './persistence';

function usage(msg?: string): never {
  if (msg) process.stderr.write(msg + '\n');
  process.stderr.write('Usage: npm run server -- [--port 6380] [--bind 127.0.0.1] [--requirepass pw] [--seed n] [--hz n] [--dir path] [--dbfilename dump.rdb]\n');
  process.exit(msg ? 1 : 0);
}

function parseArgs(args: string[]) {
  const o = { port: 6380, host: '127.0.0.1', requirepass: '', seed: undefined as number | undefined, hz: undefined as number | undefined, dir: '', dbfilename: 'dump.rdb' };
  for (let i = 0; i < args.length; i++) {
    let a = args[i];
    let v: string | undefined;
    const eq = a.indexOf('=');
    if (a.startsWith('--') && eq > 0) { v = a.slice(eq + 1); a = a.slice(0, eq); }
    const val = () => {
      if (v !== undefined) return v;
      if (i + 1 >= args.length) usage(`missing value for ${a}`);
      return args[++i];
    };
    const num = (name: string) => {
      const s = val();
      if (!/^\d+$/.test(s)) usage(`invalid ${name}: ${s}`);
      return Number(s);
    };
    switch (a) {
      case '--port': case '-p': o.port = num('port'); break;
      case '--bind': case '-h': o.host = val(); break;
      case '--requirepass': o.requirepass = val(); break;
      case '--seed': o.seed = num('seed'); break;
      case '--hz': o.hz = num('hz'); break;
      case '--dir': o.dir = val(); break;
      case '--dbfilename': o.dbfilename = val(); break;
      case '--help': usage(); break;
      default: usage(`unknown option ${a}`);
    }
  }
  return o;
}

const opts = parseArgs(process.argv.slice(2));
const config: Record<string, unknown> = {};
if (opts.requirepass) config.requirepass = opts.requirepass;
if (opts.hz !== undefined) config.hz = opts.hz;

// With --dir: load dir/dbfilename at start, write it on SAVE / BGSAVE / SHUTDOWN.
const engine = new Engine({ seed: opts.seed, config, timers: false });
if (opts.dir) {
  try {
    attachPersistence(engine, { dir: opts.dir, dbfilename: opts.dbfilename, log: (m) => process.stdout.write(m + '\n') });
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exit(1);
  }
}

startServer({ port: opts.port, host: opts.host, engine }).then(
  (srv) => {
    process.stdout.write(`Redis Sandbox server (Redis 7.0.15 semantics) listening on ${srv.host}:${srv.port}\n`);
    const stop = () => { void srv.close().then(() => process.exit(0)); };
    engine.persistence.onShutdown = () => setImmediate(stop);
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  },
  (e: Error) => {
    process.stderr.write(`Could not start the server: ${e.message}\n`);
    process.exit(1);
  },
);
