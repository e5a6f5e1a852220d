// The Node.js baseline of the receive_cost example: the least work any
// JavaScript stream-sea client does per message. It speaks the protocol on
// ws 7 (the official JavaScript client's WebSocket library), parses every
// frame with JSON.parse and routes it by subscription id, as a client must,
// and does nothing else. Its CPU time per message is therefore a lower
// bound for a JavaScript client.
//
// node subscriber.mjs PORT N STREAM CLIENT_ID CLIENT_SECRET
// prints `ready` once subscribed, then `result RECEIVED ERRORS CPU_NS WALL_NS`.
import WebSocket from "ws";

const [port, n, stream, clientId, clientSecret] = process.argv.slice(2);
const want = Number(n);
const ws = new WebSocket(`ws://127.0.0.1:${port}/api/v1/streams`);
const handlers = new Map();
let received = 0;
let errors = 0;
let cpu0 = null;
let first = null;
let seen = 0;

function finish(code) {
  const cpu = process.cpuUsage(cpu0);
  const wall = first === null ? 0n : process.hrtime.bigint() - first;
  const cpuNs = BigInt(cpu.user + cpu.system) * 1000n;
  process.stdout.write(`result ${received} ${errors} ${cpuNs} ${wall}\n`, () => process.exit(code));
}

ws.on("open", () => {
  ws.send(JSON.stringify({
    id: 1,
    action: "authenticate",
    payload: { type: "basic", clientId, clientSecret },
  }));
});

ws.on("message", (data) => {
  let msg;
  try {
    msg = JSON.parse(data);
  } catch (e) {
    errors += 1;
    return;
  }
  if (msg.action === "authenticate") {
    if (!msg.success) {
      console.error("subscriber: authentication failed");
      process.exit(1);
    }
    handlers.set(2, (payload) => {
      if (first === null) first = process.hrtime.bigint();
      received += 1;
      if (received + errors >= want) finish(0);
    });
    ws.send(JSON.stringify({ id: 2, action: "subscribe", payload: stream }));
    return;
  }
  const handler = handlers.get(msg.id);
  if (handler === undefined) {
    errors += 1;
    return;
  }
  if (msg.success === true && typeof msg.payload === "number") {
    cpu0 = process.cpuUsage();
    process.stdout.write("ready\n");
    return;
  }
  if (msg.success === false) {
    console.error(`subscriber: ${JSON.stringify(msg.error)}`);
    process.exit(1);
  }
  handler(msg.payload);
});

ws.on("error", (e) => {
  console.error(`subscriber: ${e.message}`);
  process.exit(1);
});

// The watchdog: nothing received for 10 s ends the run with what it has.
setInterval(() => {
  if (cpu0 !== null && received + errors === seen) {
    console.error("subscriber: nothing received for 10s");
    finish(1);
  }
  seen = received + errors;
}, 10000);
