#include "parser/load.h"

#include "core/parallel.h"
#include "core/paths.h"
#include "core/rule_catalogue.h"
#include "parser/byte_scan.h"
#include "parser/kustomize.h"

#include <dirent.h>
#include <fnmatch.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <iostream>
#include <iterator>
#include <thread>

#include <fmt/format.h>

namespace kmc {
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

// A file the walk found, with its size (0 unless a regular file): the streaming load cuts its
// batches by size, and the walk's lstat already knows it.
struct InputFile {
  std::string path;
  uint64_t size = 0;
  bool named = false;  // given by name, not found by a walk: read as a manifest whatever it holds
};

struct Walk {
  std::vector<InputFile> files;
  std::vector<std::string> errors;
  std::vector<std::string> notices;  // entries left out, and why (LoadResult::notices)
  size_t charts = 0;                 // Helm charts left out
};

// What a file type is called in a notice.
const char* file_type_name(mode_t mode) {
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISCHR(mode) || S_ISBLK(mode)) return "a device";
  if (S_ISDIR(mode)) return "a directory";
  return "not a regular file";
}

// The canonical form of the directory a walk started from, for telling whether a symlink met
// inside it points back inside.
struct WalkRoot {
  std::string given;
  std::string real;  // realpath of `given`, ending in '/'
};

