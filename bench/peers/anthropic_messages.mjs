// @anthropic-ai/sdk's MessageStream: client.messages.stream(...).finalMessage(), fed
// FILE through the client's `fetch`.
// Usage: node anthropic_messages.mjs FILE [feedBytes] [repeat]
import Anthropic from '@anthropic-ai/sdk';
import { main, sdkVersion } from './harness.mjs';

let client;
await main({
  impl: `@anthropic-ai/sdk ${sdkVersion('@anthropic-ai/sdk')} messages.stream().finalMessage()`,
  dialect: 'anthropic-messages',
  async run(fetch) {
    client ??= new Anthropic({ apiKey: 'bench', baseURL: 'http://peer.invalid', fetch, maxRetries: 0 });
    let events = 0;
    const stream = client.messages.stream({
      model: 'claude-sonnet-4-20250514',
      max_tokens: 4096,
      messages: [{ role: 'user', content: 'hi' }],
    });
    stream.on('streamEvent', () => events++);
    const message = await stream.finalMessage();
    let text = '';
    let reasoning = '';
    const tools = [];
    for (const block of message.content) {
      if (block.type === 'text') text += block.text;
      else if (block.type === 'thinking') reasoning += block.thinking;
      else if (block.type === 'tool_use') tools.push({ name: block.name, arguments: block.input });  // parsed here (lazy)
    }
    return { events, fold: { text, reasoning, tools } };
  },
});
