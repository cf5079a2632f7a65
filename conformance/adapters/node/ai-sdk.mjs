// The Vercel AI SDK (`ai` streamText with @ai-sdk/openai, @ai-sdk/anthropic and
// @ai-sdk/google) as an ssecheck adapter, for all four dialects.
//
// The recorded provider request is translated into one streamText() call (system,
// messages, tools without execute, toolChoice, maxOutputTokens, providerOptions); the
// result is read from streamText's own promises (text, reasoning, toolCalls,
// rawFinishReason, usage.raw, response). http: the provider's baseURL points at
// base_url; feed: the provider's fetch serves the pieces as a 200 text/event-stream.
//
// What the SDK cannot report as the provider sent it is left out of the dialect's
// fields (hello "dialect_fields", ADAPTERS.md): openai-chat reasoning (the OpenAI
// provider does not read reasoning_content) and refusal (not exposed), gemini
// tool_calls (the SDK invents an id where Gemini sends none) and model (response.modelId
// is the model asked for, not the stream's modelVersion), openai-responses
// finish_reason (rawFinishReason is incomplete_details.reason, not the response status).
// finish_reason is the SDK's rawFinishReason and usage its usage.raw, the provider's
// own values.
import { APICallError, jsonSchema, streamText, tool } from 'ai';
import { createAnthropic } from '@ai-sdk/anthropic';
import { createGoogleGenerativeAI } from '@ai-sdk/google';
import { createOpenAI } from '@ai-sdk/openai';
import {
  AdapterError, DEFAULT_TIMEOUT_MS, FIELDS, args, feedFetch, feedRequest, httpParts, isConnectionError, normalized,
  output, packageVersion, serve, watchedFetch, withDeadline,
} from './lib/protocol.mjs';

const without = (...drop) => FIELDS.filter((f) => !drop.includes(f));
const DIALECT_FIELDS = {
  'openai-chat': without('reasoning', 'refusal'),
  'openai-responses': without('refusal', 'finish_reason'),
  'anthropic-messages': FIELDS,
  gemini: without('model', 'tool_calls'),
};
const common = FIELDS.filter((f) => Object.values(DIALECT_FIELDS).every((l) => l.includes(f)));

const FEED = {
  'openai-chat': { path: '/v1/chat/completions', body: { model: 'ssecheck-feed', messages: [{ role: 'user', content: 'feed' }] } },
  'openai-responses': { path: '/v1/responses', body: { model: 'ssecheck-feed', input: 'feed' } },
  'anthropic-messages': { path: '/v1/messages', body: { model: 'ssecheck-feed', max_tokens: 1024, messages: [{ role: 'user', content: 'feed' }] } },
  gemini: { path: '/v1beta/models/ssecheck-feed:streamGenerateContent', body: { contents: [{ role: 'user', parts: [{ text: 'feed' }] }] } },
};

// ---- request translation: provider body → streamText options -------------------

const unsupported = (what) => {
  throw new AdapterError('unsupported', `the adapter does not translate ${what}`);
};
const ignored = (body, known) => {
  const extra = Object.keys(body).filter((k) => !known.includes(k));
  if (extra.length) console.error(`ai-sdk adapter: request members not translated: ${extra.join(', ')}`);
};
const textOf = (content) => {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((p) => (p.type === 'text' || p.type === 'input_text' || p.type === 'output_text' ? p.text : unsupported(`content part ${p.type}`))).join('');
};
const toolSet = (list) => {
  if (!list?.length) return undefined;
  const tools = {};
  for (const t of list) tools[t.name] = tool({ description: t.description, inputSchema: jsonSchema(t.schema ?? { type: 'object' }) });
  return tools;
};
const choice = (c) => {
  if (c == null) return undefined;
  if (c === 'auto' || c === 'none' || c === 'required') return c;
  if (c === 'any') return 'required';
  if (c.type === 'function') return { type: 'tool', toolName: c.function?.name ?? c.name };
  if (c.type === 'tool') return { type: 'tool', toolName: c.name };
  if (c.type === 'auto' || c.type === 'none') return c.type;
  if (c.type === 'any') return 'required';
  return unsupported(`tool_choice ${JSON.stringify(c)}`);
};

