#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/finding.h"
#include "core/position.h"
#include "parser/node.h"

// A kustomization file read into what its fields say, each value with the position it was
// written at. Reading checks what kustomize's strict decoding checks (a field kustomize does not
// know, a value of the wrong type) and says which fields v5 deprecates and which kmc does not
// render; the builder (kustomize/build.h) does what the fields say.
namespace kmc::kustomize {
using parser::Node;

// A value as written: its text and where.
struct Entry {
  std::string_view text;
  Position pos;
};

struct Kustomization {
  uint32_t file = Position::kNoFile;
  std::string dir;  // the directory holding it, as the run names paths ("" for the current one)
  bool component = false;  // kind: Component

  std::vector<Entry> resources;   // `bases` (deprecated) included, after `resources`
  std::vector<Entry> components;
  // Files kustomize reads after the resources (transformer configurations, CRD schemas): kmc
  // does not render a root that lists them yet, but reports one that is missing, as kustomize.
  std::vector<Entry> configurations;
  Entry ns, name_prefix, name_suffix;  // empty text when not set

  // commonLabels (selectors and templates too) and each `labels` entry, in that order.
  struct Labels {
    std::vector<std::pair<Entry, Entry>> pairs;
    bool selectors = false, templates = false;
    // `fields`: more places for the labels (group, version, kind, path, create).
    struct Field {
      Entry group, version, kind, path;
      bool create = false;
    };
    std::vector<Field> fields;
  };
  std::vector<Labels> labels;
  std::vector<std::pair<Entry, Entry>> annotations;  // commonAnnotations

  struct Image {
    Entry name, new_name, new_tag, digest, tag_suffix;
  };
  std::vector<Image> images;
  struct Replicas {
    Entry name;
    Entry count;
    int64_t value = 0;
  };
  std::vector<Replicas> replicas;

  // A patch target (kustomize's Selector): group, version, kind, name and namespace are RE2
  // patterns matched whole; the label and annotation selectors are in kubectl's syntax.
  struct Selector {
    Entry group, version, kind, name, ns, label_selector, annotation_selector;
    Position pos;
  };
  struct Patch {
    Entry path;                  // the patch's file, or
    const Node* text = nullptr;  // the patch, written inline (a string)
    std::optional<Selector> target;
    bool allow_name_change = false, allow_kind_change = false;
    Position pos;  // the entry
  };
  // generatorOptions, and a generator's own `options`.
  struct GeneratorOptions {
    std::vector<std::pair<Entry, Entry>> labels, annotations;
    bool disable_hash = false, immutable = false;
  };
  // A configMapGenerator or secretGenerator entry.
  struct Generator {
    bool secret = false;
    Entry name, ns, behavior, type;
    std::vector<Entry> literals, files, envs;  // `env` (deprecated) last among the envs
    std::optional<GeneratorOptions> options;
    Position pos;  // the entry
  };
  std::vector<Generator> generators;  // ConfigMaps first, then Secrets, as kustomize runs them
  std::optional<GeneratorOptions> generator_options;

  // sortOptions (a root's only): `order` legacy or fifo; legacy's kinds first and last.
  struct SortOptions {
    Entry order;
    bool legacy_options = false;  // legacySortOptions is set: its lists replace the defaults
    std::vector<Entry> first, last;
    Position pos;
  };
  std::optional<SortOptions> sort_options;

  // In kustomize's order: `patchesStrategicMerge` before `patches` (both before the namespace),
  // `patchesJson6902` after the annotations.
  std::vector<Patch> patches_strategic_merge, patches, patches_json6902;

  // A replacement (kustomize's ReplacementField): a file of replacements (`path`), or one
  // written inline: a value (`sourceValue`, or `source`'s object's field) and where to copy it.
  struct FieldOptions {
    Entry delimiter;
    int64_t index = 0;
    bool create = false;
  };
  struct Replacement {
    Entry path;
    std::optional<Selector> source;  // group, version, kind, name and namespace (matched exactly)
    Entry field_path;                // the source's field; metadata.name when empty
    FieldOptions source_options;
    std::optional<Entry> source_value;
    struct Target {
      std::optional<Selector> select;
      std::vector<Selector> reject;
      std::vector<Entry> field_paths;  // metadata.name when none
      FieldOptions options;
      Position pos;
    };
    std::optional<std::vector<Target>> targets;  // nullopt: `targets` is not there
    Position pos;
  };
  std::vector<Replacement> replacements;

  // Fields kmc never renders (Helm charts, generator and transformer plugins): a root that uses
  // one is reported (kustomize/unsupported) and checked file by file.
  std::vector<Entry> unsupported;  // the field's key, as written
  // Fields kmc does not render yet: a root that uses one is checked file by file, with a note.
  std::vector<Entry> not_yet;
};

// Reads the kustomization at `root` (the document of file `file` in directory `dir`). Findings:
// kustomize/invalid, kustomize/deprecated. `ok` false: kustomize would refuse the file.
Kustomization read_kustomization(const Node& root, uint32_t file, std::string dir, std::vector<Finding>* findings,
                                 bool* ok);

// The replacements of a replacements file (`replacements[].path`): one replacement, or a list.
// kustomize decodes the file leniently (unknown fields ignored) but refuses a value of the wrong
// type, and anything but a mapping or a list: a kustomize/invalid finding, and nullopt.
std::optional<std::vector<Kustomization::Replacement>> read_replacement_file(const Node& root,
                                                                             std::vector<Finding>* findings);

}  // namespace kmc::kustomize
