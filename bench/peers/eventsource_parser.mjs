// Times eventsource-parser over a file, fed as decoded text in fixed-size pieces.
// Usage: node eventsource_parser.mjs FILE [feedBytes] [repeat]
// Prints one JSON object like ssecheck_framefile, best of `repeat` runs.
import { readFileSync } from 'node:fs';
import { createParser } from 'eventsource-parser';

const [file, feedArg = '65536', repeatArg = '5'] = process.argv.slice(2);
const bytes = readFileSync(file);
const feed = Number(feedArg);
const repeat = Number(repeatArg);

let best = Infinity;
let events = 0;
for (let r = 0; r < repeat; r++) {
  let count = 0;
  const parser = createParser({ onEvent() { count++; } });
  const decoder = new TextDecoder('utf-8');
  const start = process.hrtime.bigint();
  for (let pos = 0; pos < bytes.length; pos += feed) {
    parser.feed(decoder.decode(bytes.subarray(pos, pos + feed), { stream: true }));
  }
  parser.feed(decoder.decode());
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (seconds < best) best = seconds;
  events = count;
}
console.log(JSON.stringify({
  impl: 'eventsource-parser', bytes: bytes.length, events, seconds: Number(best.toFixed(6)),
  mib_per_s: Number((bytes.length / best / 1048576).toFixed(1)),
}));
