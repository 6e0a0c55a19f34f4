// kustomize/: the content hash of generated objects, byte for byte kustomize v5.7.1's (the
// expected suffixes are what it printed for the same objects); the generators themselves are
// compared whole by the differential test (testdata/kustomize/render-generator.case).
#include <catch2/catch.hpp>

#include "kustomize/hash.h"
#include "kustomize_support.h"

using namespace kmc;
using namespace kmc::kustomize;

using test::tree;

TEST_CASE("SHA-256, as FIPS 180-4 gives it", "[kustomize][hash]") {
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(sha256_hex(std::string(1000, 'a')) == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3");
}

TEST_CASE("strings as Go's encoding/json writes them", "[kustomize][hash]") {
  CHECK(go_json_string("plain") == "\"plain\"");
  CHECK(go_json_string("a\"b\\c\nd\te\x01") == "\"a\\\"b\\\\c\\nd\\te\\u0001\"");
  CHECK(go_json_string("<a & b>") == "\"\\u003ca \\u0026 b\\u003e\"");
  CHECK(go_json_string("x\xe2\x80\xa8y") == "\"x\\u2028y\"");
  CHECK(go_json_string("caf\xc3\xa9") == "\"caf\xc3\xa9\"");
}

TEST_CASE("the content hash kustomize suffixes a generated name with", "[kustomize][hash]") {
  // `configMapGenerator: [{name: x, literals: [a=1]}]` builds x-h29d89cmmt with kustomize v5.7.1;
  // the name is not in the hash, so a prefix does not change it.
  CHECK(content_hash(tree("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: \"1\"\n")) ==
        "h29d89cmmt");
  CHECK(content_hash(tree("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: prod-x\ndata:\n  a: \"1\"\n")) ==
        "h29d89cmmt");
  // A Secret's type is in it: the same data as another type hashes differently.
  std::string opaque = content_hash(tree("kind: Secret\nmetadata: {name: s}\ntype: Opaque\ndata: {a: MQ==}\n"));
  std::string tls = content_hash(tree("kind: Secret\nmetadata: {name: s}\ntype: kubernetes.io/tls\ndata: {a: MQ==}\n"));
  CHECK(opaque.size() == 10);
  CHECK(opaque != tls);
  CHECK(opaque.find_first_of("013ae") == std::string::npos);
}
