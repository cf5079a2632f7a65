#include "ssecheck/json/out.h"

#include <rapidjson/document.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/writer.h>

#include <limits>
#include <optional>

#include "ssecheck/json/numbers.h"
#include "ssecheck/utf8.h"

namespace ssecheck::json {

struct Out::Impl {
  explicit Impl(std::string& s, bool p) : stream{&s}, pretty(p) {
    if (pretty) {
      pw.emplace(stream);
      pw->SetIndent(' ', 2);
    } else {
      cw.emplace(stream);
    }
  }
  template <typename F>
  void with(F&& f) {
    if (pretty) f(*pw);
    else f(*cw);
  }
  std::string_view repair(std::string_view s) {
    s = s.substr(0, std::numeric_limits<rapidjson::SizeType>::max() / 4);
    if (utf8::is_valid(s)) return s;
    repaired.clear();
    utf8::append_repaired(repaired, s);
    return repaired;
  }

  StringOut stream;
  bool pretty;
  std::optional<rapidjson::Writer<StringOut>> cw;
  std::optional<rapidjson::PrettyWriter<StringOut>> pw;
  std::string repaired;
};

Out::Out(std::string& sink, bool pretty) : impl_(std::make_unique<Impl>(sink, pretty)) {}
Out::~Out() = default;

Out& Out::begin_object() {
  impl_->with([](auto& w) { w.StartObject(); });
  return *this;
}
Out& Out::end_object() {
  impl_->with([](auto& w) { w.EndObject(); });
  return *this;
}
Out& Out::begin_array() {
  impl_->with([](auto& w) { w.StartArray(); });
  return *this;
}
Out& Out::end_array() {
  impl_->with([](auto& w) { w.EndArray(); });
  return *this;
}
Out& Out::key(std::string_view k) {
  const std::string_view s = impl_->repair(k);
  impl_->with([&](auto& w) { w.Key(s.data(), static_cast<rapidjson::SizeType>(s.size())); });
  return *this;
}
Out& Out::string(std::string_view v) {
  const std::string_view s = impl_->repair(v);
  impl_->with([&](auto& w) { w.String(s.data(), static_cast<rapidjson::SizeType>(s.size())); });
  return *this;
}
Out& Out::null() {
  impl_->with([](auto& w) { w.Null(); });
  return *this;
}
Out& Out::boolean(bool b) {
  impl_->with([&](auto& w) { w.Bool(b); });
  return *this;
}
Out& Out::int64(int64_t v) {
  impl_->with([&](auto& w) { w.Int64(v); });
  return *this;
}
Out& Out::uint64(uint64_t v) {
  impl_->with([&](auto& w) { w.Uint64(v); });
  return *this;
}
Out& Out::number(double v) {
  impl_->with([&](auto& w) { w.Double(v); });
  return *this;
}
Out& Out::value(const Value& v) {
  impl_->with([&](auto& w) { v.write(w); });
  return *this;
}

Out& Out::raw(std::string_view text) {
  // Parsed, not spliced, so indentation nests and a bad splice cannot break the output.
  // Numbers go through ExactNumbers, as when they were first read.
  std::string copy(text);
  RapidPool values, stack;
  RapidDoc doc(&values, 1024, &stack);
  rapidjson::InsituStringStream in(copy.data());
  bool ok = false;
  auto generate = [&](RapidDoc& handler) {
    ExactNumbers<RapidDoc> exact{handler, copy.data()};
    rapidjson::Reader reader;
    ok = !reader
              .Parse<rapidjson::kParseInsituFlag | rapidjson::kParseIterativeFlag |
                     rapidjson::kParseNumbersAsStringsFlag>(in, exact)
              .IsError();
    return ok;
  };
  doc.Populate(generate);
  if (!ok) return null();
  impl_->with([&](auto& w) { doc.Accept(w); });
  return *this;
}

std::string to_json(const Value& v) {
  std::string s;
  StringOut stream{&s};
  rapidjson::Writer<StringOut> w(stream);
  v.write(w);
  return s;
}

}  // namespace ssecheck::json
