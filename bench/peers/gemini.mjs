// @google/genai: ai.models.generateContentStream(...), its chunks folded in order as
// the SDK documents them (candidates[0].content.parts: text, thought text, function
// calls; the `text` getter's rule, without its console warning on function calls).
// The SDK has no accumulator of its own for a stream. FILE goes through httpOptions.fetch.
// Usage: node gemini.mjs FILE [feedBytes] [repeat]
import { GoogleGenAI } from '@google/genai';
import { main, sdkVersion } from './harness.mjs';

let ai;
await main({
  impl: `@google/genai ${sdkVersion('@google/genai')} models.generateContentStream()`,
  dialect: 'gemini',
  contentType: 'text/event-stream',
  async run(fetch) {
    ai ??= new GoogleGenAI({ apiKey: 'bench', httpOptions: { fetch } });
    let events = 0;
    let text = '';
    let reasoning = '';
    const tools = [];
    const stream = await ai.models.generateContentStream({ model: 'gemini-2.5-flash', contents: 'hi' });
    for await (const chunk of stream) {
      events++;
      for (const part of chunk.candidates?.[0]?.content?.parts ?? []) {
        if (typeof part.text === 'string') {
          if (part.thought) reasoning += part.text;
          else text += part.text;
        } else if (part.functionCall) {
          tools.push({ name: part.functionCall.name, arguments: part.functionCall.args ?? {} });
        }
      }
    }
    return { events, fold: { text, reasoning, tools } };
  },
});
