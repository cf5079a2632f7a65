// Self-test of the Node adapters: starts each one as a child process, speaks the
// adapter protocol to it (conformance/ADAPTERS.md), and checks its answers against the
// corpus: the reviewed goldens for the recorded cassettes (feed at several chunkings,
// and http against a small replay server started here), a few HTTP faults, and the
// WHATWG spec cases for the framing adapters. Prints adapter × passed/failed/skipped
// and one line per failure. This is not `ssecheck check`; it only shows that the
// adapters work.
//
//   node selftest.mjs [--only NAME[,NAME]] [--cases SUBSTRING] [--adapter NAME=COMMAND]... [--no-synthetic] [--no-http]
//                     [--json FILE] [--verbose] [--strict]
//
// --adapter adds any adapter, started as ssecheck starts one (sh -c COMMAND, cwd the
// repository). Every command sent and every reply is validated against
// conformance/schema/adapter-*.schema.json.
//
// Exit 0 when every adapter answered every case (FAILs are findings about the SDKs,
// listed), 1 on a CRASH or TIMEOUT, or on any failure with --strict.
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import Ajv2020 from 'ajv/dist/2020.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../../..');
const corpus = path.join(repo, 'corpus');

const node = (file) => `"${process.execPath}" "${path.join(here, file)}"`;
const ADAPTERS = [
  { name: 'openai', command: node('openai.mjs') },
  { name: 'anthropic', command: node('anthropic.mjs') },
  { name: 'genai', command: node('gemini.mjs') },
  { name: 'ai-sdk', command: node('ai-sdk.mjs') },
  { name: 'eventsource-parser', command: node('eventsource-parser.mjs') },
  { name: 'fetch-event-source', command: node('fetch-event-source.mjs') },
  { name: 'python-example', command: `python3 "${path.join(here, '../examples/minimal_adapter.py')}"`, optional: true },
];
const CASE_TIMEOUT_MS = 20000;
const HTTP_TIMEOUT_MS = 10000;
const STALL_TIMEOUT_MS = 1500;

const argv = process.argv.slice(2);
const flag = (f) => argv.includes(f);
const value = (f) => (argv.includes(f) ? argv[argv.indexOf(f) + 1] : undefined);
const only = value('--only')?.split(',');
const caseFilter = value('--cases'); // a substring of the case ids to run
const withSynthetic = !flag('--no-synthetic');
const withHttp = !flag('--no-http');
const verbose = flag('--verbose');

// ---- corpus ------------------------------------------------------------------------

const ROUTES = [
  [/\/chat\/completions$/, 'openai-chat'],
  [/\/responses$/, 'openai-responses'],
  [/\/v1\/messages$/, 'anthropic-messages'],
  [/:streamGenerateContent$/, 'gemini'],
];

function* walk(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* walk(p);
    else if (/\.ya?ml$/.test(e.name)) yield p;
  }
}

function header(headers, name) {
  for (const [k, v] of Object.entries(headers ?? {})) if (k.toLowerCase() === name) return [].concat(v)[0];
  return undefined;
}

// Every streamed interaction with a golden: {stem, index, category, url, path, query,
// request, status, headers, body (Buffer), golden}.
function interactions() {
  const out = [];
  const root = path.join(corpus, 'cassettes');
  for (const file of walk(root)) {
    const rel = path.relative(root, file).replace(/\.ya?ml$/, '');
    const category = rel.startsWith('synthetic/') ? 'synthetic' : 'recorded';
    if (category === 'synthetic' && !withSynthetic) continue;
    const doc = YAML.parse(fs.readFileSync(file, 'utf8'));
    (doc.interactions ?? []).forEach((it, index) => {
      const goldenFile = path.join(corpus, 'golden', rel, `interaction-${index}.json`);
      if (!fs.existsSync(goldenFile)) return;
      const ct = header(it.response?.headers, 'content-type') ?? '';
      const body = Buffer.from(it.response?.body ?? '', 'utf8');
      if (!/text\/event-stream/i.test(ct) && !(ct === '' && /^(data|event|id|:)/.test(body.toString('latin1', 0, 16)))) return;
      const golden = JSON.parse(fs.readFileSync(goldenFile, 'utf8'));
      const url = new URL(it.request.url);
      let reqBody = it.request.body;
      try {
        reqBody = JSON.parse(reqBody);
      } catch {}
      out.push({
        stem: `${rel}#${index}`, index, category, path: url.pathname, query: url.search.replace(/^\?/, ''),
        request: { method: it.request.method ?? 'POST', path: url.pathname, query: url.search.replace(/^\?/, ''), headers: flatHeaders(it.request.headers), body: reqBody },
        status: it.response.code ?? 200, headers: flatHeaders(it.response.headers), body, golden,
        dialect: golden.dialect ?? ROUTES.find(([re]) => re.test(url.pathname))?.[1],
      });
    });
  }
  return out;
}

