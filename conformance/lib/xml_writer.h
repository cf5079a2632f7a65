// XmlWriter: a small streaming writer for well-formed XML 1.0 reports (JUnit and the
// like), so no report is assembled by string concatenation.
//
//   std::string out;
//   XmlWriter w(out);                 // writes the <?xml ...?> declaration
//   w.open("testsuite");
//   w.attribute("name", "a&b");       // attributes go right after open()
//   w.open("testcase"); w.attribute("name", "x"); w.close();   // <testcase name="x"/>
//   w.open("failure"); w.text("why"); w.close();               // <failure>why</failure>
//   w.finish();                       // closes what is open, ends with a newline
//
// Invariants:
//  - The output is well-formed whatever the strings given: &, <, > and " are escaped;
//    CR everywhere, and tab and LF in attribute values, become character references, so
//    a parser reads them back unchanged; invalid UTF-8 is repaired (each maximal ill-formed subpart
//    becomes U+FFFD, as utf8.h does); characters XML 1.0 forbids outright (C0 controls
//    other than tab, LF and CR; U+FFFE, U+FFFF) become U+FFFD.
//  - Element and attribute names are the caller's constants: a name that is not an XML
//    name (ASCII letters, digits, '_', '-', '.', ':'; not starting with a digit, '-' or
//    '.') throws std::invalid_argument, as do attribute() after content, a repeated
//    attribute, and close() with nothing open.
//  - Layout: one element per line, indented by depth; an element holding text keeps its
//    content inline (text is never re-indented).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ssecheck::conformance {

class XmlWriter {
 public:
  // Appends to `out`, starting with the XML declaration. indent: spaces per level.
  explicit XmlWriter(std::string& out, int indent = 2);

  void open(std::string_view name);
  void attribute(std::string_view name, std::string_view value);
  void attribute(std::string_view name, const char* value) { attribute(name, std::string_view(value)); }
  void attribute(std::string_view name, uint64_t value);
  // Seconds with millisecond precision ("0.125"), the form JUnit's time= takes.
  void attribute_seconds(std::string_view name, double seconds);
  void text(std::string_view content);
  void close();
  // Closes every open element and ends the document with a newline.
  void finish();

  size_t depth() const { return stack_.size(); }

  // The escaping rules above, for callers that need them alone.
  static void append_escaped(std::string& out, std::string_view text, bool in_attribute);
  static bool is_name(std::string_view name);

 private:
  struct Open {
    std::string name;
    bool start_tag_open = true;  // "<name attr..." written, '>' not yet
    bool has_children = false;
    bool has_text = false;
    std::vector<std::string> attributes;
  };
  void end_start_tag();
  void newline_and_indent(size_t depth);

  std::string& out_;
  int indent_;
  std::vector<Open> stack_;
  bool has_root_ = false;
};

}  // namespace ssecheck::conformance
