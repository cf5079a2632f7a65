#!/usr/bin/env python3
"""A complete ssecheck adapter (conformance/ADAPTERS.md): a small WHATWG event-stream parser, framing only."""
import base64, codecs, json, sys

def frame(pieces):
    events, data, etype, last_id, buf, skip_lf = [], [], "", "", "", False
    decoder = codecs.getincrementaldecoder("utf-8-sig")("replace")  # UTF-8, one leading BOM dropped
    def line(text):
        nonlocal data, etype, last_id
        if text == "":  # a blank line dispatches
            if data:
                events.append({"event": etype or "message", "data": "\n".join(data), "id": last_id})
            data, etype = [], ""
        elif not text.startswith(":"):  # a colon first: a comment
            name, _, value = text.partition(":")
            value = value[1:] if value.startswith(" ") else value
            if name == "data": data.append(value)
            elif name == "event": etype = value
            elif name == "id" and "\0" not in value: last_id = value
    for text in [decoder.decode(p) for p in pieces] + [decoder.decode(b"", True)]:
        if skip_lf and text:  # a CR ended the last piece: an LF now belongs to it
            text, skip_lf = text[1:] if text[0] == "\n" else text, False
        buf += text
        while (ends := [i for i in (buf.find("\r"), buf.find("\n")) if i >= 0]):
            i = min(ends)
            rest = buf[i + 1:]
            if buf[i] == "\r" and rest.startswith("\n"): rest = rest[1:]
            elif buf[i] == "\r" and rest == "": skip_lf = True
            line(buf[:i])
            buf = rest
    return events  # what is left unterminated is dropped, as the spec says

for raw in sys.stdin:
    cmd = json.loads(raw)
    rid, op = cmd.get("id", ""), cmd.get("cmd")
    if op == "hello":
        out = {"protocol": 1, "name": "minimal-python", "version": "1", "modes": ["feed"], "output": "events"}
    elif op == "feed":
        try:
            out = {"events": frame([base64.b64decode(c) for c in cmd["chunks"]])}
        except Exception as e:  # never die on one input
            out = {"error": {"kind": "internal", "message": repr(e)}}
    elif op == "bye":
        print(json.dumps({"id": rid}), flush=True)
        break
    else:
        out = {"error": {"kind": "unsupported", "message": f"unknown command {op!r}"}}
    print(json.dumps({"id": rid, **out}), flush=True)
