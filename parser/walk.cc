#include "parser/walk.h"

#include <dirent.h>
#include <fnmatch.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <iterator>

#include <fmt/format.h>

#include "core/paths.h"

namespace kmc::parser {
namespace {

bool has_manifest_extension(std::string_view name) {
  auto ends = [&](std::string_view s) { return name.size() >= s.size() && name.substr(name.size() - s.size()) == s; };
  return ends(".yaml") || ends(".yml") || ends(".json");
}

std::string join_path(const std::string& dir, const std::string& name) {
  if (dir == ".") return name;  // `kmc check .` shows `x.yaml`, not `./x.yaml` (core/paths.h)
  if (!dir.empty() && dir.back() == '/') return dir + name;
  return dir + "/" + name;
}

struct Walk {
  std::vector<InputFile> files;
  std::vector<std::string> errors;
  std::vector<std::string> notices;  // entries left out, and why (LoadResult::notices)
  size_t charts = 0;                 // Helm charts left out
};

// The canonical form of the directory a walk started from, for telling whether a symlink met
// inside it points back inside.
struct WalkRoot {
  std::string given;
  std::string real;  // realpath of `given`, ending in '/'
  const std::vector<InputFile>* unsaved = nullptr;  // find_inputs' `unsaved`, may be null
};

// The editor's files in `dir` that are not on disk yet, by name (find_inputs' `unsaved`).
std::vector<const InputFile*> unsaved_in(const WalkRoot& root, const std::string& dir) {
  std::vector<const InputFile*> out;
  if (!root.unsaved || root.unsaved->empty()) return out;
  std::string here = absolute_path(dir);
  for (const InputFile& f : *root.unsaved) {
    size_t slash = f.path.rfind('/');
    if (slash != std::string::npos && std::string_view(f.path).substr(0, slash) == here) out.push_back(&f);
  }
  return out;
}

std::string_view name_of(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? std::string_view(path) : std::string_view(path).substr(slash + 1);
}

bool inside(const WalkRoot& root, const std::string& real_target) {
  return real_target.size() > root.real.size() && real_target.compare(0, root.real.size(), root.real) == 0;
}

// The names in `dir`, but hidden ones; false after reporting a directory it cannot read.
bool list_names(const std::string& dir, std::vector<std::string>* names, Walk* out) {
  DIR* d = opendir(dir.c_str());
  if (!d) {
    out->errors.push_back(fmt::format("cannot read directory '{}': {}", dir, std::strerror(errno)));
    return false;
  }
  while (dirent* e = readdir(d)) {
    std::string_view n = e->d_name;
    // Hidden files and directories (.git, .github workflows, .kmc.yaml) are tooling, not
    // manifests; name one explicitly to read it.
    if (n.starts_with(".")) continue;
    names->emplace_back(n);
  }
  closedir(d);
  return true;
}

// The unsaved file called `name` among `unsaved`, when a walk reads files of that name.
const InputFile* unsaved_named(const std::vector<const InputFile*>& unsaved, std::string_view name) {
  if (!has_manifest_extension(name)) return nullptr;
  for (const InputFile* f : unsaved)
    if (name_of(f->path) == name) return f;
  return nullptr;
}

// Looks at each entry (an lstat: most of a large tree's walk) and walks each subdirectory on the
// pool's threads; what each entry gives is joined in name order, so the order is the one a walk
// on one thread gives.
//
// The input may be a stranger's pull request, so a walk reads only regular files: a FIFO would
// block the run in open() for ever, a device could be read without end. A file symlink is
// followed only when its target lies inside the directory given (a link named `x.yaml` to a
// kubeconfig or /etc/shadow would put its lines into findings and CI logs); every entry left out
// for these reasons is named in a notice. Directory symlinks are not followed, so a link loop
// cannot trap the walk.
void walk_directory(const WalkRoot& root, const std::string& dir, const Workers& workers, Walk* out) {
  std::vector<std::string> names;
  if (!list_names(dir, &names, out)) return;
  std::vector<const InputFile*> unsaved = unsaved_in(root, dir);
  for (const InputFile* f : unsaved)
    if (!name_of(f->path).starts_with(".")) names.emplace_back(name_of(f->path));
  // A Helm chart's templates are Go templates, not YAML, and its values.yaml is no manifest:
  // what it deploys is what `helm template` renders.
  if (std::find(names.begin(), names.end(), "Chart.yaml") != names.end()) {
    struct stat chart;
    if (stat(join_path(dir, "Chart.yaml").c_str(), &chart) == 0 && S_ISREG(chart.st_mode)) {
      out->notices.push_back(fmt::format("skipped the Helm chart '{}': its templates are not YAML; check what it "
                                         "renders: helm template {} | kmc check -",
                                         dir, dir));
      ++out->charts;
      return;
    }
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());  // saved while the walk read
  enum Kind : char { Neither, File, Directory };
  struct Entry {
    Kind kind = Neither;
    InputFile file;
    Walk inside;
    std::string notice;
  };
  std::vector<Entry> entries(names.size());
  workers.parallel_for(names.size(), 4, [&](size_t i, unsigned) {
    Entry& entry = entries[i];
    std::string path = join_path(dir, names[i]);
    struct stat st;
    if (lstat(path.c_str(), &st) != 0) {
      const InputFile* open = unsaved_named(unsaved, names[i]);
      if (open) entry = {File, {std::move(path), open->size}, {}, {}};
      return;
    }
    if (S_ISDIR(st.st_mode)) {
      entry.kind = Directory;
      walk_directory(root, path, workers, &entry.inside);
      return;
    }
    if (!has_manifest_extension(names[i])) return;
    if (S_ISLNK(st.st_mode)) {
      struct stat target;
      if (stat(path.c_str(), &target) != 0) {
        entry.notice = fmt::format("skipped '{}': a symlink whose target cannot be read ({})", path, std::strerror(errno));
        return;
      }
      if (S_ISDIR(target.st_mode)) return;  // not followed: a link loop cannot trap the walk
      char* real = realpath(path.c_str(), nullptr);
      std::string real_target = real ? real : "";
      free(real);
      if (!inside(root, real_target)) {
        entry.notice = fmt::format("skipped '{}': a symlink to '{}', outside '{}' (name it to read it)", path,
                                   real_target, root.given);
        return;
      }
      st = target;
    }
    if (!S_ISREG(st.st_mode)) {
      entry.notice = fmt::format("skipped '{}': {}, not a file", path, file_type_name(st.st_mode));
      return;
    }
    entry.kind = File;
    entry.file = {std::move(path), static_cast<uint64_t>(st.st_size)};
  });
  for (Entry& entry : entries) {
    if (!entry.notice.empty()) out->notices.push_back(std::move(entry.notice));
    if (entry.kind == File) out->files.push_back(std::move(entry.file));
    if (entry.kind != Directory) continue;
    std::move(entry.inside.files.begin(), entry.inside.files.end(), std::back_inserter(out->files));
    std::move(entry.inside.errors.begin(), entry.inside.errors.end(), std::back_inserter(out->errors));
    std::move(entry.inside.notices.begin(), entry.inside.notices.end(), std::back_inserter(out->notices));
    out->charts += entry.inside.charts;
  }
}

void walk_directory(const std::string& dir, const std::vector<InputFile>* unsaved, const Workers& workers, Walk* out) {
  WalkRoot root{dir, {}, unsaved};
  char* real = realpath(dir.c_str(), nullptr);
  if (real) root.real = real;
  free(real);
  if (!root.real.ends_with('/')) root.real += '/';
  walk_directory(root, dir, workers, out);
}

// The unsaved file at `path` (find_inputs' `unsaved`), or null.
const InputFile* unsaved_file(const std::vector<InputFile>* unsaved, const std::string& path) {
  if (!unsaved || unsaved->empty()) return nullptr;
  std::string absolute = absolute_path(path);
  for (const InputFile& f : *unsaved)
    if (f.path == absolute) return &f;
  return nullptr;
}

}  // namespace

const char* file_type_name(mode_t mode) {
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISCHR(mode) || S_ISBLK(mode)) return "a device";
  if (S_ISDIR(mode)) return "a directory";
  return "not a regular file";
}

