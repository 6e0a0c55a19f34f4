#pragma once
#include "core/source.h"
#include "schema/crd_catalog.h"
#include "schema/model.h"

namespace kmc::schema {
using parser::RawObject;

// Validates every input object against the embedded Kubernetes API schema, and custom
// resources against the openAPIV3Schema of a CustomResourceDefinition in the same run (input or
// context). Fills Object::issues; context objects are not validated (they are not the user's).
//
// What it checks is what the API server would reject, read the way it reads a manifest: kubectl
// converts YAML to JSON (YAML 1.1 scalars) and the server decodes that JSON strictly into the
// Go types, so `value: 8080` is a number where a string belongs, and an unknown field is an
// error (kubectl's default field validation is Strict).
// Objects are validated one at a time, on several threads, as the model builder reads batches of
// files (driver/model_builder.h): those whose kind the embedded schema knows at once, those that
// may be custom resources once every CustomResourceDefinition of the run is known.
class ModelValidator {
 public:
  // `options`: the target Kubernetes release, and the one an upgrade goes to, whose version/*
  // findings are added. `crds`: the run's decoded CustomResourceDefinition objects (is_crd), or
  // none for objects that validates_without_crds(); their parse trees stay until validation ends.
  // `catalog`: the CRDs of --crds, or nullptr.
  ModelValidator(const ModelOptions& options, const std::vector<const Object*>& crds, const CrdCatalog* catalog,
                 const SourceSet& sources, unsigned workers);
  ~ModelValidator();
  // Fills o.issues, on thread `worker` (< workers); context objects are not validated.
  void validate(Object& o, bool patch, unsigned worker);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

bool is_crd(const RawObject& r);

// Whether `o` validates the same whatever CustomResourceDefinitions the run has: the target
// release serves its kind (the validator looks there first), or it is not validated at all.
bool validates_without_crds(const Object& o, const api::Schema& release);

// Model::with_issues, once every object is validated.
void list_objects_with_issues(Model* model);

}  // namespace kmc::schema