function fromChat(body) {
  ignored(body, ['model', 'messages', 'tools', 'tool_choice', 'max_tokens', 'max_completion_tokens', 'temperature', 'top_p', 'stream', 'stream_options', 'parallel_tool_calls', 'seed', 'stop', 'n']);
  if (body.n != null && body.n !== 1) unsupported('n > 1 (streamText has one output)');
  const names = new Map();
  const messages = [];
  for (const m of body.messages ?? []) {
    if (m.role === 'system' || m.role === 'developer') messages.push({ role: 'system', content: textOf(m.content) });
    else if (m.role === 'user') messages.push({ role: 'user', content: textOf(m.content) });
    else if (m.role === 'assistant') {
      const content = [];
      if (m.content) content.push({ type: 'text', text: textOf(m.content) });
      for (const c of m.tool_calls ?? []) {
        names.set(c.id, c.function.name);
        content.push({ type: 'tool-call', toolCallId: c.id, toolName: c.function.name, input: args(c.function.arguments) });
      }
      messages.push({ role: 'assistant', content });
    } else if (m.role === 'tool') {
      const part = { type: 'tool-result', toolCallId: m.tool_call_id, toolName: names.get(m.tool_call_id) ?? '', output: { type: 'text', value: textOf(m.content) } };
      const last = messages.at(-1);
      if (last?.role === 'tool') last.content.push(part);
      else messages.push({ role: 'tool', content: [part] });
    } else unsupported(`message role ${m.role}`);
  }
  const openai = {};
  if (body.parallel_tool_calls != null) openai.parallelToolCalls = body.parallel_tool_calls;
  return {
    messages,
    tools: toolSet(body.tools?.map((t) => ({ name: t.function.name, description: t.function.description, schema: t.function.parameters }))),
    toolChoice: choice(body.tool_choice),
    maxOutputTokens: body.max_completion_tokens ?? body.max_tokens,
    temperature: body.temperature, topP: body.top_p, seed: body.seed, stopSequences: body.stop == null ? undefined : [].concat(body.stop),
    providerOptions: { openai },
  };
}

function fromResponses(body) {
  ignored(body, ['model', 'input', 'instructions', 'tools', 'tool_choice', 'max_output_tokens', 'temperature', 'top_p', 'stream', 'store', 'include', 'reasoning', 'parallel_tool_calls']);
  const names = new Map();
  const messages = [];
  if (body.instructions) messages.push({ role: 'system', content: body.instructions });
  const input = typeof body.input === 'string' ? [{ role: 'user', content: body.input }] : body.input ?? [];
  const push = (role, part) => {
    const last = messages.at(-1);
    if (last?.role === role && Array.isArray(last.content)) last.content.push(part);
    else messages.push({ role, content: [part] });
  };
  for (const x of input) {
    const type = x.type ?? 'message';
    if (type === 'message' && (x.role === 'system' || x.role === 'developer')) messages.push({ role: 'system', content: textOf(x.content) });
    else if (type === 'message' && x.role === 'user') messages.push({ role: 'user', content: textOf(x.content) });
    else if (type === 'message' && x.role === 'assistant') push('assistant', { type: 'text', text: textOf(x.content) });
    else if (type === 'function_call') {
      names.set(x.call_id, x.name);
      push('assistant', { type: 'tool-call', toolCallId: x.call_id, toolName: x.name, input: args(x.arguments) });
    } else if (type === 'function_call_output') {
      push('tool', { type: 'tool-result', toolCallId: x.call_id, toolName: names.get(x.call_id) ?? '', output: { type: 'text', value: typeof x.output === 'string' ? x.output : JSON.stringify(x.output) } });
    } else unsupported(`input item ${type}`);
  }
  const openai = {};
  if (body.store != null) openai.store = body.store;
  if (body.include) openai.include = body.include;
  if (body.reasoning?.effort) openai.reasoningEffort = body.reasoning.effort;
  if (body.reasoning?.summary) openai.reasoningSummary = body.reasoning.summary;
  if (body.parallel_tool_calls != null) openai.parallelToolCalls = body.parallel_tool_calls;
  for (const t of body.tools ?? []) if (t.type !== 'function') unsupported(`tool type ${t.type}`);
  return {
    messages,
    tools: toolSet(body.tools?.map((t) => ({ name: t.name, description: t.description, schema: t.parameters }))),
    toolChoice: choice(body.tool_choice),
    maxOutputTokens: body.max_output_tokens,
    temperature: body.temperature, topP: body.top_p,
    providerOptions: { openai },
  };
}

