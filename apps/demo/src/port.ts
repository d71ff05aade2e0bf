/** PORT (default 3000); when it is busy, a free port instead, and the caller says so (issue #8). */
import { createServer } from 'node:net';

function tryListen(port: number, host: string): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE' || error.code === 'EACCES') resolve(undefined);
      else reject(error);
    });
    server.listen({ port, host, exclusive: true }, () => {
      const address = server.address();
      const chosen = typeof address === 'object' && address ? address.port : port;
      server.close(() => resolve(chosen));
    });
  });
}

export async function choosePort(wanted: number, host: string): Promise<{ port: number; fellBack: boolean }> {
  const got = await tryListen(wanted, host);
  if (got !== undefined) return { port: got, fellBack: false };
  const free = await tryListen(0, host);
  if (free === undefined) throw new Error('no free TCP port on ' + host);
  return { port: free, fellBack: true };
}

export function parsePort(text: string | undefined): number {
  if (text === undefined || text === '') return 3000;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new Error(`PORT must be an integer 0..65535 (got ${JSON.stringify(text)})`);
  return n;
}
