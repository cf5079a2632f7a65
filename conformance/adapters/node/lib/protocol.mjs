// The ssecheck adapter protocol v1 (conformance/ADAPTERS.md), for Node adapters.
//
// One command at a time: a JSON line on stdin, exactly one JSON line on stdout. stdout
// carries replies only (console.log and friends are sent to stderr), and no exception
// or rejection from an SDK ever ends the process: the command gets an error reply and
// the loop reads on.
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { Fnv64, resultDigest } from '../../../../bench/peers/digest.mjs';

export const PROTOCOL = 1;
export const FIELDS = ['id', 'model', 'text', 'reasoning', 'refusal', 'tool_calls', 'finish_reason', 'usage', 'error'];
export const DEFAULT_TIMEOUT_MS = 15000;

// stdout is the protocol channel: keep its writer, route every console method to stderr.
const writeOut = process.stdout.write.bind(process.stdout);
for (const m of ['log', 'info', 'debug', 'trace', 'dir', 'table']) console[m] = (...a) => console.error(...a);
// Before serve() starts, a throw is a startup failure and ends the process (ssecheck
// sees it die before hello); after, it is logged and the loop goes on.
let serving = false;
for (const event of ['uncaughtException', 'unhandledRejection']) {
  process.on(event, (e) => {
    console.error(`adapter: ${event}:`, e?.stack ?? e);
    if (!serving) process.exit(70);
  });
}

// The installed version of a package of this directory.
export function packageVersion(name) {
  try {
    return JSON.parse(readFileSync(new URL(`../node_modules/${name}/package.json`, import.meta.url), 'utf8')).version;
  } catch {
    return 'unknown';
  }
}

// An error reply: kind is one of the protocol's kinds.
export class AdapterError extends Error {
  constructor(kind, message, status) {
    super(message);
    this.kind = kind;
    if (status) this.status = status;
  }
}

export function reply(obj) {
  return new Promise((resolve) => writeOut(JSON.stringify(obj) + '\n', resolve));
}

// The chunks of a feed command, decoded; each a fresh Uint8Array.
export function decodeChunks(chunks) {
  if (!Array.isArray(chunks) || chunks.some((c) => typeof c !== 'string'))
    throw new AdapterError('internal', 'feed: "chunks" must be a list of base64 strings');
  return chunks.map((c) => new Uint8Array(Buffer.from(c, 'base64')));
}

// A ReadableStream handing out one piece per read, in order, then closing.
export function chunkStream(pieces) {
  let i = 0;
  return new ReadableStream({
    pull(controller) {
      if (i < pieces.length) controller.enqueue(pieces[i++].slice());
      else controller.close();
    },
  });
}

// A fetch that answers every request with the pieces as a 200 text/event-stream body.
// `seen` collects the requests the SDK made (method, url, parsed body).
export function feedFetch(pieces, seen = []) {
  return async (input, init = {}) => {
    const url = typeof input === 'string' ? input : input.url ?? String(input);
    let body = init.body;
    if (typeof body === 'string') {
      try {
        body = JSON.parse(body);
      } catch {}
    }
    seen.push({ method: init.method ?? 'GET', url, body });
    return new Response(chunkStream(pieces), {
      status: 200,
      headers: { 'content-type': 'text/event-stream' },
    });
  };
}

// Wraps a fetch to remember the HTTP status of the last response, so an adapter can
// tell an error thrown after a 2xx (a provider error event) from a non-2xx status.
export function watchedFetch(inner = globalThis.fetch) {
  const state = { status: 0 };
  const fetch = async (input, init) => {
    const res = await inner(input, init);
    state.status = res.status;
    return res;
  };
  return { fetch, state };
}

// Runs fn(signal) under a deadline; a deadline hit becomes a "timeout" error whatever
// the SDK throws when its request is aborted.
export async function withDeadline(ms, fn) {
  const controller = new AbortController();
  let hit = false;
  const timer = setTimeout(() => {
    hit = true;
    controller.abort(new Error(`deadline of ${ms} ms passed`));
  }, ms);
  try {
    return await fn(controller.signal);
  } catch (e) {
    if (hit) throw new AdapterError('timeout', `no complete answer within ${ms} ms (${errorText(e)})`);
    throw e;
  } finally {
    clearTimeout(timer);
  }
}

