// schemagen: derives kmc's embedded API schema (schema/api_releases.cc) from the OpenAPI v2
// documents of the Kubernetes releases kmc targets, the enum table and the history of removed
// APIs. Keeps what a validator needs (field names and types, formats, required fields, list
// items, map values, references, group-version-kinds, scope from the API paths, enum values).
// With --descriptions it writes instead the fields' descriptions (schema/api_descriptions.cc),
// apart from the tables a check reads: only the editor's hover shows them.
//
//   kmc-schemagen [--descriptions] enums-v1.36.json api-removals.json 1.28=openapi-v1.28.json … 1.36=openapi-v1.36.json
//
// The releases share one set of tables: a field or kind is a row with a bit per release that
// has it (a field whose type or `required` changed is one row per form), so nine releases take
// little more than one. The output is deterministic: definitions, fields and kinds are sorted,
// types deduplicated.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include <rapidjson/document.h>

namespace {

using rapidjson::Value;

const char* const kTypeKindNames[] = {"Any",  "Struct", "Map",   "List",   "String",      "Bytes",    "Int32",
                                "Int64", "Number", "Bool", "IntOrString", "Quantity", "Time"};
enum Kind { Any, Struct, Map, List, String, Bytes, Int32, Int64, Number, Bool, IntOrString, Quantity, Time };

struct Type {
  int kind, arg, enum_set;
  bool operator<(const Type& o) const { return std::tie(kind, arg, enum_set) < std::tie(o.kind, o.arg, o.enum_set); }
};

// One form of a field: its name, type and whether it is required, in the releases of `mask`.
struct Field {
  std::string name;
  int type;
  bool required;
  unsigned mask;
  bool operator<(const Field& o) const { return std::tie(name, mask) < std::tie(o.name, o.mask); }
};

struct Gvk {
  std::string group, version, kind;
  bool operator<(const Gvk& o) const {
    return std::tie(kind, group, version) < std::tie(o.kind, o.group, o.version);
  }
};

struct KindRow {
  int definition = 0;
  bool namespaced = false;
  unsigned mask = 0;
};

struct Release {
  std::string name;  // "1.30"
  std::unique_ptr<rapidjson::Document> doc;
};

// Definitions without properties whose values are free-form in the Go types (an embedded
// object, managed-fields JSON, a patch). Other property-less objects are empty structs.
const std::set<std::string> kFreeForm = {
    "io.k8s.apimachinery.pkg.runtime.RawExtension",
    "io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1",
    "io.k8s.apimachinery.pkg.apis.meta.v1.Patch",
};

std::string str(const Value& v, const char* key) {
  auto it = v.FindMember(key);
  return it != v.MemberEnd() && it->value.IsString() ? it->value.GetString() : std::string();
}

std::string escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    if (c == '\t') {
      out += "\\t";
      continue;
    }
    if (c == '\r') continue;
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

class Generator {
 public:
  Generator(const std::vector<Release>& releases, const Value& enums) : releases_(releases), enums_(enums) {
    for (const Release& r : releases) {
      const Value& defs = (*r.doc)["definitions"];
      for (auto it = defs.MemberBegin(); it != defs.MemberEnd(); ++it) names_.insert(it->name.GetString());
    }
    int i = 0;
    for (const std::string& n : names_) index_[n] = i++;
  }

