//! The type-erased registry: one [`Strategy`] object per served resource, made from the
//! typed per-kind rules of `tug-api` by [`TypedStrategy`]. The REST layer works on JSON
//! values and calls the strategy for everything kind-specific.

use std::collections::BTreeMap;
use std::marker::PhantomData;
use std::sync::Arc;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use tug_api::field::ErrorList;
use tug_api::printers::{Column, SelectableFields, TablePrinter};
use tug_api::printing::selector::FieldSelector;
use tug_api::resources::{RESOURCES, ResourceInfo};
use tug_api::rules::KindRules;

/// Why a body could not become an object of the kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError(pub String);

/// Which write a body is admitted for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WriteKind {
    Create,
    Update,
    StatusUpdate,
    /// A write by the server itself (binding): decoded and normalised, not admitted.
    System,
}

/// Everything kind-specific the REST layer needs, on JSON values.
pub trait Strategy: Send + Sync {
    fn info(&self) -> &'static ResourceInfo;

    /// Decodes `v` through the typed object and back: the result has exactly the fields the
    /// kind knows, in canonical form (nulls dropped). Fails when a field has the wrong type.
    fn normalize(&self, v: &Value) -> Result<Value, DecodeError>;

    /// Runs defaulting, preparation and validation for a write; `old` is the stored object
    /// for updates. Returns the object to store, or every field error.
    fn admit(&self, kind: WriteKind, v: &Value, old: Option<&Value>) -> Result<Value, Admission>;

    fn tracks_generation(&self) -> bool;

    /// Converts an object of this resource's version into its storage version. Resources
    /// served in several versions (or groups) share one storage version; identity otherwise.
    fn to_storage(&self, v: Value) -> Value {
        v
    }

    /// Converts a stored object into this resource's version; identity by default.
    // A conversion the strategy performs, not a constructor: the name pairs with `to_storage`.
    #[allow(clippy::wrong_self_convention)]
    fn from_storage(&self, v: Value) -> Value {
        v
    }

    /// Whether annotation changes bump `generation` too.
    fn annotations_bump_generation(&self) -> bool;

    fn columns(&self) -> &'static [Column];

    /// Table cells of one object, and the row's conditions if it has any.
    fn row(&self, v: &Value, now: jiff::Timestamp) -> (Vec<Value>, Option<Value>);

    fn selectable_fields(&self) -> &'static [&'static str];

    /// The value of a selectable field, `None` if the field is not selectable.
    fn field_value(&self, v: &Value, field: &str) -> Option<String>;

    /// Whether the object matches a field selector (decodes the object once).
    fn matches_fields(&self, v: &Value, sel: &FieldSelector) -> bool;
}

/// Why a write was not admitted.
#[derive(Debug, Clone, PartialEq)]
pub enum Admission {
    Decode(DecodeError),
    Invalid(ErrorList),
}

/// The [`Strategy`] of a typed kind `K`.
pub struct TypedStrategy<K> {
    info: &'static ResourceInfo,
    _k: PhantomData<fn() -> K>,
}

impl<K> TypedStrategy<K> {
    pub fn new(info: &'static ResourceInfo) -> Self {
        TypedStrategy {
            info,
            _k: PhantomData,
        }
    }
}

impl<K> TypedStrategy<K>
where
    K: DeserializeOwned + Serialize,
{
    fn decode(&self, v: &Value) -> Result<K, DecodeError> {
        K::deserialize(v).map_err(|e| DecodeError(e.to_string()))
    }

    fn encode(&self, k: &K) -> Value {
        // Serialising a k8s-openapi type to a Value cannot fail (string keys, finite numbers).
        serde_json::to_value(k).unwrap_or(Value::Null)
    }
}

