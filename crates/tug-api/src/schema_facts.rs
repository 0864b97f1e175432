//! The `x-kubernetes-*` facts that upstream's OpenAPI publishes and `k8s-openapi`'s schemas
//! lack: how each list or map property merges (strategic merge patch, server-side apply) and
//! which structs are atomic or unions.
//!
//! The facts are keyed by upstream's schema name (`io.k8s.api.core.v1.PodSpec`, the name
//! `k8s_openapi`'s `JsonSchema` impls use) and the JSON property name (`containers`). They
//! become, per property: `x-kubernetes-patch-merge-key`, `x-kubernetes-patch-strategy`,
//! `x-kubernetes-list-type`, `x-kubernetes-list-map-keys`, `x-kubernetes-map-type`; per schema:
//! `x-kubernetes-map-type` and `x-kubernetes-unions`.
//!
//! # Where the facts come from
//!
//! The tables below are generated, not written by hand. Their authority is upstream's Go types
//! at Kubernetes 1.33: every `types.go` (and sibling non-generated `.go` file) of `k8s.io/api`
//! tag `v0.33.13` and `k8s.io/apimachinery/pkg/apis/meta/v1` tag `v0.33.13`. Upstream's
//! `openapi-gen` turns exactly these comment markers into the published extensions:
//!
//! | Go marker on a field (or the struct, for the last two) | extension                       |
//! |---------------------------------------------------------|---------------------------------|
//! | `+patchMergeKey=K` (also struct tag `patchMergeKey`)   | `x-kubernetes-patch-merge-key`  |
//! | `+patchStrategy=S` (also struct tag `patchStrategy`)   | `x-kubernetes-patch-strategy`   |
//! | `+listType=atomic\|set\|map`                           | `x-kubernetes-list-type`        |
//! | `+listMapKey=K` (repeated, in order)                   | `x-kubernetes-list-map-keys`    |
//! | `+mapType=…` / `+structType=…` on a field              | `x-kubernetes-map-type`         |
//! | `+structType=atomic` on a struct                       | `x-kubernetes-map-type` (schema)|
//! | `+union` on a struct, `+unionDiscriminator` on a field | `x-kubernetes-unions` (schema)  |
//!
//! Fields embedded with `json:",inline"` contribute their facts to the embedding schema (as
//! upstream's schemas flatten them: `Volume` carries `VolumeSource`'s properties). Only schemas
//! that `k8s-openapi` 0.29 (`v1_33`) defines are kept; CRD (`apiextensions-apiserver`) and
//! `kube-aggregator` types are not covered.
//!
//! # Regenerating
//!
//! A throwaway script (not kept in the repository) did this; to redo it for a new minor:
//! 1. check out `k8s.io/api` and `k8s.io/apimachinery` at the matching `v0.X.Y` tag;
//! 2. for every package `api/<group>/<version>` (schema prefix `io.k8s.api.<group>.<version>`)
//!    and `apimachinery/pkg/apis/meta/v1` (prefix `io.k8s.apimachinery.pkg.apis.meta.v1`), parse
//!    each `type T struct { … }`, collect the `// +marker=value` lines of the comment block right
//!    above each field and above the struct, expand inline embedded structs (including type
//!    aliases to another package such as `type RuleWithOperations = v1.RuleWithOperations`);
//! 3. keep schema names for which the `k8s-openapi` sources have a `fn schema_name()`;
//! 4. check that each field's comment markers agree with its `patchMergeKey`/`patchStrategy`
//!    struct tags (they did, everywhere) and cross-check list types against `k8s-openapi`'s
//!    generated `DeepMerge` strategies (which are derived from upstream's published spec);
//! 5. print one line per `(schema, property)` sorted by schema then property (the lookups
//!    binary-search, and a test checks the order).
//!
//! The test `every_fact_names_a_real_schema_and_property` proves each entry names a schema
//! reachable from a served-or-servable kind and one of its properties, so a typo cannot hide.

/// How one list- or map-valued property merges, as upstream's OpenAPI states it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ListFacts {
    /// `x-kubernetes-patch-merge-key`: the field identifying list items for a strategic merge
    /// patch (`name` for containers). `None`: a strategic merge patch replaces the whole list.
    pub merge_key: Option<&'static str>,
    /// `x-kubernetes-patch-strategy`: `merge`, `retainKeys`, `merge,retainKeys` or `replace`.
    pub strategy: Option<&'static str>,
    /// `x-kubernetes-list-type`: `atomic`, `set` or `map` (server-side apply).
    pub list_type: Option<&'static str>,
    /// `x-kubernetes-list-map-keys`, in order; empty unless `list_type` is `map`.
    pub list_map_keys: &'static [&'static str],
    /// `x-kubernetes-map-type` of the property: `atomic` or `granular`.
    pub map_type: Option<&'static str>,
}

impl ListFacts {
    /// Whether the comma-separated `strategy` contains `strategy` (`merge`, `retainKeys`…).
    pub fn has_strategy(&self, strategy: &str) -> bool {
        self.strategy
            .is_some_and(|s| s.split(',').any(|one| one == strategy))
    }
}

/// Facts about a whole schema (a struct), as upstream's OpenAPI states them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SchemaFacts {
    /// `x-kubernetes-map-type` of the schema: `atomic` means apply and merge replace the
    /// whole object (`LabelSelector`, `OwnerReference`, `ObjectReference`…).
    pub map_type: Option<&'static str>,
    /// `x-kubernetes-unions`.
    pub unions: &'static [UnionFacts],
}

/// One entry of `x-kubernetes-unions`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UnionFacts {
    /// The JSON name of the discriminator field, if any.
    pub discriminator: Option<&'static str>,
    /// `fields-to-discriminateBy`: JSON field name to the discriminator value (upstream uses
    /// the Go field name), sorted by JSON name.
    pub fields_to_discriminate_by: &'static [(&'static str, &'static str)],
}

/// The facts of `property` of `schema` (`"io.k8s.api.core.v1.PodSpec"`, `"containers"`), or
/// `None` when upstream states none. A binary search over a static table: no allocation.
pub fn field_facts(schema: &str, property: &str) -> Option<&'static ListFacts> {
    FIELD_FACTS
        .binary_search_by(|(s, p, _)| (*s, *p).cmp(&(schema, property)))
        .ok()
        .map(|i| &FIELD_FACTS[i].2)
}

/// Every property of `schema` that has facts, sorted by property name.
pub fn properties(schema: &str) -> impl Iterator<Item = (&'static str, &'static ListFacts)> {
    let start = FIELD_FACTS.partition_point(|(s, _, _)| *s < schema);
    FIELD_FACTS[start..]
        .iter()
        .take_while(move |(s, _, _)| *s == schema)
        .map(|(_, p, f)| (*p, f))
}