function fromMessages(body) {
  ignored(body, ['model', 'messages', 'system', 'tools', 'tool_choice', 'max_tokens', 'temperature', 'top_p', 'top_k', 'stream', 'thinking', 'stop_sequences']);
  const names = new Map();
  const messages = [];
  if (body.system) messages.push({ role: 'system', content: textOf(body.system) });
  for (const m of body.messages ?? []) {
    const parts = typeof m.content === 'string' ? [{ type: 'text', text: m.content }] : m.content ?? [];
    if (m.role === 'assistant') {
      const content = parts.map((p) => {
        if (p.type === 'text') return { type: 'text', text: p.text };
        if (p.type === 'thinking') return { type: 'reasoning', text: p.thinking, providerOptions: { anthropic: { signature: p.signature } } };
        if (p.type === 'redacted_thinking') return { type: 'reasoning', text: '', providerOptions: { anthropic: { redactedData: p.data } } };
        if (p.type === 'tool_use') {
          names.set(p.id, p.name);
          return { type: 'tool-call', toolCallId: p.id, toolName: p.name, input: p.input };
        }
        return unsupported(`assistant block ${p.type}`);
      });
      messages.push({ role: 'assistant', content });
    } else if (m.role === 'user') {
      const results = parts.filter((p) => p.type === 'tool_result');
      const rest = parts.filter((p) => p.type !== 'tool_result');
      if (results.length)
        messages.push({
          role: 'tool',
          content: results.map((r) => ({ type: 'tool-result', toolCallId: r.tool_use_id, toolName: names.get(r.tool_use_id) ?? '', output: { type: r.is_error ? 'error-text' : 'text', value: textOf(r.content ?? '') } })),
        });
      if (rest.length) messages.push({ role: 'user', content: rest.map((p) => (p.type === 'text' ? { type: 'text', text: p.text } : unsupported(`user block ${p.type}`))) });
    } else unsupported(`message role ${m.role}`);
  }
  const anthropic = {};
  if (body.thinking?.type === 'enabled') anthropic.thinking = { type: 'enabled', budgetTokens: body.thinking.budget_tokens };
  else if (body.thinking) anthropic.thinking = body.thinking;
  if (body.tool_choice?.disable_parallel_tool_use != null) anthropic.disableParallelToolUse = body.tool_choice.disable_parallel_tool_use;
  return {
    messages,
    tools: toolSet(body.tools?.map((t) => (t.type && t.type !== 'custom' ? unsupported(`tool type ${t.type}`) : { name: t.name, description: t.description, schema: t.input_schema }))),
    toolChoice: choice(body.tool_choice),
    maxOutputTokens: body.max_tokens,
    temperature: body.temperature, topP: body.top_p, topK: body.top_k, stopSequences: body.stop_sequences,
    providerOptions: { anthropic },
  };
}

// Gemini schemas are OpenAPI with upper-case types; streamText takes JSON Schema.
const jsonSchemaOf = (s) => {
  if (Array.isArray(s)) return s.map(jsonSchemaOf);
  if (!s || typeof s !== 'object') return s;
  const out = {};
  for (const [k, v] of Object.entries(s)) out[k] = k === 'type' && typeof v === 'string' ? v.toLowerCase() : jsonSchemaOf(v);
  return out;
};