bool inside(const WalkRoot& root, const std::string& real_target) {
  return real_target.size() > root.real.size() && real_target.compare(0, root.real.size(), root.real) == 0;
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
  DIR* d = opendir(dir.c_str());
  if (!d) {
    out->errors.push_back(fmt::format("cannot read directory '{}': {}", dir, std::strerror(errno)));
    return;
  }
  std::vector<std::string> names;
  while (dirent* e = readdir(d)) {
    std::string_view n = e->d_name;
    // Hidden files and directories (.git, .github workflows, .kmc.yaml) are tooling, not
    // manifests; name one explicitly to read it.
    if (n.starts_with(".")) continue;
    names.emplace_back(n);
  }
  closedir(d);
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
    if (lstat(path.c_str(), &st) != 0) return;
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

void walk_directory(const std::string& dir, const Workers& workers, Walk* out) {
  WalkRoot root{dir, {}};
  char* real = realpath(dir.c_str(), nullptr);
  if (real) root.real = real;
  free(real);
  if (!root.real.ends_with('/')) root.real += '/';
  walk_directory(root, dir, workers, out);
}

// Reads a whole file unless it is larger than the limit, in which case it is refused unread.
// A regular file is read straight into arena memory of its exact size; anything else (a pipe,
// standard input) grows a string.
enum class ReadStatus { Ok, TooLarge, Error };
ReadStatus read_file(const std::string& path, uint64_t max_bytes, Arena* arena, SourceFile* out, std::string* error) {
  // O_NONBLOCK: a file that became a FIFO since the walk looked at it must not block the open;
  // it is refused below, as only standard input may be a pipe.
  bool from_stdin = path == "/dev/stdin";
  int fd = from_stdin ? dup(STDIN_FILENO) : open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    *error = fmt::format("cannot read '{}': {}", path, std::strerror(errno));
    return ReadStatus::Error;
  }
  auto fail = [&](ReadStatus status) {
    if (status == ReadStatus::Error) *error = fmt::format("cannot read '{}': {}", path, std::strerror(errno));
    close(fd);
    return status;
  };
  struct stat st;
  if (fstat(fd, &st) != 0) return fail(ReadStatus::Error);
  if (!from_stdin && !S_ISREG(st.st_mode)) {
    *error = fmt::format("cannot read '{}': {}, not a file (kmc reads files, directories, and - for standard input)",
                         path, file_type_name(st.st_mode));
    close(fd);
    return ReadStatus::Error;
  }
  if (S_ISREG(st.st_mode) && arena) {
    uint64_t size = static_cast<uint64_t>(st.st_size);
    if (size > max_bytes) return fail(ReadStatus::TooLarge);
    char* buf = static_cast<char*>(arena->allocate(size + 1, 1));
    size_t got = 0;
    while (got < size) {
      ssize_t n = read(fd, buf + got, size - got);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return fail(ReadStatus::Error);
      if (n == 0) break;  // the file shrank while we read it
      got += static_cast<size_t>(n);
    }
    out->content = std::string_view(buf, got);
    close(fd);
    return ReadStatus::Ok;
  }
  std::string text;
  char chunk[1 << 16];
  while (true) {
    ssize_t n = read(fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail(ReadStatus::Error);
    if (n == 0) break;
    text.append(chunk, static_cast<size_t>(n));
    if (text.size() > max_bytes) return fail(ReadStatus::TooLarge);
  }
  close(fd);
  out->own(std::move(text));
  return ReadStatus::Ok;
}

struct FileSlot {
  std::string path;
  bool from_stdin = false;
  bool named = false;  // InputFile::named
  ReadStatus status = ReadStatus::Ok;
  std::string error;
  std::unique_ptr<SourceFile> source;
  ParsedFile parsed;
  std::vector<RawObject> objects;  // the file's objects, until collect() takes them
};

// A worker's arenas: the files' bytes in `source`, documents and copied scalars in `text`, the
// parse trees' nodes in `nodes` (LoadResult::source_arenas, arenas, node_arenas).
struct WorkerArenas {
  Arena* source;
  Arena* text;
  Arena* nodes;
};

void parse_slot(FileSlot& slot, uint32_t index, const LoadOptions& options, WorkerArenas arenas) {
  Arena* arena = arenas.text;
  slot.source = std::make_unique<SourceFile>();
  slot.source->path = slot.path;
  if (!slot.from_stdin) {
    slot.status = read_file(slot.path, options.limits.max_file_bytes, arenas.source, slot.source.get(), &slot.error);
    if (slot.status != ReadStatus::Ok) slot.source->own({});
  }
  if (slot.status == ReadStatus::TooLarge) {
    Finding f;
    f.rule = rule_name(RuleId::SyntaxLimit);
    f.severity = Severity::Error;
    f.message = fmt::format("file is larger than {} MiB; kmc refuses to read it", options.limits.max_file_bytes >> 20);
    f.pos = {index, 1, 1};
    f.fix = "split the file, or raise the limit if it really is a manifest";
    slot.parsed.findings.push_back(std::move(f));
    return;
  }
  if (slot.status != ReadStatus::Ok) return;
  slot.source->ascii = all_ascii(slot.source->content);
  slot.parsed = parse_yaml(*slot.source, index, options.limits, arena, YamlScanner::Auto, arenas.nodes);
}

// How many more files a load may take: a parse-tree node has room for kMaxFiles file numbers.
size_t files_left(const LoadResult& result, const LoaderLimits& limits) {
  size_t most = std::min(limits.max_files, Node::kMaxFiles);
  return most - std::min<size_t>(result.sources.size(), most);
}

std::string too_many_files(const LoaderLimits& limits, const std::string& first_left_out) {
  return fmt::format("more than {} input files in one run; kmc stops at '{}' (split the run, or exclude what is "
                     "not a manifest)",
                     std::min(limits.max_files, Node::kMaxFiles), first_left_out);
}

// Finds a parsed file's objects on the thread that parsed it, while its tree is in that core's
// cache. Done as the files were joined, on one thread, it took half of the joins' 0.06 s on the
// bench tree (the other half was copying the lists, collect_slots).
// Whether a file a walk found is no manifest: it parsed without an error and none of its
// documents is a mapping with `apiVersion` or `kind` (a docker-compose.yml, a package.json, a
// values.yaml). A file with a YAML error may be a broken manifest, and one with either key a
// manifest missing the other: both are read, and reported.
bool not_a_manifest(const FileSlot& slot) {
  if (slot.named || slot.status != ReadStatus::Ok) return false;
  for (const Finding& f : slot.parsed.findings)
    if (f.rule == rule_name(RuleId::SyntaxYaml) || f.rule == rule_name(RuleId::SyntaxLimit)) return false;
  for (const Document* doc : slot.parsed.documents) {
    const Node& root = doc->root;
    if (root.is_map() && (root.get("apiVersion") || root.get("kind"))) return false;
  }
  return true;
}

void extract_slot_objects(FileSlot& slot) {
  if (is_kustomization_file(slot.source->path)) return;
  if (not_a_manifest(slot)) {
    slot.source->skipped = true;
    slot.parsed.documents.clear();
    slot.parsed.findings.clear();
    return;
  }
  for (const Document* doc : slot.parsed.documents) extract_objects(*doc, &slot.objects, &slot.parsed.findings);
}

void collect(LoadResult* result, FileSlot& slot, bool context) {
  if (slot.status == ReadStatus::Error) result->errors.push_back(slot.error);
  result->bytes += slot.source->content.size();
  for (Finding& f : slot.parsed.findings) result->findings.push_back(std::move(f));
  bool kustomization = is_kustomization_file(slot.source->path);
  for (const Document* doc : slot.parsed.documents) {
    result->documents.push_back(doc);
    if (kustomization) result->kustomizations.push_back(doc);
  }
  size_t before = result->objects.size();
  result->objects.insert(result->objects.end(), slot.objects.begin(), slot.objects.end());
  std::vector<RawObject>().swap(slot.objects);
  for (size_t i = before; i < result->objects.size(); ++i) {
    result->objects[i].order = static_cast<uint32_t>(i);
    result->objects[i].context = context;
  }
  slot.source->context = context;
  result->sources.files.push_back(std::move(slot.source));
}

}  // namespace

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

