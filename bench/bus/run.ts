/**
 * What an acknowledgement costs on the bus: JetStream consumption of the same events acked two ways,
 * alternating, in one run on one server: a plain ack (what lib/bus's consumers send), and a confirmed
 * ack that waits for the server's reply (`ackAck`, the baseline). Reports events/s and the CPU per
 * event of the NATS server process (when the benchmark started the embedded launcher) and of this
 * client, each as a ratio to the confirmed ack of the same round.
 * Usage: npm run bench:bus -- [--events 20000] [--rounds 2]
 */
import { parseArgs } from 'node:util';
import { AckPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { benchInfra } from '../infra.js';
import { processCpuMs } from '../support/process-cpu.js';

const { values } = parseArgs({ options: { events: { type: 'string', default: '20000' }, rounds: { type: 'string', default: '2' } } });
const events = Number(values.events);
const rounds = Number(values.rounds);
if (!Number.isInteger(events) || events < 1000 || !Number.isInteger(rounds) || rounds < 1) throw new Error('--events must be a whole number ≥ 1000 and --rounds ≥ 1');

type Mode = 'confirmed ack (ackAck)' | 'plain ack';
interface Measure { mode: Mode; round: number; rate: number; serverUs: number | null; clientUs: number }

const infra = await benchInfra();
const nc = await connect({ servers: infra.natsUrl, name: 'bench-bus' });
const stream = `BENCH_BUS_${Date.now().toString(36).toUpperCase()}`;
const measures: Measure[] = [];
try {
  const jsm = await jetstreamManager(nc);
  const js = jetstream(nc);
  await jsm.streams.add({ name: stream, subjects: [`${stream}.>`] });
  // about the size of a review.submitted event
  const payload = new TextEncoder().encode(JSON.stringify({ text: 'Strong battery, accurate GPS. '.repeat(20) }));
  for (let round = 1; round <= rounds; round++) {
    for (const mode of ['confirmed ack (ackAck)', 'plain ack'] as const) {
      const subject = `${stream}.r${round}${mode === 'plain ack' ? 'plain' : 'confirmed'}`;
      for (let i = 0; i < events; i += 500) await Promise.all(Array.from({ length: Math.min(500, events - i) }, () => js.publish(subject, payload)));
      const durable = subject.replaceAll('.', '_');
      await jsm.consumers.add(stream, { durable_name: durable, ack_policy: AckPolicy.Explicit, filter_subject: subject, max_ack_pending: 1000 });
      const consumer = await js.consumers.get(stream, durable);
      const server0 = processCpuMs(infra.pid);
      const client0 = process.cpuUsage();
      const started = performance.now();
      let received = 0;
      while (received < events) {
        const confirmations: Array<Promise<unknown>> = [];
        for await (const m of await consumer.fetch({ max_messages: 200, expires: 2000 })) {
          received++;
          if (mode === 'plain ack') m.ack();
          else confirmations.push(m.ackAck());
        }
        await Promise.all(confirmations);
      }
      const seconds = (performance.now() - started) / 1000;
      const server1 = processCpuMs(infra.pid);
      const client = process.cpuUsage(client0);
      // every ack must have reached the server before the next measurement
      for (let wait = 0; (await jsm.consumers.info(stream, durable)).num_ack_pending > 0; wait++) {
        if (wait > 100) throw new Error(`${mode}: acks still pending after 10 s`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      measures.push({ mode, round, rate: events / seconds, serverUs: server0 === null || server1 === null ? null : ((server1 - server0) * 1000) / events, clientUs: (client.user + client.system) / events });
      process.stdout.write(`  round ${round}, ${mode}: ${(events / seconds).toFixed(0)} events/s\n`);
    }
  }
  await jsm.streams.delete(stream);
} finally {
  await nc.close();
  await infra.close();
}

process.stdout.write(`\n\`npm run bench:bus -- --events ${events} --rounds ${rounds}\` (${events.toLocaleString('en')} events per run)\n\n`);
process.stdout.write('| round | ack | events/s | of confirmed | server CPU per event | of confirmed | client CPU per event | of confirmed |\n|---|---|---|---|---|---|---|---|\n');
for (const m of measures) {
  const base = measures.find((b) => b.round === m.round && b.mode === 'confirmed ack (ackAck)')!;
  const us = (v: number | null) => (v === null ? '–' : `${v.toFixed(1)} µs`);
  const ratio = (v: number | null, b: number | null) => (v === null || b === null ? '–' : (v / b).toFixed(2));
  process.stdout.write(`| ${m.round} | ${m.mode} | ${Math.round(m.rate).toLocaleString('en')} | ${(m.rate / base.rate).toFixed(2)} | ${us(m.serverUs)} | ${ratio(m.serverUs, base.serverUs)} | ${us(m.clientUs)} | ${ratio(m.clientUs, base.clientUs)} |\n`);
}
