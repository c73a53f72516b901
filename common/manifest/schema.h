#pragma once

// The manifest schema as Kubernetes CustomResourceDefinitions and as the
// field reference in docs/manifests.md, both generated from describe.h.

#include <string>
#include <vector>

namespace tandem::manifest {

struct CrdFile {
  std::string file_name;  // e.g. "tandem.dev_haresources.yaml"
  std::string yaml;
};

// One CRD per kind (apiextensions.k8s.io/v1), with an OpenAPI v3 schema,
// the status subresource and printer columns.
std::vector<CrdFile> generate_crds();

// Markdown tables: every field of every kind with its type, default and
// meaning.
std::string generate_field_reference();

}  // namespace tandem::manifest
