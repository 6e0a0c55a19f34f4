#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/arena.h"
#include "core/finding.h"
#include "kustomize/files.h"
#include "kustomize/kustomization.h"
#include "kustomize/resource.h"

// Renders kustomization roots as `kustomize build` v5.7 does: resources and components
// accumulated, then namespace, name prefix and suffix, labels, annotations, replicas and images,
// then the name references the renaming left behind. What kustomize would refuse is a finding
// (kustomize/*) at the entry that causes it, and the root is not rendered.
namespace kmc::kustomize {

struct RenderedRoot {
  uint32_t kustomization = 0;  // the root's kustomization file
  std::string dir;             // its directory, as the run names paths
  // False when kustomize would refuse the root, or it uses what kmc does not render: the
  // findings say which, and its files are checked as they are.
  bool rendered = false;
  std::vector<Resource> resources;  // in kustomize's output order
  std::vector<uint32_t> files;      // every file the render read, its kustomizations included
  std::vector<Entry> not_yet;       // what kmc does not render yet, and so did not render this root
};

class Renderer {
 public:
  explicit Renderer(RunFiles* files);
  ~Renderer();

  // Renders the kustomization in file `kustomization` (of directory `dir`).
  RenderedRoot render(uint32_t kustomization, const std::string& dir);

  // kustomize/* findings of every render so far; a kustomization's own findings (its fields'
  // types, deprecations) are reported once, however many roots read it.
  std::vector<Finding>& findings() { return findings_; }
  // The text the renders made (prefixed names, image references), for whoever keeps the
  // rendered trees: they point into it.
  std::unique_ptr<Arena> take_text() { return std::move(text_); }

  // A kustomization file as read, once for the run.
  struct Read {
    Kustomization k;
    bool ok = false;
  };
  // The kustomization in file `file` (of directory `dir`), read on first ask.
  const Read* read(uint32_t file, const std::string& dir);

 private:
  bool sort(const Read* root, std::vector<Resource>* ra);

  RunFiles* files_;
  std::unique_ptr<Arena> text_ = std::make_unique<Arena>(Arena::kHugePage, false);
  std::unordered_map<uint32_t, std::unique_ptr<Read>> read_;  // kustomization files read
  std::vector<Finding> findings_;
};

}  // namespace kmc::kustomize
