//! `printDeployment` and `printReplicaSet`.

use k8s_openapi::api::apps::v1::{Deployment, ReplicaSet};
use serde_json::{Value, json};

use super::descriptions as d;
use super::duration::age;
use super::selector::LabelSelector;
use super::{AGE, NAME, col, layout_container_cells};
use crate::printers::{Column, TablePrinter};

const CONTAINERS: Column = col(
    "Containers",
    "string",
    1,
    "Names of each container in the template.",
);
const IMAGES: Column = col(
    "Images",
    "string",
    1,
    "Images referenced by each container in the template.",
);

static DEPLOYMENT_COLUMNS: [Column; 8] = [
    NAME,
    col("Ready", "string", 0, "Number of the pod with ready state"),
    col(
        "Up-to-date",
        "string",
        0,
        d::EXT_DEPLOYMENT_STATUS_UPDATED_REPLICAS,
    ),
    col(
        "Available",
        "string",
        0,
        d::EXT_DEPLOYMENT_STATUS_AVAILABLE_REPLICAS,
    ),
    AGE,
    CONTAINERS,
    IMAGES,
    col("Selector", "string", 1, d::EXT_DEPLOYMENT_SPEC_SELECTOR),
];

static REPLICA_SET_COLUMNS: [Column; 8] = [
    NAME,
    col("Desired", "integer", 0, d::EXT_REPLICA_SET_SPEC_REPLICAS),
    col("Current", "integer", 0, d::EXT_REPLICA_SET_STATUS_REPLICAS),
    col(
        "Ready",
        "integer",
        0,
        d::EXT_REPLICA_SET_STATUS_READY_REPLICAS,
    ),
    AGE,
    CONTAINERS,
    IMAGES,
    col("Selector", "string", 1, d::EXT_REPLICA_SET_SPEC_SELECTOR),
];

impl TablePrinter for Deployment {
    fn columns() -> &'static [Column] {
        &DEPLOYMENT_COLUMNS
    }

    /// `Up-to-date` and `Available` are integers although their columns say `string`, as
    /// upstream sends them.
    fn cells(&self, now: jiff::Timestamp) -> Vec<Value> {
        let spec = self.spec.as_ref();
        let status = self.status.as_ref();
        // `spec.replicas` defaults to 1.
        let desired = spec.and_then(|s| s.replicas).unwrap_or(1);
        let ready = status.and_then(|s| s.ready_replicas).unwrap_or(0);
        let (names, images) = layout_container_cells(
            spec.and_then(|s| s.template.spec.as_ref())
                .map_or(&[][..], |p| p.containers.as_slice()),
        );
        // `LabelSelectorAsSelector(...).String()`: empty for an empty selector.
        let selector = match spec.map(|s| LabelSelector::from_meta(&s.selector)) {
            Some(Ok(s)) => s.to_string(),
            Some(Err(_)) => "<invalid>".to_string(),
            None => String::new(),
        };
        vec![
            json!(self.metadata.name.as_deref().unwrap_or("")),
            json!(format!("{ready}/{desired}")),
            json!(i64::from(
                status.and_then(|s| s.updated_replicas).unwrap_or(0)
            )),
            json!(i64::from(
                status.and_then(|s| s.available_replicas).unwrap_or(0)
            )),
            json!(age(self.metadata.creation_timestamp.as_ref(), now)),
            json!(names),
            json!(images),
            json!(selector),
        ]
    }
}

