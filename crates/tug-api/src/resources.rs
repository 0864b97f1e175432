//! The table of resources tug serves: names, scope, verbs, subresources — what discovery
//! publishes and what the REST layer routes by. Order matters: discovery lists resources in
//! this order, and kubectl's `get all` follows it.

/// One served subresource (`pods/status`, `deployments/scale`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SubresourceInfo {
    pub name: &'static str,
    /// Group, version and kind of the subresource's body.
    pub group: &'static str,
    pub version: &'static str,
    pub kind: &'static str,
    pub verbs: &'static [&'static str],
}

/// One served resource at one group-version.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ResourceInfo {
    pub group: &'static str,
    pub version: &'static str,
    pub kind: &'static str,
    pub list_kind: &'static str,
    pub plural: &'static str,
    pub singular: &'static str,
    pub namespaced: bool,
    pub short_names: &'static [&'static str],
    pub categories: &'static [&'static str],
    pub verbs: &'static [&'static str],
    pub subresources: &'static [SubresourceInfo],
}

impl ResourceInfo {
    /// `v1` or `apps/v1`.
    pub fn api_version(&self) -> String {
        if self.group.is_empty() {
            self.version.to_string()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }

    /// The storage key prefix of all objects of this resource, ending in `/`:
    /// `/registry/pods/` or `/registry/apps/deployments/`.
    pub fn key_prefix(&self) -> String {
        // Resources served by several groups share one storage (upstream's storage
        // resource): events.k8s.io/v1 Events are core Events.
        if (self.group, self.plural) == ("events.k8s.io", "events") {
            return "/registry/events/".to_string();
        }
        if self.group.is_empty() {
            format!("/registry/{}/", self.plural)
        } else {
            format!("/registry/{}/{}/", self.group, self.plural)
        }
    }

    /// The storage key of one object (namespace ignored for cluster-scoped resources).
    pub fn key(&self, namespace: &str, name: &str) -> String {
        if self.namespaced {
            format!("{}{}/{}", self.key_prefix(), namespace, name)
        } else {
            format!("{}{}", self.key_prefix(), name)
        }
    }

    /// The subresource named `name`, if served.
    pub fn subresource(&self, name: &str) -> Option<&'static SubresourceInfo> {
        self.subresources.iter().find(|s| s.name == name)
    }
}

/// The verbs of an ordinary resource.
pub const STANDARD_VERBS: &[&str] = &[
    "create",
    "delete",
    "deletecollection",
    "get",
    "list",
    "patch",
    "update",
    "watch",
];
/// Namespaces have no `deletecollection`.
pub const NAMESPACE_VERBS: &[&str] = &[
    "create", "delete", "get", "list", "patch", "update", "watch",
];
const STATUS_VERBS: &[&str] = &["get", "patch", "update"];

const fn status(group: &'static str, kind: &'static str) -> SubresourceInfo {
    SubresourceInfo {
        name: "status",
        group,
        version: "v1",
        kind,
        verbs: STATUS_VERBS,
    }
}

const SCALE: SubresourceInfo = SubresourceInfo {
    name: "scale",
    group: "autoscaling",
    version: "v1",
    kind: "Scale",
    verbs: STATUS_VERBS,
};

/// The `status` subresource of `autoscaling/v2` HorizontalPodAutoscalers (their body is
/// the v2 object).
const HPA_V2_STATUS: SubresourceInfo = SubresourceInfo {
    name: "status",
    group: "autoscaling",
    version: "v2",
    kind: "HorizontalPodAutoscaler",
    verbs: STATUS_VERBS,
};

