// The conformance suite: every interaction of every cassette in corpus/ under every
// chunking kind, one test per (interaction, kind). The runs are computed once, on all
// cores, by the same runner as `ssecheck conform`; each test then checks its share.
#include <gtest/gtest.h>

#include <ostream>
#include <string>

#include "conform_runner.h"
#include "ssecheck/cassette.h"

namespace ssecheck::conformance {
namespace {

struct Param {
  std::string label;  // corpus/cassettes/foo.yaml#0
  ChunkingKind kind;
};

const ConformSummary& corpus_summary() {
  static const ConformSummary summary = [] {
    ConformOptions options;  // every kind, 16 random chunkings, golden comparison
    return run_conformance(discover_cassettes({CorpusRoot{SSECHECK_CORPUS_DIR, "corpus"}}), options);
  }();
  return summary;
}

// Results are named by the root's label and the path under it.
const InteractionOutcome* find_outcome(const std::string& label) {
  for (const auto& o : corpus_summary().interactions)
    if (interaction_label(o) == label) return &o;
  return nullptr;
}

// Enumerated from the files without running anything, so test names exist up front.
std::vector<Param> all_params() {
  std::vector<Param> out;
  for (const CassetteRef& ref : discover_cassettes({SSECHECK_CORPUS_DIR})) {
    const CassetteResult r = load_cassette_file((ref.root / ref.rel).string());
    const size_t n = r.ok() ? r.cassette.interactions.size() : 1;
    for (size_t i = 0; i < n; ++i) {
      if (r.ok() && r.cassette.interactions[i].body_kind == BodyKind::json) continue;
      for (const ChunkingKind k : all_chunking_kinds())
        out.push_back({"corpus/" + ref.rel.generic_string() + "#" + std::to_string(i), k});
    }
  }
  return out;
}

void PrintTo(const Param& p, std::ostream* os) {
  *os << p.label << " under " << chunking_kind_name(p.kind);
}

class CassetteConformance : public ::testing::TestWithParam<Param> {};

TEST_P(CassetteConformance, SameReportUnderThisChunking) {
  const Param& p = GetParam();
  const InteractionOutcome* o = find_outcome(p.label);
  ASSERT_NE(o, nullptr) << p.label << " was not checked";
  ASSERT_NE(o->mode, CheckMode::load_error) << o->reason;
  if (p.kind == ChunkingKind::whole) {
    // The whole-body run carries the golden comparison (or the self-check verdict).
    EXPECT_EQ(o->mode, CheckMode::golden) << p.label << " has no golden in corpus/golden/";
    EXPECT_TRUE(o->passed()) << o->failure_text();
  }
  bool found = false;
  for (const KindOutcome& k : o->kinds) {
    if (k.kind != p.kind) continue;
    found = true;
    // Bodies with no multibyte character and no CRLF have no utf8-crlf split points.
    if (k.kind != ChunkingKind::utf8_and_crlf) {
      EXPECT_GT(k.runs, 0u) << "no chunking of this kind was run";
    }
    EXPECT_EQ(k.failures, 0u) << k.first_chunking << ": " << k.first_failure;
  }
  EXPECT_TRUE(found);
}

std::string param_name(const ::testing::TestParamInfo<Param>& info) {
  std::string name;
  for (const char c : info.param.label) name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  for (const char c : chunking_kind_name(info.param.kind))
    name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return name + "_" + std::to_string(info.index);
}

INSTANTIATE_TEST_SUITE_P(Corpus, CassetteConformance, ::testing::ValuesIn(all_params()), param_name);

TEST(CassetteConformanceCorpus, CoversTheSeedsAndTheSynthetics) {
  const auto& s = corpus_summary();
  EXPECT_GE(s.cassettes, 5u + 19u);
  EXPECT_EQ(s.failed, 0u);
  EXPECT_GT(s.runs, 10000u);  // every split point of every body, among others
  size_t tricky = 0;
  for (const auto& o : s.interactions)
    for (const auto& k : o.kinds) tricky += k.kind == ChunkingKind::utf8_and_crlf ? k.runs : 0;
  EXPECT_GT(tricky, 20u);  // the UTF-8 and CRLF cassettes do have such split points
}

}  // namespace
}  // namespace ssecheck::conformance
