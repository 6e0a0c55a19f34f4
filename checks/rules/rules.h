#pragma once
#include <vector>

#include "checks/rule.h"

// One function per rule family appends its rules to the table (checks/rule.cc).
namespace kmc::checks {

void add_syntax_rules(std::vector<Rule>* table);
void add_schema_rules(std::vector<Rule>* table);
void add_service_rules(std::vector<Rule>* table);
void add_endpoints_rules(std::vector<Rule>* table);
void add_discovery_rules(std::vector<Rule>* table);
void add_storage_rules(std::vector<Rule>* table);
void add_affinity_rules(std::vector<Rule>* table);
void add_kustomize_rules(std::vector<Rule>* table);
void add_ingress_rules(std::vector<Rule>* table);
void add_workload_rules(std::vector<Rule>* table);
void add_reference_rules(std::vector<Rule>* table);
void add_disruption_rules(std::vector<Rule>* table);
void add_autoscaling_rules(std::vector<Rule>* table);
void add_admission_rules(std::vector<Rule>* table);
void add_resource_admission_rules(std::vector<Rule>* table);
void add_practice_rules(std::vector<Rule>* table);
void add_network_policy_selector_rules(std::vector<Rule>* table);
void add_network_policy_traffic_rules(std::vector<Rule>* table);
void add_gateway_rules(std::vector<Rule>* table);

}  // namespace kmc::checks