/// Every resource tug serves, in discovery order.
pub static RESOURCES: &[ResourceInfo] = &[
    ResourceInfo {
        group: "",
        version: "v1",
        kind: "Pod",
        list_kind: "PodList",
        plural: "pods",
        singular: "pod",
        namespaced: true,
        short_names: &["po"],
        categories: &["all"],
        verbs: STANDARD_VERBS,
        subresources: &[
            SubresourceInfo {
                name: "binding",
                group: "",
                version: "v1",
                kind: "Binding",
                verbs: &["create"],
            },
            SubresourceInfo {
                name: "eviction",
                group: "policy",
                version: "v1",
                kind: "Eviction",
                verbs: &["create"],
            },
            status("", "Pod"),
        ],
    },
    ResourceInfo {
        group: "",
        version: "v1",
        kind: "ReplicationController",
        list_kind: "ReplicationControllerList",
        plural: "replicationcontrollers",
        singular: "replicationcontroller",
        namespaced: true,
        short_names: &["rc"],
        categories: &["all"],
        verbs: STANDARD_VERBS,
        subresources: &[SCALE, status("", "ReplicationController")],
    },
    ResourceInfo {
        group: "",
        version: "v1",
        kind: "Service",
        list_kind: "ServiceList",
        plural: "services",
        singular: "service",
        namespaced: true,
        short_names: &["svc"],
        categories: &["all"],
        verbs: STANDARD_VERBS,
        subresources: &[status("", "Service")],
    },
    ResourceInfo {
        group: "",
        version: "v1",
        kind: "Namespace",
        list_kind: "NamespaceList",
        plural: "namespaces",
        singular: "namespace",
        namespaced: false,
        short_names: &["ns"],
        categories: &[],
        verbs: NAMESPACE_VERBS,
        subresources: &[
            SubresourceInfo {
                name: "finalize",
                group: "",
                version: "v1",
                kind: "Namespace",
                verbs: &["update"],
            },
            status("", "Namespace"),
        ],
    },
    ResourceInfo {
        group: "",
        version: "v1",
        kind: "Node",
        list_kind: "NodeList",
        plural: "nodes",
        singular: "node",
        namespaced: false,
        short_names: &["no"],
        categories: &[],
        verbs: STANDARD_VERBS,
        subresources: &[status("", "Node")],
    },
    ResourceInfo {
        group: "",
        version: "v1",
        kind: "Endpoints",
        list_kind: "EndpointsList",
        plural: "endpoints",
        singular: "endpoints",
        namespaced: true,
        short_names: &["ep"],
        categories: &[],
        verbs: STANDARD_VERBS,
        subresources: &[],
    },
    ResourceInfo {
        group: "",
        version: "v1",
        kind: "ConfigMap",
        list_kind: "ConfigMapList",
        plural: "configmaps",
        singular: "configmap",
        namespaced: true,
        short_names: &["cm"],
        categories: &[],
        verbs: STANDARD_VERBS,
        subresources: &[],
    },
    ResourceInfo {
        group: "",
        version: "v1",
        kind: "Secret",
        list_kind: "SecretList",
        plural: "secrets",
        singular: "secret",
        namespaced: true,
        short_names: &[],
        categories: &[],
        verbs: STANDARD_VERBS,
        subresources: &[],
    },
    ResourceInfo {
        group: "",
        version: "v1",
        kind: "ServiceAccount",
        list_kind: "ServiceAccountList",
        plural: "serviceaccounts",
        singular: "serviceaccount",
        namespaced: true,
        short_names: &["sa"],
        categories: &[],
        verbs: STANDARD_VERBS,
        subresources: &[],
    },
    ResourceInfo {
        group: "",
        version: "v1",
        kind: "Event",
        list_kind: "EventList",
        plural: "events",
        singular: "event",
        namespaced: true,
        short_names: &["ev"],
        categories: &[],
        verbs: STANDARD_VERBS,
        subresources: &[],
    },
    ResourceInfo {
        group: "",
        version: "v1",
        kind: "LimitRange",
        list_kind: "LimitRangeList",
        plural: "limitranges",
        singular: "limitrange",
        namespaced: true,
        short_names: &["limits"],
        categories: &[],
        verbs: STANDARD_VERBS,
        subresources: &[],
    },
    ResourceInfo {
        group: "",
        version: "v1",
        kind: "PersistentVolumeClaim",
        list_kind: "PersistentVolumeClaimList",
        plural: "persistentvolumeclaims",
        singular: "persistentvolumeclaim",
        namespaced: true,
        short_names: &["pvc"],
        categories: &[],
        verbs: STANDARD_VERBS,
        subresources: &[status("", "PersistentVolumeClaim")],
    },
    ResourceInfo {
        group: "",
        version: "v1",
        kind: "PersistentVolume",
        list_kind: "PersistentVolumeList",
        plural: "persistentvolumes",
        singular: "persistentvolume",
        namespaced: false,
        short_names: &["pv"],
        categories: &[],
        verbs: STANDARD_VERBS,
        subresources: &[status("", "PersistentVolume")],
    },
    ResourceInfo {
        group: "",
        version: "v1",
        kind: "PodTemplate",
        list_kind: "PodTemplateList",
        plural: "podtemplates",
        singular: "podtemplate",
        namespaced: true,
        short_names: &[],
        categories: &[],
        verbs: STANDARD_VERBS,
        subresources: &[],
    },
    ResourceInfo {
        group: "",
        version: "v1",
        kind: "ResourceQuota",
        list_kind: "ResourceQuotaList",
        plural: "resourcequotas",
        singular: "resourcequota",
        namespaced: true,
        short_names: &["quota"],
        categories: &[],
        verbs: STANDARD_VERBS,
        subresources: &[status("", "ResourceQuota")],
    },
    ResourceInfo {
        group: "apps",
        version: "v1",
        kind: "ControllerRevision",
        list_kind: "ControllerRevisionList",
        plural: "controllerrevisions",
        singular: "controllerrevision",
        namespaced: true,
        short_names: &[],
        categories: &[],
        verbs: STANDARD_VERBS,
        subresources: &[],
    },
    ResourceInfo {
        group: "apps",
        version: "v1",
        kind: "DaemonSet",
        list_kind: "DaemonSetList",
        plural: "daemonsets",
        singular: "daemonset",
        namespaced: true,
        short_names: &["ds"],
        categories: &["all"],
        verbs: STANDARD_VERBS,
        subresources: &[status("apps", "DaemonSet")],
    },
    ResourceInfo {
        group: "apps",
        version: "v1",
        kind: "Deployment",
        list_kind: "DeploymentList",
        plural: "deployments",
        singular: "deployment",
        namespaced: true,
        short_names: &["deploy"],
        categories: &["all"],
        verbs: STANDARD_VERBS,
        subresources: &[SCALE, status("apps", "Deployment")],
    },
    ResourceInfo {
        group: "apps",
        version: "v1",
        kind: "ReplicaSet",
        list_kind: "ReplicaSetList",
        plural: "replicasets",
        singular: "replicaset",
        namespaced: true,
        short_names: &["rs"],
        categories: &["all"],
        verbs: STANDARD_VERBS,
        subresources: &[SCALE, status("apps", "ReplicaSet")],
    },
    ResourceInfo {
        group: "apps",
        version: "v1",
        kind: "StatefulSet",
        list_kind: "StatefulSetList",
        plural: "statefulsets",
        singular: "statefulset",
        namespaced: true,
        short_names: &["sts"],
        categories: &["all"],
        verbs: STANDARD_VERBS,
        subresources: &[SCALE, status("apps", "StatefulSet")],
    },
    ResourceInfo {
        group: "events.k8s.io",
        version: "v1",
        kind: "Event",
        list_kind: "EventList",
        plural: "events",
        singular: "event",
        namespaced: true,
        short_names: &["ev"],
        categories: &[],
        verbs: STANDARD_VERBS,
        subresources: &[],
    },
    ResourceInfo {
        group: "autoscaling",
        version: "v2",
        kind: "HorizontalPodAutoscaler",
        list_kind: "HorizontalPodAutoscalerList",
        plural: "horizontalpodautoscalers",
        singular: "horizontalpodautoscaler",
        namespaced: true,
        short_names: &["hpa"],
        categories: &["all"],
        verbs: STANDARD_VERBS,
        subresources: &[HPA_V2_STATUS],
    },
    ResourceInfo {
        group: "autoscaling",
        version: "v1",
        kind: "HorizontalPodAutoscaler",
        list_kind: "HorizontalPodAutoscalerList",
        plural: "horizontalpodautoscalers",
        singular: "horizontalpodautoscaler",
        namespaced: true,
        short_names: &["hpa"],
        categories: &["all"],
        verbs: STANDARD_VERBS,
        subresources: &[status("autoscaling", "HorizontalPodAutoscaler")],
    },
    ResourceInfo {
        group: "batch",
        version: "v1",
        kind: "CronJob",
        list_kind: "CronJobList",
        plural: "cronjobs",
        singular: "cronjob",
        namespaced: true,
        short_names: &["cj"],
        categories: &["all"],
        verbs: STANDARD_VERBS,
        subresources: &[status("batch", "CronJob")],
    },
    ResourceInfo {
        group: "batch",
        version: "v1",
        kind: "Job",
        list_kind: "JobList",
        plural: "jobs",
        singular: "job",
        namespaced: true,
        short_names: &[],
        categories: &["all"],
        verbs: STANDARD_VERBS,
        subresources: &[status("batch", "Job")],
    },
    ResourceInfo {
        group: "networking.k8s.io",
        version: "v1",
        kind: "IngressClass",
        list_kind: "IngressClassList",
        plural: "ingressclasses",
        singular: "ingressclass",
        namespaced: false,
        short_names: &[],
        categories: &[],
        verbs: STANDARD_VERBS,
        subresources: &[],
    },
    ResourceInfo {
        group: "networking.k8s.io",
        version: "v1",
        kind: "Ingress",
        list_kind: "IngressList",
        plural: "ingresses",
        singular: "ingress",
        namespaced: true,
        short_names: &["ing"],
        categories: &[],
        verbs: STANDARD_VERBS,
        subresources: &[status("networking.k8s.io", "Ingress")],
    },
    ResourceInfo {
        group: "networking.k8s.io",
        version: "v1",
        kind: "NetworkPolicy",
        list_kind: "NetworkPolicyList",
        plural: "networkpolicies",
        singular: "networkpolicy",
        namespaced: true,
        short_names: &["netpol"],
        categories: &[],
        verbs: STANDARD_VERBS,
        subresources: &[],
    },
    ResourceInfo {
        group: "policy",
        version: "v1",
        kind: "PodDisruptionBudget",
        list_kind: "PodDisruptionBudgetList",
        plural: "poddisruptionbudgets",
        singular: "poddisruptionbudget",
        namespaced: true,
        short_names: &["pdb"],
        categories: &[],
        verbs: STANDARD_VERBS,
        subresources: &[status("policy", "PodDisruptionBudget")],
    },
    ResourceInfo {
        group: "rbac.authorization.k8s.io",
        version: "v1",
        kind: "ClusterRoleBinding",
        list_kind: "ClusterRoleBindingList",
        plural: "clusterrolebindings",
        singular: "clusterrolebinding",
        namespaced: false,
        short_names: &[],
        categories: &[],
        verbs: STANDARD_VERBS,
        subresources: &[],
    },
    ResourceInfo {
        group: "rbac.authorization.k8s.io",
        version: "v1",
        kind: "ClusterRole",
        list_kind: "ClusterRoleList",
        plural: "clusterroles",
        singular: "clusterrole",
        namespaced: false,
        short_names: &[],
        categories: &[],
        verbs: STANDARD_VERBS,
        subresources: &[],
    },
    ResourceInfo {
        group: "rbac.authorization.k8s.io",
        version: "v1",
        kind: "RoleBinding",
        list_kind: "RoleBindingList",
        plural: "rolebindings",
        singular: "rolebinding",
        namespaced: true,
        short_names: &[],
        categories: &[],
        verbs: STANDARD_VERBS,
        subresources: &[],
    },
    ResourceInfo {
        group: "rbac.authorization.k8s.io",
        version: "v1",
        kind: "Role",
        list_kind: "RoleList",
        plural: "roles",
        singular: "role",
        namespaced: true,
        short_names: &[],
        categories: &[],
        verbs: STANDARD_VERBS,
        subresources: &[],
    },
    ResourceInfo {
        group: "storage.k8s.io",
        version: "v1",
        kind: "StorageClass",
        list_kind: "StorageClassList",
        plural: "storageclasses",
        singular: "storageclass",
        namespaced: false,
        short_names: &["sc"],
        categories: &[],
        verbs: STANDARD_VERBS,
        subresources: &[],
    },
    ResourceInfo {
        group: "scheduling.k8s.io",
        version: "v1",
        kind: "PriorityClass",
        list_kind: "PriorityClassList",
        plural: "priorityclasses",
        singular: "priorityclass",
        namespaced: false,
        short_names: &["pc"],
        categories: &[],
        verbs: STANDARD_VERBS,
        subresources: &[],
    },
    ResourceInfo {
        group: "coordination.k8s.io",
        version: "v1",
        kind: "Lease",
        list_kind: "LeaseList",
        plural: "leases",
        singular: "lease",
        namespaced: true,
        short_names: &[],
        categories: &[],
        verbs: STANDARD_VERBS,
        subresources: &[],
    },
    ResourceInfo {
        group: "discovery.k8s.io",
        version: "v1",
        kind: "EndpointSlice",
        list_kind: "EndpointSliceList",
        plural: "endpointslices",
        singular: "endpointslice",
        namespaced: true,
        short_names: &[],
        categories: &[],
        verbs: STANDARD_VERBS,
        subresources: &[],
    },
];

