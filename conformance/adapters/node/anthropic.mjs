// @anthropic-ai/sdk as an ssecheck adapter: anthropic-messages through
// messages.stream() → finalMessage(), the message the SDK assembles.
// http: the real client against base_url; feed: the same call through a fetch that
// serves the pieces as a 200 text/event-stream body.
import Anthropic from '@anthropic-ai/sdk';
import {
  DEFAULT_TIMEOUT_MS, args, feedFetch, feedRequest, httpParts, isConnectionError, normalized, output,
  packageVersion, serve, withDeadline,
} from './lib/protocol.mjs';

const FEED_BODY = { model: 'ssecheck-feed', max_tokens: 1024, messages: [{ role: 'user', content: 'feed' }] };

async function run({ baseURL, fetch, body, timeout }) {
  const client = new Anthropic({ apiKey: 'test', baseURL, fetch, maxRetries: 0, timeout });
  return withDeadline(timeout, async (signal) => {
    const stream = client.messages.stream(body, { signal });
    stream.on('error', () => {}); // finalMessage() below carries the error
    return { result: fromMessage(await stream.finalMessage()) };
  });
}

function fromMessage(m) {
  let text = '', reasoning = '';
  const tool_calls = [];
  for (const block of m.content ?? []) {
    if (block.type === 'text') text += block.text ?? '';
    else if (block.type === 'thinking') reasoning += block.thinking ?? '';
    else if (block.type === 'tool_use' || block.type === 'server_tool_use') {
      let input;
      try {
        input = block.input; // the SDK's own (partial-JSON) parse of the streamed input
      } catch {
        input = args(block.__json_buf);
      }
      tool_calls.push({ id: block.id ?? null, name: block.name ?? '', arguments: input ?? null });
    }
  }
  return normalized({
    dialect: 'anthropic-messages', id: m.id, model: m.model,
    outputs: [output(0, { text, reasoning, tool_calls, finish_reason: m.stop_reason ?? null })],
    usage: { input_tokens: m.usage?.input_tokens, output_tokens: m.usage?.output_tokens },
  });
}

function classify(e) {
  if (e instanceof Anthropic.APIConnectionTimeoutError) return { kind: 'timeout' };
  if (e instanceof Anthropic.APIConnectionError) return { kind: 'connection' };
  if (e instanceof Anthropic.APIUserAbortError) return { kind: 'connection' };
  if (e instanceof Anthropic.APIError) {
    if (Number.isInteger(e.status) && e.status >= 300) return { kind: 'http_status', status: e.status };
    return { kind: 'provider_error' }; // an `event: error` inside the stream
  }
  if (isConnectionError(e)) return { kind: 'connection' };
  if (e instanceof SyntaxError) return { kind: 'parse' };
  if (e instanceof Anthropic.AnthropicError) return { kind: 'parse' }; // the stream did not assemble
  return null;
}

serve({
  name: 'anthropic-sdk-typescript',
  version: packageVersion('@anthropic-ai/sdk'),
  modes: ['http', 'feed'],
  dialects: ['anthropic-messages'],
  output: 'normalized',
  classify,
  async http(cmd) {
    const { base, body, timeout } = httpParts(cmd);
    return run({ baseURL: base, body, timeout });
  },
  async feed(cmd, pieces) {
    const body = feedRequest(cmd)?.body ?? structuredClone(FEED_BODY);
    return run({ baseURL: 'http://ssecheck.invalid', fetch: feedFetch(pieces), body, timeout: DEFAULT_TIMEOUT_MS });
  },
});