export function errorText(e) {
  if (e == null) return String(e);
  const parts = [e.name && e.name !== 'Error' ? `${e.name}: ` : '', e.message ?? String(e)];
  let c = e.cause;
  for (let depth = 0; c && depth < 3; depth++, c = c.cause) parts.push(` (cause: ${c.code ?? c.name ?? ''} ${c.message ?? c})`);
  return parts.join('').slice(0, 2000);
}

// Transport failures as Node's fetch (undici) and its callers report them.
const CONNECTION_CODES = new Set([
  'ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH',
  'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH', 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
  'ERR_STREAM_PREMATURE_CLOSE',
]);
export function isConnectionError(e) {
  for (let c = e, depth = 0; c && depth < 5; c = c.cause, depth++) {
    if (CONNECTION_CODES.has(c.code)) return true;
    if (c.name === 'TypeError' && /fetch failed|terminated/i.test(c.message ?? '')) return true;
    if (/^(terminated|other side closed|socket hang up)$/i.test(c.message ?? '')) return true;
  }
  return false;
}
export function isTimeoutError(e) {
  for (let c = e, depth = 0; c && depth < 5; c = c.cause, depth++) {
    if (c.name === 'TimeoutError' || c.code === 'UND_ERR_HEADERS_TIMEOUT' || c.code === 'UND_ERR_BODY_TIMEOUT') return true;
  }
  return false;
}

// The normalized result (conformance/schema/normalized-result.schema.json).
export function output(index, o = {}) {
  return {
    index,
    text: o.text ?? '',
    reasoning: o.reasoning ?? '',
    refusal: o.refusal ?? '',
    tool_calls: o.tool_calls ?? [],
    finish_reason: o.finish_reason ?? null,
  };
}
export function normalized({ dialect, id = null, model = null, outputs = [], usage = {}, error = null }) {
  return {
    dialect,
    id: id ?? null,
    model: model ?? null,
    outputs,
    usage: { input_tokens: count(usage.input_tokens), output_tokens: count(usage.output_tokens) },
    error,
  };
}
function count(v) {
  return Number.isSafeInteger(v) && v >= 0 ? v : null;
}
// Tool-call arguments: the JSON value when the text parses, else the text.
export function args(text) {
  if (typeof text !== 'string') return text ?? null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

// The loop. spec: {name, version, modes, dialects, output, fields?, dialect_fields?,
// feed?(cmd, pieces), http?(cmd)}; feed/http return {result} or {events}, or throw
// (an AdapterError keeps its kind; anything else goes through spec.classify, then is
// "internal").
export async function serve(spec) {
  serving = true;
  const rl = createInterface({ input: process.stdin, crlfDelay: Infinity, terminal: false });
  for await (const line of rl) {
    if (line.trim() === '') continue;
    let cmd;
    try {
      cmd = JSON.parse(line);
    } catch (e) {
      await reply({ id: '', error: { kind: 'internal', message: `command is not JSON: ${e.message}` } });
      continue;
    }
    const id = typeof cmd?.id === 'string' ? cmd.id : String(cmd?.id ?? '');
    if (cmd?.cmd === 'bye') {
      await reply({ id });
      process.exit(0);
    }
    await reply({ id, ...(await answer(spec, cmd)) });
  }
  process.exit(0);
}

async function answer(spec, cmd) {
  try {
    switch (cmd?.cmd) {
      case 'hello':
        return hello(spec);
      case 'feed': {
        if (!spec.feed) throw new AdapterError('unsupported', 'this adapter has no feed mode');
        checkDialect(spec, cmd.dialect ?? null);
        const pieces = decodeChunks(cmd.chunks);
        return await spec.feed(cmd, pieces);
      }
      case 'http': {
        if (!spec.http) throw new AdapterError('unsupported', 'this adapter has no http mode');
        checkDialect(spec, cmd.dialect);
        if (typeof cmd.base_url !== 'string' || typeof cmd.request !== 'object' || cmd.request === null)
          throw new AdapterError('internal', 'http: needs "base_url" and "request"');
        return await spec.http(cmd);
      }
      case 'bench':
        return await bench(spec, cmd);
      default:
        throw new AdapterError('unsupported', `unknown command ${JSON.stringify(cmd?.cmd)}`);
    }
  } catch (e) {
    return { error: toError(spec, e) };
  }
}

// bench: the adapter's own feed path, timed in-process on the file's bytes cut into
// `feed`-byte pieces; best of `repeat`. The digest lets ssecheck reject a wrong result.
async function bench(spec, cmd) {
  const events = (spec.output ?? 'normalized') === 'events';
  if (!spec.feed) throw new AdapterError('unsupported', 'bench needs the feed mode');
  if (cmd.work !== (events ? 'framing' : 'assemble'))
    throw new AdapterError('unsupported', `this adapter benches ${events ? 'framing' : 'assemble'} only`);
  if (!events) checkDialect(spec, cmd.dialect);
  const feed = Number(cmd.feed), repeat = Number(cmd.repeat ?? 1);
  if (!Number.isInteger(feed) || feed < 1 || !Number.isInteger(repeat) || repeat < 1)
    throw new AdapterError('internal', 'bench: feed and repeat must be positive integers');
  const bytes = readFileSync(cmd.file);
  const pieces = [];
  for (let at = 0; at < bytes.length; at += feed) pieces.push(bytes.subarray(at, at + feed));
  let best = Infinity, answer;
  for (let r = 0; r < repeat; r++) {
    const start = process.hrtime.bigint();
    answer = await spec.feed({ cmd: 'feed', dialect: cmd.dialect ?? null }, pieces);
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e9);
  }
  if (answer.error) return { error: answer.error };
  let digest, count = 0;
  if (events) {
    const h = new Fnv64();
    const nul = new Uint8Array([0]);
    for (const e of answer.events) h.update(Buffer.from(e.event, 'utf8')).update(nul).update(Buffer.from(e.data, 'utf8')).update(nul);
    digest = h.hex();
    count = answer.events.length;
  } else {
    const out = answer.result?.outputs?.[0] ?? {};
    digest = resultDigest({ text: out.text ?? '', reasoning: out.reasoning ?? '',
                            tools: (out.tool_calls ?? []).map((t) => ({ name: t.name, arguments: t.arguments })) }).digest;
  }
  return { bytes: bytes.length, events: count, seconds: best, digest };
}