namespace {

// expand_inputs, with each file's size.
std::vector<InputFile> find_inputs(const std::vector<std::string>& paths, std::vector<std::string>* errors,
                                   const std::vector<std::string>& exclude, const Workers& workers,
                                   std::vector<std::string>* notices = nullptr, size_t* charts = nullptr) {
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
      walk.errors.push_back(fmt::format("cannot read '{}': {}", p, std::strerror(errno)));
      continue;
    }
    // A symlink named here is followed: naming it is the user's choice. A FIFO, socket or
    // device is not read even when named (`-` is standard input): it could block or never end.
    if (S_ISDIR(st.st_mode)) walk_directory(p, workers, &walk);
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

}  // namespace

std::vector<std::string> expand_inputs(const std::vector<std::string>& paths, std::vector<std::string>* errors,
                                       const std::vector<std::string>& exclude, const Workers& workers) {
  std::vector<std::string> out;
  for (InputFile& f : find_inputs(paths, errors, exclude, workers)) out.push_back(std::move(f.path));
  return out;
}

LoadResult load_inputs(const std::vector<std::string>& paths, const LoadOptions& options) {
  LoadResult result;
  load_paths(&result, paths, options, false);
  return result;
}

void load_paths(LoadResult* into, const std::vector<std::string>& paths, const LoadOptions& options, bool context) {
  LoadResult& result = *into;
  const uint32_t base = result.sources.size();
  std::vector<InputFile> files =
      find_inputs(paths, &result.errors, options.exclude, *options.workers, &result.notices, &result.skipped_charts);
  if (size_t room = files_left(result, options.limits); files.size() > room) {
    result.errors.push_back(too_many_files(options.limits, files[room].path));
    files.resize(room);
  }
  std::vector<FileSlot> slots(files.size());
  for (size_t i = 0; i < files.size(); ++i) {
    slots[i].path = files[i].path;
    slots[i].named = files[i].named;
    if (files[i].path == "-") {
      slots[i].from_stdin = true;
      slots[i].path = options.stdin_name;
    }
  }
  // Standard input is read up front, on this thread, with the same size limit as files.
  for (size_t i = 0; i < slots.size(); ++i) {
    if (!slots[i].from_stdin) continue;
    std::string error;
    slots[i].source = std::make_unique<SourceFile>();
    slots[i].source->path = slots[i].path;
    slots[i].status = read_file("/dev/stdin", options.limits.max_file_bytes, nullptr, slots[i].source.get(), &error);
    slots[i].error = error;
  }
  auto work = [&](size_t i, WorkerArenas arenas) {
    FileSlot& slot = slots[i];
    if (slot.from_stdin) {
      if (slot.status == ReadStatus::Ok) {
        slot.source->ascii = all_ascii(slot.source->content);
        slot.parsed = parse_yaml(*slot.source, base + static_cast<uint32_t>(i), options.limits, arenas.text,
                                 YamlScanner::Auto, arenas.nodes);
      } else if (slot.status == ReadStatus::TooLarge) {
        slot.source->own({});
        Finding f;
        f.rule = rule_name(RuleId::SyntaxLimit);
        f.message = fmt::format("standard input is larger than {} MiB; kmc refuses to read it",
                                options.limits.max_file_bytes >> 20);
        f.pos = {base + static_cast<uint32_t>(i), 1, 1};
        slot.parsed.findings.push_back(std::move(f));
      }
    } else {
      parse_slot(slot, base + static_cast<uint32_t>(i), options, arenas);
    }
    extract_slot_objects(slot);
  };
  const Workers& workers = *options.workers;
  const unsigned jobs = workers.workers_for(slots.size(), 1);
  std::vector<Arena*> text_arenas(jobs);
  for (unsigned t = 0; t < jobs; ++t) {
    result.arenas.push_back(std::make_unique<Arena>());
    text_arenas[t] = result.arenas.back().get();
  }
  // Each batch parses into arenas of its own for the trees and the files' bytes, one huge page a
  // region: they are released region by region as the model is built from them. They join
  // LoadResult when the batch is collected, not before: the next batch parses while the model
  // builder looks at the arenas of the one before (LoadBatch).
  struct BatchArenas {
    std::vector<std::unique_ptr<Arena>> source, nodes;
    std::vector<WorkerArenas> workers;
  };
  // The chunks a batch's arenas release go to the next batches' arenas (ChunkCache); the cache
  // closes when the load ends. With two jobs the next batch maps its chunks before this one's
  // go, so the cache holds about a batch's worth in between: 8 chunks (16 MiB) had 186-200 of
  // the bench tree's 215 MiB mapped again, as 32 did; 4 had 146-152.
  auto chunks = std::make_shared<ChunkCache>(Arena::kHugePage, 8);
  struct CloseAtEnd {
    ChunkCache& cache;
    LoadResult& result;
    ~CloseAtEnd() {
      result.chunks_reused += cache.reused();
      cache.close();
    }
  } close_at_end{*chunks, result};
  auto new_batch_arenas = [&] {
    BatchArenas b;
    for (Arena* text : text_arenas) {
      b.source.push_back(std::make_unique<Arena>(Arena::kHugePage, true, chunks));
      b.nodes.push_back(std::make_unique<Arena>(Arena::kHugePage, true, chunks));
      b.workers.push_back({b.source.back().get(), text, b.nodes.back().get()});
    }
    return b;
  };
  auto adopt = [&](BatchArenas& b) {
    for (auto& a : b.source) result.source_arenas.push_back(std::move(a));
    for (auto& a : b.nodes) result.node_arenas.push_back(std::move(a));
  };
  auto parse = [&](const std::vector<size_t>& which, const std::vector<WorkerArenas>& arenas) {
    workers.parallel_for(which.size(), 1, [&](size_t k, unsigned worker) { work(which[k], arenas[worker]); });
  };
  // `read`, `total`: the bytes read so far and the bytes of all the input.
  auto collect_slots = [&](size_t begin, size_t end, uint64_t read, uint64_t total) {
    // Sized ahead for what the bytes read so far promise for all of them, and a quarter more (but
    // no more than a document per 16 bytes). A large tree's object list, grown by doubling,
    // briefly held three copies; sized to each batch, it was copied whole at every batch (0.03 s
    // of a 100 000-object run, on one thread).
    auto size_for = [&](auto& list, size_t more) {
      size_t need = list.size() + more;
      if (need <= list.capacity()) return;
      double promised = read > 0 ? 1.25 * static_cast<double>(need) * static_cast<double>(total) / static_cast<double>(read) : 0;
      list.reserve(std::max(need, static_cast<size_t>(std::min(promised, static_cast<double>(total / 16)))));
    };
    size_t documents = 0;
    for (size_t i = begin; i < end; ++i) documents += slots[i].parsed.documents.size();
    size_for(result.documents, documents);
    size_for(result.objects, documents);  // one object a document, mostly
    result.sources.files.reserve(result.sources.files.size() + slots.size() - begin);
    for (size_t i = begin; i < end; ++i) collect(&result, slots[i], context);
  };
  if (!options.on_batch) {
    BatchArenas arenas = new_batch_arenas();
    std::vector<size_t> all(slots.size());
    for (size_t i = 0; i < all.size(); ++i) all[i] = i;
    parse(all, arenas.workers);
    adopt(arenas);
    collect_slots(0, slots.size(), 0, 0);
    mark_kustomize_patches(&result);
    return;
  }
  // Streaming: the kustomizations first (which of the other files are patches is theirs to
  // say), their trees kept with the documents; then batches of about options.batch_bytes, each
  // handed over as it is collected.
  KustomizeMarks marks;
  std::vector<size_t> kustomizations;
  for (size_t i = 0; i < slots.size(); ++i)
    if (is_kustomization_file(slots[i].path)) kustomizations.push_back(i);
  if (!kustomizations.empty()) {
    std::vector<WorkerArenas> kept;
    for (Arena* text : text_arenas) kept.push_back({text, text, text});
    parse(kustomizations, kept);
    for (size_t i : kustomizations)
      for (const Document* doc : slots[i].parsed.documents) marks.add(slots[i].path, doc->root);
  }
  std::vector<bool> parsed(slots.size());
  for (size_t i : kustomizations) parsed[i] = true;
  uint64_t total = 0;
  for (const InputFile& f : files) total += f.size;
  // The batches: files [begin, end), of which `parse` are not parsed yet.
  struct Batch {
    size_t begin = 0, end = 0;
    uint64_t bytes = 0;
    std::vector<size_t> parse;
    BatchArenas arenas;
  };
  auto plan = [&](size_t begin) {
    Batch b;
    b.begin = begin;
    for (b.end = begin; b.end < slots.size() && (b.end == begin || b.bytes < options.batch_bytes); ++b.end) {
      b.bytes += files[b.end].size;
      if (!parsed[b.end]) b.parse.push_back(b.end);
    }
    b.arenas = new_batch_arenas();
    return b;
  };
  uint64_t bytes_read = 0;
  Batch next = plan(0);
  if (next.begin < slots.size()) parse(next.parse, next.arenas.workers);
  while (next.begin < slots.size()) {
    Batch batch = std::move(next);
    bytes_read += batch.bytes;
    LoadBatch handed{result.objects.size(), 0, result.node_arenas.size(), result.source_arenas.size(), bytes_read, total,
                     result.sources.size()};
    adopt(batch.arenas);
    collect_slots(batch.begin, batch.end, bytes_read, total);
    marks.apply(result.sources, &result.objects, handed.objects_begin);
    handed.objects_end = result.objects.size();
    if (batch.end == slots.size()) {
      options.on_batch(result, handed);
      break;
    }
    // The next batch parses beside this one's hand-over: its files, trees and objects stay in its
    // slots and arenas, which the hand-over never sees, until it is collected in turn.
    next = plan(batch.end);
    workers.run_beside([&] { options.on_batch(result, handed); }, [&] { parse(next.parse, next.arenas.workers); });
  }
}

