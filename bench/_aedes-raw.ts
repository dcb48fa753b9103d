// A bare Aedes broker (no authentication, no Pitlane) for the ingest benchmark's raw QoS 1 baseline.
// Prints `port <n>` once listening; exits on SIGTERM.
import net from 'node:net';
import { Aedes } from 'aedes';

const broker = await Aedes.createBroker({ queueLimit: 10_000, concurrency: 1000 });
const server = net.createServer(broker.handle);
server.listen(0, '127.0.0.1', () => {
  const a = server.address() as net.AddressInfo;
  console.log(`port ${a.port}`);
});
process.on('SIGTERM', () => {
  server.close();
  broker.close(() => process.exit(0));
});
