//! `printNamespace`, `printConfigMap`, `printSecret`, `printServiceAccount` and `printLease`.

use k8s_openapi::api::coordination::v1::Lease;
use k8s_openapi::api::core::v1::{ConfigMap, Namespace, Secret, ServiceAccount};
use serde_json::{Value, json};

use super::descriptions as d;
use super::duration::age;
use super::{AGE, NAME, col};
use crate::printers::{Column, TablePrinter};

static NAMESPACE_COLUMNS: [Column; 3] = [
    NAME,
    col("Status", "string", 0, "The status of the namespace"),
    AGE,
];
static CONFIG_MAP_COLUMNS: [Column; 3] = [NAME, col("Data", "string", 0, d::CONFIG_MAP_DATA), AGE];
static SECRET_COLUMNS: [Column; 4] = [
    NAME,
    col("Type", "string", 0, d::SECRET_TYPE),
    col("Data", "string", 0, d::SECRET_DATA),
    AGE,
];
static SERVICE_ACCOUNT_COLUMNS: [Column; 3] = [
    NAME,
    col("Secrets", "string", 0, d::SERVICE_ACCOUNT_SECRETS),
    AGE,
];
static LEASE_COLUMNS: [Column; 3] = [
    NAME,
    col("Holder", "string", 0, d::LEASE_SPEC_HOLDER_IDENTITY),
    AGE,
];

fn name(meta: &k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta) -> Value {
    json!(meta.name.as_deref().unwrap_or(""))
}

impl TablePrinter for Namespace {
    fn columns() -> &'static [Column] {
        &NAMESPACE_COLUMNS
    }

    fn cells(&self, now: jiff::Timestamp) -> Vec<Value> {
        vec![
            name(&self.metadata),
            json!(
                self.status
                    .as_ref()
                    .and_then(|s| s.phase.as_deref())
                    .unwrap_or("")
            ),
            json!(age(self.metadata.creation_timestamp.as_ref(), now)),
        ]
    }
}

impl TablePrinter for ConfigMap {
    fn columns() -> &'static [Column] {
        &CONFIG_MAP_COLUMNS
    }

    /// `Data` counts the keys of `data` and `binaryData` together, as an integer.
    fn cells(&self, now: jiff::Timestamp) -> Vec<Value> {
        let count = self.data.as_ref().map_or(0, |m| m.len())
            + self.binary_data.as_ref().map_or(0, |m| m.len());
        vec![
            name(&self.metadata),
            json!(count),
            json!(age(self.metadata.creation_timestamp.as_ref(), now)),
        ]
    }
}

impl TablePrinter for Secret {
    fn columns() -> &'static [Column] {
        &SECRET_COLUMNS
    }

    /// `Data` counts `data` only (the API server has folded `stringData` into it on write).
    fn cells(&self, now: jiff::Timestamp) -> Vec<Value> {
        vec![
            name(&self.metadata),
            json!(self.type_.as_deref().unwrap_or("")),
            json!(self.data.as_ref().map_or(0, |m| m.len())),
            json!(age(self.metadata.creation_timestamp.as_ref(), now)),
        ]
    }
}

impl TablePrinter for ServiceAccount {
    fn columns() -> &'static [Column] {
        &SERVICE_ACCOUNT_COLUMNS
    }

    fn cells(&self, now: jiff::Timestamp) -> Vec<Value> {
        vec![
            name(&self.metadata),
            json!(self.secrets.as_ref().map_or(0, |s| s.len())),
            json!(age(self.metadata.creation_timestamp.as_ref(), now)),
        ]
    }
}