  void run() {
    for (const std::string& name : names_) {
      std::map<std::tuple<std::string, int, bool>, unsigned> forms;
      for (size_t r = 0; r < releases_.size(); ++r) {
        const Value& defs = (*releases_[r].doc)["definitions"];
        auto d = defs.FindMember(name.c_str());
        if (d == defs.MemberEnd()) continue;
        for (const Field& f : fields(defs, name, d->value)) forms[{f.name, f.type, f.required}] |= 1u << r;
      }
      // `required` as the newest release that has the field says: the documents mark a field
      // required where its Go type lacks omitempty, and later releases corrected many that the
      // API server never required (StatefulSet serviceName before 1.33, NetworkPolicy
      // podSelector); a relaxation in a later document is read as what older servers did too.
      std::map<std::string, bool> newest_required;
      std::map<std::string, unsigned> newest_bit;
      for (const auto& [key, mask] : forms) {
        unsigned top = 1u << (31 - __builtin_clz(mask));
        if (top > newest_bit[std::get<0>(key)]) {
          newest_bit[std::get<0>(key)] = top;
          newest_required[std::get<0>(key)] = std::get<2>(key);
        }
      }
      std::map<std::tuple<std::string, int, bool>, unsigned> merged;
      for (const auto& [key, mask] : forms)
        merged[{std::get<0>(key), std::get<1>(key), std::get<2>(key) && newest_required[std::get<0>(key)]}] |= mask;
      std::vector<Field> rows;
      for (const auto& [key, mask] : merged) rows.push_back({std::get<0>(key), std::get<1>(key), std::get<2>(key), mask});
      std::sort(rows.begin(), rows.end());
      descriptions_of_.push_back(descriptions(name, rows));
      fields_of_.push_back(std::move(rows));
    }
    for (size_t r = 0; r < releases_.size(); ++r) add_kinds(*releases_[r].doc, 1u << r);
  }

  void write(std::ostream& os, const Value& removals) {
    os << "// Generated by tools/schemagen.cc from the OpenAPI documents of Kubernetes " << releases_.front().name
       << " to " << releases_.back().name
       << ", the 1.36 enum table and the history of removed APIs.\n// Do not edit: regenerate (see tools/README.md).\n"
       << "#include \"schema/api_schema.h\"\n\nnamespace kmc::api {\nnamespace {\n\n";
    os << "constexpr Type kTypes[] = {\n";
    for (const Type& t : types_)
      os << "    {TypeKind::" << kTypeKindNames[t.kind] << ", " << t.arg << ", "
         << (t.enum_set < 0 ? std::string("kNoEnum") : std::to_string(t.enum_set)) << "},\n";
    os << "};\n\nconstexpr Field kFields[] = {\n";
    for (const auto& rows : fields_of_)
      for (const Field& f : rows)
        os << "    {\"" << escape(f.name) << "\", " << f.type << ", " << (f.required ? "true" : "false") << ", "
           << mask_text(f.mask) << "},\n";
    os << "};\n\nconstexpr Definition kDefinitions[] = {\n";
    size_t first = 0, d = 0;
    for (const std::string& name : names_) {
      os << "    {\"" << name << "\", " << first << ", " << fields_of_[d].size() << "},\n";
      first += fields_of_[d++].size();
    }
    os << "};\n\nconstexpr const char* kEnumValues[] = {\n";
    for (const auto& set : enum_sets_)
      for (const std::string& v : set) os << "    \"" << escape(v) << "\",\n";
    os << "};\n\nconstexpr EnumSet kEnums[] = {\n";
    first = 0;
    for (const auto& set : enum_sets_) {
      os << "    {" << first << ", " << set.size() << "},\n";
      first += set.size();
    }
    os << "};\n\nconstexpr Kind kKinds[] = {\n";
    for (const auto& [gvk, row] : kinds_)
      os << "    {\"" << gvk.group << "\", \"" << gvk.version << "\", \"" << gvk.kind << "\", " << row.definition << ", "
         << (row.namespaced ? "true" : "false") << ", " << mask_text(row.mask) << "},\n";
    os << "};\n\n";
    write_removals(os, removals);
    os << "}  // namespace\n\nconstexpr Schema kReleases[] = {\n";
    for (size_t r = 0; r < releases_.size(); ++r)
      os << "    {\"" << releases_[r].name << "\", " << mask_text(1u << r)
         << ", kTypes, kFields, kDefinitions, kEnumValues, kEnums, kKinds, kRemovals},\n";
    os << "};\n\nstd::span<const Schema> embedded_releases() { return kReleases; }\n\n}  // namespace kmc::api\n";
  }