function flatHeaders(h) {
  const out = {};
  for (const [k, v] of Object.entries(h ?? {})) out[k.toLowerCase()] = [].concat(v)[0];
  return out;
}

// corpus/spec/*.md: the cases that fit the protocol (default parser options, no limit
// error), as {name, input (Buffer), events}.
function specCases() {
  const dir = path.join(corpus, 'spec');
  const out = [];
  for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.md') && f !== 'README.md').sort()) {
    const text = fs.readFileSync(path.join(dir, f), 'utf8');
    const block = (name) => {
      const m = new RegExp('```' + name + '\\n([\\s\\S]*?)```').exec(text);
      return m ? m[1] : undefined;
    };
    const options = block('options') ?? '';
    if (/^(last-event-id|utf8:\s*raw|max-line-bytes|max-event-bytes)/m.test(options)) continue;
    const expected = (block('events') ?? '').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
    if (expected.some((e) => 'error' in e)) continue;
    out.push({
      name: f.replace(/\.md$/, ''),
      input: decodeSpecInput(block('input') ?? ''),
      events: expected.filter((e) => 'event' in e).map((e) => ({ event: e.event, data: e.data, id: e.id ?? '' })),
    });
  }
  return out;
}

// The input notation of corpus/spec/README.md.
function decodeSpecInput(block) {
  const bytes = [];
  const s = block.replace(/\n/g, '');
  for (let i = 0; i < s.length; ) {
    if (s[i] !== '\\') {
      const cp = s.codePointAt(i);
      bytes.push(...Buffer.from(String.fromCodePoint(cp), 'utf8'));
      i += cp > 0xffff ? 2 : 1;
      continue;
    }
    const c = s[i + 1];
    const simple = { n: 10, r: 13, t: 9, 0: 0, '\\': 92, s: 32 };
    if (c in simple) {
      bytes.push(simple[c]);
      i += 2;
    } else if (c === 'x') {
      bytes.push(parseInt(s.slice(i + 2, i + 4), 16));
      i += 4;
    } else if (c === 'u') {
      const end = s.indexOf('}', i);
      bytes.push(...Buffer.from(String.fromCodePoint(parseInt(s.slice(i + 3, end), 16)), 'utf8'));
      i = end + 1;
    } else throw new Error(`bad escape \\${c}`);
  }
  return Buffer.from(bytes);
}

// ---- chunkings -------------------------------------------------------------------

function fnv1a(s) {
  let h = 0x811c9dc5;
  for (const b of Buffer.from(s)) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h;
}
function mulberry32(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) >>> 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
function cut(body, cuts) {
  const pieces = [];
  let at = 0;
  for (const c of cuts) if (c > at && c < body.length) pieces.push(body.subarray(at, c)), (at = c);
  pieces.push(body.subarray(at));
  return pieces;
}
function chunkings(body, stem) {
  const out = [['whole', [body]]];
  out.push(['bytes1', cut(body, Array.from({ length: Math.max(0, body.length - 1) }, (_, i) => i + 1))]);
  for (const [r, max] of [[0, 17], [1, 4097]]) {
    const rnd = mulberry32(fnv1a(stem) ^ (r * 0x9e3779b9));
    const cuts = [];
    for (let at = 0; at < body.length; ) cuts.push((at += 1 + Math.floor(rnd() * max)));
    out.push([`random#${r}`, cut(body, cuts)]);
  }
  return out;
}

// ---- the replay server -------------------------------------------------------------

