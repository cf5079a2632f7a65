// openai-node's Responses stream helper: client.responses.stream(...).finalResponse()
// (ResponseStream / ResponseAccumulator), fed FILE through the client's `fetch`.
// Usage: node openai_responses.mjs FILE [feedBytes] [repeat]
import OpenAI from 'openai';
import { main, sdkVersion } from './harness.mjs';

let client;
await main({
  impl: `openai-node ${sdkVersion('openai')} responses.stream().finalResponse()`,
  dialect: 'openai-responses',
  async run(fetch) {
    client ??= new OpenAI({ apiKey: 'bench', baseURL: 'http://peer.invalid/v1', fetch, maxRetries: 0 });
    let events = 0;
    const stream = client.responses.stream({ model: 'gpt-5', input: 'hi' });
    stream.on('event', () => events++);
    const response = await stream.finalResponse();
    // What the normalized result takes from it: output_text (the SDK's join of the
    // message items' output_text parts), the reasoning summaries joined with a blank
    // line (reasoning_text when an item has no summary), the function calls in order.
    const reasoning = [];
    const tools = [];
    for (const item of response.output) {
      if (item.type === 'reasoning') {
        const parts = item.summary?.length ? item.summary : (item.content ?? []).filter((c) => c.type === 'reasoning_text');
        for (const p of parts) reasoning.push(p.text);
      } else if (item.type === 'function_call') {
        tools.push({ name: item.name, arguments: item.arguments });
      }
    }
    return { events, fold: { text: response.output_text ?? '', reasoning: reasoning.join('\n\n'), tools } };
  },
});