void load_text(LoadResult* into, std::string name, std::string content, const LoadOptions& options, bool context) {
  if (files_left(*into, options.limits) == 0) {
    into->errors.push_back(too_many_files(options.limits, name));
    return;
  }
  FileSlot slot;
  slot.path = std::move(name);
  slot.from_stdin = true;
  slot.named = true;  // in-memory text is read as a manifest, as a file given by name
  slot.source = std::make_unique<SourceFile>();
  slot.source->path = slot.path;
  slot.source->own(std::move(content));
  slot.source->ascii = all_ascii(slot.source->content);
  uint32_t index = into->sources.size();
  into->arenas.push_back(std::make_unique<Arena>());
  into->node_arenas.push_back(std::make_unique<Arena>(Arena::kHugePage));
  slot.parsed = parse_yaml(*slot.source, index, options.limits, into->arenas.back().get(), YamlScanner::Auto,
                           into->node_arenas.back().get());
  extract_slot_objects(slot);
  collect(into, slot, context);
  mark_kustomize_patches(into);
}

namespace {

// The regions of arenas [begin, end), sorted by address, for region_containing().
template <class Region>
std::vector<Region> regions_by_address(const std::vector<std::unique_ptr<Arena>>& arenas, size_t begin) {
  std::vector<Region> out;
  for (size_t a = begin; a < arenas.size(); ++a) {
    std::vector<Arena::Region> regions = arenas[a]->regions();
    for (size_t i = 0; i < regions.size(); ++i) out.push_back({arenas[a].get(), i, regions[i].begin, regions[i].size});
  }
  std::sort(out.begin(), out.end(), [](const Region& a, const Region& b) { return std::less<const char*>()(a.begin, b.begin); });
  return out;
}

template <class Region> Region* region_containing(std::vector<Region>& regions, const void* at) {
  auto it = std::upper_bound(regions.begin(), regions.end(), at, [](const void* p, const Region& r) {
    return std::less<const void*>()(p, r.begin);
  });
  if (it == regions.begin()) return nullptr;
  --it;
  return Arena::Region{it->begin, it->size}.contains(at) ? &*it : nullptr;
}

template <class Region> size_t release(Region& r) {
  size_t before = r.arena->bytes_released();
  r.arena->release(r.index);
  r.released = true;
  return r.arena->bytes_released() - before;
}

}  // namespace