impl TablePrinter for ReplicaSet {
    fn columns() -> &'static [Column] {
        &REPLICA_SET_COLUMNS
    }

    fn cells(&self, now: jiff::Timestamp) -> Vec<Value> {
        let spec = self.spec.as_ref();
        let status = self.status.as_ref();
        let (names, images) = layout_container_cells(
            spec.and_then(|s| s.template.as_ref())
                .and_then(|t| t.spec.as_ref())
                .map_or(&[][..], |p| p.containers.as_slice()),
        );
        // `metav1.FormatLabelSelector`: `<none>` for an empty selector, `<error>` for a bad one.
        let selector = match spec.map(|s| LabelSelector::from_meta(&s.selector)) {
            Some(Ok(s)) if !s.to_string().is_empty() => s.to_string(),
            Some(Err(_)) => "<error>".to_string(),
            _ => "<none>".to_string(),
        };
        vec![
            json!(self.metadata.name.as_deref().unwrap_or("")),
            json!(i64::from(spec.and_then(|s| s.replicas).unwrap_or(1))),
            json!(i64::from(status.map_or(0, |s| s.replicas))),
            json!(i64::from(
                status.and_then(|s| s.ready_replicas).unwrap_or(0)
            )),
            json!(age(self.metadata.creation_timestamp.as_ref(), now)),
            json!(names),
            json!(images),
            json!(selector),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::apps::v1::{
        DeploymentSpec, DeploymentStatus, ReplicaSetSpec, ReplicaSetStatus,
    };
    use k8s_openapi::api::core::v1::{Container, PodSpec, PodTemplateSpec};
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::{
        LabelSelector as MetaSelector, ObjectMeta, Time,
    };

    fn now() -> jiff::Timestamp {
        "2026-11-27T10:00:00Z".parse().unwrap()
    }

    fn meta(name: &str) -> ObjectMeta {
        ObjectMeta {
            name: Some(name.into()),
            namespace: Some("default".into()),
            creation_timestamp: Some(Time("2026-11-27T08:30:00Z".parse().unwrap())),
            ..Default::default()
        }
    }

    fn template() -> PodTemplateSpec {
        PodTemplateSpec {
            metadata: None,
            spec: Some(PodSpec {
                containers: vec![
                    Container {
                        name: "web".into(),
                        image: Some("nginx:1.27".into()),
                        ..Default::default()
                    },
                    Container {
                        name: "log".into(),
                        image: Some("busybox".into()),
                        ..Default::default()
                    },
                ],
                ..Default::default()
            }),
        }
    }

    fn app_web() -> MetaSelector {
        MetaSelector {
            match_labels: Some([("app".to_string(), "web".to_string())].into()),
            match_expressions: None,
        }
    }

    #[test]
    fn a_rolled_out_deployment_prints_like_kubectl_get_deploy_wide() {
        let dep = Deployment {
            metadata: meta("web"),
            spec: Some(DeploymentSpec {
                replicas: Some(3),
                selector: app_web(),
                template: template(),
                ..Default::default()
            }),
            status: Some(DeploymentStatus {
                ready_replicas: Some(2),
                updated_replicas: Some(3),
                available_replicas: Some(2),
                ..Default::default()
            }),
        };
        assert_eq!(
            dep.cells(now()),
            vec![
                json!("web"),
                json!("2/3"),
                json!(3),
                json!(2),
                json!("90m"),
                json!("web,log"),
                json!("nginx:1.27,busybox"),
                json!("app=web"),
            ]
        );
    }

    #[test]
    fn a_new_deployment_without_status_shows_zeros() {
        let dep = Deployment {
            metadata: meta("web"),
            spec: Some(DeploymentSpec {
                selector: MetaSelector::default(),
                template: template(),
                ..Default::default()
            }),
            status: None,
        };
        let c = dep.cells(now());
        assert_eq!(&c[1..4], &[json!("0/1"), json!(0), json!(0)]);
        assert_eq!(c[7], json!(""));
    }

    #[test]
    fn a_replica_set_prints_desired_current_ready_as_integers() {
        let rs = ReplicaSet {
            metadata: meta("web-7d4b9c8f5"),
            spec: Some(ReplicaSetSpec {
                replicas: Some(3),
                selector: app_web(),
                template: Some(template()),
                ..Default::default()
            }),
            status: Some(ReplicaSetStatus {
                replicas: 3,
                ready_replicas: Some(1),
                ..Default::default()
            }),
        };
        assert_eq!(
            rs.cells(now()),
            vec![
                json!("web-7d4b9c8f5"),
                json!(3),
                json!(3),
                json!(1),
                json!("90m"),
                json!("web,log"),
                json!("nginx:1.27,busybox"),
                json!("app=web"),
            ]
        );
    }

    #[test]
    fn a_replica_set_with_an_empty_or_invalid_selector_says_so() {
        let mut rs = ReplicaSet {
            metadata: meta("rs"),
            spec: Some(ReplicaSetSpec {
                selector: MetaSelector::default(),
                ..Default::default()
            }),
            status: None,
        };
        assert_eq!(rs.cells(now())[7], json!("<none>"));
        assert_eq!(rs.cells(now())[5], json!(""));
        rs.spec.as_mut().unwrap().selector.match_labels =
            Some([("bad key".to_string(), "x".to_string())].into());
        assert_eq!(rs.cells(now())[7], json!("<error>"));
    }

    #[test]
    fn apps_columns_match_upstream_names_and_types() {
        let dep: Vec<_> = Deployment::columns()
            .iter()
            .map(|c| (c.name, c.type_, c.priority))
            .collect();
        assert_eq!(
            dep,
            vec![
                ("Name", "string", 0),
                ("Ready", "string", 0),
                ("Up-to-date", "string", 0),
                ("Available", "string", 0),
                ("Age", "string", 0),
                ("Containers", "string", 1),
                ("Images", "string", 1),
                ("Selector", "string", 1),
            ]
        );
        let rs: Vec<_> = ReplicaSet::columns()
            .iter()
            .map(|c| (c.name, c.type_))
            .collect();
        assert_eq!(
            &rs[1..4],
            &[
                ("Desired", "integer"),
                ("Current", "integer"),
                ("Ready", "integer")
            ]
        );
    }
}