function fromGemini(body) {
  ignored(body, ['contents', 'systemInstruction', 'tools', 'toolConfig', 'generationConfig', 'safetySettings']);
  const messages = [];
  if (body.systemInstruction) messages.push({ role: 'system', content: (body.systemInstruction.parts ?? []).map((p) => p.text ?? '').join('') });
  const pending = []; // call ids waiting for their functionResponse, by name
  let n = 0;
  for (const c of body.contents ?? []) {
    const parts = c.parts ?? [];
    if (c.role === 'model') {
      messages.push({
        role: 'assistant',
        content: parts.map((p) => {
          const google = p.thoughtSignature ? { providerOptions: { google: { thoughtSignature: p.thoughtSignature } } } : {};
          if (p.functionCall) {
            const id = p.functionCall.id ?? `call_${++n}`;
            pending.push({ id, name: p.functionCall.name });
            return { type: 'tool-call', toolCallId: id, toolName: p.functionCall.name, input: p.functionCall.args ?? {}, ...google };
          }
          if (typeof p.text === 'string') return { type: p.thought ? 'reasoning' : 'text', text: p.text, ...google };
          return unsupported('a model part without text or functionCall');
        }),
      });
    } else {
      const responses = parts.filter((p) => p.functionResponse);
      const rest = parts.filter((p) => !p.functionResponse);
      if (responses.length)
        messages.push({
          role: 'tool',
          content: responses.map(({ functionResponse: r }) => {
            const at = pending.findIndex((x) => (r.id != null ? x.id === r.id : x.name === r.name));
            const id = at >= 0 ? pending.splice(at, 1)[0].id : r.id ?? `call_${++n}`;
            return { type: 'tool-result', toolCallId: id, toolName: r.name, output: { type: 'json', value: r.response ?? {} } };
          }),
        });
      if (rest.length) messages.push({ role: 'user', content: rest.map((p) => (typeof p.text === 'string' ? { type: 'text', text: p.text } : unsupported('a user part without text'))) });
    }
  }
  const decls = (body.tools ?? []).flatMap((t) => t.functionDeclarations ?? (Object.keys(t).length ? unsupported(`tool ${Object.keys(t).join('+')}`) : []));
  const mode = body.toolConfig?.functionCallingConfig?.mode;
  const gc = body.generationConfig ?? {};
  ignored(gc, ['maxOutputTokens', 'temperature', 'topP', 'topK', 'stopSequences', 'thinkingConfig', 'seed', 'candidateCount']);
  if (gc.candidateCount != null && gc.candidateCount !== 1) unsupported('candidateCount > 1');
  const google = {};
  if (gc.thinkingConfig) google.thinkingConfig = gc.thinkingConfig;
  if (body.safetySettings) google.safetySettings = body.safetySettings;
  return {
    messages,
    tools: toolSet(decls.map((d) => ({ name: d.name, description: d.description, schema: d.parametersJsonSchema ?? jsonSchemaOf(d.parameters) }))),
    toolChoice: mode === 'ANY' ? 'required' : mode === 'NONE' ? 'none' : mode === 'AUTO' ? 'auto' : undefined,
    maxOutputTokens: gc.maxOutputTokens, temperature: gc.temperature, topP: gc.topP, topK: gc.topK, stopSequences: gc.stopSequences, seed: gc.seed,
    providerOptions: { google },
  };
}

// ---- the model for a dialect ------------------------------------------------------

function model(dialect, base, path, body, fetch) {
  const apiKey = 'test';
  if (dialect === 'openai-chat') return createOpenAI({ baseURL: base + '/v1', apiKey, fetch }).chat(body.model);
  if (dialect === 'openai-responses') return createOpenAI({ baseURL: base + '/v1', apiKey, fetch }).responses(body.model);
  if (dialect === 'anthropic-messages') return createAnthropic({ baseURL: base + '/v1', apiKey, fetch })(body.model);
  const m = /^\/(v1beta|v1|v1alpha)\/(?:.*\/)?models\/([^/:]+):streamGenerateContent$/.exec(path);
  if (!m) unsupported(`the Gemini path ${path}`);
  return createGoogleGenerativeAI({ baseURL: `${base}/${m[1]}`, apiKey, fetch })(decodeURIComponent(m[2]));
}
const TRANSLATE = { 'openai-chat': fromChat, 'openai-responses': fromResponses, 'anthropic-messages': fromMessages, gemini: fromGemini };

// usage.raw, the provider's own usage object, by dialect.
function rawUsage(dialect, raw) {
  if (!raw) return {};
  if (dialect === 'openai-chat') return { input_tokens: raw.prompt_tokens, output_tokens: raw.completion_tokens };
  if (dialect === 'gemini') return { input_tokens: raw.promptTokenCount, output_tokens: raw.candidatesTokenCount };
  return { input_tokens: raw.input_tokens, output_tokens: raw.output_tokens };
}