impl<K> Strategy for TypedStrategy<K>
where
    K: DeserializeOwned + Serialize + KindRules + TablePrinter + SelectableFields + 'static,
{
    fn info(&self) -> &'static ResourceInfo {
        self.info
    }

    fn normalize(&self, v: &Value) -> Result<Value, DecodeError> {
        Ok(self.encode(&self.decode(v)?))
    }

    fn admit(&self, kind: WriteKind, v: &Value, old: Option<&Value>) -> Result<Value, Admission> {
        let mut obj = self.decode(v).map_err(Admission::Decode)?;
        if kind == WriteKind::System {
            return Ok(self.encode(&obj));
        }
        obj.apply_defaults();
        let old = match old {
            Some(o) => Some(self.decode(o).map_err(Admission::Decode)?),
            None => None,
        };
        let errs = match (kind, &old) {
            (WriteKind::Create | WriteKind::System, _) | (_, None) => {
                obj.prepare_for_create();
                obj.validate_create()
            }
            (WriteKind::Update, Some(old)) => {
                obj.prepare_for_update(old);
                obj.validate_update(old)
            }
            (WriteKind::StatusUpdate, Some(old)) => {
                obj.prepare_for_status_update(old);
                obj.validate_status_update(old)
            }
        };
        if errs.is_empty() {
            Ok(self.encode(&obj))
        } else {
            Err(Admission::Invalid(errs))
        }
    }

    fn tracks_generation(&self) -> bool {
        K::TRACKS_GENERATION
    }

    fn annotations_bump_generation(&self) -> bool {
        K::ANNOTATIONS_BUMP_GENERATION
    }

    fn columns(&self) -> &'static [Column] {
        K::columns()
    }

    fn row(&self, v: &Value, now: jiff::Timestamp) -> (Vec<Value>, Option<Value>) {
        match self.decode(v) {
            Ok(k) => (k.cells(now), k.row_conditions()),
            Err(_) => (Vec::new(), None),
        }
    }

    fn selectable_fields(&self) -> &'static [&'static str] {
        K::selectable_fields()
    }

    fn field_value(&self, v: &Value, field: &str) -> Option<String> {
        self.decode(v).ok().and_then(|k| k.field_value(field))
    }

    fn matches_fields(&self, v: &Value, sel: &FieldSelector) -> bool {
        self.decode(v).is_ok_and(|k| sel.matches_object(&k))
    }
}

