// admission/limit-range, quota-requires-resources, quota-exceeded: defaulting in the API
// server's order, the LimitRange's own defaults, hostile amounts.
#include <algorithm>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "support.h"

using namespace kmc;
using namespace kmc::checks;

namespace {

std::vector<std::string> messages(const Analysis& a, std::string_view rule) {
  std::vector<std::string> out;
  for (const Finding& f : a.findings)
    if (f.rule == rule) out.push_back(f.message);
  return out;
}

}  // namespace

TEST_CASE("a LimitRange's defaults fill requests and limits before its bounds and quotas are judged", "[admission]") {
  Analysis a = test::analyze_text(R"(apiVersion: v1
kind: LimitRange
metadata: {name: bounds, namespace: team}
spec:
  limits:
    - type: Container
      max: {memory: 1Gi}
      min: {cpu: 200m}
---
apiVersion: v1
kind: ResourceQuota
metadata: {name: q, namespace: team}
spec:
  hard: {limits.memory: 10Gi, requests.cpu: "10"}
---
apiVersion: v1
kind: Pod
metadata: {name: p, namespace: team}
spec:
  containers:
    - name: a
      image: x:1
    - name: b
      image: x:1
      resources: {limits: {cpu: 100m}}
)");
  // a: no memory limit, but `max` is the default limit; no CPU request, but `min` is the
  // default request: nothing for the quota to miss. b: its request is its limit, 100m < min.
  CHECK(messages(a, "admission/quota-requires-resources").empty());
  std::vector<std::string> lr = messages(a, "admission/limit-range");
  REQUIRE(lr.size() == 2);  // b's request and limit are both below the minimum
  auto any = [&](std::string_view text) {
    return std::any_of(lr.begin(), lr.end(), [&](const std::string& m) { return m.find(text) != std::string::npos; });
  };
  CHECK(any("container \"b\" requests 100m cpu (below the minimum 200m)"));
  CHECK(any("\"minimum cpu usage per Container is 200m, but request is 100m\""));
  CHECK(any("container \"b\" limits cpu to 100m (below the minimum 200m)"));
}

TEST_CASE("quota totals saturate instead of overflowing on hostile replicas and amounts", "[admission]") {
  Analysis a = test::analyze_text(R"(apiVersion: v1
kind: ResourceQuota
metadata: {name: q, namespace: team}
spec:
  hard: {requests.memory: 1Gi, pods: "10"}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: big, namespace: team}
spec:
  replicas: 9223372036854775807
  selector: {matchLabels: {app: big}}
  template:
    metadata: {labels: {app: big}}
    spec:
      containers: [{name: a, image: x:1, resources: {requests: {memory: 900000Ei}}}]
)");
  std::vector<std::string> q = messages(a, "admission/quota-exceeded");
  CHECK(q.size() == 2);
}
