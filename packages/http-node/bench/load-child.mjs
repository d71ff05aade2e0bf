// The load generator of receiver.bench.mjs, in its own process: keep-alive raw sockets writing
// pre-built HTTP/1.1 requests (no HTTP client library on the hot path) and counting the answers.
// It loads the servers in interleaved short rounds (A B, then B A, …) so that both see the same
// machine load, and prints one JSON line per measured window on stdout.
//   node load-child.mjs '<json config>'   (see `config` below; receiver.bench.mjs builds it)
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { pathToFileURL } from 'node:url';

const config = JSON.parse(process.argv[2]);
// { lib, servers: [{ name, port }], rounds, roundMs, warmupMs, connections, pipelining, notifications, escaped }
const { makeNotifications } = await import(pathToFileURL(config.lib).href);

const bodies = makeNotifications(config.notifications, config.escaped);
/** One request per notification, headers and body in one buffer (what an HTTP client would write). */
const requests = bodies.map((body) =>
  Buffer.from(
    `POST /mmsp/notify HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  ),
);

const CRLF2 = Buffer.from('\r\n\r\n');
const LENGTH = Buffer.from('content-length:');
const LAST_CHUNK = Buffer.from('\r\n0\r\n\r\n');

/** Where the header `content-length:` starts in `buf[from, to)`, any case; -1 if absent. */
function findLength(buf, from, to) {
  outer: for (let i = from; i <= to - LENGTH.length; i++) {
    for (let j = 0; j < LENGTH.length; j++) if ((buf[i + j] | 0x20) !== LENGTH[j]) continue outer;
    return i + LENGTH.length;
  }
  return -1;
}

const TICK_MS = 10; // USER_HZ is 100 on Linux
/** CPU time (user + system, all threads) a process has used, in ms, from /proc; NaN elsewhere. */
function cpuMsOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields from the 3rd on
    return (Number(f[11]) + Number(f[12])) * TICK_MS; // utime, stime (fields 14 and 15)
  } catch {
    return Number.NaN;
  }
}

/** A keep-alive connection to one server with `pipelining` requests in flight while it runs. */
class Conn {
  constructor(server, port) {
    this.server = server;
    this.inFlight = 0;
    this.sentAt = [];
    this.pending = null; // unparsed bytes
    this.socket = net.connect(port, '127.0.0.1');
    this.socket.setNoDelay(true);
    this.socket.on('data', (chunk) => this.onData(chunk));
    this.socket.on('error', () => {
      server.errors++;
    });
    this.socket.on('close', () => {
      server.closed++;
    });
    this.ready = new Promise((resolve) => this.socket.once('connect', resolve));
  }
  send() {
    const s = this.server;
    this.socket.write(requests[s.next++ % requests.length]);
    this.sentAt.push(performance.now());
    this.inFlight++;
  }
  fill() {
    this.socket.cork();
    while (this.server.running && this.inFlight < config.pipelining) this.send();
    this.socket.uncork();
  }
  onData(chunk) {
    let buf = this.pending === null ? chunk : Buffer.concat([this.pending, chunk]);
    let at = 0;
    const s = this.server;
    for (;;) {
      const end = buf.indexOf(CRLF2, at);
      if (end < 0) break;
      const len = findLength(buf, at, end);
      let next;
      if (len >= 0) next = end + 4 + Number.parseInt(buf.toString('latin1', len, buf.indexOf(13, len)), 10);
      else {
        // no content-length: chunked, up to the last chunk
        const last = buf.indexOf(LAST_CHUNK, end + 2);
        next = last < 0 ? Infinity : last + LAST_CHUNK.length;
      }
      if (next > buf.length) break;
      // "HTTP/1.1 200 …": the status is bytes 9–11
      const ok = buf[at + 9] === 0x32 && buf[at + 10] === 0x30 && buf[at + 11] === 0x30;
      at = next;
      this.inFlight--;
      const t0 = this.sentAt.shift();
      if (s.counting) {
        s.done++;
        if (!ok) s.non2xx++;
        const us = Math.min(s.histogram.length - 1, Math.floor((performance.now() - t0) * 10)); // 0.1 ms buckets
        s.histogram[us]++;
      }
    }
    this.pending = at === buf.length ? null : buf.subarray(at);
    if (s.running) this.fill();
    else if (this.inFlight === 0) s.drained?.();
  }
}

const servers = config.servers.map(({ name, port, pid }) => {
  const s = {
    name,
    port,
    pid,
    next: 0,
    running: false,
    counting: false,
    done: 0,
    non2xx: 0,
    errors: 0,
    closed: 0,
    histogram: new Uint32Array(10_000),
    conns: [],
    drained: null,
  };
  for (let i = 0; i < config.connections; i++) s.conns.push(new Conn(s, port));
  return s;
});
await Promise.all(servers.flatMap((s) => s.conns.map((c) => c.ready)));

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Loads one server for `ms`; the answers counted are those received inside the window. */
async function window(s, ms, count) {
  s.done = 0;
  s.non2xx = 0;
  s.histogram.fill(0);
  s.running = true;
  s.counting = count;
  const cpu0 = process.cpuUsage();
  const server0 = cpuMsOf(s.pid);
  const t0 = performance.now();
  for (const c of s.conns) c.fill();
  await sleep(ms);
  s.counting = false;
  const elapsed = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const serverCpuMs = cpuMsOf(s.pid) - server0;
  s.running = false;
  // Let the requests in flight finish (not counted) before the other server's turn.
  let waiting = s.conns.filter((c) => c.inFlight > 0).length;
  if (waiting > 0) {
    await new Promise((resolve) => {
      s.drained = () => {
        waiting = s.conns.filter((c) => c.inFlight > 0).length;
        if (waiting === 0) resolve();
      };
    });
  }
  s.drained = null;
  let p50 = 0;
  let p99 = 0;
  let seen = 0;
  for (let i = 0; i < s.histogram.length; i++) {
    seen += s.histogram[i];
    if (p50 === 0 && seen >= s.done * 0.5) p50 = i / 10;
    if (seen >= s.done * 0.99) {
      p99 = i / 10;
      break;
    }
  }
  return {
    server: s.name,
    rps: (s.done * 1000) / elapsed,
    done: s.done,
    non2xx: s.non2xx,
    errors: s.errors,
    closed: s.closed,
    p50,
    p99,
    loadCpuMs: (cpu.user + cpu.system) / 1000,
    serverCpuMs,
    elapsedMs: elapsed,
  };
}

for (const s of servers) await window(s, config.warmupMs, false); // JIT and connections warm, not measured
for (let r = 0; r < config.rounds; r++) {
  const order = r % 2 === 0 ? servers : [...servers].reverse(); // A B, B A, …: neither always goes first
  for (const s of order) {
    const w = await window(s, config.roundMs, true);
    process.stdout.write(`${JSON.stringify({ round: r, ...w })}\n`);
  }
}
for (const s of servers) for (const c of s.conns) c.socket.destroy();
process.exit(0);
