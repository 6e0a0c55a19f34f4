#include "driver/config.h"

#include <cstring>
#include <filesystem>

#include <fmt/format.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "checks/pod_security.h"
#include "schema/api_schema.h"
#include "core/rule_catalogue.h"
#include "parser/load.h"

namespace kmc::driver {
using parser::Document;
using parser::LoadOptions;
using parser::LoadResult;
using parser::Node;
using parser::NodeKind;
using parser::load_inputs;
using parser::load_text;

namespace {

namespace fs = std::filesystem;

class Reader {
 public:
  Reader(const LoadResult& input, std::vector<std::string>* errors) : input_(input), errors_(errors) {}

  void error(const Node& n, std::string message) {
    errors_->push_back(fmt::format("{}:{}:{}: {}", input_.sources[n.file()].path, n.line, n.column(), message));
  }

  bool strings(const Node& n, std::string_view key, std::vector<std::string>* out) {
    if (n.is_scalar() && n.kind == NodeKind::String) {  // a single string is a list of one
      out->emplace_back(n.text());
      return true;
    }
    if (!n.is_seq()) {
      error(n, fmt::format("`{}` must be a list of strings", key));
      return false;
    }
    for (uint32_t i = 0; i < n.size(); ++i) {
      const Node& item = n.item(i);
      if (item.kind != NodeKind::String) error(item, fmt::format("`{}` must be a list of strings", key));
      else out->emplace_back(item.text());
    }
    return true;
  }

  std::optional<std::string> string(const Node& n, std::string_view key) {
    if (n.kind != NodeKind::String) {
      error(n, fmt::format("`{}` must be a string", key));
      return std::nullopt;
    }
    return std::string(n.text());
  }

  void check_rule(const Node& n, std::string_view id) {
    if (names_rules(id) || is_rule_family(id)) return;
    std::string_view guess = nearest_rule_name(id);
    error(n, fmt::format("`{}` is not a rule or family of kmc ({}see `kmc rules`)", id,
                         guess.empty() ? std::string() : fmt::format("did you mean {}? ", guess)));
  }

  void rules(const Node& n, Config* c) {
    if (!n.is_map()) return error(n, "`rules` must be a mapping (disable, enable, severity)");
    for (uint32_t i = 0; i < n.size(); ++i) {
      std::string_view key = n.key(i).text();
      const Node& v = n.value(i);
      if (key == "disable" || key == "enable") {
        std::vector<std::string>& list = key == "disable" ? c->disable : c->enable;
        size_t before = list.size();
        strings(v, key, &list);
        for (size_t j = before; j < list.size(); ++j) check_rule(v.is_seq() ? v.item(static_cast<uint32_t>(j - before)) : v, list[j]);
      } else if (key == "severity") {
        if (!v.is_map()) {
          error(v, "`rules.severity` must map rule ids to error, warning or info");
          continue;
        }
        for (uint32_t j = 0; j < v.size(); ++j) {
          Severity s;
          std::string id(v.key(j).text());
          check_rule(v.key(j), id);
          if (!parse_severity(v.value(j).text(), &s)) error(v.value(j), "a severity is error, warning or info");
          else c->severity[id] = s;
        }
      } else {
        error(n.key(i), fmt::format("unknown key `rules.{}` (known: disable, enable, severity)", key));
      }
    }
  }

  // `1.30` unquoted is a YAML float; its text is what counts ("1.30", not 1.3).
  void kubernetes_version(const Node& v, Config* c) {
    if (v.is_scalar() && api::find_release(v.text())) {
      c->kubernetes_version = std::string(v.text());
      return;
    }
    error(v, fmt::format("`kubernetesVersion` is a Kubernetes release kmc embeds: {}", api::release_range()));
  }

  // podSecurity: levels and versions by mode, checked as the admission plugin would read them.
  void pod_security(const Node& n, Config* c) {
    if (!n.is_map()) return error(n, "`podSecurity` must be a mapping (enforce, warn, audit and their -version)");
    for (uint32_t i = 0; i < n.size(); ++i) {
      std::string_view key = n.key(i).text();
      const Node& v = n.value(i);
      bool level = key == "enforce" || key == "warn" || key == "audit";
      bool version = key == "enforce-version" || key == "warn-version" || key == "audit-version";
      if (!level && !version) {
        error(n.key(i), fmt::format("unknown key `podSecurity.{}` (known: enforce, warn, audit, enforce-version, "
                                    "warn-version, audit-version)",
                                    key));
      } else if (!v.is_scalar() || (level && !checks::valid_pod_security_level(v.text()))) {
        error(v, fmt::format("`podSecurity.{}` is privileged, baseline or restricted", key));
      } else if (version && !checks::valid_pod_security_version(v.text())) {
        error(v, fmt::format("`podSecurity.{}` is latest or a version like v1.30", key));
      } else {
        c->pod_security.emplace_back(std::string(key), std::string(v.text()));
      }
    }
  }