TreeRelease::TreeRelease(LoadResult* input, size_t arenas_begin, size_t objects_begin)
    : regions_(regions_by_address<Region>(input->node_arenas, arenas_begin)) {
  for (size_t i = objects_begin; i < input->objects.size(); ++i)
    if (Region* r = region_of(input->objects[i])) r->objects_end = i + 1;
}

// A document's nodes are one allocation, so any of them names the region; a document's root is
// not among them (it lives in its Document), but its children are, as is the root of a List item.
TreeRelease::Region* TreeRelease::region_of(const RawObject& o) {
  return region_containing(regions_, o.root->is_scalar() || o.root->size() == 0 ? static_cast<const void*>(o.root)
                                                                                : o.root->kids());
}

void TreeRelease::done_through(size_t end) {
  for (Region& r : regions_)
    if (!r.released && r.objects_end <= end) released_ += release(r);
}

SourceRelease::SourceRelease(LoadResult* input, size_t arenas_begin, size_t objects_begin, size_t files_begin)
    : files_begin_(std::min<size_t>(files_begin, input->sources.size())),
      kept_lines_(input->kept_lines.get()),
      regions_(regions_by_address<Region>(input->source_arenas, arenas_begin)),
      keep_(input->sources.size() - files_begin_) {
  for (size_t f = files_begin_; f < input->sources.size(); ++f) files_.push_back(input->sources.files[f].get());
  for (size_t f = files_begin_; f < input->sources.size(); ++f)
    if (Region* r = region_of(static_cast<uint32_t>(f))) r->files.push_back(static_cast<uint32_t>(f));
  for (size_t i = objects_begin; i < input->objects.size(); ++i)
    if (Region* r = region_of(input->objects[i].file)) r->objects_end = i + 1;
}