const served = new Map(); // token -> {status, headers, body, fault, journal}
let nextToken = 0;
const server = createServer((req, res) => {
  const m = /^\/c\/([A-Za-z0-9_-]+)(\/[^?]*)(?:\?(.*))?$/.exec(req.url);
  const entry = m && served.get(m[1]);
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    if (!entry) return send(res, 404, 'no such case');
    const rest = m[2].replace(/\/+/g, '/');
    const query = new URLSearchParams(m[3] ?? '');
    let body = Buffer.concat(chunks).toString('utf8');
    try {
      body = JSON.parse(body);
    } catch {}
    entry.journal.push({ method: req.method, path: rest, query: m[3] ?? '', body });
    if (req.method !== 'POST') return send(res, 405, 'POST only');
    const dialect = replayRoute(rest);
    if (dialect !== entry.dialect) return send(res, 404, `no ${entry.dialect} route ${rest}`);
    if (entry.dialect === 'gemini' && query.get('alt') !== 'sse') return send(res, 400, 'streamGenerateContent is replayed as server-sent events: add ?alt=sse');
    serveCase(res, entry);
  });
});
// The provider routes the replay server answers (conformance/replay/src/http_request.cc).
function replayRoute(rest) {
  if (rest === '/v1/chat/completions') return 'openai-chat';
  if (rest === '/v1/responses') return 'openai-responses';
  if (rest === '/v1/messages') return 'anthropic-messages';
  if (/^\/v1(beta)?\/models\/[^/:]+:streamGenerateContent$/.test(rest)) return 'gemini';
  return null;
}
function send(res, status, text) {
  res.writeHead(status, { 'content-type': 'text/plain' });
  res.end(text + '\n');
}
function serveCase(res, e) {
  const headers = {};
  for (const [k, v] of Object.entries(e.headers)) if (!/^(content-length|transfer-encoding|content-encoding|connection)$/.test(k)) headers[k] = v;
  if (e.fault === 'http-429') {
    const body = Buffer.from(JSON.stringify(e.errorBody));
    res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '0', 'content-length': body.length });
    return res.end(body);
  }
  res.writeHead(e.status, headers);
  res.flushHeaders();
  const pieces = e.pieces;
  let i = 0;
  const step = () => {
    if (res.destroyed) return;
    if (i < pieces.length) {
      res.write(pieces[i++]);
      return setTimeout(step, e.pause);
    }
    if (e.fault === 'rst-mid-event') return res.socket.resetAndDestroy();
    if (e.fault === 'fin-mid-event') return res.socket.end(); // no last chunk
    if (e.fault === 'stall') return setTimeout(() => res.socket?.end(), STALL_TIMEOUT_MS * 3);
    res.end();
  };
  step();
}
function register(entry) {
  const token = `t${++nextToken}`;
  served.set(token, { ...entry, journal: [] });
  return { token, base: `http://127.0.0.1:${server.address().port}/c/${token}`, entry: served.get(token) };
}

// Where to cut a body for the mid-event faults: inside the middle event; for a stall,
// right after it.
function eventBounds(body) {
  const s = body.toString('latin1');
  const ends = [];
  for (const m of s.matchAll(/\r\n\r\n|\n\n|\r\r/g)) ends.push(m.index + m[0].length);
  return ends;
}

const ERROR_BODIES = {
  'openai-chat': { error: { message: 'Rate limit reached', type: 'requests', param: null, code: 'rate_limit_exceeded' } },
  'openai-responses': { error: { message: 'Rate limit reached', type: 'requests', param: null, code: 'rate_limit_exceeded' } },
  'anthropic-messages': { type: 'error', error: { type: 'rate_limit_error', message: 'Number of request tokens has exceeded your per-minute rate limit' } },
  gemini: { error: { code: 429, message: 'Resource has been exhausted (e.g. check quota).', status: 'RESOURCE_EXHAUSTED' } },
};

// ---- schemas ------------------------------------------------------------------------

const ajv = new Ajv2020({ allErrors: false, strict: false });
const schemaDir = path.join(repo, 'conformance', 'schema');
for (const f of fs.readdirSync(schemaDir).filter((f) => f.endsWith('.schema.json')))
  ajv.addSchema(JSON.parse(fs.readFileSync(path.join(schemaDir, f), 'utf8')));
