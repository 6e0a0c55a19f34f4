#pragma once
#include <ostream>
#include <string>
#include <vector>

#include "checks/apply_order.h"
#include "core/source.h"

namespace kmc::render {
using schema::Model;
using schema::Object;
using checks::Placement;

// The text of one object exactly as written: its document's lines, or a List item's lines
// dedented to a document of its own. False when the item is written in flow style (`[{...}]`,
// JSON), which cannot be cut out of its list byte for byte.
bool object_source_text(const SourceSet& sources, const Object& object, const Object* next_in_document,
                        std::string* out);

struct CompileOptions {
  bool explain = false;  // a comment before each object saying why it sits there
};

// One YAML stream in the given order; each document is preceded by `# source: file:line`.
void render_compiled_stream(const SourceSet& sources, const Model& model, const std::vector<Placement>& order,
                            const CompileOptions& options, std::ostream& out);

// `0003-deployment-web.yaml`: numbered in apply order, named after the object.
std::string compiled_file_name(size_t index, const Object& o);

// The next object of the same document (the following List item), or null.
const Object* next_in_document(const Model& model, const Object& o);

}  // namespace kmc::render
