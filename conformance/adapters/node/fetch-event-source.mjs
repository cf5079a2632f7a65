// @microsoft/fetch-event-source's parser as an ssecheck framing adapter (output
// "events", feed mode): the pipeline fetchEventSource() runs on a response body,
// getBytes(body, getLines(getMessages(onId, onRetry, onMessage))), over a stream of the
// pieces. (fetchEventSource() itself needs window and document, so it is not called.)
// Every message handed to onmessage is an event; an empty event field is "message"
// (what the library's EventSource-style callers see as the default type), and the id
// is the last-event-ID the library keeps from onId and would send on reconnect.
import { getBytes, getLines, getMessages } from '@microsoft/fetch-event-source/lib/cjs/parse.js';
import { chunkStream, packageVersion, serve } from './lib/protocol.mjs';

serve({
  name: 'fetch-event-source',
  version: packageVersion('@microsoft/fetch-event-source'),
  modes: ['feed'],
  output: 'events',
  async feed(_cmd, pieces) {
    const events = [];
    let lastId = '';
    const onId = (id) => (lastId = id);
    const onMessage = (m) => events.push({ event: m.event || 'message', data: m.data, id: lastId });
    await getBytes(chunkStream(pieces), getLines(getMessages(onId, () => {}, onMessage)));
    return { events };
  },
});
