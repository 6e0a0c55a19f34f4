#include "checks/env_from.h"

namespace kmc::checks {
using schema::ConfigData;
using schema::EnvFromSource;
using schema::Object;

EnvFromNames env_from_names(const Topology& t, const Container& c, std::string_view ns) {
  EnvFromNames out;
  for (const EnvFromSource& f : c.env_from) {
    const Object* source = f.config_map.set() ? t.find("", "ConfigMap", ns, f.config_map.value())
                           : f.secret.set()   ? t.find("", "Secret", ns, f.secret.value())
                                              : nullptr;
    if (!source) {
      out.open = true;
      continue;
    }
    const ConfigData* d = source->as<ConfigData>();  // the decoder makes one for every ConfigMap and Secret
    out.sources.push_back({f.prefix.value(), d ? d->data : nullptr, d ? d->string_data : nullptr});
  }
  return out;
}

bool EnvFromNames::defines(std::string_view name) const {
  for (const Source& s : sources) {
    if (!name.starts_with(s.prefix)) continue;
    std::string_view key = name.substr(s.prefix.size());
    if ((s.data && s.data->get(key)) || (s.string_data && s.string_data->get(key))) return true;
  }
  return false;
}

}  // namespace kmc::checks