  // schema/api_descriptions.cc: a text number per row of kFields, in its order, and the texts
  // (each once: many fields share one, "Standard object's metadata.").
  void write_descriptions(std::ostream& os) {
    os << "// Generated by tools/schemagen.cc --descriptions from the OpenAPI documents of Kubernetes "
       << releases_.front().name << " to " << releases_.back().name
       << ".\n// Do not edit: regenerate (see tools/README.md).\n"
       << "#include \"schema/api_descriptions.h\"\n\n#include <cstdint>\n#include <iterator>\n\n"
       << "namespace kmc::api {\nnamespace {\n\n";
    std::map<std::string, size_t> number{{"", 0}};
    std::vector<const std::string*> texts{&number.begin()->first};
    std::vector<size_t> of_row;
    for (const auto& rows : descriptions_of_)
      for (const std::string& d : rows) {
        auto [it, added] = number.try_emplace(d, texts.size());
        if (added) texts.push_back(&it->first);
        of_row.push_back(it->second);
      }
    if (texts.size() > 65535) {
      std::fprintf(stderr, "kmc-schemagen: more than 65535 distinct descriptions do not fit the 16-bit table\n");
      std::exit(1);
    }
    os << "constexpr const char* kTexts[] = {\n";
    for (const std::string* t : texts) os << "    \"" << escape(*t) << "\",\n";
    os << "};\n\nconstexpr uint16_t kTextOfField[] = {";
    for (size_t i = 0; i < of_row.size(); ++i) os << (i % 16 ? " " : "\n    ") << of_row[i] << ",";
    os << "\n};\n\n}  // namespace\n\n"
       << "std::string_view field_description(const Schema& schema, const Field& field) {\n"
       << "  auto row = static_cast<size_t>(&field - schema.fields.data());\n"
       << "  return row < std::size(kTextOfField) ? kTexts[kTextOfField[row]] : \"\";\n"
       << "}\n\n}  // namespace kmc::api\n";
  }

 private:
  // The description of each row of `rows` (fields of definition `name`), from the newest release
  // that has the row's form.
  std::vector<std::string> descriptions(const std::string& name, const std::vector<Field>& rows) const {
    std::vector<std::string> out;
    for (const Field& f : rows) {
      int newest = 31 - __builtin_clz(f.mask);
      const Value& defs = (*releases_[newest].doc)["definitions"];
      auto d = defs.FindMember(name.c_str());
      std::string text;
      if (d != defs.MemberEnd() && d->value.HasMember("properties")) {
        const Value& props = d->value["properties"];
        auto p = props.FindMember(f.name.c_str());
        if (p != props.MemberEnd()) text = str(p->value, "description");
      }
      out.push_back(std::move(text));
    }
    return out;
  }

  std::string mask_text(unsigned mask) const {
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%03x", mask);
    return buf;
  }

