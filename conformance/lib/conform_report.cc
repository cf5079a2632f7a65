// The JUnit and JSON reports of `ssecheck conform` (conform_runner.h), written with
// XmlWriter and RapidJSON's Writer.
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <string>

#include "conform_runner.h"
#include "ssecheck/utf8.h"
#include "xml_writer.h"

namespace ssecheck::conformance {
namespace {

// Names and paths may hold any bytes; JSON strings must be UTF-8.
std::string utf8_text(std::string_view bytes) {
  if (utf8::is_valid(bytes)) return std::string(bytes);
  std::string out;
  utf8::append_repaired(out, bytes);
  return out;
}

// What a passing or failing testcase ran, for <system-out>: depends on the options,
// so it is kept out of the test's name.
std::string run_summary(const InteractionOutcome& o) {
  std::string out = std::string(check_mode_name(o.mode)) + ", dialect " + (o.dialect.empty() ? "?" : o.dialect) +
                    ", " + std::to_string(o.runs()) + " chunkings (";
  for (size_t k = 0; k < o.kinds.size(); ++k) {
    if (k) out += ", ";
    out.append(chunking_kind_name(o.kinds[k].kind)).append(" ").append(std::to_string(o.kinds[k].runs));
  }
  out += ")";
  if (!o.diagnostics.empty()) out += "\ndiagnostics: " + code_counts_text(o.diagnostics, true);
  return out;
}

}  // namespace

std::string junit_xml(const ConformSummary& summary) {
  std::string out;
  XmlWriter w(out);
  w.open("testsuites");
  w.attribute("name", "ssecheck conform");
  w.attribute("tests", uint64_t{summary.interactions.size()});
  w.attribute("failures", uint64_t{summary.failed});
  w.attribute("errors", uint64_t{summary.errors});
  w.attribute("skipped", uint64_t{summary.skipped});
  w.attribute_seconds("time", summary.seconds);
  size_t i = 0;
  while (i < summary.interactions.size()) {
    const std::string suite = cassette_name(summary.interactions[i].cassette);
    size_t j = i, failures = 0, errors = 0, skipped = 0;
    double seconds = 0;
    for (; j < summary.interactions.size() && cassette_name(summary.interactions[j].cassette) == suite; ++j) {
      const InteractionOutcome& o = summary.interactions[j];
      failures += o.outcome == Outcome::failed;
      errors += o.outcome == Outcome::error;
      skipped += o.outcome == Outcome::skipped;
      seconds += o.seconds;
    }
    w.open("testsuite");
    w.attribute("name", suite);
    w.attribute("tests", uint64_t{j - i});
    w.attribute("failures", uint64_t{failures});
    w.attribute("errors", uint64_t{errors});
    w.attribute("skipped", uint64_t{skipped});
    w.attribute_seconds("time", seconds);
    for (; i < j; ++i) {
      const InteractionOutcome& o = summary.interactions[i];
      w.open("testcase");
      w.attribute("classname", suite);
      w.attribute("name", o.outcome == Outcome::error ? std::string("cassette") : "interaction-" + std::to_string(o.index));
      w.attribute_seconds("time", o.seconds);
      switch (o.outcome) {
        case Outcome::passed: break;
        case Outcome::skipped:
          w.open("skipped");
          w.attribute("message", o.reason);
          w.close();
          break;
        case Outcome::failed:
        case Outcome::error:
          w.open(o.outcome == Outcome::error ? "error" : "failure");
          w.attribute("message", o.reason);
          w.attribute("type", o.failed_checks.empty() ? std::string_view("?") : failed_check_name(o.failed_checks.front()));
          w.text(o.failure_text());
          w.close();
          break;
      }
      if (o.outcome == Outcome::passed || o.outcome == Outcome::failed) {
        w.open("system-out");
        w.text(run_summary(o));
        w.close();
      }
      w.close();
    }
    w.close();
  }
  w.finish();
  return out;
}

std::string summary_json(const ConformSummary& summary) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  auto string = [&](std::string_view text) {
    const std::string s = utf8_text(text);
    w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
  };
  auto key = [&](const char* k) { w.Key(k); };
  auto diagnostic = [&](const std::optional<Diagnostic>& d) {
    if (!d) {
      w.Null();
      return;
    }
    w.StartObject();
    key("code"), string(name(d->code));
    key("severity"), string(severity_name(d->severity));
    key("event"), w.Uint64(d->event_index);
    key("offset"), w.Uint64(d->byte_offset);
    key("message"), string(d->message);
    w.EndObject();
  };
  w.StartObject();
  key("passed"), w.Uint64(summary.passed);
  key("failed"), w.Uint64(summary.failed);
  key("skipped"), w.Uint64(summary.skipped);
  key("errors"), w.Uint64(summary.errors);
  key("runs"), w.Uint64(summary.runs);
  key("seconds"), w.Double(summary.seconds);
  key("interactions"), w.StartArray();
  for (const InteractionOutcome& o : summary.interactions) {
    w.StartObject();
    key("name"), string(interaction_label(o));
    key("cassette"), string(cassette_name(o.cassette));
    key("root"), string(o.cassette.label);
    key("path"), string(o.cassette.rel.generic_string());
    key("interaction"), w.Uint64(o.index);
    key("outcome"), string(outcome_name(o.outcome));
    key("mode"), string(check_mode_name(o.mode));
    key("dialect"), string(o.dialect);
    key("failed_checks"), w.StartArray();
    for (const FailedCheck c : o.failed_checks) string(failed_check_name(c));
    w.EndArray();
    key("reason"), string(o.reason);
    key("details"), string(o.details);
    key("first_fatal"), diagnostic(o.first_fatal);
    key("first_disagreement");
    if (const KindOutcome* k = o.first_disagreement()) {
      w.StartObject();
      key("kind"), string(chunking_kind_name(k->kind));
      key("chunking"), string(k->first_chunking);
      key("difference"), string(k->first_failure);
      w.EndObject();
    } else {
      w.Null();
    }
    key("diagnostics"), w.StartArray();
    for (const CodeCount& c : o.diagnostics) {
      w.StartObject();
      key("code"), string(c.code);
      key("severity"), string(severity_name(c.severity));
      key("count"), w.Uint64(c.count);
      w.EndObject();
    }
    w.EndArray();
    key("chunkings"), w.StartObject();
    for (const KindOutcome& k : o.kinds) {
      key(std::string(chunking_kind_name(k.kind)).c_str());
      w.StartObject();
      key("runs"), w.Uint64(k.runs);
      key("failures"), w.Uint64(k.failures);
      w.EndObject();
    }
    w.EndObject();
    key("seconds"), w.Double(o.seconds);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

}  // namespace ssecheck::conformance
