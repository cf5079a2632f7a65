// eventsource-parser as an ssecheck framing adapter (output "events", feed mode).
// The pieces are decoded as a stream with one TextDecoder (UTF-8, as
// TextDecoderStream in the package's README does) and fed to createParser() in order.
// eventsource-parser reports each event's own id; the last-event-ID state that
// EventSource keeps (and ssecheck compares) is tracked from onId, which the parser
// calls for every block with an id field, before that block's event.
import { createParser } from 'eventsource-parser';
import { packageVersion, serve } from './lib/protocol.mjs';

serve({
  name: 'eventsource-parser',
  version: packageVersion('eventsource-parser'),
  modes: ['feed'],
  output: 'events',
  async feed(_cmd, pieces) {
    const events = [];
    let lastId = '';
    const parser = createParser({
      onId: (id) => (lastId = id),
      onEvent: (e) => events.push({ event: e.event ?? 'message', data: e.data, id: lastId }),
    });
    const decoder = new TextDecoder('utf-8');
    for (const piece of pieces) parser.feed(decoder.decode(piece, { stream: true }));
    parser.feed(decoder.decode());
    return { events }; // end of input: an unterminated event is dropped, as the spec says
  },
});
