// The result digest of bench/result_digest.h, computed from an SDK's final object, so
// that run.sh can check that a peer assembled what ssecheck assembled.
//   text       FNV-1a 64 over output 0's text (UTF-8)
//   tools      FNV-1a 64 over, per tool call in order: name, NUL, canonical arguments, NUL
//   reasoning  FNV-1a 64 over output 0's reasoning
// Canonical arguments = JSON.stringify(JSON.parse(arguments)) (an object is stringified
// as it is); arguments that are not JSON are hashed as they are.
// digest = hex(text) + hex(tools); reasoning_digest = hex(reasoning).

export class Fnv64 {
  constructor() {
    this.hi = 0xcbf29ce4;
    this.lo = 0x84222325;
  }

  // h = (h ^ byte) * 0x100000001b3 mod 2^64, on two 32-bit halves:
  // the prime is 2^40 + 0x1b3, so hi' = hi*0x1b3 + carry(lo*0x1b3) + (lo << 8).
  update(bytes) {
    let hi = this.hi;
    let lo = this.lo;
    for (let i = 0; i < bytes.length; i++) {
      lo = (lo ^ bytes[i]) >>> 0;
      const t = lo * 0x1b3;
      const tlo = t >>> 0;
      hi = (Math.imul(hi, 0x1b3) + (t - tlo) / 4294967296 + (lo << 8)) >>> 0;
      lo = tlo;
    }
    this.hi = hi;
    this.lo = lo;
    return this;
  }

  hex() {
    return this.hi.toString(16).padStart(8, '0') + this.lo.toString(16).padStart(8, '0');
  }
}

const NUL = new Uint8Array([0]);

export function canonicalArguments(args) {
  if (typeof args !== 'string') return JSON.stringify(args ?? {});
  try {
    return JSON.stringify(JSON.parse(args));
  } catch {
    return args;
  }
}

// fold: { text, reasoning, tools: [{ name, arguments }] } (arguments: string or object)
export function resultDigest(fold) {
  const text = Buffer.from(fold.text ?? '', 'utf8');
  const reasoning = Buffer.from(fold.reasoning ?? '', 'utf8');
  const tools = new Fnv64();
  for (const call of fold.tools) {
    tools.update(Buffer.from(call.name ?? '', 'utf8')).update(NUL);
    tools.update(Buffer.from(canonicalArguments(call.arguments), 'utf8')).update(NUL);
  }
  return {
    text_bytes: text.length,
    reasoning_bytes: reasoning.length,
    tool_calls: fold.tools.length,
    digest: new Fnv64().update(text).hex() + tools.hex(),
    reasoning_digest: new Fnv64().update(reasoning).hex(),
  };
}
