// openai-node as an ssecheck adapter: openai-chat through chat.completions.stream()
// → finalChatCompletion(), openai-responses through responses.stream() → finalResponse().
// http: the real client against base_url + "/v1"; feed: the same calls through a fetch
// that serves the pieces as a 200 text/event-stream body.
import OpenAI from 'openai';
import {
  AdapterError, DEFAULT_TIMEOUT_MS, args, feedFetch, feedRequest, httpParts, normalized, output, serve,
  withDeadline, isConnectionError, packageVersion,
} from './lib/protocol.mjs';

const version = packageVersion('openai');
const FEED_BODY = {
  'openai-chat': { model: 'ssecheck-feed', messages: [{ role: 'user', content: 'feed' }] },
  'openai-responses': { model: 'ssecheck-feed', input: 'feed' },
};

async function run(dialect, { baseURL, fetch, body, timeout }) {
  const client = new OpenAI({ apiKey: 'test', baseURL, fetch, maxRetries: 0, timeout });
  return withDeadline(timeout, async (signal) => {
    if (dialect === 'openai-chat') {
      const stream = client.chat.completions.stream(body, { signal });
      return { result: fromChat(await stream.finalChatCompletion()) };
    }
    const stream = client.responses.stream(body, { signal });
    return { result: fromResponse(await stream.finalResponse()) };
  });
}

function fromChat(c) {
  const outputs = (c.choices ?? [])
    .filter(Boolean)
    .map((ch) => {
      const m = ch.message ?? {};
      return output(ch.index, {
        text: m.content ?? '',
        reasoning: m.reasoning_content ?? m.reasoning ?? '',
        refusal: m.refusal ?? '',
        tool_calls: (m.tool_calls ?? []).map((t) => ({
          id: t.id ?? null,
          name: t.function?.name ?? t.custom?.name ?? '',
          arguments: args(t.function?.arguments ?? t.custom?.input),
        })),
        finish_reason: ch.finish_reason ?? null,
      });
    })
    .sort((a, b) => a.index - b.index);
  return normalized({
    dialect: 'openai-chat', id: c.id, model: c.model, outputs,
    usage: { input_tokens: c.usage?.prompt_tokens, output_tokens: c.usage?.completion_tokens },
  });
}

function fromResponse(r) {
  let text = '', refusal = '';
  const reasoning = [], tool_calls = [];
  for (const item of r.output ?? []) {
    if (item.type === 'message') {
      for (const part of item.content ?? []) {
        if (part.type === 'output_text') text += part.text ?? '';
        else if (part.type === 'refusal') refusal += part.refusal ?? '';
      }
    } else if (item.type === 'reasoning') {
      if (item.summary?.length) for (const s of item.summary) reasoning.push(s.text ?? '');
      else for (const c of item.content ?? []) if (c.type === 'reasoning_text') reasoning.push(c.text ?? '');
    } else if (item.type === 'function_call') {
      tool_calls.push({ id: item.call_id ?? null, name: item.name ?? '', arguments: args(item.arguments) });
    } else if (item.type === 'custom_tool_call') {
      tool_calls.push({ id: item.call_id ?? null, name: item.name ?? '', arguments: args(item.input) });
    }
  }
  if (typeof r.output_text === 'string') text = r.output_text; // the SDK's own join
  const error = r.error ? { type: String(r.error.code ?? r.error.type ?? ''), message: String(r.error.message ?? '') } : null;
  return normalized({
    dialect: 'openai-responses', id: r.id, model: r.model,
    outputs: [output(0, { text, refusal, reasoning: reasoning.join('\n\n'), tool_calls, finish_reason: r.status ?? null })],
    usage: { input_tokens: r.usage?.input_tokens, output_tokens: r.usage?.output_tokens },
    error,
  });
}

// openai-node's error classes, by what they mean on the wire.
function classify(e) {
  if (e instanceof OpenAI.APIConnectionTimeoutError) return { kind: 'timeout' };
  if (e instanceof OpenAI.APIConnectionError) return { kind: 'connection' };
  if (e instanceof OpenAI.APIUserAbortError) return { kind: 'connection' };
  if (e instanceof OpenAI.APIError) {
    if (Number.isInteger(e.status) && e.status >= 300) return { kind: 'http_status', status: e.status };
    return { kind: 'provider_error' }; // an error event or error object inside the stream
  }
  if (isConnectionError(e)) return { kind: 'connection' };
  if (e instanceof SyntaxError) return { kind: 'parse' };
  if (e instanceof OpenAI.OpenAIError) return { kind: 'parse' }; // the stream did not assemble
  return null;
}

serve({
  name: 'openai-node',
  version,
  modes: ['http', 'feed'],
  dialects: ['openai-chat', 'openai-responses'],
  output: 'normalized',
  classify,
  async http(cmd) {
    const { base, body, timeout } = httpParts(cmd);
    return run(cmd.dialect, { baseURL: base + '/v1', body, timeout });
  },
  async feed(cmd, pieces) {
    const recorded = feedRequest(cmd);
    const body = recorded?.body ?? structuredClone(FEED_BODY[cmd.dialect]);
    return run(cmd.dialect, { baseURL: 'http://ssecheck.invalid/v1', fetch: feedFetch(pieces), body, timeout: DEFAULT_TIMEOUT_MS });
  },
});
