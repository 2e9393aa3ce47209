// By hand (docs/performance-precopy.md): how long one request for N bytes takes over a warm TCP
// connection — the delta stream's shape without any disk — over C connections at once.
//   server: node bench/tcp-burst.mjs serve PORT
//   client: node bench/tcp-burst.mjs fetch HOST PORT BYTES CONNECTIONS REPS
import { connect, createServer } from 'node:net';
const [mode, ...a] = process.argv.slice(2);
const payload = Buffer.alloc(64 << 20, 0x5a);
if (mode === 'serve') {
  createServer((s) => {
    s.setNoDelay(true);
    s.on('data', (d) => {
      // Each request is a u32: the bytes wanted.
      for (let o = 0; o + 4 <= d.length; o += 4) s.write(payload.subarray(0, d.readUInt32BE(o)));
    });
  }).listen(Number(a[0]));
} else {
  const [host, port, bytes, conns, reps] = [a[0], Number(a[1]), Number(a[2]), Number(a[3]), Number(a[4])];
  const socks = await Promise.all(Array.from({ length: conns }, () => new Promise((r) => { const s = connect({ host, port, noDelay: true }, () => r(s)); })));
  const fetch = (s, n) => new Promise((resolve) => {
    let got = 0;
    const on = (d) => { got += d.length; if (got >= n) { s.off('data', on); resolve(); } };
    s.on('data', on);
    const q = Buffer.alloc(4); q.writeUInt32BE(n); s.write(q);
  });
  const out = [];
  for (let r = 0; r < reps + 2; r++) {
    const t0 = process.hrtime.bigint();
    await Promise.all(socks.map((s) => fetch(s, Math.floor(bytes / conns))));
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r >= 2) out.push(ms.toFixed(1)); // the first two warm the connections
  }
  console.log(`${bytes} bytes over ${conns} connection(s): ${out.join(' / ')} ms`);
  socks.forEach((s) => s.destroy());
}