bool excluded(const std::string& path, const std::vector<std::string>& patterns) {
  for (const std::string& p : patterns) {
    // A pattern matches the whole path, or any tail of it after a '/': `vendor/*` and
    // `*_test.yaml` work wherever the tree starts. `*` also matches '/'.
    if (fnmatch(p.c_str(), path.c_str(), 0) == 0) return true;
    for (size_t slash = path.find('/'); slash != std::string::npos; slash = path.find('/', slash + 1))
      if (fnmatch(p.c_str(), path.c_str() + slash + 1, 0) == 0) return true;
  }
  return false;
}

std::vector<InputFile> find_inputs(const std::vector<std::string>& paths, std::vector<std::string>* errors,
                                   const std::vector<std::string>& exclude, const Workers& workers,
                                   std::vector<std::string>* notices, size_t* charts,
                                   const std::vector<InputFile>* unsaved) {
  Walk walk;
  for (const std::string& given : paths) {
    if (given == "-") {
      walk.files.push_back({given, 0, true});
      continue;
    }
    // Every format shows a path in one form, relative to the working directory when under it.
    std::string p = display_path(given);
    struct stat st;
    if (stat(p.c_str(), &st) != 0) {
      int error = errno;
      if (const InputFile* open = unsaved_file(unsaved, p)) {
        walk.files.push_back({p, open->size, true});
        continue;
      }
      walk.errors.push_back(fmt::format("cannot read '{}': {}", p, std::strerror(error)));
      continue;
    }
    // A symlink named here is followed: naming it is the user's choice. A FIFO, socket or
    // device is not read even when named (`-` is standard input): it could block or never end.
    if (S_ISDIR(st.st_mode)) walk_directory(p, unsaved, workers, &walk);
    else if (S_ISREG(st.st_mode)) walk.files.push_back({p, static_cast<uint64_t>(st.st_size), true});
    else
      walk.errors.push_back(fmt::format("cannot read '{}': {}, not a file (kmc reads files, directories, and - for "
                                        "standard input)",
                                        p, file_type_name(st.st_mode)));
  }
  errors->insert(errors->end(), walk.errors.begin(), walk.errors.end());
  if (notices) notices->insert(notices->end(), walk.notices.begin(), walk.notices.end());
  if (charts) *charts += walk.charts;
  if (!exclude.empty())
    std::erase_if(walk.files, [&](const InputFile& f) { return f.path != "-" && excluded(f.path, exclude); });
  return std::move(walk.files);
}

std::vector<std::string> expand_inputs(const std::vector<std::string>& paths, std::vector<std::string>* errors,
                                       const std::vector<std::string>& exclude, const Workers& workers) {
  std::vector<std::string> out;
  for (InputFile& f : find_inputs(paths, errors, exclude, workers)) out.push_back(std::move(f.path));
  return out;
}

}  // namespace kmc::parser