/// Looks a resource up by group, version and plural name.
pub fn find(group: &str, version: &str, plural: &str) -> Option<&'static ResourceInfo> {
    RESOURCES
        .iter()
        .find(|r| r.group == group && r.version == version && r.plural == plural)
}

/// Looks a resource up by group and kind (any served version).
pub fn find_kind(group: &str, kind: &str) -> Option<&'static ResourceInfo> {
    RESOURCES
        .iter()
        .find(|r| r.group == group && r.kind == kind)
}

/// The served groups with their versions, preferred version first, in discovery order;
/// the core group is `""`.
pub fn groups() -> Vec<(&'static str, Vec<&'static str>)> {
    let mut out: Vec<(&'static str, Vec<&'static str>)> = Vec::new();
    for r in RESOURCES {
        match out.iter_mut().find(|(g, _)| *g == r.group) {
            Some((_, vs)) => {
                if !vs.contains(&r.version) {
                    vs.push(r.version)
                }
            }
            None => out.push((r.group, vec![r.version])),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_k8s_io_events_are_stored_as_core_events() {
        let core = find("", "v1", "events").expect("core events served");
        let v1 = find("events.k8s.io", "v1", "events").expect("events.k8s.io events served");
        assert_eq!(v1.key("default", "e1"), core.key("default", "e1"));
        assert_eq!(v1.key_prefix(), "/registry/events/");
        // The storage version (core) comes first in discovery order.
        let pos = |r: &ResourceInfo| RESOURCES.iter().position(|x| x == r);
        assert!(pos(core) < pos(v1));
    }

    #[test]
    fn keys_follow_the_kubernetes_registry_layout() {
        let pods = find("", "v1", "pods").expect("pods served");
        assert_eq!(pods.key("default", "nginx"), "/registry/pods/default/nginx");
        let ns = find("", "v1", "namespaces").expect("namespaces served");
        assert_eq!(
            ns.key("ignored", "kube-system"),
            "/registry/namespaces/kube-system"
        );
        let d = find("apps", "v1", "deployments").expect("deployments served");
        assert_eq!(d.key("a", "b"), "/registry/apps/deployments/a/b");
    }

    /// Resources that share their storage on purpose (upstream's storage resource):
    /// `events.k8s.io` Events are core Events.
    const SHARED_STORAGE: &[(&str, &str)] = &[("", "events"), ("events.k8s.io", "events")];

    #[test]
    fn no_key_prefix_is_a_prefix_of_another() {
        let shared = |r: &ResourceInfo| SHARED_STORAGE.contains(&(r.group, r.plural));
        for a in RESOURCES {
            for b in RESOURCES {
                if (a.plural != b.plural || a.group != b.group) && !(shared(a) && shared(b)) {
                    assert!(
                        !b.key_prefix().starts_with(&a.key_prefix()),
                        "{} vs {}",
                        a.plural,
                        b.plural
                    );
                }
            }
        }
    }
}
