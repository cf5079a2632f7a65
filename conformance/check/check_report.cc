#include "check_report.h"

#include "xml_writer.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdio>

namespace ssecheck::check {
namespace {

constexpr Outcome kAll[] = {Outcome::pass,  Outcome::fail,    Outcome::non_strict,     Outcome::informational,
                            Outcome::crash, Outcome::timeout, Outcome::protocol_error, Outcome::skipped};

template <typename W>
void str(W& w, std::string_view s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

std::string_view expect_name(Expect e) {
  switch (e) {
    case Expect::result: return "result";
    case Expect::error: return "error";
    case Expect::events: return "events";
  }
  return "?";
}

// Readable bytes for the report: printable ASCII kept, the rest escaped, clipped.
std::string shown_bytes(std::string_view body, size_t max_bytes) {
  std::string out;
  for (size_t i = 0; i < body.size() && out.size() < max_bytes; ++i) {
    const auto c = static_cast<unsigned char>(body[i]);
    if (c == '\n') out += "\\n\n";
    else if (c == '\r') out += "\\r";
    else if (c == '\\') out += "\\\\";
    else if (c >= 0x20 && c < 0x7F) out += static_cast<char>(c);
    else if (c >= 0x80) out += static_cast<char>(c);  // UTF-8 kept; the writer validates
    else {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02X", c);
      out += hex;
    }
  }
  if (out.size() >= max_bytes) out += "\n… (" + std::to_string(body.size()) + " bytes in all)";
  return out;
}

template <typename W>
void write_report(W& w, const RunReport& report, bool with_bytes) {
  w.StartObject();
  w.Key("seed"), w.Uint64(report.seed);
  w.Key("seconds"), w.Double(report.seconds);
  w.Key("cases");
  w.StartArray();
  for (const CheckCase& c : *report.cases) {
    w.StartObject();
    w.Key("id"), str(w, c.id);
    w.Key("dialect"), str(w, c.dialect.empty() ? "sse" : c.dialect);
    w.Key("category"), str(w, c.category);
    w.Key("schedule"), str(w, c.schedule);
    w.Key("mode"), str(w, c.mode == CaseMode::feed ? "feed" : "http");
    w.Key("rule"), str(w, c.rule);
    w.Key("source"), str(w, c.source);
    w.Key("expect"), str(w, expect_name(c.expect));
    w.Key("reads"), w.Uint64(c.cuts.size() + 1);
    if (with_bytes) w.Key("bytes"), str(w, shown_bytes(c.body, 4096));
    w.EndObject();
  }
  w.EndArray();
  w.Key("implementations");
  w.StartArray();
  for (const ImplResults& impl : report.impls) {
    w.StartObject();
    w.Key("name"), str(w, impl.spec.name);
    w.Key("command"), str(w, impl.spec.command);
    w.Key("reports_as"), str(w, impl.hello.name);
    w.Key("version"), str(w, impl.hello.version);
    if (!impl.start_problem.empty()) w.Key("start_problem"), str(w, impl.start_problem);
    w.Key("counts");
    w.StartObject();
    for (Outcome o : kAll) w.Key(outcome_name(o).data()), w.Uint64(impl.count(o));
    w.EndObject();
    w.Key("results");
    w.StartArray();
    for (const CaseResult& r : impl.results) {
      w.StartObject();
      w.Key("case"), str(w, r.test->id);
      w.Key("outcome"), str(w, outcome_name(r.outcome));
      w.Key("reason"), str(w, r.reason);
      w.Key("seconds"), w.Double(r.seconds);
      if (!r.diff.empty()) {
        w.Key("diff");
        w.StartArray();
        for (const auto& d : r.diff) str(w, d);
        w.EndArray();
      }
      if (!r.answer.empty() && r.outcome != Outcome::pass) w.Key("answer"), str(w, r.answer);
      if (!r.stderr_tail.empty()) w.Key("stderr"), str(w, r.stderr_tail);
      if (!r.journal.empty()) w.Key("journal"), str(w, r.journal);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
}

}  // namespace

std::string results_json(const RunReport& report, bool pretty) {
  rapidjson::StringBuffer b;
  if (pretty) {
    rapidjson::PrettyWriter<rapidjson::StringBuffer> w(b);
    w.SetIndent(' ', 1);
    write_report(w, report, false);
  } else {
    rapidjson::Writer<rapidjson::StringBuffer> w(b);
    write_report(w, report, false);
  }
  return std::string(b.GetString(), b.GetSize()) + "\n";
}

std::string junit_xml(const RunReport& report, bool strict) {
  std::string out;
  conformance::XmlWriter w(out);
  w.open("testsuites");
  w.attribute("name", "ssecheck check");
  for (const ImplResults& impl : report.impls) {
    uint64_t failures = 0, skipped = 0;
    double seconds = 0;
    for (const CaseResult& r : impl.results) {
      failures += is_failure(r.outcome, strict);
      skipped += r.outcome == Outcome::skipped;
      seconds += r.seconds;
    }
    w.open("testsuite");
    w.attribute("name", impl.spec.name);
    w.attribute("tests", uint64_t{impl.results.size()});
    w.attribute("failures", failures);
    w.attribute("skipped", skipped);
    w.attribute_seconds("time", seconds);
    for (const CaseResult& r : impl.results) {
      const CheckCase& c = *r.test;
      w.open("testcase");
      w.attribute("name", c.id);
      w.attribute("classname", impl.spec.name + "." + (c.dialect.empty() ? "sse" : c.dialect) + "." + c.category);
      w.attribute_seconds("time", r.seconds);
      if (r.outcome == Outcome::skipped) {
        w.open("skipped");
        w.attribute("message", r.reason);
        w.close();
      } else if (is_failure(r.outcome, strict)) {
        std::string body = std::string(outcome_name(r.outcome)) + ": " + r.reason + "\nrule: " + c.rule +
                           "\nsource: " + c.source + "\nschedule: " + c.schedule + " (" +
                           std::to_string(c.cuts.size() + 1) + " reads)\n";
        for (const auto& d : r.diff) body += d + "\n";
        if (!r.stderr_tail.empty()) body += "adapter stderr:\n" + r.stderr_tail + "\n";
        w.open("failure");
        w.attribute("type", outcome_name(r.outcome));
        w.attribute("message", std::string(outcome_name(r.outcome)) + ": " + r.reason);
        w.text(body);
        w.close();
      }
      w.close();
    }
    w.close();
  }
  w.finish();
  return out;
}

std::string matrix_html(const RunReport& report) {
  rapidjson::StringBuffer b;
  rapidjson::Writer<rapidjson::StringBuffer> w(b);
  write_report(w, report, true);
  std::string data(b.GetString(), b.GetSize());
  // Inside <script>, "</" would end the element; JSON allows the escaped solidus.
  for (size_t at = data.find("</"); at != std::string::npos; at = data.find("</", at + 3)) data.insert(at + 1, "\\");
  std::string page = R"HTML(<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>ssecheck check: results matrix</title>
<style>
body{font:14px system-ui,sans-serif;margin:1.5em;color:#222}
table{border-collapse:collapse}th,td{border:1px solid #ccc;padding:2px 6px;text-align:left}
td.cell{text-align:center;cursor:pointer;font-size:12px}
.PASS{background:#c8f0c8}.FAIL{background:#f6b0b0}.NON_STRICT{background:#f8e0a0}.INFORMATIONAL{background:#dde}
.CRASH,.TIMEOUT,.PROTOCOL_ERROR{background:#e070e0}.SKIPPED{background:#eee;color:#888}
tr.group th{background:#f4f4f4}pre{white-space:pre-wrap;background:#fafafa;border:1px solid #ddd;padding:6px;max-height:30em;overflow:auto}
#detail{margin-top:1em}
</style></head><body>
<h1>ssecheck check</h1>
<p id="summary"></p>
<label><input type="checkbox" id="fold" checked> fold rows with one outcome for every implementation</label>
<table id="matrix"><thead></thead><tbody></tbody></table>
<div id="detail"></div>
<script id="data" type="application/json">)HTML";
  page += data;
  page += R"HTML(</script>
<script>
"use strict";
const data = JSON.parse(document.getElementById("data").textContent);
const impls = data.implementations;
const byCase = impls.map(i => Object.fromEntries(i.results.map(r => [r.case, r])));
function el(tag, attrs, text) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}
function summary() {
  document.getElementById("summary").textContent = impls.map(i =>
    i.name + ": " + Object.entries(i.counts).filter(([, n]) => n).map(([o, n]) => n + " " + o).join(", ")).join(" | ") +
    " (" + data.cases.length + " cases, seed " + data.seed + ")";
}
function show(ci, ii) {
  const c = data.cases[ci], r = byCase[ii][c.id] || {};
  const d = document.getElementById("detail");
  d.replaceChildren();
  d.append(el("h2", {}, impls[ii].name + ": " + c.id + ": " + (r.outcome || "?")));
  d.append(el("p", {}, "Rule: " + c.rule));
  d.append(el("p", {}, "Source: " + c.source + "; schedule " + c.schedule + ", " + c.reads + " read(s), " + c.mode + " mode; expected: " + c.expect));
  d.append(el("p", {}, "Reason: " + (r.reason || "")));
  if (r.diff) d.append(el("pre", {"class": "diff"}, r.diff.join("\n")));
  if (r.answer) d.append(el("pre", {"class": "answer"}, r.answer));
  if (r.stderr) d.append(el("pre", {"class": "stderr"}, r.stderr));
  if (r.journal) d.append(el("pre", {"class": "journal"}, "What the client sent:\n" + r.journal));
  d.append(el("h3", {}, "Bytes sent"));
  d.append(el("pre", {"class": "bytes"}, c.bytes));
  d.scrollIntoView();
}
function render() {
  const fold = document.getElementById("fold").checked;
  const head = document.querySelector("#matrix thead"), body = document.querySelector("#matrix tbody");
  head.replaceChildren(); body.replaceChildren();
  const hr = el("tr"); hr.append(el("th", {}, "case"));
  impls.forEach(i => hr.append(el("th", {}, i.name)));
  head.append(hr);
  let group = null, folded = 0;
  const flush = () => { if (folded) { const tr = el("tr", {"class": "folded"}); tr.append(el("td", {"colspan": impls.length + 1}, folded + " row(s) with one outcome everywhere folded")); body.append(tr); folded = 0; } };
  data.cases.forEach((c, ci) => {
    const g = c.dialect + " / " + c.category;
    if (g !== group) { flush(); group = g; const tr = el("tr", {"class": "group"}); tr.append(el("th", {"colspan": impls.length + 1}, g)); body.append(tr); }
    const outs = byCase.map(m => (m[c.id] || {}).outcome || "?");
    if (fold && impls.length > 1 && outs.every(o => o === outs[0])) { folded++; return; }
    const tr = el("tr", {"class": "case"}); tr.append(el("td", {}, c.id));
    outs.forEach((o, ii) => { const td = el("td", {"class": "cell " + o, "title": ((byCase[ii][c.id] || {}).reason || "")}, o); td.onclick = () => show(ci, ii); tr.append(td); });
    body.append(tr);
  });
  flush();
}
document.getElementById("fold").onchange = render;
summary(); render();
</script></body></html>
)HTML";
  return page;
}

bool parse_expectations(std::string_view text, Expectations* out, std::string* error) {
  rapidjson::Document d;
  d.Parse(text.data(), text.size());
  if (d.HasParseError()) {
    *error = std::string("not JSON: ") + rapidjson::GetParseError_En(d.GetParseError()) + " at byte " +
             std::to_string(d.GetErrorOffset());
    return false;
  }
  if (!d.IsObject()) {
    *error = "must be an object {\"<impl>\": {\"<case id>\": \"<OUTCOME>\"}}";
    return false;
  }
  for (const auto& impl : d.GetObject()) {
    if (!impl.value.IsObject()) {
      *error = std::string("\"") + impl.name.GetString() + "\" must map case ids to outcomes";
      return false;
    }
    auto& cases = (*out)[impl.name.GetString()];
    for (const auto& c : impl.value.GetObject()) {
      Outcome o;
      if (!c.value.IsString() || !outcome_from_name(c.value.GetString(), &o)) {
        *error = std::string("\"") + c.name.GetString() + "\": the outcome must be one of PASS, FAIL, NON_STRICT, "
                 "INFORMATIONAL, CRASH, TIMEOUT, PROTOCOL_ERROR, SKIPPED";
        return false;
      }
      cases[c.name.GetString()] = o;
    }
  }
  return true;
}

std::vector<Change> changes(const RunReport& report, const Expectations& expected, bool strict) {
  std::vector<Change> out;
  for (const ImplResults& impl : report.impls) {
    const auto it = expected.find(impl.spec.name);
    for (const CaseResult& r : impl.results) {
      Outcome want = Outcome::pass;
      bool listed = false;
      if (it != expected.end())
        if (const auto c = it->second.find(r.test->id); c != it->second.end()) want = c->second, listed = true;
      if (r.outcome == want) continue;
      if (!listed && !is_failure(r.outcome, strict)) continue;  // unlisted: anything but a failure is fine
      out.push_back({impl.spec.name, r.test->id, want, r.outcome});
    }
  }
  return out;
}

std::string expectations_json(const RunReport& report, bool strict) {
  rapidjson::StringBuffer b;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> w(b);
  w.SetIndent(' ', 2);
  w.StartObject();
  for (const ImplResults& impl : report.impls) {
    w.Key(impl.spec.name.c_str());
    w.StartObject();
    for (const CaseResult& r : impl.results)
      if (is_failure(r.outcome, strict)) w.Key(r.test->id.c_str()), str(w, outcome_name(r.outcome));
    w.EndObject();
  }
  w.EndObject();
  return std::string(b.GetString(), b.GetSize()) + "\n";
}

}  // namespace ssecheck::check
