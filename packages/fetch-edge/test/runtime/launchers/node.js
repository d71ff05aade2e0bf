// Node launcher: Node has no `fetch`-style server, so node:http requests become WHATWG Requests
// here (test code only; the package itself never imports node:*). The worker's outbound calls go
// through Node's own global fetch (undici).
import { createServer } from 'node:http';
import { Readable } from 'node:stream';
import worker from 'mmsp-test-worker';

const server = createServer(async (req, res) => {
  try {
    const url = `http://${req.headers.host ?? '127.0.0.1'}${req.url ?? '/'}`;
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
    const request = new Request(url, {
      method: req.method,
      headers: Object.entries(req.headers).flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)]])),
      body: hasBody ? Readable.toWeb(req) : undefined,
      duplex: 'half',
    });
    const response = await worker.fetch(request, process.env);
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  } catch (error) {
    res.writeHead(500).end(String(error));
  }
});
server.listen(0, '127.0.0.1', () => console.log(`LISTENING ${server.address().port}`));
