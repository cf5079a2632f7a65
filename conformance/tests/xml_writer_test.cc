// XmlWriter: layout, escaping and the well-formedness guards. Expected documents are
// written by hand from XML 1.0 (sections 2.2 Characters, 2.4 Character Data, 3.3.3
// Attribute-Value Normalization).
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "xml_writer.h"

namespace {

using ssecheck::conformance::XmlWriter;

constexpr std::string_view kDecl = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

std::string escaped(std::string_view text, bool attribute) {
  std::string out;
  XmlWriter::append_escaped(out, text, attribute);
  return out;
}

TEST(XmlWriter, NestedLayout) {
  std::string out;
  XmlWriter w(out);
  w.open("testsuites");
  w.attribute("tests", uint64_t{2});
  w.open("testsuite");
  w.attribute("name", "a");
  w.open("testcase");
  w.attribute("name", "one");
  w.attribute_seconds("time", 0.1234);
  w.close();
  w.open("testcase");
  w.attribute("name", "two");
  w.open("failure");
  w.attribute("message", "m");
  w.text("line 1\nline 2");
  w.close();
  w.close();
  w.finish();
  EXPECT_EQ(out, std::string(kDecl) +
                     "<testsuites tests=\"2\">\n"
                     "  <testsuite name=\"a\">\n"
                     "    <testcase name=\"one\" time=\"0.123\"/>\n"
                     "    <testcase name=\"two\">\n"
                     "      <failure message=\"m\">line 1\nline 2</failure>\n"
                     "    </testcase>\n"
                     "  </testsuite>\n"
                     "</testsuites>\n");
  EXPECT_EQ(w.depth(), 0u);
}

TEST(XmlWriter, EmptyRootAndIndentZero) {
  std::string out;
  XmlWriter w(out, 0);
  w.open("r");
  w.open("c");
  w.close();
  w.finish();
  EXPECT_EQ(out, std::string(kDecl) + "<r>\n<c/>\n</r>\n");
}

TEST(XmlWriter, MarkupCharactersAreEscaped) {
  EXPECT_EQ(escaped("a<b>&c\"d'e", false), "a&lt;b&gt;&amp;c\"d'e");
  EXPECT_EQ(escaped("a<b>&c\"d'e", true), "a&lt;b&gt;&amp;c&quot;d'e");
  // "]]>" must not appear in content: the '>' is escaped.
  EXPECT_EQ(escaped("]]>", false), "]]&gt;");
}

TEST(XmlWriter, WhitespaceSurvivesAttributeNormalization) {
  // A parser turns a literal tab, LF or CR in an attribute into a space (3.3.3), and a
  // CR in content into LF (2.11): references keep them.
  EXPECT_EQ(escaped("a\tb\nc\rd", true), "a&#9;b&#10;c&#13;d");
  EXPECT_EQ(escaped("a\tb\nc\rd", false), "a\tb\nc&#13;d");
}

TEST(XmlWriter, ForbiddenCharactersBecomeReplacement) {
  // XML 1.0 Char excludes #x0-#x8, #xB, #xC, #xE-#x1F, #xFFFE, #xFFFF.
  EXPECT_EQ(escaped(std::string_view("a\0b", 3), false), "a\xEF\xBF\xBD" "b");
  EXPECT_EQ(escaped("\x01\x0b\x0c\x1f", true), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(escaped("x\xEF\xBF\xBEy\xEF\xBF\xBFz", false), "x\xEF\xBF\xBDy\xEF\xBF\xBDz");
  // DEL and C1 controls are Chars (discouraged, not forbidden): kept.
  EXPECT_EQ(escaped("\x7f\xC2\x85", false), "\x7f\xC2\x85");
}

TEST(XmlWriter, InvalidUtf8IsRepaired) {
  // A lone continuation byte, and a truncated 3-byte sequence at the end: one U+FFFD each.
  EXPECT_EQ(escaped("a\x80" "b\xE2\x82", false), "a\xEF\xBF\xBD" "b\xEF\xBF\xBD");
  // Valid multibyte text is untouched.
  EXPECT_EQ(escaped("\xC3\xA9\xC3\x97\xF0\x9F\x98\x80", true), "\xC3\xA9\xC3\x97\xF0\x9F\x98\x80");
}

TEST(XmlWriter, TextKeepsItsElementInline) {
  std::string out;
  XmlWriter w(out);
  w.open("a");
  w.text("t");
  w.open("b");
  w.close();
  w.finish();
  EXPECT_EQ(out, std::string(kDecl) + "<a>t<b/></a>\n");
}

TEST(XmlWriter, GuardsAgainstMalformedOutput) {
  std::string out;
  XmlWriter w(out);
  EXPECT_THROW(w.open("1abc"), std::invalid_argument);
  EXPECT_THROW(w.open("a b"), std::invalid_argument);
  EXPECT_THROW(w.open(""), std::invalid_argument);
  EXPECT_THROW(w.close(), std::invalid_argument);
  EXPECT_THROW(w.text("x"), std::invalid_argument);
  w.open("root");
  w.attribute("k", "1");
  EXPECT_THROW(w.attribute("k", "2"), std::invalid_argument);
  EXPECT_THROW(w.attribute("x=\"", "2"), std::invalid_argument);
  w.text("body");
  EXPECT_THROW(w.attribute("late", "v"), std::invalid_argument);
  w.close();
  EXPECT_THROW(w.open("second"), std::invalid_argument);
  EXPECT_TRUE(XmlWriter::is_name("ns:test-case_1.x"));
  EXPECT_FALSE(XmlWriter::is_name("-x"));
  EXPECT_FALSE(XmlWriter::is_name(".x"));
}

TEST(XmlWriter, SecondsAttribute) {
  std::string out;
  XmlWriter w(out);
  w.open("t");
  w.attribute_seconds("a", 97.0);
  w.attribute_seconds("b", -1.0);  // a clock step backwards is not a negative duration
  w.attribute_seconds("c", 0.0005);
  w.finish();
  EXPECT_EQ(out, std::string(kDecl) + "<t a=\"97.000\" b=\"0.000\" c=\"0.001\"/>\n");
}

}  // namespace
