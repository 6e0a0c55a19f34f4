#include "parser/load.h"

#include "core/parallel.h"
#include "core/paths.h"
#include "core/rule_catalogue.h"
#include "parser/byte_scan.h"
#include "parser/file_reader.h"
#include "parser/kustomize.h"
#include "parser/walk.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>

#include <fmt/format.h>

namespace kmc::parser {
namespace {

struct FileSlot {
  std::string path;
  bool from_stdin = false;
  bool named = false;  // InputFile::named
  ReadStatus status = ReadStatus::Ok;
  std::string error;
  std::unique_ptr<SourceFile> source;
  ParsedFile parsed;
  std::vector<RawObject> objects;  // the file's objects, until collect() takes them
  std::vector<HelmSource> helm_sources;  // standard input's `# Source:` comments
};

// A worker's arenas: the files' bytes in `source`, documents and copied scalars in `text`, the
// parse trees' nodes in `nodes` (LoadMemory::source, text, nodes).
struct WorkerArenas {
  Arena* source;
  Arena* text;
  Arena* nodes;
};

// The editor's text of the file at `path`, if it is open in one (LoadOptions::buffers).
const std::string* buffer_of(const LoadOptions& options, const std::string& path) {
  if (!options.buffers || options.buffers->empty()) return nullptr;
  auto it = options.buffers->find(absolute_path(path));
  return it == options.buffers->end() ? nullptr : &it->second;
}

// The open buffers whose files are not on disk (a new file the editor has not saved yet): the
// walk lists them where it will find them once saved.
std::vector<InputFile> unsaved_buffers(const LoadOptions& options) {
  std::vector<InputFile> out;
  if (!options.buffers) return out;
  for (const auto& [path, text] : *options.buffers) {
    struct stat st;
    if (lstat(path.c_str(), &st) != 0 && errno == ENOENT) out.push_back({path, text.size()});
  }
  return out;
}

void parse_slot(FileSlot& slot, uint32_t index, const LoadOptions& options, WorkerArenas arenas) {
  Arena* arena = arenas.text;
  slot.source = std::make_unique<SourceFile>();
  slot.source->path = slot.path;
  const std::string* buffer = buffer_of(options, slot.path);
  if (buffer) {
    if (buffer->size() > options.limits.max_file_bytes) slot.status = ReadStatus::TooLarge;
    slot.source->own(slot.status == ReadStatus::Ok ? *buffer : std::string());
  } else if (!slot.from_stdin) {
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
// cache. Done as the files were joined, on one thread, it took half of the joins' time (the
// other half was copying the lists, collect_slots; docs/performance.md, "Measurements behind the code").
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
  for (HelmSource& h : slot.helm_sources) result->helm_sources.push_back(std::move(h));
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

// One call of load_paths: the files found, a slot for each, and the arenas they parse into.
// read_all parses every file and collects them; stream reads the kustomizations first (which of
// the other files are patches is theirs to say), then batches of about options.batch_bytes,
// each handed over as it is collected while the next one parses.
class FileLoad {
 public:
  FileLoad(LoadResult& result, const LoadOptions& options, bool context, std::vector<InputFile> files)
      : result_(result), options_(options), context_(context), base_(result.sources.size()), files_(std::move(files)),
        slots_(files_.size()), jobs_(options.workers->workers_for(files_.size(), 1)),
        chunks_(result.memory.chunk_cache.get()), reused_before_(chunks_->reused()) {
    chunks_->open();
    for (size_t i = 0; i < files_.size(); ++i) {
      slots_[i].path = files_[i].path;
      slots_[i].named = files_[i].named;
      if (files_[i].path == "-") {
        slots_[i].from_stdin = true;
        slots_[i].path = options.stdin_name;
      }
    }
    for (unsigned t = 0; t < jobs_; ++t) {
      result.memory.text.push_back(std::make_unique<Arena>());
      text_arenas_.push_back(result.memory.text.back().get());
    }
  }
  // The chunks the batches' arenas released go to later batches' arenas (ChunkCache) until the
  // load ends.
  ~FileLoad() {
    result_.memory.chunks_reused += chunks_->reused() - reused_before_;
    chunks_->close();
  }

  void read_stdin();
  void read_all();
  void stream();

 private:
  // Each batch parses into arenas of its own for the trees and the files' bytes, one huge page a
  // region: they are released region by region as the model is built from them. They join
  // LoadResult when the batch is collected, not before: the next batch parses while the model
  // builder looks at the arenas of the one before (LoadBatch).
  struct BatchArenas {
    std::vector<std::unique_ptr<Arena>> source, nodes;
    std::vector<WorkerArenas> workers;
  };
  // The files [begin, end) of a streaming load, of which `parse` are not parsed yet.
  struct Batch {
    size_t begin = 0, end = 0;
    uint64_t bytes = 0;
    std::vector<size_t> parse;
    BatchArenas arenas;
  };

  void parse_one(size_t i, WorkerArenas arenas);
  void parse(const std::vector<size_t>& which, const std::vector<WorkerArenas>& arenas) {
    options_.workers->parallel_for(which.size(), 1, [&](size_t k, unsigned worker) { parse_one(which[k], arenas[worker]); });
  }
  BatchArenas new_batch_arenas();
  void adopt(BatchArenas& b);
  Batch plan(size_t begin, const std::vector<bool>& parsed);
  void collect_slots(size_t begin, size_t end, uint64_t read, uint64_t total);

  LoadResult& result_;
  const LoadOptions& options_;
  const bool context_;
  const uint32_t base_;  // the first file's number in SourceSet
  std::vector<InputFile> files_;
  std::vector<FileSlot> slots_;
  const unsigned jobs_;  // workers parsing at once
  std::vector<Arena*> text_arenas_;  // a worker's documents and copied scalars, kept with the result
  ChunkCache* chunks_;  // LoadResult::chunk_cache
  size_t reused_before_;  // chunks it had handed out again before this load
};

// Standard input is read up front, on this thread, with the same size limit as files.
void FileLoad::read_stdin() {
  for (FileSlot& slot : slots_) {
    if (!slot.from_stdin) continue;
    std::string error;
    slot.source = std::make_unique<SourceFile>();
    slot.source->path = slot.path;
    slot.status = read_file("/dev/stdin", options_.limits.max_file_bytes, nullptr, slot.source.get(), &error);
    slot.error = error;
  }
}

void FileLoad::parse_one(size_t i, WorkerArenas arenas) {
  FileSlot& slot = slots_[i];
  const uint32_t file = base_ + static_cast<uint32_t>(i);
  if (!slot.from_stdin) {
    parse_slot(slot, file, options_, arenas);
  } else if (slot.status == ReadStatus::Ok) {
    slot.source->ascii = all_ascii(slot.source->content);
    slot.parsed = parse_yaml(*slot.source, file, options_.limits, arenas.text, YamlScanner::Auto, arenas.nodes);
    find_helm_sources(slot.source->content, file, &slot.helm_sources);
  } else if (slot.status == ReadStatus::TooLarge) {
    slot.source->own({});
    Finding f;
    f.rule = rule_name(RuleId::SyntaxLimit);
    f.message = fmt::format("standard input is larger than {} MiB; kmc refuses to read it",
                            options_.limits.max_file_bytes >> 20);
    f.pos = {file, 1, 1};
    slot.parsed.findings.push_back(std::move(f));
  }
  extract_slot_objects(slot);
}

FileLoad::BatchArenas FileLoad::new_batch_arenas() {
  BatchArenas b;
  for (Arena* text : text_arenas_) {
    b.source.push_back(std::make_unique<Arena>(Arena::kHugePage, true, chunks_));
    b.nodes.push_back(std::make_unique<Arena>(Arena::kHugePage, true, chunks_));
    b.workers.push_back({b.source.back().get(), text, b.nodes.back().get()});
  }
  return b;
}

void FileLoad::adopt(BatchArenas& b) {
  for (auto& a : b.source) result_.memory.source.push_back(std::move(a));
  for (auto& a : b.nodes) result_.memory.nodes.push_back(std::move(a));
}

// `read`, `total`: the bytes read so far and the bytes of all the input.
void FileLoad::collect_slots(size_t begin, size_t end, uint64_t read, uint64_t total) {
  // Sized ahead for what the bytes read so far promise for all of them, and a quarter more (but
  // no more than a document per 16 bytes). A large tree's object list, grown by doubling,
  // briefly held three copies; sized to each batch, it was copied whole at every batch, on one
  // thread (docs/performance.md, "Measurements behind the code").
  auto size_for = [&](auto& list, size_t more) {
    size_t need = list.size() + more;
    if (need <= list.capacity()) return;
    double promised = read > 0 ? 1.25 * static_cast<double>(need) * static_cast<double>(total) / static_cast<double>(read) : 0;
    list.reserve(std::max(need, static_cast<size_t>(std::min(promised, static_cast<double>(total / 16)))));
  };
  size_t documents = 0;
  for (size_t i = begin; i < end; ++i) documents += slots_[i].parsed.documents.size();
  size_for(result_.documents, documents);
  size_for(result_.objects, documents);  // one object a document, mostly
  result_.sources.files.reserve(result_.sources.files.size() + slots_.size() - begin);
  for (size_t i = begin; i < end; ++i) collect(&result_, slots_[i], context_);
}

void FileLoad::read_all() {
  BatchArenas arenas = new_batch_arenas();
  std::vector<size_t> all(slots_.size());
  for (size_t i = 0; i < all.size(); ++i) all[i] = i;
  parse(all, arenas.workers);
  adopt(arenas);
  collect_slots(0, slots_.size(), 0, 0);
  mark_kustomize_patches(&result_);
}

FileLoad::Batch FileLoad::plan(size_t begin, const std::vector<bool>& parsed) {
  Batch b;
  b.begin = begin;
  for (b.end = begin; b.end < slots_.size() && (b.end == begin || b.bytes < options_.batch_bytes); ++b.end) {
    b.bytes += files_[b.end].size;
    if (!parsed[b.end]) b.parse.push_back(b.end);
  }
  b.arenas = new_batch_arenas();
  return b;
}

void FileLoad::stream() {
  // The kustomizations first, their trees kept with the documents.
  KustomizeMarks marks;
  std::vector<size_t> kustomizations;
  for (size_t i = 0; i < slots_.size(); ++i)
    if (is_kustomization_file(slots_[i].path)) kustomizations.push_back(i);
  if (!kustomizations.empty()) {
    std::vector<WorkerArenas> kept;
    for (Arena* text : text_arenas_) kept.push_back({text, text, text});
    parse(kustomizations, kept);
    for (size_t i : kustomizations)
      for (const Document* doc : slots_[i].parsed.documents) marks.add(slots_[i].path, doc->root);
  }
  std::vector<bool> parsed(slots_.size());
  for (size_t i : kustomizations) parsed[i] = true;
  uint64_t total = 0;
  for (const InputFile& f : files_) total += f.size;
  uint64_t bytes_read = 0;
  Batch next = plan(0, parsed);
  if (next.begin < slots_.size()) parse(next.parse, next.arenas.workers);
  while (next.begin < slots_.size()) {
    Batch batch = std::move(next);
    bytes_read += batch.bytes;
    LoadBatch handed{result_.objects.size(), 0, result_.memory.nodes.size(), result_.memory.source.size(), bytes_read,
                     total, result_.sources.size(), !kustomizations.empty()};
    adopt(batch.arenas);
    collect_slots(batch.begin, batch.end, bytes_read, total);
    marks.apply(result_.sources, &result_.objects, handed.objects_begin);
    handed.objects_end = result_.objects.size();
    if (batch.end == slots_.size()) {
      options_.on_batch(result_, handed);
      break;
    }
    // The next batch parses beside this one's hand-over: its files, trees and objects stay in its
    // slots and arenas, which the hand-over never sees, until it is collected in turn.
    next = plan(batch.end, parsed);
    options_.workers->run_beside([&] { options_.on_batch(result_, handed); },
                                 [&] { parse(next.parse, next.arenas.workers); });
  }
}

}  // namespace

LoadResult load_inputs(const std::vector<std::string>& paths, const LoadOptions& options) {
  LoadResult result;
  load_paths(&result, paths, options, false);
  return result;
}

void load_paths(LoadResult* into, const std::vector<std::string>& paths, const LoadOptions& options, bool context) {
  std::vector<InputFile> unsaved = unsaved_buffers(options);
  std::vector<InputFile> files = find_inputs(paths, &into->errors, options.exclude, *options.workers, &into->notices,
                                             &into->skipped_charts, &unsaved);
  if (size_t room = files_left(*into, options.limits); files.size() > room) {
    into->errors.push_back(too_many_files(options.limits, files[room].path));
    files.resize(room);
  }
  FileLoad load(*into, options, context, std::move(files));
  load.read_stdin();
  if (options.on_batch) load.stream();
  else load.read_all();
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
  into->memory.text.push_back(std::make_unique<Arena>());
  into->memory.nodes.push_back(std::make_unique<Arena>(Arena::kHugePage));
  slot.parsed = parse_yaml(*slot.source, index, options.limits, into->memory.text.back().get(), YamlScanner::Auto,
                           into->memory.nodes.back().get());
  extract_slot_objects(slot);
  collect(into, slot, context);
  mark_kustomize_patches(into);
}

}  // namespace kmc::parser