  // cluster.nodes and cluster.storageClasses become Node and StorageClass manifests.
  void cluster(const Node& n, Config* c) {
    if (!n.is_map()) return error(n, "`cluster` must be a mapping (nodes, storageClasses)");
    for (uint32_t i = 0; i < n.size(); ++i) {
      std::string_view key = n.key(i).text();
      const Node& list = n.value(i);
      if (key != "nodes" && key != "storageClasses") {
        error(n.key(i), fmt::format("unknown key `cluster.{}` (known: nodes, storageClasses)", key));
        continue;
      }
      if (!list.is_seq()) {
        error(list, fmt::format("`cluster.{}` must be a list", key));
        continue;
      }
      for (uint32_t j = 0; j < list.size(); ++j) {
        const Node& item = list.item(j);
        if (!item.is_map()) {
          error(item, "each entry is a mapping with a `name`");
          continue;
        }
        std::string doc = key == "nodes" ? node_manifest(item) : storage_class_manifest(item);
        if (!doc.empty()) c->cluster_manifests += doc + "\n---\n";
      }
    }
  }

 private:
  std::string node_manifest(const Node& item) {
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    std::string_view name = item.get_text("name");
    if (name.empty()) {
      error(item, "a node needs a `name`");
      return {};
    }
    w.StartObject();
    w.Key("apiVersion"), w.String("v1"), w.Key("kind"), w.String("Node");
    w.Key("metadata");
    w.StartObject();
    w.Key("name"), w.String(name.data(), static_cast<rapidjson::SizeType>(name.size()));
    w.Key("labels");
    w.StartObject();
    std::string_view host = "kubernetes.io/hostname";
    bool has_host = false;
    for (uint32_t i = 0; i < item.size(); ++i) {
      std::string_view k = item.key(i).text();
      if (k == "name") continue;
      if (k != "labels") {
        error(item.key(i), fmt::format("unknown key `{}` of a node (known: name, labels)", k));
        continue;
      }
      const Node& labels = item.value(i);
      if (!labels.is_map()) {
        error(labels, "`labels` must be a mapping");
        continue;
      }
      for (uint32_t l = 0; l < labels.size(); ++l) {
        std::string_view lk = labels.key(l).text(), lv = labels.value(l).text();
        has_host |= lk == host;
        w.Key(lk.data(), static_cast<rapidjson::SizeType>(lk.size()));
        w.String(lv.data(), static_cast<rapidjson::SizeType>(lv.size()));
      }
    }
    if (!has_host) w.Key(host.data(), static_cast<rapidjson::SizeType>(host.size())), w.String(name.data(), static_cast<rapidjson::SizeType>(name.size()));
    w.EndObject();
    w.EndObject();
    w.EndObject();
    return buf.GetString();
  }

  std::string storage_class_manifest(const Node& item) {
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    std::string_view name = item.get_text("name");
    if (name.empty()) {
      error(item, "a storage class needs a `name`");
      return {};
    }
    bool is_default = false;
    std::string_view provisioner = "kmc.dev/cluster-provisioner", mode;
    for (uint32_t i = 0; i < item.size(); ++i) {
      std::string_view k = item.key(i).text();
      if (k == "name") continue;
      if (k == "default") item.value(i).as_bool(&is_default);
      else if (k == "provisioner") provisioner = item.value(i).text();
      else if (k == "volumeBindingMode") mode = item.value(i).text();
      else error(item.key(i), fmt::format("unknown key `{}` of a storage class (known: name, provisioner, default, volumeBindingMode)", k));
    }
    w.StartObject();
    w.Key("apiVersion"), w.String("storage.k8s.io/v1"), w.Key("kind"), w.String("StorageClass");
    w.Key("metadata");
    w.StartObject();
    w.Key("name"), w.String(name.data(), static_cast<rapidjson::SizeType>(name.size()));
    if (is_default) {
      w.Key("annotations");
      w.StartObject();
      w.Key("storageclass.kubernetes.io/is-default-class"), w.String("true");
      w.EndObject();
    }
    w.EndObject();
    w.Key("provisioner"), w.String(provisioner.data(), static_cast<rapidjson::SizeType>(provisioner.size()));
    if (!mode.empty()) w.Key("volumeBindingMode"), w.String(mode.data(), static_cast<rapidjson::SizeType>(mode.size()));
    w.EndObject();
    return buf.GetString();
  }