/// Every `(schema, property, facts)` entry, sorted by schema then property.
pub fn all() -> impl ExactSizeIterator<Item = (&'static str, &'static str, &'static ListFacts)> {
    FIELD_FACTS.iter().map(|(s, p, f)| (*s, *p, f))
}

/// The schema-level facts of `schema`, or `None` when upstream states none.
pub fn schema_facts(schema: &str) -> Option<&'static SchemaFacts> {
    SCHEMA_FACTS
        .binary_search_by(|(s, _)| (*s).cmp(schema))
        .ok()
        .map(|i| &SCHEMA_FACTS[i].1)
}

/// Every `(schema, facts)` schema-level entry, sorted by schema.
pub fn all_schemas() -> impl ExactSizeIterator<Item = (&'static str, &'static SchemaFacts)> {
    SCHEMA_FACTS.iter().map(|(s, f)| (*s, f))
}

const fn facts(
    merge_key: Option<&'static str>,
    strategy: Option<&'static str>,
    list_type: Option<&'static str>,
    list_map_keys: &'static [&'static str],
    map_type: Option<&'static str>,
) -> ListFacts {
    ListFacts {
        merge_key,
        strategy,
        list_type,
        list_map_keys,
        map_type,
    }
}

#[rustfmt::skip]
static FIELD_FACTS: &[(&str, &str, ListFacts)] = &[
    // (schema, property, facts(merge_key, strategy, list_type, list_map_keys, map_type))
    ("io.k8s.api.admissionregistration.v1.MatchResources", "excludeResourceRules", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.admissionregistration.v1.MatchResources", "resourceRules", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.admissionregistration.v1.MutatingWebhook", "admissionReviewVersions", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.admissionregistration.v1.MutatingWebhook", "matchConditions", facts(Some("name"), Some("merge"), Some("map"), &["name"], None)),
    ("io.k8s.api.admissionregistration.v1.MutatingWebhook", "rules", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.admissionregistration.v1.MutatingWebhookConfiguration", "webhooks", facts(Some("name"), Some("merge"), Some("map"), &["name"], None)),
    ("io.k8s.api.admissionregistration.v1.NamedRuleWithOperations", "apiGroups", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.admissionregistration.v1.NamedRuleWithOperations", "apiVersions", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.admissionregistration.v1.NamedRuleWithOperations", "operations", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.admissionregistration.v1.NamedRuleWithOperations", "resourceNames", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.admissionregistration.v1.NamedRuleWithOperations", "resources", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.admissionregistration.v1.RuleWithOperations", "apiGroups", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.admissionregistration.v1.RuleWithOperations", "apiVersions", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.admissionregistration.v1.RuleWithOperations", "operations", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.admissionregistration.v1.RuleWithOperations", "resources", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.admissionregistration.v1.TypeChecking", "expressionWarnings", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.admissionregistration.v1.ValidatingAdmissionPolicyBindingSpec", "validationActions", facts(None, None, Some("set"), &[], None)),
    ("io.k8s.api.admissionregistration.v1.ValidatingAdmissionPolicySpec", "auditAnnotations", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.admissionregistration.v1.ValidatingAdmissionPolicySpec", "matchConditions", facts(Some("name"), Some("merge"), Some("map"), &["name"], None)),
    ("io.k8s.api.admissionregistration.v1.ValidatingAdmissionPolicySpec", "validations", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.admissionregistration.v1.ValidatingAdmissionPolicySpec", "variables", facts(Some("name"), Some("merge"), Some("map"), &["name"], None)),
    ("io.k8s.api.admissionregistration.v1.ValidatingAdmissionPolicyStatus", "conditions", facts(None, None, Some("map"), &["type"], None)),
    ("io.k8s.api.admissionregistration.v1.ValidatingWebhook", "admissionReviewVersions", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.admissionregistration.v1.ValidatingWebhook", "matchConditions", facts(Some("name"), Some("merge"), Some("map"), &["name"], None)),
    ("io.k8s.api.admissionregistration.v1.ValidatingWebhook", "rules", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.admissionregistration.v1.ValidatingWebhookConfiguration", "webhooks", facts(Some("name"), Some("merge"), Some("map"), &["name"], None)),
    ("io.k8s.api.admissionregistration.v1alpha1.MatchResources", "excludeResourceRules", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.admissionregistration.v1alpha1.MatchResources", "resourceRules", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.admissionregistration.v1alpha1.MutatingAdmissionPolicySpec", "matchConditions", facts(Some("name"), Some("merge"), Some("map"), &["name"], None)),
    ("io.k8s.api.admissionregistration.v1alpha1.MutatingAdmissionPolicySpec", "mutations", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.admissionregistration.v1alpha1.MutatingAdmissionPolicySpec", "variables", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.admissionregistration.v1alpha1.NamedRuleWithOperations", "apiGroups", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.admissionregistration.v1alpha1.NamedRuleWithOperations", "apiVersions", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.admissionregistration.v1alpha1.NamedRuleWithOperations", "operations", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.admissionregistration.v1alpha1.NamedRuleWithOperations", "resourceNames", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.admissionregistration.v1alpha1.NamedRuleWithOperations", "resources", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.admissionregistration.v1beta1.MatchResources", "excludeResourceRules", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.admissionregistration.v1beta1.MatchResources", "resourceRules", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.admissionregistration.v1beta1.NamedRuleWithOperations", "apiGroups", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.admissionregistration.v1beta1.NamedRuleWithOperations", "apiVersions", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.admissionregistration.v1beta1.NamedRuleWithOperations", "operations", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.admissionregistration.v1beta1.NamedRuleWithOperations", "resourceNames", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.admissionregistration.v1beta1.NamedRuleWithOperations", "resources", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.admissionregistration.v1beta1.TypeChecking", "expressionWarnings", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.admissionregistration.v1beta1.ValidatingAdmissionPolicyBindingSpec", "validationActions", facts(None, None, Some("set"), &[], None)),
    ("io.k8s.api.admissionregistration.v1beta1.ValidatingAdmissionPolicySpec", "auditAnnotations", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.admissionregistration.v1beta1.ValidatingAdmissionPolicySpec", "matchConditions", facts(Some("name"), Some("merge"), Some("map"), &["name"], None)),
    ("io.k8s.api.admissionregistration.v1beta1.ValidatingAdmissionPolicySpec", "validations", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.admissionregistration.v1beta1.ValidatingAdmissionPolicySpec", "variables", facts(Some("name"), Some("merge"), Some("map"), &["name"], None)),
    ("io.k8s.api.admissionregistration.v1beta1.ValidatingAdmissionPolicyStatus", "conditions", facts(None, None, Some("map"), &["type"], None)),
    ("io.k8s.api.apiserverinternal.v1alpha1.ServerStorageVersion", "decodableVersions", facts(None, None, Some("set"), &[], None)),
    ("io.k8s.api.apiserverinternal.v1alpha1.ServerStorageVersion", "servedVersions", facts(None, None, Some("set"), &[], None)),
    ("io.k8s.api.apiserverinternal.v1alpha1.StorageVersionStatus", "conditions", facts(None, None, Some("map"), &["type"], None)),
    ("io.k8s.api.apiserverinternal.v1alpha1.StorageVersionStatus", "storageVersions", facts(None, None, Some("map"), &["apiServerID"], None)),
    ("io.k8s.api.apps.v1.DaemonSetStatus", "conditions", facts(Some("type"), Some("merge"), Some("map"), &["type"], None)),
    ("io.k8s.api.apps.v1.DeploymentSpec", "strategy", facts(None, Some("retainKeys"), None, &[], None)),
    ("io.k8s.api.apps.v1.DeploymentStatus", "conditions", facts(Some("type"), Some("merge"), Some("map"), &["type"], None)),
    ("io.k8s.api.apps.v1.ReplicaSetStatus", "conditions", facts(Some("type"), Some("merge"), Some("map"), &["type"], None)),
    ("io.k8s.api.apps.v1.StatefulSetSpec", "volumeClaimTemplates", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.apps.v1.StatefulSetStatus", "conditions", facts(Some("type"), Some("merge"), Some("map"), &["type"], None)),
    ("io.k8s.api.authentication.v1.TokenRequestSpec", "audiences", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.authentication.v1.TokenReviewSpec", "audiences", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.authentication.v1.TokenReviewStatus", "audiences", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.authentication.v1.UserInfo", "groups", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.authorization.v1.FieldSelectorAttributes", "requirements", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.authorization.v1.LabelSelectorAttributes", "requirements", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.authorization.v1.NonResourceRule", "nonResourceURLs", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.authorization.v1.NonResourceRule", "verbs", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.authorization.v1.ResourceRule", "apiGroups", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.authorization.v1.ResourceRule", "resourceNames", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.authorization.v1.ResourceRule", "resources", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.authorization.v1.ResourceRule", "verbs", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.authorization.v1.SubjectAccessReviewSpec", "groups", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.authorization.v1.SubjectRulesReviewStatus", "nonResourceRules", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.authorization.v1.SubjectRulesReviewStatus", "resourceRules", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.autoscaling.v2.HPAScalingRules", "policies", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerSpec", "metrics", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerStatus", "conditions", facts(Some("type"), Some("merge"), Some("map"), &["type"], None)),
    ("io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerStatus", "currentMetrics", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.batch.v1.CronJobStatus", "active", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.batch.v1.JobStatus", "conditions", facts(Some("type"), Some("merge"), Some("atomic"), &[], None)),
    ("io.k8s.api.batch.v1.PodFailurePolicy", "rules", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.batch.v1.PodFailurePolicyOnExitCodesRequirement", "values", facts(None, None, Some("set"), &[], None)),
    ("io.k8s.api.batch.v1.PodFailurePolicyRule", "onPodConditions", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.batch.v1.SuccessPolicy", "rules", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.batch.v1.UncountedTerminatedPods", "failed", facts(None, None, Some("set"), &[], None)),
    ("io.k8s.api.batch.v1.UncountedTerminatedPods", "succeeded", facts(None, None, Some("set"), &[], None)),
    ("io.k8s.api.certificates.v1.CertificateSigningRequestSpec", "groups", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.certificates.v1.CertificateSigningRequestSpec", "request", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.certificates.v1.CertificateSigningRequestSpec", "usages", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.certificates.v1.CertificateSigningRequestStatus", "certificate", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.certificates.v1.CertificateSigningRequestStatus", "conditions", facts(None, None, Some("map"), &["type"], None)),
    ("io.k8s.api.core.v1.Capabilities", "add", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.core.v1.Capabilities", "drop", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.core.v1.CephFSPersistentVolumeSource", "monitors", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.core.v1.CephFSVolumeSource", "monitors", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.core.v1.ComponentStatus", "conditions", facts(Some("type"), Some("merge"), Some("map"), &["type"], None)),
    ("io.k8s.api.core.v1.ConfigMapProjection", "items", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.core.v1.ConfigMapVolumeSource", "items", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.core.v1.Container", "args", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.core.v1.Container", "command", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.core.v1.Container", "env", facts(Some("name"), Some("merge"), Some("map"), &["name"], None)),
    ("io.k8s.api.core.v1.Container", "envFrom", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.core.v1.Container", "ports", facts(Some("containerPort"), Some("merge"), Some("map"), &["containerPort", "protocol"], None)),
    ("io.k8s.api.core.v1.Container", "resizePolicy", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.core.v1.Container", "volumeDevices", facts(Some("devicePath"), Some("merge"), Some("map"), &["devicePath"], None)),
    ("io.k8s.api.core.v1.Container", "volumeMounts", facts(Some("mountPath"), Some("merge"), Some("map"), &["mountPath"], None)),
    ("io.k8s.api.core.v1.ContainerImage", "names", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.core.v1.ContainerStatus", "allocatedResourcesStatus", facts(Some("name"), Some("merge"), Some("map"), &["name"], None)),
    ("io.k8s.api.core.v1.ContainerStatus", "volumeMounts", facts(Some("mountPath"), Some("merge"), Some("map"), &["mountPath"], None)),
    ("io.k8s.api.core.v1.DownwardAPIProjection", "items", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.core.v1.DownwardAPIVolumeSource", "items", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.core.v1.EndpointSubset", "addresses", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.core.v1.EndpointSubset", "notReadyAddresses", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.core.v1.EndpointSubset", "ports", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.core.v1.Endpoints", "subsets", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.core.v1.EphemeralContainer", "args", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.core.v1.EphemeralContainer", "command", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.core.v1.EphemeralContainer", "env", facts(Some("name"), Some("merge"), Some("map"), &["name"], None)),
    ("io.k8s.api.core.v1.EphemeralContainer", "envFrom", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.core.v1.EphemeralContainer", "ports", facts(Some("containerPort"), Some("merge"), Some("map"), &["containerPort", "protocol"], None)),
    ("io.k8s.api.core.v1.EphemeralContainer", "resizePolicy", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.core.v1.EphemeralContainer", "volumeDevices", facts(Some("devicePath"), Some("merge"), Some("map"), &["devicePath"], None)),
    ("io.k8s.api.core.v1.EphemeralContainer", "volumeMounts", facts(Some("mountPath"), Some("merge"), Some("map"), &["mountPath"], None)),
    ("io.k8s.api.core.v1.ExecAction", "command", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.core.v1.FCVolumeSource", "targetWWNs", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.core.v1.FCVolumeSource", "wwids", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.core.v1.HTTPGetAction", "httpHeaders", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.core.v1.HostAlias", "hostnames", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.core.v1.ISCSIPersistentVolumeSource", "portals", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.core.v1.ISCSIVolumeSource", "portals", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.core.v1.LimitRangeSpec", "limits", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.core.v1.LinuxContainerUser", "supplementalGroups", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.core.v1.LoadBalancerIngress", "ports", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.core.v1.LoadBalancerStatus", "ingress", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.core.v1.NamespaceSpec", "finalizers", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.core.v1.NamespaceStatus", "conditions", facts(Some("type"), Some("merge"), Some("map"), &["type"], None)),
    ("io.k8s.api.core.v1.NodeAffinity", "preferredDuringSchedulingIgnoredDuringExecution", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.core.v1.NodeSelector", "nodeSelectorTerms", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.core.v1.NodeSelectorRequirement", "values", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.core.v1.NodeSelectorTerm", "matchExpressions", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.core.v1.NodeSelectorTerm", "matchFields", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.core.v1.NodeSpec", "podCIDRs", facts(None, Some("merge"), Some("set"), &[], None)),
    ("io.k8s.api.core.v1.NodeSpec", "taints", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.core.v1.NodeStatus", "addresses", facts(Some("type"), Some("merge"), Some("map"), &["type"], None)),
    ("io.k8s.api.core.v1.NodeStatus", "conditions", facts(Some("type"), Some("merge"), Some("map"), &["type"], None)),
    ("io.k8s.api.core.v1.NodeStatus", "images", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.core.v1.NodeStatus", "runtimeHandlers", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.core.v1.NodeStatus", "volumesAttached", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.core.v1.NodeStatus", "volumesInUse", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.core.v1.PersistentVolumeClaimSpec", "accessModes", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.core.v1.PersistentVolumeClaimStatus", "accessModes", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.core.v1.PersistentVolumeClaimStatus", "allocatedResourceStatuses", facts(None, None, None, &[], Some("granular"))),
    ("io.k8s.api.core.v1.PersistentVolumeClaimStatus", "conditions", facts(Some("type"), Some("merge"), Some("map"), &["type"], None)),
    ("io.k8s.api.core.v1.PersistentVolumeSpec", "accessModes", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.core.v1.PersistentVolumeSpec", "claimRef", facts(None, None, None, &[], Some("granular"))),
    ("io.k8s.api.core.v1.PersistentVolumeSpec", "mountOptions", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.core.v1.PodAffinity", "preferredDuringSchedulingIgnoredDuringExecution", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.core.v1.PodAffinity", "requiredDuringSchedulingIgnoredDuringExecution", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.core.v1.PodAffinityTerm", "matchLabelKeys", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.core.v1.PodAffinityTerm", "mismatchLabelKeys", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.core.v1.PodAffinityTerm", "namespaces", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.core.v1.PodAntiAffinity", "preferredDuringSchedulingIgnoredDuringExecution", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.core.v1.PodAntiAffinity", "requiredDuringSchedulingIgnoredDuringExecution", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.core.v1.PodDNSConfig", "nameservers", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.core.v1.PodDNSConfig", "options", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.core.v1.PodDNSConfig", "searches", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.core.v1.PodSecurityContext", "supplementalGroups", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.core.v1.PodSecurityContext", "sysctls", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.core.v1.PodSpec", "containers", facts(Some("name"), Some("merge"), Some("map"), &["name"], None)),
    ("io.k8s.api.core.v1.PodSpec", "ephemeralContainers", facts(Some("name"), Some("merge"), Some("map"), &["name"], None)),
    ("io.k8s.api.core.v1.PodSpec", "hostAliases", facts(Some("ip"), Some("merge"), Some("map"), &["ip"], None)),
    ("io.k8s.api.core.v1.PodSpec", "imagePullSecrets", facts(Some("name"), Some("merge"), Some("map"), &["name"], None)),
    ("io.k8s.api.core.v1.PodSpec", "initContainers", facts(Some("name"), Some("merge"), Some("map"), &["name"], None)),
    ("io.k8s.api.core.v1.PodSpec", "nodeSelector", facts(None, None, None, &[], Some("atomic"))),
    ("io.k8s.api.core.v1.PodSpec", "readinessGates", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.core.v1.PodSpec", "resourceClaims", facts(Some("name"), Some("merge,retainKeys"), Some("map"), &["name"], None)),
    ("io.k8s.api.core.v1.PodSpec", "schedulingGates", facts(Some("name"), Some("merge"), Some("map"), &["name"], None)),
    ("io.k8s.api.core.v1.PodSpec", "tolerations", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.core.v1.PodSpec", "topologySpreadConstraints", facts(Some("topologyKey"), Some("merge"), Some("map"), &["topologyKey", "whenUnsatisfiable"], None)),
    ("io.k8s.api.core.v1.PodSpec", "volumes", facts(Some("name"), Some("merge,retainKeys"), Some("map"), &["name"], None)),
    ("io.k8s.api.core.v1.PodStatus", "conditions", facts(Some("type"), Some("merge"), Some("map"), &["type"], None)),
    ("io.k8s.api.core.v1.PodStatus", "containerStatuses", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.core.v1.PodStatus", "ephemeralContainerStatuses", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.core.v1.PodStatus", "hostIPs", facts(Some("ip"), Some("merge"), Some("atomic"), &[], None)),
    ("io.k8s.api.core.v1.PodStatus", "initContainerStatuses", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.core.v1.PodStatus", "podIPs", facts(Some("ip"), Some("merge"), Some("map"), &["ip"], None)),
    ("io.k8s.api.core.v1.PodStatus", "resourceClaimStatuses", facts(Some("name"), Some("merge,retainKeys"), Some("map"), &["name"], None)),
    ("io.k8s.api.core.v1.ProjectedVolumeSource", "sources", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.core.v1.RBDPersistentVolumeSource", "monitors", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.core.v1.RBDVolumeSource", "monitors", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.core.v1.ReplicationControllerSpec", "selector", facts(None, None, None, &[], Some("atomic"))),
    ("io.k8s.api.core.v1.ReplicationControllerStatus", "conditions", facts(Some("type"), Some("merge"), Some("map"), &["type"], None)),
    ("io.k8s.api.core.v1.ResourceQuotaSpec", "scopes", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.core.v1.ResourceRequirements", "claims", facts(None, None, Some("map"), &["name"], None)),
    ("io.k8s.api.core.v1.ResourceStatus", "resources", facts(None, None, Some("map"), &["resourceID"], None)),
    ("io.k8s.api.core.v1.ScopeSelector", "matchExpressions", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.core.v1.ScopedResourceSelectorRequirement", "values", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.core.v1.SecretProjection", "items", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.core.v1.SecretVolumeSource", "items", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.core.v1.ServiceAccount", "imagePullSecrets", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.core.v1.ServiceAccount", "secrets", facts(Some("name"), Some("merge"), Some("map"), &["name"], None)),
    ("io.k8s.api.core.v1.ServiceSpec", "clusterIPs", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.core.v1.ServiceSpec", "externalIPs", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.core.v1.ServiceSpec", "ipFamilies", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.core.v1.ServiceSpec", "loadBalancerSourceRanges", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.core.v1.ServiceSpec", "ports", facts(Some("port"), Some("merge"), Some("map"), &["port", "protocol"], None)),
    ("io.k8s.api.core.v1.ServiceSpec", "selector", facts(None, None, None, &[], Some("atomic"))),
    ("io.k8s.api.core.v1.ServiceStatus", "conditions", facts(Some("type"), Some("merge"), Some("map"), &["type"], None)),
    ("io.k8s.api.core.v1.TopologySelectorLabelRequirement", "values", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.core.v1.TopologySelectorTerm", "matchLabelExpressions", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.core.v1.TopologySpreadConstraint", "matchLabelKeys", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.discovery.v1.Endpoint", "addresses", facts(None, None, Some("set"), &[], None)),
    ("io.k8s.api.discovery.v1.EndpointHints", "forNodes", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.discovery.v1.EndpointHints", "forZones", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.discovery.v1.EndpointSlice", "endpoints", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.discovery.v1.EndpointSlice", "ports", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.flowcontrol.v1.FlowSchemaSpec", "rules", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.flowcontrol.v1.FlowSchemaStatus", "conditions", facts(Some("type"), Some("merge"), Some("map"), &["type"], None)),
    ("io.k8s.api.flowcontrol.v1.NonResourcePolicyRule", "nonResourceURLs", facts(None, None, Some("set"), &[], None)),
    ("io.k8s.api.flowcontrol.v1.NonResourcePolicyRule", "verbs", facts(None, None, Some("set"), &[], None)),
    ("io.k8s.api.flowcontrol.v1.PolicyRulesWithSubjects", "nonResourceRules", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.flowcontrol.v1.PolicyRulesWithSubjects", "resourceRules", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.flowcontrol.v1.PolicyRulesWithSubjects", "subjects", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.flowcontrol.v1.PriorityLevelConfigurationStatus", "conditions", facts(Some("type"), Some("merge"), Some("map"), &["type"], None)),
    ("io.k8s.api.flowcontrol.v1.ResourcePolicyRule", "apiGroups", facts(None, None, Some("set"), &[], None)),
    ("io.k8s.api.flowcontrol.v1.ResourcePolicyRule", "namespaces", facts(None, None, Some("set"), &[], None)),
    ("io.k8s.api.flowcontrol.v1.ResourcePolicyRule", "resources", facts(None, None, Some("set"), &[], None)),
    ("io.k8s.api.flowcontrol.v1.ResourcePolicyRule", "verbs", facts(None, None, Some("set"), &[], None)),
    ("io.k8s.api.networking.v1.HTTPIngressRuleValue", "paths", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.networking.v1.IPBlock", "except", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.networking.v1.IngressLoadBalancerIngress", "ports", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.networking.v1.IngressLoadBalancerStatus", "ingress", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.networking.v1.IngressSpec", "rules", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.networking.v1.IngressSpec", "tls", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.networking.v1.IngressTLS", "hosts", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.networking.v1.NetworkPolicyEgressRule", "ports", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.networking.v1.NetworkPolicyEgressRule", "to", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.networking.v1.NetworkPolicyIngressRule", "from", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.networking.v1.NetworkPolicyIngressRule", "ports", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.networking.v1.NetworkPolicySpec", "egress", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.networking.v1.NetworkPolicySpec", "ingress", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.networking.v1.NetworkPolicySpec", "policyTypes", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.networking.v1.ServiceCIDRSpec", "cidrs", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.networking.v1.ServiceCIDRStatus", "conditions", facts(Some("type"), Some("merge"), Some("map"), &["type"], None)),
    ("io.k8s.api.networking.v1beta1.ServiceCIDRSpec", "cidrs", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.networking.v1beta1.ServiceCIDRStatus", "conditions", facts(Some("type"), Some("merge"), Some("map"), &["type"], None)),
    ("io.k8s.api.node.v1.Scheduling", "nodeSelector", facts(None, None, None, &[], Some("atomic"))),
    ("io.k8s.api.node.v1.Scheduling", "tolerations", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.policy.v1.PodDisruptionBudgetSpec", "selector", facts(None, Some("replace"), None, &[], None)),
    ("io.k8s.api.policy.v1.PodDisruptionBudgetStatus", "conditions", facts(Some("type"), Some("merge"), Some("map"), &["type"], None)),
    ("io.k8s.api.rbac.v1.AggregationRule", "clusterRoleSelectors", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.rbac.v1.ClusterRole", "rules", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.rbac.v1.ClusterRoleBinding", "subjects", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.rbac.v1.PolicyRule", "apiGroups", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.rbac.v1.PolicyRule", "nonResourceURLs", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.rbac.v1.PolicyRule", "resourceNames", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.rbac.v1.PolicyRule", "resources", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.rbac.v1.PolicyRule", "verbs", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.rbac.v1.Role", "rules", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.rbac.v1.RoleBinding", "subjects", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.resource.v1alpha3.AllocatedDeviceStatus", "conditions", facts(None, None, Some("map"), &["type"], None)),
    ("io.k8s.api.resource.v1alpha3.BasicDevice", "consumesCounters", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.resource.v1alpha3.BasicDevice", "taints", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.resource.v1alpha3.DeviceAllocationConfiguration", "requests", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.resource.v1alpha3.DeviceAllocationResult", "config", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.resource.v1alpha3.DeviceAllocationResult", "results", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.resource.v1alpha3.DeviceClaim", "config", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.resource.v1alpha3.DeviceClaim", "constraints", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.resource.v1alpha3.DeviceClaim", "requests", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.resource.v1alpha3.DeviceClaimConfiguration", "requests", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.resource.v1alpha3.DeviceClassSpec", "config", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.resource.v1alpha3.DeviceClassSpec", "selectors", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.resource.v1alpha3.DeviceConstraint", "requests", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.resource.v1alpha3.DeviceRequest", "firstAvailable", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.resource.v1alpha3.DeviceRequest", "selectors", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.resource.v1alpha3.DeviceRequest", "tolerations", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.resource.v1alpha3.DeviceRequestAllocationResult", "tolerations", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.resource.v1alpha3.DeviceSubRequest", "selectors", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.resource.v1alpha3.DeviceSubRequest", "tolerations", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.resource.v1alpha3.DeviceTaintSelector", "selectors", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.resource.v1alpha3.NetworkDeviceData", "ips", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.resource.v1alpha3.ResourceClaimStatus", "devices", facts(None, None, Some("map"), &["driver", "device", "pool"], None)),
    ("io.k8s.api.resource.v1alpha3.ResourceClaimStatus", "reservedFor", facts(Some("uid"), Some("merge"), Some("map"), &["uid"], None)),
    ("io.k8s.api.resource.v1alpha3.ResourceSliceSpec", "devices", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.resource.v1alpha3.ResourceSliceSpec", "sharedCounters", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.resource.v1beta1.AllocatedDeviceStatus", "conditions", facts(None, None, Some("map"), &["type"], None)),
    ("io.k8s.api.resource.v1beta1.BasicDevice", "consumesCounters", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.resource.v1beta1.BasicDevice", "taints", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.resource.v1beta1.DeviceAllocationConfiguration", "requests", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.resource.v1beta1.DeviceAllocationResult", "config", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.resource.v1beta1.DeviceAllocationResult", "results", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.resource.v1beta1.DeviceClaim", "config", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.resource.v1beta1.DeviceClaim", "constraints", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.resource.v1beta1.DeviceClaim", "requests", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.resource.v1beta1.DeviceClaimConfiguration", "requests", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.resource.v1beta1.DeviceClassSpec", "config", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.resource.v1beta1.DeviceClassSpec", "selectors", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.resource.v1beta1.DeviceConstraint", "requests", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.resource.v1beta1.DeviceRequest", "firstAvailable", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.resource.v1beta1.DeviceRequest", "selectors", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.resource.v1beta1.DeviceRequest", "tolerations", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.resource.v1beta1.DeviceRequestAllocationResult", "tolerations", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.resource.v1beta1.DeviceSubRequest", "selectors", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.resource.v1beta1.DeviceSubRequest", "tolerations", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.resource.v1beta1.NetworkDeviceData", "ips", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.resource.v1beta1.ResourceClaimStatus", "devices", facts(None, None, Some("map"), &["driver", "device", "pool"], None)),
    ("io.k8s.api.resource.v1beta1.ResourceClaimStatus", "reservedFor", facts(Some("uid"), Some("merge"), Some("map"), &["uid"], None)),
    ("io.k8s.api.resource.v1beta1.ResourceSliceSpec", "devices", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.resource.v1beta1.ResourceSliceSpec", "sharedCounters", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.resource.v1beta2.AllocatedDeviceStatus", "conditions", facts(None, None, Some("map"), &["type"], None)),
    ("io.k8s.api.resource.v1beta2.Device", "consumesCounters", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.resource.v1beta2.Device", "taints", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.resource.v1beta2.DeviceAllocationConfiguration", "requests", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.resource.v1beta2.DeviceAllocationResult", "config", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.resource.v1beta2.DeviceAllocationResult", "results", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.resource.v1beta2.DeviceClaim", "config", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.resource.v1beta2.DeviceClaim", "constraints", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.resource.v1beta2.DeviceClaim", "requests", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.resource.v1beta2.DeviceClaimConfiguration", "requests", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.resource.v1beta2.DeviceClassSpec", "config", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.resource.v1beta2.DeviceClassSpec", "selectors", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.resource.v1beta2.DeviceConstraint", "requests", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.resource.v1beta2.DeviceRequest", "firstAvailable", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.resource.v1beta2.DeviceRequestAllocationResult", "tolerations", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.resource.v1beta2.DeviceSubRequest", "selectors", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.resource.v1beta2.DeviceSubRequest", "tolerations", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.resource.v1beta2.ExactDeviceRequest", "selectors", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.resource.v1beta2.ExactDeviceRequest", "tolerations", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.resource.v1beta2.NetworkDeviceData", "ips", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.resource.v1beta2.ResourceClaimStatus", "devices", facts(None, None, Some("map"), &["driver", "device", "pool"], None)),
    ("io.k8s.api.resource.v1beta2.ResourceClaimStatus", "reservedFor", facts(Some("uid"), Some("merge"), Some("map"), &["uid"], None)),
    ("io.k8s.api.resource.v1beta2.ResourceSliceSpec", "devices", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.resource.v1beta2.ResourceSliceSpec", "sharedCounters", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.storage.v1.CSIDriverSpec", "tokenRequests", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.storage.v1.CSIDriverSpec", "volumeLifecycleModes", facts(None, None, Some("set"), &[], None)),
    ("io.k8s.api.storage.v1.CSINodeDriver", "topologyKeys", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.storage.v1.CSINodeSpec", "drivers", facts(Some("name"), Some("merge"), Some("map"), &["name"], None)),
    ("io.k8s.api.storage.v1.StorageClass", "allowedTopologies", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.storage.v1.StorageClass", "mountOptions", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.api.storagemigration.v1alpha1.StorageVersionMigrationStatus", "conditions", facts(Some("type"), Some("merge"), Some("map"), &["type"], None)),
    ("io.k8s.apimachinery.pkg.apis.meta.v1.APIGroup", "serverAddressByClientCIDRs", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.apimachinery.pkg.apis.meta.v1.APIGroup", "versions", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.apimachinery.pkg.apis.meta.v1.APIGroupList", "groups", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.apimachinery.pkg.apis.meta.v1.APIResource", "categories", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.apimachinery.pkg.apis.meta.v1.APIResource", "shortNames", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.apimachinery.pkg.apis.meta.v1.APIResourceList", "resources", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.apimachinery.pkg.apis.meta.v1.APIVersions", "serverAddressByClientCIDRs", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.apimachinery.pkg.apis.meta.v1.APIVersions", "versions", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions", "dryRun", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.apimachinery.pkg.apis.meta.v1.FieldSelectorRequirement", "values", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector", "matchExpressions", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelectorRequirement", "values", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", "finalizers", facts(None, Some("merge"), Some("set"), &[], None)),
    ("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", "managedFields", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", "ownerReferences", facts(Some("uid"), Some("merge"), Some("map"), &["uid"], None)),
    ("io.k8s.apimachinery.pkg.apis.meta.v1.Status", "details", facts(None, None, Some("atomic"), &[], None)),
    ("io.k8s.apimachinery.pkg.apis.meta.v1.StatusDetails", "causes", facts(None, None, Some("atomic"), &[], None)),
];

#[rustfmt::skip]
static SCHEMA_FACTS: &[(&str, SchemaFacts)] = &[
    ("io.k8s.api.admissionregistration.v1.MatchResources", SchemaFacts { map_type: Some("atomic"), unions: &[] }),
    ("io.k8s.api.admissionregistration.v1.NamedRuleWithOperations", SchemaFacts { map_type: Some("atomic"), unions: &[] }),
    ("io.k8s.api.admissionregistration.v1.ParamKind", SchemaFacts { map_type: Some("atomic"), unions: &[] }),
    ("io.k8s.api.admissionregistration.v1.ParamRef", SchemaFacts { map_type: Some("atomic"), unions: &[] }),
    ("io.k8s.api.admissionregistration.v1.Variable", SchemaFacts { map_type: Some("atomic"), unions: &[] }),
    ("io.k8s.api.admissionregistration.v1alpha1.MatchResources", SchemaFacts { map_type: Some("atomic"), unions: &[] }),
    ("io.k8s.api.admissionregistration.v1alpha1.NamedRuleWithOperations", SchemaFacts { map_type: Some("atomic"), unions: &[] }),
    ("io.k8s.api.admissionregistration.v1alpha1.ParamKind", SchemaFacts { map_type: Some("atomic"), unions: &[] }),
    ("io.k8s.api.admissionregistration.v1alpha1.ParamRef", SchemaFacts { map_type: Some("atomic"), unions: &[] }),
    ("io.k8s.api.admissionregistration.v1beta1.MatchResources", SchemaFacts { map_type: Some("atomic"), unions: &[] }),
    ("io.k8s.api.admissionregistration.v1beta1.NamedRuleWithOperations", SchemaFacts { map_type: Some("atomic"), unions: &[] }),
    ("io.k8s.api.admissionregistration.v1beta1.ParamKind", SchemaFacts { map_type: Some("atomic"), unions: &[] }),
    ("io.k8s.api.admissionregistration.v1beta1.ParamRef", SchemaFacts { map_type: Some("atomic"), unions: &[] }),
    ("io.k8s.api.admissionregistration.v1beta1.Variable", SchemaFacts { map_type: Some("atomic"), unions: &[] }),
    ("io.k8s.api.autoscaling.v1.CrossVersionObjectReference", SchemaFacts { map_type: Some("atomic"), unions: &[] }),
    ("io.k8s.api.core.v1.AppArmorProfile", SchemaFacts { map_type: None, unions: &[UnionFacts { discriminator: Some("type"), fields_to_discriminate_by: &[("localhostProfile", "LocalhostProfile")] }] }),
    ("io.k8s.api.core.v1.ConfigMapKeySelector", SchemaFacts { map_type: Some("atomic"), unions: &[] }),
    ("io.k8s.api.core.v1.EndpointAddress", SchemaFacts { map_type: Some("atomic"), unions: &[] }),
    ("io.k8s.api.core.v1.EndpointPort", SchemaFacts { map_type: Some("atomic"), unions: &[] }),
    ("io.k8s.api.core.v1.LocalObjectReference", SchemaFacts { map_type: Some("atomic"), unions: &[] }),
    ("io.k8s.api.core.v1.NodeSelector", SchemaFacts { map_type: Some("atomic"), unions: &[] }),
    ("io.k8s.api.core.v1.NodeSelectorTerm", SchemaFacts { map_type: Some("atomic"), unions: &[] }),
    ("io.k8s.api.core.v1.ObjectFieldSelector", SchemaFacts { map_type: Some("atomic"), unions: &[] }),
    ("io.k8s.api.core.v1.ObjectReference", SchemaFacts { map_type: Some("atomic"), unions: &[] }),
    ("io.k8s.api.core.v1.ResourceFieldSelector", SchemaFacts { map_type: Some("atomic"), unions: &[] }),
    ("io.k8s.api.core.v1.ScopeSelector", SchemaFacts { map_type: Some("atomic"), unions: &[] }),
    ("io.k8s.api.core.v1.SeccompProfile", SchemaFacts { map_type: None, unions: &[UnionFacts { discriminator: Some("type"), fields_to_discriminate_by: &[("localhostProfile", "LocalhostProfile")] }] }),
    ("io.k8s.api.core.v1.SecretKeySelector", SchemaFacts { map_type: Some("atomic"), unions: &[] }),
    ("io.k8s.api.core.v1.SecretReference", SchemaFacts { map_type: Some("atomic"), unions: &[] }),
    ("io.k8s.api.core.v1.TopologySelectorTerm", SchemaFacts { map_type: Some("atomic"), unions: &[] }),
    ("io.k8s.api.core.v1.TypedLocalObjectReference", SchemaFacts { map_type: Some("atomic"), unions: &[] }),
    ("io.k8s.api.discovery.v1.EndpointPort", SchemaFacts { map_type: Some("atomic"), unions: &[] }),
    ("io.k8s.api.flowcontrol.v1.LimitResponse", SchemaFacts { map_type: None, unions: &[UnionFacts { discriminator: Some("type"), fields_to_discriminate_by: &[("queuing", "Queuing")] }] }),
    ("io.k8s.api.flowcontrol.v1.PriorityLevelConfigurationSpec", SchemaFacts { map_type: None, unions: &[UnionFacts { discriminator: Some("type"), fields_to_discriminate_by: &[("exempt", "Exempt"), ("limited", "Limited")] }] }),
    ("io.k8s.api.flowcontrol.v1.Subject", SchemaFacts { map_type: None, unions: &[UnionFacts { discriminator: Some("kind"), fields_to_discriminate_by: &[("group", "Group"), ("serviceAccount", "ServiceAccount"), ("user", "User")] }] }),
    ("io.k8s.api.networking.v1.ServiceBackendPort", SchemaFacts { map_type: Some("atomic"), unions: &[] }),
    ("io.k8s.api.rbac.v1.RoleRef", SchemaFacts { map_type: Some("atomic"), unions: &[] }),
    ("io.k8s.api.rbac.v1.Subject", SchemaFacts { map_type: Some("atomic"), unions: &[] }),
    ("io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector", SchemaFacts { map_type: Some("atomic"), unions: &[] }),
    ("io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference", SchemaFacts { map_type: Some("atomic"), unions: &[] }),
];

#[cfg(test)]
mod tests {
    use super::*;

    use serde_json::Value;

    fn reachable_schemas() -> serde_json::Map<String, Value> {
        crate::schemas::all().clone()
    }

    #[test]
    fn tables_are_sorted_and_unique() {
        assert!(
            FIELD_FACTS
                .windows(2)
                .all(|w| (w[0].0, w[0].1) < (w[1].0, w[1].1))
        );
        assert!(SCHEMA_FACTS.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn every_fact_names_a_real_schema_and_property() {
        let defs = reachable_schemas();
        for (schema, property, f) in all() {
            let def = defs
                .get(schema)
                .unwrap_or_else(|| panic!("{schema} is not a schema reachable from any kind"));
            let prop = def
                .get("properties")
                .and_then(|p| p.get(property))
                .unwrap_or_else(|| panic!("{schema} has no property {property}"));
            let is_array = prop.get("type").and_then(Value::as_str) == Some("array");
            if f.merge_key.is_some() || !f.list_map_keys.is_empty() || f.list_type == Some("map") {
                assert!(
                    is_array,
                    "{schema}.{property} has list facts but is not a list"
                );
            }
            if let Some(k) = f.merge_key {
                assert!(
                    f.strategy.is_some(),
                    "{schema}.{property}: merge key {k} without strategy"
                );
            }
            assert_eq!(
                f.list_type == Some("map"),
                !f.list_map_keys.is_empty(),
                "{schema}.{property}: list-map-keys go with list-type map"
            );
        }
        for (schema, _) in all_schemas() {
            assert!(
                defs.contains_key(schema),
                "{schema} is not a reachable schema"
            );
        }
    }

    #[test]
    fn upstream_facts_that_kubectl_relies_on() {
        let pod_spec = "io.k8s.api.core.v1.PodSpec";
        let containers = field_facts(pod_spec, "containers").expect("PodSpec.containers");
        assert_eq!(containers.merge_key, Some("name"));
        assert_eq!(containers.strategy, Some("merge"));
        assert_eq!(containers.list_type, Some("map"));
        assert_eq!(containers.list_map_keys, ["name"]);

        let ports = field_facts("io.k8s.api.core.v1.Container", "ports").expect("Container.ports");
        assert_eq!(ports.merge_key, Some("containerPort"));
        assert_eq!(ports.list_map_keys, ["containerPort", "protocol"]);
        let mounts = field_facts("io.k8s.api.core.v1.Container", "volumeMounts").expect("mounts");
        assert_eq!(mounts.merge_key, Some("mountPath"));
        let env = field_facts("io.k8s.api.core.v1.Container", "env").expect("Container.env");
        assert_eq!(env.merge_key, Some("name"));

        let svc =
            field_facts("io.k8s.api.core.v1.ServiceSpec", "ports").expect("ServiceSpec.ports");
        assert_eq!(svc.merge_key, Some("port"));
        assert_eq!(svc.list_map_keys, ["port", "protocol"]);

        let tolerations = field_facts(pod_spec, "tolerations").expect("PodSpec.tolerations");
        assert_eq!(tolerations.merge_key, None);
        assert_eq!(tolerations.strategy, None);
        assert_eq!(tolerations.list_type, Some("atomic"));

        let volumes = field_facts(pod_spec, "volumes").expect("PodSpec.volumes");
        assert_eq!(volumes.merge_key, Some("name"));
        assert_eq!(volumes.strategy, Some("merge,retainKeys"));
        assert!(volumes.has_strategy("retainKeys") && volumes.has_strategy("merge"));
        assert!(!volumes.has_strategy("replace"));
        for (property, key) in [
            ("initContainers", "name"),
            ("imagePullSecrets", "name"),
            ("hostAliases", "ip"),
        ] {
            assert_eq!(
                field_facts(pod_spec, property).and_then(|f| f.merge_key),
                Some(key)
            );
        }
        let conditions = field_facts("io.k8s.api.core.v1.PodStatus", "conditions").expect("conds");
        assert_eq!(conditions.merge_key, Some("type"));

        let meta = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";
        let owners = field_facts(meta, "ownerReferences").expect("ObjectMeta.ownerReferences");
        assert_eq!(owners.merge_key, Some("uid"));
        let finalizers = field_facts(meta, "finalizers").expect("ObjectMeta.finalizers");
        assert_eq!(finalizers.strategy, Some("merge"));
        assert_eq!(finalizers.list_type, Some("set"));
        assert_eq!(finalizers.merge_key, None);

        let strategy =
            field_facts("io.k8s.api.apps.v1.DeploymentSpec", "strategy").expect("strategy");
        assert_eq!(strategy.strategy, Some("retainKeys"));
        let selector = field_facts("io.k8s.api.core.v1.ServiceSpec", "selector").expect("selector");
        assert_eq!(selector.map_type, Some("atomic"));

        assert_eq!(field_facts(pod_spec, "nodeName"), None);
        assert_eq!(
            field_facts("io.k8s.api.core.v1.NoSuchSchema", "containers"),
            None
        );
    }

    #[test]
    fn schema_level_facts() {
        let sel = schema_facts("io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector");
        assert_eq!(sel.and_then(|f| f.map_type), Some("atomic"));
        let seccomp = schema_facts("io.k8s.api.core.v1.SeccompProfile").expect("SeccompProfile");
        assert_eq!(seccomp.unions.len(), 1);
        assert_eq!(seccomp.unions[0].discriminator, Some("type"));
        assert_eq!(
            seccomp.unions[0].fields_to_discriminate_by,
            [("localhostProfile", "LocalhostProfile")]
        );
        assert_eq!(schema_facts("io.k8s.api.core.v1.PodSpec"), None);
    }

    #[test]
    fn properties_lists_one_schema() {
        let props: Vec<_> = properties("io.k8s.api.core.v1.Pod").collect();
        assert!(props.is_empty(), "Pod itself has no list facts: {props:?}");
        let spec: Vec<_> = properties("io.k8s.api.core.v1.PodSpec")
            .map(|(p, _)| p)
            .collect();
        assert!(spec.contains(&"containers") && spec.contains(&"volumes"));
        assert!(spec.windows(2).all(|w| w[0] < w[1]));
        assert!(properties("io.k8s.api.core.v1.PodSpecX").next().is_none());
    }
}
