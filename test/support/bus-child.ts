// A consumer process for the crash test: it takes a message, says so on stdout, then hangs until killed.
// Usage: tsx test/support/bus-child.ts <natsUrl> <stream> <subjectsJson> <durable> <ackWaitMs>
import { connectBus } from '../../lib/bus/index.js';

const [natsUrl, stream, subjectsJson, durable, ackWaitMs] = process.argv.slice(2);
if (!natsUrl || !stream || !subjectsJson || !durable || !ackWaitMs) {
  process.stderr.write('usage: bus-child <natsUrl> <stream> <subjectsJson> <durable> <ackWaitMs>\n');
  process.exit(2);
}

const bus = await connectBus({
  natsUrl,
  name: 'bus-child',
  streams: [{ name: stream, subjects: JSON.parse(subjectsJson) as string[] }],
});
await bus.consume({
  stream,
  durable,
  ackWaitMs: Number(ackWaitMs),
  handler: async (event) => {
    process.stdout.write(`started ${event.id}\n`);
    await new Promise<never>(() => undefined);
  },
});
process.stdout.write('consuming\n');
