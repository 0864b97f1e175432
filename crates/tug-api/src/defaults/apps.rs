//! Defaulting of `apps/v1` kinds (`pkg/apis/apps/v1/defaults.go` and the declarative
//! `+default` tags): Deployments and ReplicaSets, whose pod templates get the pod-spec
//! defaults of [`super::core::set_defaults_pod_template`].

use k8s_openapi::api::apps::v1::{
    Deployment, DeploymentSpec, DeploymentStrategy, ReplicaSet, ReplicaSetSpec,
    RollingUpdateDeployment,
};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::core::set_defaults_pod_template;

/// `SetObjectDefaults_Deployment`: replicas 1, strategy `RollingUpdate` with
/// `maxUnavailable`/`maxSurge` 25%, `revisionHistoryLimit` 10, `progressDeadlineSeconds`
/// 600, and pod-template defaults.
pub fn set_object_defaults_deployment(d: &mut Deployment) {
    let spec = d.spec.get_or_insert_with(DeploymentSpec::default);
    if spec.replicas.is_none() {
        spec.replicas = Some(1);
    }
    let strategy = spec
        .strategy
        .get_or_insert_with(DeploymentStrategy::default);
    if strategy.type_.as_deref().unwrap_or("").is_empty() {
        strategy.type_ = Some("RollingUpdate".to_string());
    }
    if strategy.type_.as_deref() == Some("RollingUpdate") {
        let ru = strategy
            .rolling_update
            .get_or_insert_with(RollingUpdateDeployment::default);
        if ru.max_unavailable.is_none() {
            ru.max_unavailable = Some(IntOrString::String("25%".to_string()));
        }
        if ru.max_surge.is_none() {
            ru.max_surge = Some(IntOrString::String("25%".to_string()));
        }
    }
    if spec.revision_history_limit.is_none() {
        spec.revision_history_limit = Some(10);
    }
    if spec.progress_deadline_seconds.is_none() {
        spec.progress_deadline_seconds = Some(600);
    }
    set_defaults_pod_template(&mut spec.template);
}

/// `SetObjectDefaults_ReplicaSet`: replicas 1 and pod-template defaults.
pub fn set_object_defaults_replica_set(rs: &mut ReplicaSet) {
    let spec = rs.spec.get_or_insert_with(ReplicaSetSpec::default);
    if spec.replicas.is_none() {
        spec.replicas = Some(1);
    }
    if let Some(t) = spec.template.as_mut() {
        set_defaults_pod_template(t);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::core::v1::{Container, PodSpec, PodTemplateSpec};

    fn deployment() -> Deployment {
        Deployment {
            spec: Some(DeploymentSpec {
                template: PodTemplateSpec {
                    metadata: None,
                    spec: Some(PodSpec {
                        containers: vec![Container {
                            name: "web".into(),
                            image: Some("nginx".into()),
                            ..Default::default()
                        }],
                        ..Default::default()
                    }),
                },
                ..Default::default()
            }),
            ..Default::default()
        }
    }

    #[test]
    fn a_bare_deployment_gets_upstreams_rollout_defaults() {
        let mut d = deployment();
        set_object_defaults_deployment(&mut d);
        let spec = d.spec.as_ref().expect("spec");
        assert_eq!(spec.replicas, Some(1));
        assert_eq!(spec.revision_history_limit, Some(10));
        assert_eq!(spec.progress_deadline_seconds, Some(600));
        let s = spec.strategy.as_ref().expect("strategy");
        assert_eq!(s.type_.as_deref(), Some("RollingUpdate"));
        let ru = s.rolling_update.as_ref().expect("rollingUpdate");
        assert_eq!(ru.max_surge, Some(IntOrString::String("25%".into())));
        assert_eq!(ru.max_unavailable, Some(IntOrString::String("25%".into())));
    }

    #[test]
    fn a_recreate_deployment_gets_no_rolling_update_parameters() {
        let mut d = deployment();
        d.spec.as_mut().expect("spec").strategy = Some(DeploymentStrategy {
            type_: Some("Recreate".into()),
            rolling_update: None,
        });
        set_object_defaults_deployment(&mut d);
        let s = d
            .spec
            .as_ref()
            .and_then(|s| s.strategy.as_ref())
            .expect("strategy");
        assert!(s.rolling_update.is_none());
    }

    #[test]
    fn template_pod_specs_get_pod_spec_defaults_but_not_pod_only_ones() {
        let mut d = deployment();
        set_object_defaults_deployment(&mut d);
        let ps = d
            .spec
            .as_ref()
            .and_then(|s| s.template.spec.as_ref())
            .expect("pod spec");
        assert_eq!(ps.restart_policy.as_deref(), Some("Always"));
        assert_eq!(
            ps.containers[0].image_pull_policy.as_deref(),
            Some("Always")
        );
        // enableServiceLinks is SetDefaults_Pod, which templates do not get.
        assert_eq!(ps.enable_service_links, None);
    }

    #[test]
    fn defaulting_a_deployment_twice_changes_nothing() {
        let mut d = deployment();
        set_object_defaults_deployment(&mut d);
        let once = d.clone();
        set_object_defaults_deployment(&mut d);
        assert_eq!(d, once);
    }

    #[test]
    fn a_replica_set_defaults_to_one_replica() {
        let mut rs = ReplicaSet::default();
        set_object_defaults_replica_set(&mut rs);
        assert_eq!(rs.spec.and_then(|s| s.replicas), Some(1));
    }
}
