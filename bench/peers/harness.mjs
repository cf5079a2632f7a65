// Shared by the SDK peers: reads FILE, serves it to the SDK through its own `fetch`
// option as a text/event-stream Response whose body is a ReadableStream of fixed-size
// pieces (one piece per read, as a network would deliver them; no socket, no timers),
// times the SDK's streaming accumulator to its final object, best of `repeat` runs,
// and prints one JSON line shaped like ssecheck_assemblefile's.
//   node <peer>.mjs FILE [feedBytes=65536] [repeat=5]
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resultDigest } from './digest.mjs';

function fail(message) {
  process.stderr.write(`${message}\nusage: node <peer>.mjs FILE [feedBytes=65536] [repeat=5]\n`);
  process.exit(2);
}

export function sdkVersion(pkg) {
  const require = createRequire(import.meta.url);
  try {
    return require(`${pkg}/package.json`).version;
  } catch {
    // packages whose "exports" hide package.json
    const path = new URL(`./node_modules/${pkg}/package.json`, import.meta.url);
    return JSON.parse(readFileSync(path, 'utf8')).version;
  }
}

// peer: { impl, dialect, contentType?, run(fetch) -> Promise<{ fold, events }> }
// fold = { text, reasoning, tools: [{ name, arguments }] }, built from the SDK's final
// object inside the timed run; events = what the SDK handed to its accumulator.
export async function main(peer) {
  const [file, feedArg = '65536', repeatArg = '5', ...rest] = process.argv.slice(2);
  if (!file || rest.length) fail('expected FILE [feedBytes] [repeat]');
  const feed = Number(feedArg);
  const repeat = Number(repeatArg);
  if (!Number.isInteger(feed) || feed < 1) fail(`feedBytes must be a positive integer, not '${feedArg}'`);
  if (!Number.isInteger(repeat) || repeat < 1 || repeat > 1000) fail(`repeat must be 1..1000, not '${repeatArg}'`);
  let bytes;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    process.stderr.write(`${file}: ${e.message}\n`);
    process.exit(2);
  }
  const pieces = [];
  for (let pos = 0; pos < bytes.length; pos += feed) pieces.push(bytes.subarray(pos, pos + feed));

  let calls = 0;
  const fetch = async () => {
    calls++;
    let next = 0;
    const body = new ReadableStream({
      pull(controller) {
        if (next < pieces.length) controller.enqueue(pieces[next++]);
        else controller.close();
      },
    });
    return new Response(body, {
      status: 200,
      headers: { 'content-type': peer.contentType ?? 'text/event-stream; charset=utf-8' },
    });
  };

  let best = Infinity;
  let result;
  for (let r = 0; r < repeat; r++) {
    calls = 0;
    const start = process.hrtime.bigint();
    result = await peer.run(fetch);
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (calls !== 1) {
      process.stderr.write(`${peer.impl}: the SDK made ${calls} requests for one stream\n`);
      process.exit(1);
    }
    best = Math.min(best, seconds);
  }
  const line = {
    impl: peer.impl,
    dialect: peer.dialect,
    bytes: bytes.length,
    events: result.events,
    seconds: Number(best.toFixed(6)),
    mib_per_s: Number((bytes.length / best / 1048576).toFixed(1)),
    ...resultDigest(result.fold),
  };
  console.log(JSON.stringify(line));
}