  // api-removals.json, sorted by kind, group and version as the kind table is.
  static void write_removals(std::ostream& os, const Value& removals) {
    std::vector<std::tuple<Gvk, std::string, std::string, std::string, std::string>> rows;
    for (const Value& r : removals.GetArray()) {
      std::string av = str(r, "apiVersion");
      size_t slash = av.find('/');
      Gvk g{slash == std::string::npos ? "" : av.substr(0, slash), av.substr(slash + 1), str(r, "kind")};
      rows.emplace_back(g, str(r, "deprecated"), str(r, "removed"), str(r, "replacement"), str(r, "note"));
    }
    std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return std::get<0>(a) < std::get<0>(b); });
    os << "constexpr Removal kRemovals[] = {\n";
    for (const auto& [g, deprecated, removed, replacement, note] : rows)
      os << "    {\"" << g.group << "\", \"" << g.version << "\", \"" << g.kind << "\", \"" << deprecated << "\", \""
         << removed << "\", \"" << escape(replacement) << "\", \"" << escape(note) << "\"},\n";
    os << "};\n\n";
  }

  // Kinds a manifest can name. Definitions with several group-version-kinds (DeleteOptions,
  // WatchEvent) are request envelopes, not objects anyone applies. Scope: a kind is namespaced
  // when an API path under /namespaces/{namespace}/ serves it.
  void add_kinds(const rapidjson::Document& openapi, unsigned bit) {
    std::set<Gvk> namespaced;
    if (openapi.HasMember("paths"))
      for (auto p = openapi["paths"].MemberBegin(); p != openapi["paths"].MemberEnd(); ++p) {
        if (std::string(p->name.GetString()).find("{namespace}") == std::string::npos) continue;
        for (auto op = p->value.MemberBegin(); op != p->value.MemberEnd(); ++op) {
          if (!op->value.IsObject() || !op->value.HasMember("x-kubernetes-group-version-kind")) continue;
          const Value& g = op->value["x-kubernetes-group-version-kind"];
          namespaced.insert({g["group"].GetString(), g["version"].GetString(), g["kind"].GetString()});
        }
      }
    const Value& defs = openapi["definitions"];
    for (auto it = defs.MemberBegin(); it != defs.MemberEnd(); ++it) {
      auto gvks = it->value.FindMember("x-kubernetes-group-version-kind");
      if (gvks == it->value.MemberEnd() || gvks->value.Size() != 1) continue;
      const Value& g = gvks->value[0];
      Gvk k{g["group"].GetString(), g["version"].GetString(), g["kind"].GetString()};
      KindRow& row = kinds_[k];
      row.definition = index_.at(it->name.GetString());
      row.namespaced = namespaced.count(k) > 0;
      row.mask |= bit;
    }
  }

  int intern(Type t) {
    auto it = type_index_.find(t);
    if (it != type_index_.end()) return it->second;
    types_.push_back(t);
    return type_index_[t] = int(types_.size() - 1);
  }

  int enum_set(const std::vector<std::string>& values) {
    for (size_t i = 0; i < enum_sets_.size(); ++i)
      if (enum_sets_[i] == values) return int(i);
    enum_sets_.push_back(values);
    return int(enum_sets_.size() - 1);
  }

  // The type of a definition used by reference: primitives for the apimachinery value types.
  int definition_type(const Value& defs, const std::string& name) {
    const Value& d = defs[name.c_str()];
    std::string type = str(d, "type"), format = str(d, "format");
    if (kFreeForm.count(name) || (!d.HasMember("properties") && type.empty())) return intern({Any, 0, -1});
    if (format == "int-or-string" || d.HasMember("x-kubernetes-int-or-string")) return intern({IntOrString, 0, -1});
    if (name == "io.k8s.apimachinery.pkg.api.resource.Quantity") return intern({Quantity, 0, -1});
    if (format == "date-time") return intern({Time, 0, -1});
    if (type == "string") return intern({String, 0, -1});
    return intern({Struct, index_.at(name), -1});
  }

  int property_type(const Value& defs, const Value& p, int enum_id) {
    std::string ref = str(p, "$ref");
    if (!ref.empty()) return definition_type(defs, ref.substr(ref.rfind('/') + 1));
    if (p.HasMember("x-kubernetes-int-or-string")) return intern({IntOrString, 0, -1});
    std::string type = str(p, "type"), format = str(p, "format");
    if (type == "string") {
      if (format == "byte") return intern({Bytes, 0, -1});
      if (format == "date-time") return intern({Time, 0, -1});
      if (format == "int-or-string") return intern({IntOrString, 0, -1});
      return intern({String, 0, enum_id});
    }
    if (type == "integer") return intern({format == "int32" ? Int32 : Int64, 0, -1});
    if (type == "number") return intern({Number, 0, -1});
    if (type == "boolean") return intern({Bool, 0, -1});
    if (type == "array") return intern({List, property_type(defs, p["items"], enum_id), -1});
    if (type == "object" && p.HasMember("additionalProperties") && p["additionalProperties"].IsObject())
      return intern({Map, property_type(defs, p["additionalProperties"], -1), -1});
    return intern({Any, 0, -1});
  }

  // The fields of one release's definition. Enum values come from the 1.36 table for every
  // release (no table exists for the others).
  std::vector<Field> fields(const Value& defs, const std::string& name, const Value& d) {
    std::vector<Field> out;
    if (!d.HasMember("properties")) return out;
    std::set<std::string> required;
    if (d.HasMember("required"))
      for (const Value& r : d["required"].GetArray()) required.insert(r.GetString());
    const Value* enums = enums_.HasMember(name.c_str()) ? &enums_[name.c_str()] : nullptr;
    std::map<std::string, const Value*> props;
    for (auto it = d["properties"].MemberBegin(); it != d["properties"].MemberEnd(); ++it)
      props[it->name.GetString()] = &it->value;
    for (const auto& [prop, schema] : props) {
      int enum_id = -1;
      // apiVersion and kind enums restate the group-version-kind, which the kind table checks.
      if (enums && prop != "apiVersion" && prop != "kind" && enums->HasMember(prop.c_str())) {
        std::vector<std::string> values;
        for (const Value& v : (*enums)[prop.c_str()].GetArray()) values.push_back(v.GetString());
        enum_id = enum_set(values);
      }
      out.push_back({prop, property_type(defs, *schema, enum_id), required.count(prop) > 0, 0});
    }
    return out;
  }

  const std::vector<Release>& releases_;
  const Value& enums_;
  std::set<std::string> names_;
  std::map<std::string, int> index_;
  std::vector<std::vector<Field>> fields_of_;
  std::vector<std::vector<std::string>> descriptions_of_;  // beside fields_of_, row for row
  std::map<Gvk, KindRow> kinds_;
  std::vector<Type> types_;
  std::map<Type, int> type_index_;
  std::vector<std::vector<std::string>> enum_sets_;
};

