#pragma once
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/arena.h"
#include "core/finding.h"
#include "kustomize/kustomization.h"
#include "kustomize/resource.h"

// configMapGenerator and secretGenerator as kustomize v5.7 runs them: the data from env files,
// literals and files (in that order, each key once), UTF-8 text in `data` and anything else in
// `binaryData` (a Secret's all base64 in `data`), the options (the kustomization's
// generatorOptions under the generator's own), and the behaviour (create, or merge into or
// replace a generated object of the resources). The content-hash suffix is added when the root's
// build ends (kustomize/hash.h). A generated value points at the entry that set it.
namespace kmc::kustomize {

// The text of a file a generator reads (`path` as written, relative to the kustomization), or
// nullopt once reported (missing, outside the root, unreadable).
using ReadFile = std::function<std::optional<std::string>(const Kustomization&, const Entry&, const std::string& path)>;

class Generators {
 public:
  Generators(ReadFile read, Arena* text, std::vector<Finding>* findings)
      : read_(std::move(read)), text_(text), findings_(findings) {}
  // Runs `k`'s generators into `ra`; false when kustomize would fail the build.
  bool run(const Kustomization& k, std::vector<Resource>* ra);

 private:
  std::optional<Resource> make(const Kustomization& k, const Kustomization::Generator& g);
  // Each key, its value, and the entry it came from.
  using Pairs = std::vector<std::pair<std::string, std::pair<std::string, Position>>>;
  bool data(const Kustomization& k, const Kustomization::Generator& g, Pairs* pairs);
  bool env_pairs(const Kustomization& k, const Kustomization::Generator& g, Pairs* pairs);
  bool literal_pairs(const Kustomization::Generator& g, Pairs* pairs);
  bool file_pairs(const Kustomization& k, const Kustomization::Generator& g, Pairs* pairs);
  bool valid_keys(const Kustomization::Generator& g, const Pairs& pairs);
  bool absorb(const Kustomization::Generator& g, Resource made, std::vector<Resource>* ra);
  std::string_view keep(const std::string& s);
  void invalid(Position pos, std::string message, std::string_view fix);

  ReadFile read_;
  Arena* text_;
  std::vector<Finding>* findings_;
};

}  // namespace kmc::kustomize
