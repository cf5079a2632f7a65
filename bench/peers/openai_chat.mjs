// openai-node's Chat Completions stream helper: client.chat.completions.stream(...)
// .finalChatCompletion() (ChatCompletionStream), fed FILE through the client's `fetch`.
// Usage: node openai_chat.mjs FILE [feedBytes] [repeat]
// The helper keeps only the last reasoning_content delta (it copies unknown delta
// members, it does not append them), so run.sh does not compare reasoning for chat.
import OpenAI from 'openai';
import { main, sdkVersion } from './harness.mjs';

let client;
await main({
  impl: `openai-node ${sdkVersion('openai')} chat.completions.stream().finalChatCompletion()`,
  dialect: 'openai-chat',
  async run(fetch) {
    client ??= new OpenAI({ apiKey: 'bench', baseURL: 'http://peer.invalid/v1', fetch, maxRetries: 0 });
    let events = 0;
    const stream = client.chat.completions.stream({ model: 'grok-code-fast-1', messages: [{ role: 'user', content: 'hi' }] });
    stream.on('chunk', () => events++);
    const completion = await stream.finalChatCompletion();
    const message = completion.choices.find((c) => c.index === 0)?.message ?? {};
    const tools = (message.tool_calls ?? []).map((t) => ({ name: t.function?.name, arguments: t.function?.arguments ?? '' }));
    return { events, fold: { text: message.content ?? '', reasoning: message.reasoning_content ?? '', tools } };
  },
});