  const LoadResult& input_;
  std::vector<std::string>* errors_;
};

// Longest match wins: an id is more specific than its family.
int specificity(std::string_view entry, std::string_view id) {
  if (entry == id) return 2;
  std::string_view family = id.substr(0, id.find('/'));
  if (entry == family || entry == std::string(family) + "/*") return 1;
  return 0;
}

}  // namespace

std::string find_config(const std::string& dir) {
  std::error_code ec;
  fs::path p = fs::absolute(dir, ec);
  if (ec) return {};
  for (; !p.empty(); p = p.parent_path()) {
    fs::path candidate = p / ".kmc.yaml";
    if (fs::is_regular_file(candidate, ec)) return candidate.string();
    if (p == p.root_path()) break;
  }
  return {};
}

namespace {
// The settings in a loaded config file (load_config, parse_config).
bool read_config(const std::string& path, const LoadResult& input, Config* out, std::vector<std::string>* errors);
}  // namespace

bool load_config(const std::string& path, Config* out, std::vector<std::string>* errors) {
  size_t before = errors->size();
  out->path = path;
  // A directory would be walked as manifests, and a FIFO could block the run: only a file is a
  // configuration.
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) {
    errors->push_back(fs::exists(path, ec) ? fmt::format("cannot read '{}': the configuration must be a file", path)
                                           : fmt::format("cannot read '{}': {}", path, std::strerror(ENOENT)));
    return false;
  }
  return read_config(path, load_inputs({path}, LoadOptions{}), out, errors) && errors->size() == before;
}

bool parse_config(const std::string& name, std::string text, Config* out, std::vector<std::string>* errors) {
  out->path = name;
  LoadResult input;
  load_text(&input, name, std::move(text), LoadOptions{});
  return read_config(name, input, out, errors);
}

namespace {

bool read_config(const std::string& path, const LoadResult& input, Config* out, std::vector<std::string>* errors) {
  size_t before = errors->size();
  for (const std::string& e : input.errors) errors->push_back(e);
  for (const Finding& f : input.findings)
    if (f.rule != rule_name(RuleId::SyntaxNotAnObject))
      errors->push_back(fmt::format("{}:{}:{}: {}", path, f.pos.line, f.pos.column, f.message));
  Reader r(input, errors);
  for (const Document* doc : input.documents) {
    const Node& root = doc->root;
    if (root.is_null()) continue;
    if (!root.is_map()) {
      r.error(root, "the config is a mapping of settings");
      continue;
    }
    for (uint32_t i = 0; i < root.size(); ++i) {
      std::string_view key = root.key(i).text();
      const Node& v = root.value(i);
      if (key == "paths") r.strings(v, key, &out->paths);
      else if (key == "exclude") r.strings(v, key, &out->exclude);
      else if (key == "context") r.strings(v, key, &out->context);
      else if (key == "crds") r.strings(v, key, &out->crds);
      else if (key == "namespace") out->ns = r.string(v, key);
      else if (key == "fail-on") {
        out->fail_on = r.string(v, key);
        if (out->fail_on && *out->fail_on != "error" && *out->fail_on != "warning" && *out->fail_on != "info" &&
            *out->fail_on != "none")
          r.error(v, "`fail-on` is error, warning, info or none");
      } else if (key == "kubernetesVersion") r.kubernetes_version(v, out);
      else if (key == "rules") r.rules(v, out);
      else if (key == "cluster") r.cluster(v, out);
      else if (key == "podSecurity") r.pod_security(v, out);
      else
        r.error(root.key(i), fmt::format("unknown key `{}` (known: paths, exclude, context, crds, namespace, "
                                         "fail-on, kubernetesVersion, rules, podSecurity, cluster)",
                                         key));
    }
  }
  // Relative paths in the config are relative to the directory that holds it.
  fs::path base = fs::path(path).parent_path();
  for (auto* list : {&out->paths, &out->context, &out->crds})
    for (std::string& p : *list)
      if (!p.empty() && p[0] != '/' && p != "-" && !base.empty()) p = (base / p).lexically_normal().string();
  return errors->size() == before;
}

}  // namespace

bool rule_enabled(const Config& config, std::string_view id) {
  // A rule off by default is disabled as if by its family: enabling the family or the rule wins.
  const RuleRow* row = find_rule_row(id);
  int off = row && row->off_by_default ? 1 : 0, on = 0;
  for (const std::string& d : config.disable) off = std::max(off, specificity(d, id));
  for (const std::string& e : config.enable) on = std::max(on, specificity(e, id));
  return off == 0 || on >= off;
}

void apply_rule_config(const Config& config, std::vector<Finding>* findings) {
  std::erase_if(*findings, [&](const Finding& f) { return !rule_enabled(config, f.rule); });
  for (Finding& f : *findings)
    if (auto it = config.severity.find(f.rule); it != config.severity.end()) f.severity = it->second;
}

}  // namespace kmc::driver
