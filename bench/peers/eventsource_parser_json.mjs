// A plain client, timed as a whole process by run.sh: eventsource-parser frames the
// file, JSON.parse reads every chat chunk, and choice 0's content is joined.
// Usage: node eventsource_parser_json.mjs FILE [feedBytes]
// Prints the events and the joined text's UTF-8 length, to check against ssecheck's.
import { readFileSync } from 'node:fs';
import { createParser } from 'eventsource-parser';

const [file, feedArg = '65536'] = process.argv.slice(2);
const bytes = readFileSync(file);
const feed = Number(feedArg);
let events = 0;
const parts = [];
const parser = createParser({
  onEvent(event) {
    events++;
    if (event.data === '[DONE]') return;
    const content = JSON.parse(event.data).choices?.[0]?.delta?.content;
    if (typeof content === 'string') parts.push(content);
  },
});
const decoder = new TextDecoder('utf-8');
for (let pos = 0; pos < bytes.length; pos += feed) {
  parser.feed(decoder.decode(bytes.subarray(pos, pos + feed), { stream: true }));
}
parser.feed(decoder.decode());
console.log(JSON.stringify({ impl: 'eventsource-parser+JSON.parse', events, text_bytes: Buffer.byteLength(parts.join('')) }));