// Standard input and in-memory text are in no region: they are kept. Files before files_begin_
// are in none of these regions.
SourceRelease::Region* SourceRelease::region_of(uint32_t file) {
  if (file < files_begin_ || file - files_begin_ >= files_.size()) return nullptr;
  const SourceFile& f = *files_[file - files_begin_];
  if (f.content.empty()) return nullptr;
  return region_containing(regions_, f.content.data());
}

void SourceRelease::keep_lines(uint32_t file, uint32_t first, uint32_t last) {
  if (file < files_begin_ || file - files_begin_ >= keep_.size()) return;
  for (uint32_t line = first; line <= last; ++line) keep_[file - files_begin_].push_back(line);
}

void SourceRelease::done_through(size_t end) {
  for (Region& r : regions_) {
    if (r.released || r.objects_end > end) continue;
    for (uint32_t f : r.files) {
      SourceFile& src = *files_[f - files_begin_];
      std::vector<uint32_t>& keep = keep_[f - files_begin_];
      // Suppression comments are read after the rules have run (checks/suppress.h).
      std::string_view c = src.content;
      uint32_t line = 1;
      size_t counted = 0;
      for (size_t at = c.find("kmc:ignore"); at != std::string_view::npos; at = c.find("kmc:ignore", at + 1)) {
        line += static_cast<uint32_t>(std::count(c.begin() + counted, c.begin() + at, '\n'));
        counted = at;
        keep.push_back(line);
      }
      src.release_content(std::move(keep), kept_lines_);
      std::vector<uint32_t>().swap(keep);
    }
    release(r);
  }
}

}  // namespace kmc
