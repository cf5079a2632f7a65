// @google/genai as an ssecheck adapter: gemini through models.generateContentStream(),
// joined as the SDK's README does (each chunk's .text and .functionCalls, in order).
// The recorded REST body (contents, systemInstruction, tools, toolConfig,
// safetySettings, generationConfig) is turned back into the SDK's call; the model
// comes from the request path. http: httpOptions.baseUrl = base_url; feed:
// httpOptions.fetch serves the pieces as a 200 text/event-stream body.
import { GoogleGenAI, ApiError } from '@google/genai';
import {
  AdapterError, DEFAULT_TIMEOUT_MS, feedFetch, feedRequest, httpParts, isConnectionError, normalized, output,
  packageVersion, serve, watchedFetch, withDeadline,
} from './lib/protocol.mjs';

const TOP_LEVEL = new Set(['contents', 'systemInstruction', 'tools', 'toolConfig', 'safetySettings', 'generationConfig', 'cachedContent', 'labels']);

// The SDK call for a recorded streamGenerateContent body.
export function toCall(model, body) {
  const unknown = Object.keys(body).filter((k) => !TOP_LEVEL.has(k));
  if (unknown.length) throw new AdapterError('unsupported', `request members the adapter does not translate: ${unknown.join(', ')}`);
  const config = { ...(body.generationConfig ?? {}) };
  for (const k of ['systemInstruction', 'tools', 'toolConfig', 'safetySettings', 'cachedContent', 'labels'])
    if (body[k] !== undefined) config[k] = body[k];
  return { model, contents: body.contents ?? [], config };
}

function route(path) {
  const m = /^\/(v1beta|v1|v1alpha)\/(?:.*\/)?models\/([^/:]+):streamGenerateContent$/.exec(path);
  if (!m) throw new AdapterError('unsupported', `not a Gemini streamGenerateContent path: ${path}`);
  return { apiVersion: m[1], model: decodeURIComponent(m[2]) };
}

async function run({ baseUrl, apiVersion, fetch, call, timeout }) {
  const watched = watchedFetch(fetch);
  const ai = new GoogleGenAI({ apiKey: 'test', httpOptions: { baseUrl, apiVersion, fetch: watched.fetch, timeout } });
  try {
    return await withDeadline(timeout, async (signal) => {
      call.config.abortSignal = signal;
      const stream = await ai.models.generateContentStream(call);
      let text = '', reasoning = '', sawCandidate = false, finish = null, block = null, id = null, model = null, usage = null;
      const tool_calls = [];
      for await (const chunk of stream) {
        id ??= chunk.responseId ?? null;
        model ??= chunk.modelVersion ?? null;
        if (chunk.usageMetadata) usage = chunk.usageMetadata;
        if (chunk.promptFeedback?.blockReason) block = chunk.promptFeedback.blockReason;
        const t = chunk.text;
        if (chunk.candidates?.length) sawCandidate = true;
        if (t !== undefined) text += t;
        for (const part of chunk.candidates?.[0]?.content?.parts ?? [])
          if (part.thought === true && typeof part.text === 'string') reasoning += part.text;
        for (const fc of chunk.functionCalls ?? []) tool_calls.push({ id: fc.id ?? null, name: fc.name ?? '', arguments: fc.args ?? {} });
        if (chunk.candidates?.[0]?.finishReason) finish = chunk.candidates[0].finishReason;
      }
      const outputs = sawCandidate || block ? [output(0, { text, reasoning, tool_calls, finish_reason: finish ?? block })] : [];
      return {
        result: normalized({
          dialect: 'gemini', id, model, outputs,
          usage: { input_tokens: usage?.promptTokenCount, output_tokens: usage?.candidatesTokenCount },
        }),
      };
    });
  } catch (e) {
    // The SDK raises an in-stream {"error": {...}} object as an ApiError carrying the
    // error's code as its status; after a 2xx response it is a provider error.
    if (e instanceof ApiError && watched.state.status >= 200 && watched.state.status < 300)
      throw new AdapterError('provider_error', e.message);
    throw e;
  }
}

function classify(e) {
  if (e instanceof ApiError) return Number.isInteger(e.status) ? { kind: 'http_status', status: e.status } : { kind: 'provider_error' };
  if (isConnectionError(e)) return { kind: 'connection' };
  if (e instanceof SyntaxError) return { kind: 'parse' };
  if (/Incomplete JSON segment|exception parsing stream chunk|Response body is empty/.test(e?.message ?? '')) return { kind: 'parse' };
  return null;
}

serve({
  name: 'google-genai-js',
  version: packageVersion('@google/genai'),
  modes: ['http', 'feed'],
  dialects: ['gemini'],
  output: 'normalized',
  classify,
  async http(cmd) {
    const { base, body, timeout, path } = httpParts(cmd);
    const { apiVersion, model } = route(path);
    return run({ baseUrl: base, apiVersion, call: toCall(model, body), timeout });
  },
  async feed(cmd, pieces) {
    const recorded = feedRequest(cmd);
    let model = 'ssecheck-feed', apiVersion = 'v1beta';
    if (recorded) ({ model, apiVersion } = route(recorded.path));
    const call = toCall(model, recorded?.body ?? { contents: [{ role: 'user', parts: [{ text: 'feed' }] }] });
    return run({ baseUrl: 'http://ssecheck.invalid', apiVersion, fetch: feedFetch(pieces), call, timeout: DEFAULT_TIMEOUT_MS });
  },
});