/// All strategies, by (group, version, plural).
pub struct Registry {
    by_resource: BTreeMap<(&'static str, &'static str, &'static str), Arc<dyn Strategy>>,
}

impl Registry {
    /// The registry of every built-in kind in [`RESOURCES`].
    pub fn builtin() -> Registry {
        use tug_api::api;
        use tug_api::api::apps::v1 as apps;
        use tug_api::api::coordination::v1 as coord;
        use tug_api::api::core::v1 as core;
        use tug_api::api::discovery::v1 as discovery;
        use tug_api::api::networking::v1 as net;
        use tug_api::api::rbac::v1 as rbac;
        use tug_api::api::scheduling::v1 as scheduling;
        use tug_api::api::storage::v1 as storage;
        let mut by_resource: BTreeMap<_, Arc<dyn Strategy>> = BTreeMap::new();
        for info in RESOURCES {
            let s: Arc<dyn Strategy> = match (info.group, info.kind) {
                ("", "Pod") => Arc::new(TypedStrategy::<core::Pod>::new(info)),
                ("", "Service") => Arc::new(TypedStrategy::<core::Service>::new(info)),
                ("", "Namespace") => Arc::new(TypedStrategy::<core::Namespace>::new(info)),
                ("", "Node") => Arc::new(TypedStrategy::<core::Node>::new(info)),
                ("", "Endpoints") => Arc::new(TypedStrategy::<core::Endpoints>::new(info)),
                ("", "ConfigMap") => Arc::new(TypedStrategy::<core::ConfigMap>::new(info)),
                ("", "Secret") => Arc::new(TypedStrategy::<core::Secret>::new(info)),
                ("", "ServiceAccount") => {
                    Arc::new(TypedStrategy::<core::ServiceAccount>::new(info))
                }
                ("", "Event") => Arc::new(TypedStrategy::<core::Event>::new(info)),
                ("apps", "Deployment") => Arc::new(TypedStrategy::<apps::Deployment>::new(info)),
                ("apps", "ReplicaSet") => Arc::new(TypedStrategy::<apps::ReplicaSet>::new(info)),
                ("coordination.k8s.io", "Lease") => {
                    Arc::new(TypedStrategy::<coord::Lease>::new(info))
                }
                ("events.k8s.io", "Event") => {
                    Arc::new(crate::convert_events::EventsV1Strategy::new(info))
                }
                ("discovery.k8s.io", "EndpointSlice") => {
                    Arc::new(TypedStrategy::<discovery::EndpointSlice>::new(info))
                }
                ("networking.k8s.io", "Ingress") => {
                    Arc::new(TypedStrategy::<net::Ingress>::new(info))
                }
                ("networking.k8s.io", "IngressClass") => {
                    Arc::new(TypedStrategy::<net::IngressClass>::new(info))
                }
                ("networking.k8s.io", "NetworkPolicy") => {
                    Arc::new(TypedStrategy::<net::NetworkPolicy>::new(info))
                }
                ("storage.k8s.io", "StorageClass") => {
                    Arc::new(TypedStrategy::<storage::StorageClass>::new(info))
                }
                ("scheduling.k8s.io", "PriorityClass") => {
                    Arc::new(TypedStrategy::<scheduling::PriorityClass>::new(info))
                }
                ("rbac.authorization.k8s.io", "Role") => {
                    Arc::new(TypedStrategy::<rbac::Role>::new(info))
                }
                ("rbac.authorization.k8s.io", "ClusterRole") => {
                    Arc::new(TypedStrategy::<rbac::ClusterRole>::new(info))
                }
                ("rbac.authorization.k8s.io", "RoleBinding") => {
                    Arc::new(TypedStrategy::<rbac::RoleBinding>::new(info))
                }
                ("rbac.authorization.k8s.io", "ClusterRoleBinding") => {
                    Arc::new(TypedStrategy::<rbac::ClusterRoleBinding>::new(info))
                }
                ("", "PersistentVolume") => {
                    Arc::new(TypedStrategy::<core::PersistentVolume>::new(info))
                }
                ("", "PersistentVolumeClaim") => {
                    Arc::new(TypedStrategy::<core::PersistentVolumeClaim>::new(info))
                }
                ("", "LimitRange") => Arc::new(TypedStrategy::<core::LimitRange>::new(info)),
                ("", "ResourceQuota") => Arc::new(TypedStrategy::<core::ResourceQuota>::new(info)),
                ("", "ReplicationController") => {
                    Arc::new(TypedStrategy::<core::ReplicationController>::new(info))
                }
                ("", "PodTemplate") => Arc::new(TypedStrategy::<core::PodTemplate>::new(info)),
                ("apps", "StatefulSet") => Arc::new(TypedStrategy::<apps::StatefulSet>::new(info)),
                ("apps", "DaemonSet") => Arc::new(TypedStrategy::<apps::DaemonSet>::new(info)),
                ("apps", "ControllerRevision") => {
                    Arc::new(TypedStrategy::<apps::ControllerRevision>::new(info))
                }
                ("batch", "Job") => Arc::new(TypedStrategy::<api::batch::v1::Job>::new(info)),
                ("batch", "CronJob") => {
                    Arc::new(TypedStrategy::<api::batch::v1::CronJob>::new(info))
                }
                ("policy", "PodDisruptionBudget") => Arc::new(TypedStrategy::<
                    api::policy::v1::PodDisruptionBudget,
                >::new(info)),
                ("autoscaling", "HorizontalPodAutoscaler") if info.version == "v1" => {
                    Arc::new(crate::convert_hpa::HpaV1Strategy::new(info))
                }
                ("autoscaling", "HorizontalPodAutoscaler") => Arc::new(TypedStrategy::<
                    api::autoscaling::v2::HorizontalPodAutoscaler,
                >::new(info)),
                (g, k) => {
                    panic!("resource table names {g}/{k} but the registry has no strategy for it")
                }
            };
            by_resource.insert((info.group, info.version, info.plural), s);
        }
        Registry { by_resource }
    }

    /// The strategy of a served resource.
    pub fn get(&self, group: &str, version: &str, plural: &str) -> Option<&Arc<dyn Strategy>> {
        self.by_resource
            .iter()
            .find(|((g, v, p), _)| *g == group && *v == version && *p == plural)
            .map(|(_, s)| s)
    }

    /// The strategy whose storage holds `key`, with the key's namespace (empty for
    /// cluster-scoped objects) and name. Resources sharing a storage resolve to the first in
    /// discovery order (the storage version).
    pub fn for_key(&self, key: &str) -> Option<(Arc<dyn Strategy>, String, String)> {
        for info in RESOURCES {
            let Some(rest) = key.strip_prefix(&info.key_prefix()) else {
                continue;
            };
            let (ns, name) = if info.namespaced {
                let (ns, name) = rest.split_once('/')?;
                (ns.to_string(), name.to_string())
            } else {
                (String::new(), rest.to_string())
            };
            let s = self.get(info.group, info.version, info.plural)?;
            return Some((s.clone(), ns, name));
        }
        None
    }

    /// The strategy of a kind (any version).
    pub fn by_kind(&self, group: &str, kind: &str) -> Option<&Arc<dyn Strategy>> {
        self.by_resource
            .values()
            .find(|s| s.info().group == group && s.info().kind == kind)
    }
}