function hello(spec) {
  const h = { protocol: PROTOCOL, name: spec.name, version: spec.version, modes: spec.modes, output: spec.output ?? 'normalized' };
  if (h.output === 'normalized') h.dialects = spec.dialects;
  if (spec.fields) h.fields = spec.fields;
  if (spec.dialect_fields) h.dialect_fields = spec.dialect_fields;
  return h;
}

function checkDialect(spec, dialect) {
  if ((spec.output ?? 'normalized') === 'events') return;
  if (!spec.dialects.includes(dialect)) throw new AdapterError('unsupported', `dialect ${JSON.stringify(dialect)} is not one of ${spec.dialects.join(', ')}`);
}

function toError(spec, e) {
  let kind = e instanceof AdapterError ? e.kind : undefined;
  let status = e instanceof AdapterError ? e.status : undefined;
  if (!kind && spec.classify) {
    try {
      const c = spec.classify(e);
      if (c) ({ kind, status } = c);
    } catch (inner) {
      console.error('adapter: classify threw:', inner);
    }
  }
  if (!kind) {
    if (isTimeoutError(e)) kind = 'timeout';
    else if (isConnectionError(e)) kind = 'connection';
    else {
      kind = 'internal';
      console.error('adapter: unclassified error:', e?.stack ?? e);
    }
  }
  const err = { kind, message: errorText(e) };
  if (kind === 'http_status' && Number.isInteger(status)) err.status = status;
  return err;
}

// The http command's pieces: the client's base URL, the recorded body, the deadline.
export function httpParts(cmd) {
  const timeout = Number.isInteger(cmd.timeout_ms) && cmd.timeout_ms > 0 ? cmd.timeout_ms : DEFAULT_TIMEOUT_MS;
  let body = cmd.request.body;
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body);
    } catch {
      throw new AdapterError('unsupported', 'the recorded request body is not JSON');
    }
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new AdapterError('unsupported', 'the recorded request body is not a JSON object');
  return { base: cmd.base_url.replace(/\/+$/, ''), body: structuredClone(body), timeout, path: cmd.request.path ?? '', query: cmd.request.query ?? '' };
}

// The request a feed command carries (optional; ADAPTERS.md), or null.
export function feedRequest(cmd) {
  const r = cmd.request;
  if (!r || typeof r !== 'object') return null;
  try {
    return httpParts({ base_url: '', request: r, timeout_ms: cmd.timeout_ms });
  } catch {
    return null;
  }
}