bool read_json(const std::string& path, rapidjson::Document* doc) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::stringstream ss;
  ss << in.rdbuf();
  doc->Parse(ss.str().c_str());
  return !doc->HasParseError() && doc->IsObject();
}

}  // namespace

int main(int argc, char** argv) {
  bool descriptions = argc > 1 && std::string(argv[1]) == "--descriptions";
  if (descriptions) {
    --argc;
    ++argv;
  }
  if (argc < 4) {
    std::fprintf(stderr, "usage: kmc-schemagen [--descriptions] ENUMS.json REMOVALS.json RELEASE=OPENAPI.json... > "
                         "api_releases.cc (api_descriptions.cc)\n");
    return 2;
  }
  rapidjson::Document enums, removals;
  if (!read_json(argv[1], &enums)) {
    std::fprintf(stderr, "kmc-schemagen: cannot read the enum table %s\n", argv[1]);
    return 2;
  }
  if (!read_json(argv[2], &removals) || !removals.HasMember("removals") || !removals["removals"].IsArray()) {
    std::fprintf(stderr, "kmc-schemagen: cannot read the removed APIs from %s\n", argv[2]);
    return 2;
  }
  std::vector<Release> releases;
  for (int i = 3; i < argc; ++i) {
    std::string arg = argv[i];
    size_t eq = arg.find('=');
    Release r{arg.substr(0, eq), std::make_unique<rapidjson::Document>()};
    if (eq == std::string::npos || !read_json(arg.substr(eq + 1), r.doc.get()) || !r.doc->HasMember("definitions")) {
      std::fprintf(stderr, "kmc-schemagen: %s is not RELEASE=OPENAPI.json with an OpenAPI v2 document\n", argv[i]);
      return 2;
    }
    releases.push_back(std::move(r));
  }
  if (releases.size() > 16) {
    std::fprintf(stderr, "kmc-schemagen: at most 16 releases (a release is a bit of a 16-bit mask)\n");
    return 2;
  }
  Generator gen(releases, enums);
  gen.run();
  std::ostringstream out;
  if (descriptions) gen.write_descriptions(out);
  else gen.write(out, removals["removals"]);
  std::fwrite(out.str().data(), 1, out.str().size(), stdout);
  return 0;
}