const SCHEMA_BASE = 'https://ssecheck.invalid/schema/';
// Throws when `value` does not fit the named schema (adapter-hello-reply, ...).
function checkSchema(name, value) {
  const validate = ajv.getSchema(`${SCHEMA_BASE}${name}.schema.json`);
  if (!validate) throw new Error(`no schema ${name}`);
  if (!validate(value)) throw new SchemaError(`${name}: ${ajv.errorsText(validate.errors, { dataVar: 'message' })}`);
}
class SchemaError extends Error {}

// ---- adapters ------------------------------------------------------------------------

class Adapter {
  constructor(spec) {
    this.spec = spec;
    this.buffer = '';
    this.waiting = null;
    this.stderr = '';
    this.start();
  }
  start() {
    this.proc = spawn('sh', ['-c', this.spec.command], { cwd: repo, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    this.proc.stdout.setEncoding('utf8');
    this.proc.stdout.on('data', (d) => {
      this.buffer += d;
      let nl;
      while ((nl = this.buffer.indexOf('\n')) >= 0) {
        const line = this.buffer.slice(0, nl);
        this.buffer = this.buffer.slice(nl + 1);
        const w = this.waiting;
        this.waiting = null;
        w?.resolve(line);
      }
    });
    this.proc.stderr.setEncoding('utf8');
    this.proc.stderr.on('data', (d) => (this.stderr = (this.stderr + d).slice(-4000)));
    this.proc.on('exit', (code, sig) => {
      this.exited = `exited (${code ?? sig})`;
      this.waiting?.reject(new Error(`adapter ${this.exited}`));
      this.waiting = null;
    });
    this.proc.stdin.on('error', () => {});
  }
  request(cmd, timeout = CASE_TIMEOUT_MS) {
    return new Promise((resolve, reject) => {
      if (this.exited) return reject(new Error(`adapter ${this.exited}`));
      const timer = setTimeout(() => {
        this.waiting = null;
        reject(new Error(`no reply within ${timeout} ms`));
      }, timeout);
      this.waiting = {
        resolve: (line) => {
          clearTimeout(timer);
          let reply;
          try {
            reply = JSON.parse(line);
          } catch (e) {
            return reject(new Error(`reply is not JSON: ${line.slice(0, 200)}`));
          }
          if (reply.id !== cmd.id) return reject(new Error(`reply id ${JSON.stringify(reply.id)} for command ${cmd.id}`));
          resolve(reply);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      this.proc.stdin.write(JSON.stringify(cmd) + '\n');
    });
  }
  async restart() {
    this.kill();
    await new Promise((r) => (this.exited ? r() : this.proc.once('exit', r)));
    this.exited = undefined;
    this.buffer = '';
    this.start();
    return this.request({ id: 'hello', cmd: 'hello', protocol: 1 }, 30000);
  }
  kill() {
    try {
      process.kill(-this.proc.pid, 'SIGKILL'); // the adapter's whole process group, as ssecheck does
    } catch {}
  }
  async bye() {
    try {
      const reply = await this.request({ id: 'bye', cmd: 'bye' }, 2000);
      checkSchema('adapter-bye-reply', reply);
    } catch {}
    this.kill();
  }
}

// ---- judging (as conformance/check/compare.cc and check_runner.cc) ---------------

function same(a, b) {
  if (typeof a === 'number' && typeof b === 'number') return a === b;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return a === b;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === b.length && a.every((x, i) => same(x, b[i]));
  const ka = Object.keys(a), kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && same(a[k], b[k]));
}
const show = (v) => {
  const s = JSON.stringify(v) ?? 'undefined';
  return s.length > 120 ? s.slice(0, 120) + '…' : s;
};
function compareNormalized(e, g, fields) {
  const diffs = [];
  const field = (p, x, y) => {
    if (!same(x ?? null, y ?? null)) diffs.push(`${p}: expected ${show(x ?? null)}, got ${show(y ?? null)}`);
  };
  if (!g || typeof g !== 'object') return ['result: not an object'];
  if (fields.has('id')) field('id', e.id, g.id);
  if (fields.has('model')) field('model', e.model, g.model);
  if (fields.has('usage')) {
    field('usage.input_tokens', e.usage?.input_tokens, g.usage?.input_tokens);
    field('usage.output_tokens', e.usage?.output_tokens, g.usage?.output_tokens);
  }
  if (fields.has('error')) {
    if ((e.error == null) !== (g.error == null)) field('error', e.error, g.error);
    else if (e.error) field('error.type', e.error.type, g.error.type);
  }
  const eo = e.outputs ?? [], go = g.outputs ?? [];
  if (eo.length !== go.length) diffs.push(`outputs: expected ${eo.length} output(s), got ${go.length}`);
  for (let i = 0; i < Math.min(eo.length, go.length); i++) {
    field(`outputs[${i}].index`, eo[i].index, go[i].index);
    for (const f of ['text', 'reasoning', 'refusal', 'finish_reason']) if (fields.has(f)) field(`outputs[${i}].${f}`, eo[i][f], go[i][f]);
    if (!fields.has('tool_calls')) continue;
    const et = eo[i].tool_calls ?? [], gt = go[i].tool_calls ?? [];
    if (et.length !== gt.length) {
      field(`outputs[${i}].tool_calls`, et, gt);
      continue;
    }
    et.forEach((t, k) => ['id', 'name', 'arguments'].forEach((f) => field(`outputs[${i}].tool_calls[${k}].${f}`, t[f], gt[k][f])));
  }
  return diffs;
}
function compareEvents(e, g) {
  const diffs = [];
  if (e.length !== g.length) diffs.push(`events: expected ${e.length}, got ${g.length}`);
  for (let i = 0; i < Math.min(e.length, g.length) && diffs.length < 8; i++)
    for (const f of ['event', 'data', 'id']) if (e[i][f] !== g[i][f]) diffs.push(`events[${i}].${f}: expected ${show(e[i][f])}, got ${show(g[i][f])}`);
  return diffs;
}
// What a correct client must do with a golden's stream (check_cases.cc set_expectation).
function expectation(golden) {
  const code = golden.first_fatal?.code;
  if (!code) return { result: true };
  if (code === 'provider_error') return { kinds: ['provider_error'] };
  if (code === 'truncated' || code === 'incomplete_event') return { kinds: ['connection', 'parse'] };
  return { kinds: ['parse', 'provider_error'] };
}
const raised = (err) => `raised ${err.kind}${err.status ? ' ' + err.status : ''}: ${String(err.message ?? '').slice(0, 160)}`;

function judge(c, hello, reply) {
  if (reply.error?.kind === 'unsupported') return { outcome: 'SKIPPED', why: `the adapter cannot run it: ${reply.error.message}` };
  if (c.events) {
    if (!reply.events) return { outcome: 'FAIL', why: reply.error ? raised(reply.error) : 'answered a result where events were expected' };
    const d = compareEvents(c.events, reply.events);
    return d.length ? { outcome: 'FAIL', why: d[0], diff: d } : { outcome: 'PASS' };
  }
  if (c.expect.result) {
    if (!reply.result) return { outcome: 'FAIL', why: reply.error ? `${raised(reply.error)} where the stream is well formed` : 'answered events' };
    const d = compareNormalized(c.golden.normalized, reply.result, fieldsFor(hello, c.dialect));
    return d.length ? { outcome: 'FAIL', why: d[0] + (d.length > 1 ? ` (+${d.length - 1} more)` : ''), diff: d } : { outcome: 'PASS' };
  }
  if (reply.error) {
    const ok = c.expect.kinds.includes(reply.error.kind) && (c.expect.status == null || reply.error.status === c.expect.status);
    return ok ? { outcome: 'PASS' } : { outcome: 'FAIL', why: `${raised(reply.error)}; expected ${c.expect.kinds.join(' or ')}${c.expect.status ? ' ' + c.expect.status : ''}` };
  }
  if (reply.result) {
    if (c.expect.kinds.includes('provider_error') && c.golden?.normalized?.error && reply.result.error) return { outcome: 'PASS' };
    return { outcome: 'NON_STRICT', why: `returned a result for a stream that must raise ${c.expect.kinds.join(' or ')}` };
  }
  return { outcome: 'FAIL', why: 'answered events' };
}
function fieldsFor(hello, dialect) {
  const list = hello.dialect_fields?.[dialect] ?? hello.fields ?? ['id', 'model', 'text', 'reasoning', 'refusal', 'tool_calls', 'finish_reason', 'usage', 'error'];
  return new Set(list);
}
function skipReason(c, hello) {
  if (c.events) return hello.output === 'events' ? null : 'framing case; the adapter assembles';
  if (hello.output === 'events') return 'assembly case; the adapter only frames';
  if (!hello.dialects?.includes(c.dialect)) return `the adapter does not speak ${c.dialect}`;
  if (!hello.modes?.includes(c.mode)) return `the adapter has no ${c.mode} mode`;
  return null;
}

// ---- the cases -------------------------------------------------------------------------

function buildCases() {
  const cases = [];
  const all = interactions();
  const firstOf = new Map();
  for (const it of all) {
    const expect = expectation(it.golden);
    for (const [schedule, pieces] of chunkings(it.body, it.stem))
      cases.push({ id: `${it.dialect}/${it.category}/${it.stem}@feed:${schedule}`, category: it.category, dialect: it.dialect, mode: 'feed', it, pieces, golden: it.golden, expect });
    // Without the optional "request" member: the adapter's own minimal call.
    cases.push({ id: `${it.dialect}/${it.category}/${it.stem}@feed:whole-bare`, category: it.category, dialect: it.dialect, mode: 'feed', it, bare: true, pieces: [it.body], golden: it.golden, expect });
    if (withHttp) {
      const [, pieces] = chunkings(it.body, it.stem)[2]; // random#0: small pieces
      cases.push({ id: `${it.dialect}/${it.category}/${it.stem}@http`, category: it.category, dialect: it.dialect, mode: 'http', it, pieces: [it.body], golden: it.golden, expect });
      cases.push({ id: `${it.dialect}/${it.category}/${it.stem}@http:random#0`, category: it.category, dialect: it.dialect, mode: 'http', it, pieces, pause: 1, golden: it.golden, expect });
    }
    if (it.category === 'recorded' && expect.result && !firstOf.has(it.dialect)) firstOf.set(it.dialect, it);
  }
  if (withHttp) {
    for (const [dialect, it] of firstOf) {
      const ends = eventBounds(it.body);
      const mid = ends[Math.floor(ends.length / 2)];
      const inside = mid + Math.max(1, Math.floor((ends[Math.floor(ends.length / 2) + 1] - mid) / 2));
      const faults = [
        ['http-429', [it.body], { kinds: ['http_status'], status: 429 }],
        ['rst-mid-event', [it.body.subarray(0, inside)], { kinds: ['connection', 'parse'] }],
        ['fin-mid-event', [it.body.subarray(0, inside)], { kinds: ['connection', 'parse'] }],
        ['stall', [it.body.subarray(0, mid)], { kinds: ['timeout'] }],
      ];
      for (const [fault, pieces, expect] of faults)
        cases.push({ id: `${dialect}/fault/${it.stem}@http:${fault}`, category: 'fault', dialect, mode: 'http', it, pieces, fault, expect, timeout: fault === 'stall' ? STALL_TIMEOUT_MS : HTTP_TIMEOUT_MS });
    }
  }
  for (const sc of specCases())
    for (const [schedule, pieces] of [['whole', [sc.input]], ['bytes1', cut(sc.input, Array.from({ length: Math.max(0, sc.input.length - 1) }, (_, i) => i + 1))]])
      cases.push({ id: `sse/spec/${sc.name}@${schedule}`, category: 'spec', dialect: null, mode: 'feed', pieces, events: sc.events, input: sc.input });
  return caseFilter ? cases.filter((c) => c.id.includes(caseFilter)) : cases;
}

function command(c, n) {
  const id = String(n);
  if (c.mode === 'feed') {
    const cmd = { id, cmd: 'feed', dialect: c.dialect, chunks: c.pieces.map((p) => p.toString('base64')) };
    if (c.it && !c.bare) cmd.request = c.it.request;
    return { cmd };
  }
  const reg = register({ path: c.it.path, dialect: c.dialect, status: c.it.status, headers: c.it.headers, pieces: c.pieces, pause: c.pause ?? 0, fault: c.fault, errorBody: ERROR_BODIES[c.dialect] });
  return { cmd: { id, cmd: 'http', dialect: c.dialect, base_url: reg.base, request: c.it.request, timeout_ms: c.timeout ?? HTTP_TIMEOUT_MS }, reg };
}

async function runAdapter(spec, cases) {
  const a = new Adapter(spec);
  let hello;
  try {
    const cmd = { id: 'hello', cmd: 'hello', protocol: 1 };
    checkSchema('adapter-hello-command', cmd);
    hello = await a.request(cmd, 30000);
    checkSchema('adapter-hello-reply', hello);
  } catch (e) {
    if (spec.optional) return null;
    return { spec, hello: null, results: cases.map((c) => ({ c, outcome: e instanceof SchemaError ? 'PROTOCOL_ERROR' : 'CRASH', why: `hello: ${e.message}` })), requests: [] };
  }
  const results = [], requests = [];
  let n = 0;
  for (const c of cases) {
    const skip = skipReason(c, hello);
    if (skip) {
      results.push({ c, outcome: 'SKIPPED', why: skip });
      continue;
    }
    const { cmd, reg } = command(c, ++n);
    checkSchema(`adapter-${cmd.cmd}-command`, cmd);
    checkSchema('adapter-command', cmd);
    let r;
    try {
      const reply = await a.request(cmd, (cmd.timeout_ms ?? CASE_TIMEOUT_MS) + 10000);
      checkSchema('adapter-answer', reply);
      r = { c, ...judge(c, hello, reply), reply };
      if (reg) checkJournal(c, reg.entry.journal, r);
    } catch (e) {
      const outcome = e instanceof SchemaError ? 'PROTOCOL_ERROR' : /no reply/.test(e.message) ? 'TIMEOUT' : 'CRASH';
      r = { c, outcome, why: `${e.message}; stderr: ${a.stderr.trim().split('\n').slice(-2).join(' | ')}` };
      if (outcome !== 'PROTOCOL_ERROR') await a.restart().catch(() => {});
    }
    results.push(r);
    if (reg && !c.fault && c.it?.request?.body && reg.entry.journal[0]) requests.push({ c, sent: reg.entry.journal[0].body, recorded: c.it.request.body });
  }
  await a.bye();
  return { spec, hello, results, requests };
}

// As check_runner.cc: the client must have reached the server with a streaming request.
function checkJournal(c, journal, r) {
  if (r.outcome === 'SKIPPED') return;
  if (!journal.length) {
    r.outcome = 'FAIL';
    r.why = `the client never reached the replay server (${r.why ?? r.outcome})`;
    return;
  }
  if (r.outcome !== 'PASS') return;
  const q = journal[0];
  const asked = c.dialect === 'gemini' ? /:streamGenerateContent$/.test(q.path) && new URLSearchParams(q.query).get('alt') === 'sse' : q.body?.stream === true;
  if (!asked) {
    r.outcome = 'FAIL';
    r.why = c.dialect === 'gemini' ? 'the client did not call :streamGenerateContent?alt=sse' : 'the request body does not ask for a stream ("stream": true)';
  }
}

// First difference between two JSON values, as a path.
function firstDiff(a, b, p = '') {
  if (same(a, b)) return null;
  if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if (!Object.hasOwn(a, k)) return `${p}.${k}: not recorded, sent ${show(b[k])}`;
      if (!Object.hasOwn(b, k)) return `${p}.${k}: recorded ${show(a[k])}, not sent`;
      const d = firstDiff(a[k], b[k], `${p}.${k}`);
      if (d) return d;
    }
  }
  return `${p || '.'}: recorded ${show(a)}, sent ${show(b)}`;
}

// ---- main ------------------------------------------------------------------------------

await new Promise((r) => server.listen(0, '127.0.0.1', r));
const cases = buildCases();
for (let i = argv.indexOf('--adapter'); i >= 0; i = argv.indexOf('--adapter', i + 1)) {
  const [name, ...rest] = (argv[i + 1] ?? '').split('=');
  if (!name || !rest.length) throw new Error('--adapter wants NAME=COMMAND');
  ADAPTERS.push({ name, command: rest.join('=') });
}
const chosen = ADAPTERS.filter((a) => !only || only.includes(a.name));
const runs = (await Promise.all(chosen.map((spec) => runAdapter(spec, cases)))).filter(Boolean);
server.close();
server.closeAllConnections?.();

const CATS = ['recorded', 'synthetic', 'fault', 'spec'];
const count = (rs, o) => rs.filter((r) => r.outcome === o).length;
console.log(`ssecheck Node adapters self-test: ${cases.length} cases per adapter (feed: whole, bytes1, random#0, random#1, whole without "request"; http: whole, random#0 pieces; faults; spec)\n`);
const head = ['adapter', 'version', ...CATS.map((c) => c), 'passed', 'failed', 'non-strict', 'skipped'];
const rows = runs.map((run) => {
  const cells = CATS.map((cat) => {
    const rs = run.results.filter((r) => r.c.category === cat);
    const ran = rs.filter((r) => r.outcome !== 'SKIPPED');
    return ran.length ? `${count(ran, 'PASS')}/${ran.length}` : '-';
  });
  const failed = run.results.filter((r) => !['PASS', 'SKIPPED', 'NON_STRICT'].includes(r.outcome)).length;
  return [run.spec.name, run.hello?.version?.replace(/@ai-sdk\//g, '') ?? '?', ...cells, count(run.results, 'PASS'), failed, count(run.results, 'NON_STRICT'), count(run.results, 'SKIPPED')];
});
const widths = head.map((h, i) => Math.max(String(h).length, ...rows.map((r) => String(r[i]).length)));
const line = (cells) => '| ' + cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ') + ' |';
console.log(line(head));
console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
rows.forEach((r) => console.log(line(r)));
console.log('\n(category cells: passed/ran; failed counts FAIL, CRASH, TIMEOUT and PROTOCOL_ERROR; non-strict: a result where the golden says the stream must raise)');

let totalPass = 0, totalFail = 0, totalSkip = 0;
for (const run of runs) {
  const bad = run.results.filter((r) => !['PASS', 'SKIPPED'].includes(r.outcome));
  totalPass += count(run.results, 'PASS');
  totalFail += bad.filter((r) => r.outcome !== 'NON_STRICT').length;
  totalSkip += count(run.results, 'SKIPPED');
  if (bad.length) {
    console.log(`\n${run.spec.name}: ${bad.length} not passed`);
    for (const r of bad) {
      console.log(`  ${r.outcome.padEnd(10)} ${r.c.id}: ${r.why}`);
      if (verbose) for (const d of r.diff?.slice(1) ?? []) console.log(`             ${d}`);
    }
  }
  if (verbose) for (const r of run.results.filter((x) => x.outcome === 'SKIPPED').slice(0, 3)) console.log(`  SKIPPED ${r.c.id}: ${r.why}`);
  if (run.requests.length) {
    const differ = run.requests.filter((q) => !same(q.recorded, q.sent));
    console.log(`\n${run.spec.name}: request bodies sent equal to the recorded ones: ${run.requests.length - differ.length} of ${run.requests.length} (informational)`);
    const seen = new Set();
    for (const q of differ) {
      const d = firstDiff(q.recorded, q.sent);
      const key = d.replace(/(recorded|sent) .*/, '');
      if (seen.has(key) && !verbose) continue;
      seen.add(key);
      console.log(`  ${q.c.it.stem}: ${d}`);
    }
  }
}
if (value('--json')) fs.writeFileSync(value('--json'), JSON.stringify(runs.map((r) => ({ adapter: r.spec.name, hello: r.hello, results: r.results.map((x) => ({ id: x.c.id, outcome: x.outcome, why: x.why ?? null, diff: x.diff ?? [] })) })), null, 1));
console.log(`\nselftest: ${totalPass} passed, ${totalFail} failed, ${totalSkip} skipped`);
// A FAIL is a finding about the implementation; a CRASH, TIMEOUT or PROTOCOL_ERROR is the adapter not
// working. Exit 1 on the latter, and on any failure with --strict.
const broken = runs.flatMap((r) => r.results).filter((r) => ['CRASH', 'TIMEOUT', 'PROTOCOL_ERROR'].includes(r.outcome)).length;
if (broken) console.log(`selftest: ${broken} CRASH/TIMEOUT/PROTOCOL_ERROR: an adapter is not working`);
process.exit(broken || (flag('--strict') && totalFail) ? 1 : 0);
