import { createServer } from 'node:http';

// The floor to compare the collector with: node:http reading a JSON body and
// answering 202, nothing else. Prints its URL, like the collector.

const server = createServer((req, res) => {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (chunk: string) => {
    body += chunk;
  });
  req.on('end', () => {
    try {
      JSON.parse(body);
      res.writeHead(202, { 'content-type': 'application/json' });
      res.end('{"status":"success","message":"Event queued for processing"}');
    } catch {
      res.writeHead(400).end();
    }
  });
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = server.address();
  if (address && typeof address === 'object') process.stdout.write(`${JSON.stringify({ msg: 'listening', url: `http://127.0.0.1:${address.port}` })}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