impl TablePrinter for Lease {
    fn columns() -> &'static [Column] {
        &LEASE_COLUMNS
    }

    fn cells(&self, now: jiff::Timestamp) -> Vec<Value> {
        vec![
            name(&self.metadata),
            json!(
                self.spec
                    .as_ref()
                    .and_then(|s| s.holder_identity.as_deref())
                    .unwrap_or("")
            ),
            json!(age(self.metadata.creation_timestamp.as_ref(), now)),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::ByteString;
    use k8s_openapi::api::coordination::v1::LeaseSpec;
    use k8s_openapi::api::core::v1::{NamespaceStatus, ObjectReference};
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, Time};

    fn now() -> jiff::Timestamp {
        "2026-11-27T10:00:00Z".parse().unwrap()
    }

    fn meta(name: &str) -> ObjectMeta {
        ObjectMeta {
            name: Some(name.into()),
            creation_timestamp: Some(Time("2026-11-17T10:00:00Z".parse().unwrap())),
            ..Default::default()
        }
    }

    #[test]
    fn a_namespace_prints_its_phase() {
        let ns = Namespace {
            metadata: meta("kube-system"),
            spec: None,
            status: Some(NamespaceStatus {
                phase: Some("Active".into()),
                conditions: None,
            }),
        };
        assert_eq!(
            ns.cells(now()),
            vec![json!("kube-system"), json!("Active"), json!("10d")]
        );
    }

    #[test]
    fn a_config_map_counts_data_and_binary_data_keys() {
        let cm = ConfigMap {
            metadata: meta("kube-root-ca.crt"),
            data: Some(
                [
                    ("ca.crt".to_string(), "---".to_string()),
                    ("x".to_string(), String::new()),
                ]
                .into(),
            ),
            binary_data: Some([("blob".to_string(), ByteString(vec![1, 2]))].into()),
            ..Default::default()
        };
        assert_eq!(
            cm.cells(now()),
            vec![json!("kube-root-ca.crt"), json!(3), json!("10d")]
        );
        assert_eq!(
            ConfigMap::default().cells(now()),
            vec![json!(""), json!(0), json!("<unknown>")]
        );
    }

    #[test]
    fn a_secret_prints_its_type_and_key_count() {
        let s = Secret {
            metadata: meta("tls"),
            type_: Some("kubernetes.io/tls".into()),
            data: Some(
                [
                    ("tls.crt".to_string(), ByteString(vec![1])),
                    ("tls.key".to_string(), ByteString(vec![2])),
                ]
                .into(),
            ),
            ..Default::default()
        };
        assert_eq!(
            s.cells(now()),
            vec![
                json!("tls"),
                json!("kubernetes.io/tls"),
                json!(2),
                json!("10d")
            ]
        );
    }

    #[test]
    fn a_service_account_counts_its_secrets() {
        let sa = ServiceAccount {
            metadata: meta("default"),
            secrets: Some(vec![ObjectReference {
                name: Some("default-token".into()),
                ..Default::default()
            }]),
            ..Default::default()
        };
        assert_eq!(
            sa.cells(now()),
            vec![json!("default"), json!(1), json!("10d")]
        );
        let sa = ServiceAccount {
            metadata: meta("builder"),
            ..Default::default()
        };
        assert_eq!(sa.cells(now())[1], json!(0));
    }

    #[test]
    fn a_lease_prints_its_holder() {
        let lease = Lease {
            metadata: meta("node-1"),
            spec: Some(LeaseSpec {
                holder_identity: Some("node-1".into()),
                ..Default::default()
            }),
        };
        assert_eq!(
            lease.cells(now()),
            vec![json!("node-1"), json!("node-1"), json!("10d")]
        );
        let lease = Lease {
            metadata: meta("free"),
            spec: None,
        };
        assert_eq!(lease.cells(now())[1], json!(""));
    }

    #[test]
    fn simple_kinds_have_upstreams_columns() {
        let names = |cols: &[Column]| cols.iter().map(|c| c.name).collect::<Vec<_>>();
        assert_eq!(names(Namespace::columns()), ["Name", "Status", "Age"]);
        assert_eq!(names(ConfigMap::columns()), ["Name", "Data", "Age"]);
        assert_eq!(names(Secret::columns()), ["Name", "Type", "Data", "Age"]);
        assert_eq!(names(ServiceAccount::columns()), ["Name", "Secrets", "Age"]);
        assert_eq!(names(Lease::columns()), ["Name", "Holder", "Age"]);
    }
}