async function run(dialect, { base, path, body, fetch, timeout }) {
  const options = TRANSLATE[dialect](body);
  // streamText takes leading system messages as `instructions`.
  const lead = options.messages.findIndex((m) => m.role !== 'system');
  const systems = options.messages.splice(0, lead < 0 ? options.messages.length : lead);
  if (systems.length) options.instructions = systems;
  if (options.messages.some((m) => m.role === 'system')) options.allowSystemInMessages = true;
  const watched = watchedFetch(fetch);
  const llm = model(dialect, base, path, body, watched.fetch);
  return withDeadline(timeout, async (abortSignal) => {
    const errors = [];
    const result = streamText({ model: llm, ...options, maxRetries: 0, abortSignal, onError: ({ error }) => errors.push(error) });
    for await (const part of result.fullStream) if (part.type === 'error' && !errors.includes(part.error)) errors.push(part.error);
    if (errors.length) throw inStream(errors[0], watched.state.status);
    const [text, reasoning, toolCalls, rawFinish, usage, response] = await Promise.all([
      result.text, result.reasoning, result.toolCalls, result.rawFinishReason, result.usage, result.response,
    ]);
    const joiner = dialect === 'openai-responses' ? '\n\n' : '';
    const outputs = [
      output(0, {
        text,
        reasoning: (reasoning ?? []).filter((r) => r.type === 'reasoning').map((r) => r.text).join(joiner),
        tool_calls: (toolCalls ?? []).map((c) => ({ id: c.toolCallId ?? null, name: c.toolName, arguments: c.input ?? null })),
        finish_reason: rawFinish ?? null,
      }),
    ];
    return { result: normalized({ dialect, id: response?.id, model: response?.modelId, outputs, usage: rawUsage(dialect, usage?.raw) }) };
  });
}

// An error part of the stream. After a 2xx response, the provider's error event or
// object arrives as an AI_StreamProviderError, an APICallError the SDK makes from it,
// or a plain object: a provider error. What else the SDK emits while assembling (an
// Error, or a bare string such as "text part 3 not found") is a parse error, unless
// it is a transport failure. Before or without a 2xx, the error keeps its class.
function inStream(error, status) {
  if (!(status >= 200 && status < 300)) return error;
  if (isConnectionError(error)) return error;
  const provider = error?.name === 'AI_StreamProviderError' || APICallError.isInstance(error) || (typeof error === 'object' && error !== null && !(error instanceof Error));
  if (!provider) {
    const c = error instanceof Error ? classify(error) : null;
    if (c?.kind === 'connection' || c?.kind === 'timeout') return error;
  }
  const err = new AdapterError(provider ? 'provider_error' : 'parse', error instanceof Error ? error.message : typeof error === 'string' ? error : JSON.stringify(error).slice(0, 1000));
  err.cause = error;
  return err;
}

function classify(e) {
  if (e instanceof AdapterError) return { kind: e.kind, status: e.status };
  if (APICallError.isInstance(e)) {
    if (Number.isInteger(e.statusCode) && e.statusCode >= 300) return { kind: 'http_status', status: e.statusCode };
    if (isConnectionError(e)) return { kind: 'connection' };
    return { kind: 'connection' };
  }
  if (isConnectionError(e)) return { kind: 'connection' };
  const name = e?.name ?? '';
  if (name === 'AI_JSONParseError' || name === 'AI_TypeValidationError' || name === 'AI_InvalidResponseDataError' || e instanceof SyntaxError) return { kind: 'parse' };
  if (name === 'AI_NoOutputGeneratedError') return { kind: 'parse' };
  return null;
}

serve({
  name: 'vercel-ai-sdk',
  version: `ai ${packageVersion('ai')}, @ai-sdk/openai ${packageVersion('@ai-sdk/openai')}, @ai-sdk/anthropic ${packageVersion('@ai-sdk/anthropic')}, @ai-sdk/google ${packageVersion('@ai-sdk/google')}`,
  modes: ['http', 'feed'],
  dialects: Object.keys(DIALECT_FIELDS),
  output: 'normalized',
  fields: common,
  dialect_fields: DIALECT_FIELDS,
  classify,
  async http(cmd) {
    const { base, body, timeout, path } = httpParts(cmd);
    return run(cmd.dialect, { base, path, body, timeout });
  },
  async feed(cmd, pieces) {
    const recorded = feedRequest(cmd) ?? { ...structuredClone(FEED[cmd.dialect]) };
    return run(cmd.dialect, { base: 'http://ssecheck.invalid', path: recorded.path, body: recorded.body, fetch: feedFetch(pieces), timeout: DEFAULT_TIMEOUT_MS });
  },
});
