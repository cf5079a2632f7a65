// placeholder so the library has a source until the shared runner lands
namespace ssecheck::conformance { int placeholder = 0; }
