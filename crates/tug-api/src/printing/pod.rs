//! `printPod`: READY, STATUS, RESTARTS of a pod as kubectl shows them.

use k8s_openapi::api::core::v1::{Container, ContainerStatus, Pod};
use serde_json::{Value, json};

use super::descriptions as d;
use super::duration::{age, translate_timestamp_since};
use super::{AGE, NAME, col};
use crate::printers::{Column, TablePrinter};

/// `node.NodeUnreachablePodReason`: the reason the node lifecycle controller sets on pods of a
/// lost node.
const NODE_UNREACHABLE_POD_REASON: &str = "NodeLost";

static POD_COLUMNS: [Column; 9] = [
    NAME,
    col(
        "Ready",
        "string",
        0,
        "The aggregate readiness state of this pod for accepting traffic.",
    ),
    col(
        "Status",
        "string",
        0,
        "The aggregate status of the containers in this pod.",
    ),
    col(
        "Restarts",
        "string",
        0,
        "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.",
    ),
    AGE,
    col("IP", "string", 1, d::POD_STATUS_POD_IP),
    col("Node", "string", 1, d::POD_SPEC_NODE_NAME),
    col(
        "Nominated Node",
        "string",
        1,
        d::POD_STATUS_NOMINATED_NODE_NAME,
    ),
    col("Readiness Gates", "string", 1, d::POD_SPEC_READINESS_GATES),
];

/// A sidecar: an init container with `restartPolicy: Always` (`podutil.IsRestartableInitContainer`).
fn is_restartable_init_container(c: Option<&Container>) -> bool {
    c.and_then(|c| c.restart_policy.as_deref()) == Some("Always")
}

/// The time a container last terminated (`lastState.terminated.finishedAt`).
fn last_termination(status: &ContainerStatus) -> Option<jiff::Timestamp> {
    status
        .last_state
        .as_ref()
        .and_then(|s| s.terminated.as_ref())
        .and_then(|t| t.finished_at.as_ref())
        .map(|t| t.0)
}

fn later(a: Option<jiff::Timestamp>, b: Option<jiff::Timestamp>) -> Option<jiff::Timestamp> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}

fn has_condition(pod: &Pod, type_: &str) -> bool {
    pod.status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .and_then(|cs| cs.iter().find(|c| c.type_ == type_))
        .is_some_and(|c| c.status == "True")
}

/// READY, STATUS and RESTARTS, with upstream's precedence: scheduling gates, the first init
/// container that has not finished (`Init:N/M`, `Init:<reason>`, `Init:ExitCode:N`), then the
/// first app container's waiting/terminated reason (`CrashLoopBackOff`, `Completed`, …), a
/// `Completed` pod with a running container shown as `Running`/`NotReady`, and finally
/// `Terminating` (or `Unknown` for a lost node) when the pod is being deleted.
struct PodSummary {
    ready: String,
    reason: String,
    restarts: String,
}

fn summarize(pod: &Pod, now: jiff::Timestamp) -> PodSummary {
    let empty_spec = Default::default();
    let spec = pod.spec.as_ref().unwrap_or(&empty_spec);
    let empty_status = Default::default();
    let status = pod.status.as_ref().unwrap_or(&empty_status);
    let init_specs: &[Container] = spec.init_containers.as_deref().unwrap_or(&[]);

    let mut restarts: i64 = 0;
    let mut restartable_init_restarts: i64 = 0;
    let mut total = spec.containers.len();
    let mut ready = 0usize;
    let mut last_restart: Option<jiff::Timestamp> = None;
    let mut last_restartable_init_restart: Option<jiff::Timestamp> = None;

    let phase = status.phase.clone().unwrap_or_default();
    let mut reason = match status.reason.as_deref() {
        Some(r) if !r.is_empty() => r.to_string(),
        _ => phase.clone(),
    };
    if let Some(conditions) = &status.conditions {
        for c in conditions {
            if c.type_ == "PodScheduled" && c.reason.as_deref() == Some("SchedulingGated") {
                reason = "SchedulingGated".to_string();
            }
        }
    }

    total += init_specs
        .iter()
        .filter(|c| is_restartable_init_container(Some(*c)))
        .count();
    let init_spec = |name: &str| init_specs.iter().find(|c| c.name == name);

    let mut initializing = false;
    let init_statuses: &[ContainerStatus] =
        status.init_container_statuses.as_deref().unwrap_or(&[]);
    for (i, container) in init_statuses.iter().enumerate() {
        restarts += i64::from(container.restart_count);
        last_restart = later(last_restart, last_termination(container));
        let restartable = is_restartable_init_container(init_spec(&container.name));
        if restartable {
            restartable_init_restarts += i64::from(container.restart_count);
            last_restartable_init_restart =
                later(last_restartable_init_restart, last_termination(container));
        }
        let state = container.state.as_ref();
        let terminated = state.and_then(|s| s.terminated.as_ref());
        let waiting_reason = state
            .and_then(|s| s.waiting.as_ref())
            .and_then(|w| w.reason.as_deref())
            .filter(|r| !r.is_empty());
        if terminated.is_some_and(|t| t.exit_code == 0) {
            continue;
        }
        if restartable && container.started == Some(true) {
            if container.ready {
                ready += 1;
            }
            continue;
        }
        if let Some(t) = terminated {
            reason = match t.reason.as_deref().filter(|r| !r.is_empty()) {
                Some(r) => format!("Init:{r}"),
                None => match t.signal.filter(|s| *s != 0) {
                    Some(signal) => format!("Init:Signal:{signal}"),
                    None => format!("Init:ExitCode:{}", t.exit_code),
                },
            };
        } else if let Some(r) = waiting_reason.filter(|r| *r != "PodInitializing") {
            reason = format!("Init:{r}");
        } else {
            reason = format!("Init:{}/{}", i, init_specs.len());
        }
        initializing = true;
        break;
    }

    if !initializing || has_condition(pod, "Initialized") {
        restarts = restartable_init_restarts;
        last_restart = last_restartable_init_restart;
        let mut has_running = false;
        let statuses: &[ContainerStatus] = status.container_statuses.as_deref().unwrap_or(&[]);
        for container in statuses.iter().rev() {
            restarts += i64::from(container.restart_count);
            last_restart = later(last_restart, last_termination(container));
            let state = container.state.as_ref();
            let waiting_reason = state
                .and_then(|s| s.waiting.as_ref())
                .and_then(|w| w.reason.as_deref())
                .filter(|r| !r.is_empty());
            let terminated = state.and_then(|s| s.terminated.as_ref());
            if let Some(r) = waiting_reason {
                reason = r.to_string();
            } else if let Some(t) = terminated {
                reason = match t.reason.as_deref().filter(|r| !r.is_empty()) {
                    Some(r) => r.to_string(),
                    None => match t.signal.filter(|s| *s != 0) {
                        Some(signal) => format!("Signal:{signal}"),
                        None => format!("ExitCode:{}", t.exit_code),
                    },
                };
            } else if container.ready && state.is_some_and(|s| s.running.is_some()) {
                has_running = true;
                ready += 1;
            }
        }
        if reason == "Completed" && has_running {
            reason = if has_condition(pod, "Ready") {
                "Running"
            } else {
                "NotReady"
            }
            .to_string();
        }
    }

    if pod.metadata.deletion_timestamp.is_some() {
        if status.reason.as_deref() == Some(NODE_UNREACHABLE_POD_REASON) {
            reason = "Unknown".to_string();
        } else if phase != "Succeeded" && phase != "Failed" {
            reason = "Terminating".to_string();
        }
    }

    let restarts = match last_restart {
        Some(t) if restarts != 0 => format!(
            "{restarts} ({} ago)",
            translate_timestamp_since(Some(t), now)
        ),
        _ => restarts.to_string(),
    };
    PodSummary {
        ready: format!("{ready}/{total}"),
        reason,
        restarts,
    }
}

fn none_if_empty(s: Option<&str>) -> String {
    match s {
        Some(s) if !s.is_empty() => s.to_string(),
        _ => "<none>".to_string(),
    }
}

impl TablePrinter for Pod {
    fn columns() -> &'static [Column] {
        &POD_COLUMNS
    }

    fn row_conditions(&self) -> Option<Value> {
        pod_row_conditions(self)
    }

    fn cells(&self, now: jiff::Timestamp) -> Vec<Value> {
        let summary = summarize(self, now);
        let status = self.status.as_ref();
        let spec = self.spec.as_ref();
        let pod_ip = status
            .and_then(|s| s.pod_ips.as_ref())
            .and_then(|ips| ips.first())
            .map(|ip| ip.ip.as_str());
        let gates = spec
            .and_then(|s| s.readiness_gates.as_deref())
            .unwrap_or(&[]);
        let readiness_gates = if gates.is_empty() {
            "<none>".to_string()
        } else {
            let conditions = status.and_then(|s| s.conditions.as_deref()).unwrap_or(&[]);
            let true_conditions = gates
                .iter()
                .filter(|g| {
                    conditions
                        .iter()
                        .find(|c| c.type_ == g.condition_type)
                        .is_some_and(|c| c.status == "True")
                })
                .count();
            format!("{true_conditions}/{}", gates.len())
        };
        vec![
            json!(self.metadata.name.as_deref().unwrap_or("")),
            json!(summary.ready),
            json!(summary.reason),
            json!(summary.restarts),
            json!(age(self.metadata.creation_timestamp.as_ref(), now)),
            json!(none_if_empty(pod_ip)),
            json!(none_if_empty(spec.and_then(|s| s.node_name.as_deref()))),
            json!(none_if_empty(
                status.and_then(|s| s.nominated_node_name.as_deref())
            )),
            json!(readiness_gates),
        ]
    }
}

/// `rows[].conditions` upstream attaches to a pod's row: `Completed` once the pod has succeeded
/// or failed (`podSuccessConditions` / `podFailedConditions`), `None` otherwise.
pub fn pod_row_conditions(pod: &Pod) -> Option<Value> {
    let (reason, message) = match pod.status.as_ref().and_then(|s| s.phase.as_deref()) {
        Some("Succeeded") => ("Succeeded", "The pod has completed successfully."),
        Some("Failed") => ("Failed", "The pod failed."),
        _ => return None,
    };
    Some(json!([{"type": "Completed", "status": "True", "reason": reason, "message": message}]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::core::v1::{
        ContainerState, ContainerStateRunning, ContainerStateTerminated, ContainerStateWaiting,
        PodCondition, PodIP, PodReadinessGate, PodSpec, PodStatus,
    };
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, Time};

    fn ts(s: &str) -> jiff::Timestamp {
        s.parse().unwrap()
    }

    fn now() -> jiff::Timestamp {
        ts("2026-11-27T06:40:00Z")
    }

    fn container(name: &str) -> Container {
        Container {
            name: name.into(),
            image: Some("nginx".into()),
            ..Default::default()
        }
    }

    fn running(name: &str, ready: bool) -> ContainerStatus {
        ContainerStatus {
            name: name.into(),
            ready,
            started: Some(true),
            state: Some(ContainerState {
                running: Some(ContainerStateRunning::default()),
                ..Default::default()
            }),
            ..Default::default()
        }
    }

    fn waiting(name: &str, reason: &str) -> ContainerStatus {
        ContainerStatus {
            name: name.into(),
            state: Some(ContainerState {
                waiting: Some(ContainerStateWaiting {
                    reason: Some(reason.into()),
                    ..Default::default()
                }),
                ..Default::default()
            }),
            ..Default::default()
        }
    }

    fn terminated(name: &str, exit_code: i32, reason: Option<&str>) -> ContainerStatus {
        ContainerStatus {
            name: name.into(),
            state: Some(ContainerState {
                terminated: Some(ContainerStateTerminated {
                    exit_code,
                    reason: reason.map(Into::into),
                    ..Default::default()
                }),
                ..Default::default()
            }),
            ..Default::default()
        }
    }

    fn condition(type_: &str, status: &str) -> PodCondition {
        PodCondition {
            type_: type_.into(),
            status: status.into(),
            ..Default::default()
        }
    }

    fn pod(containers: &[&str], statuses: Vec<ContainerStatus>, phase: &str) -> Pod {
        Pod {
            metadata: ObjectMeta {
                name: Some("nginx".into()),
                namespace: Some("default".into()),
                creation_timestamp: Some(Time(ts("2026-11-27T06:39:52Z"))),
                ..Default::default()
            },
            spec: Some(PodSpec {
                containers: containers.iter().map(|c| container(c)).collect(),
                ..Default::default()
            }),
            status: Some(PodStatus {
                phase: Some(phase.into()),
                container_statuses: Some(statuses),
                ..Default::default()
            }),
        }
    }

    fn cells(p: &Pod) -> Vec<Value> {
        p.cells(now())
    }

    #[test]
    fn a_running_scheduled_pod_prints_like_kubectl_get_pods_wide() {
        let mut p = pod(&["nginx"], vec![running("nginx", true)], "Running");
        p.spec.as_mut().unwrap().node_name = Some("node-1".into());
        p.status.as_mut().unwrap().pod_ips = Some(vec![PodIP {
            ip: "10.244.0.76".into(),
        }]);
        assert_eq!(
            cells(&p),
            vec![
                json!("nginx"),
                json!("1/1"),
                json!("Running"),
                json!("0"),
                json!("8s"),
                json!("10.244.0.76"),
                json!("node-1"),
                json!("<none>"),
                json!("<none>")
            ]
        );
        assert_eq!(cells(&p).len(), Pod::columns().len());
    }

    #[test]
    fn a_pending_unscheduled_pod_shows_pending_and_none_for_wide_columns() {
        let p = Pod {
            metadata: ObjectMeta {
                name: Some("web".into()),
                ..Default::default()
            },
            spec: Some(PodSpec {
                containers: vec![container("a"), container("b")],
                ..Default::default()
            }),
            status: Some(PodStatus {
                phase: Some("Pending".into()),
                ..Default::default()
            }),
        };
        assert_eq!(
            cells(&p),
            vec![
                json!("web"),
                json!("0/2"),
                json!("Pending"),
                json!("0"),
                json!("<unknown>"),
                json!("<none>"),
                json!("<none>"),
                json!("<none>"),
                json!("<none>")
            ]
        );
    }

    #[test]
    fn a_crash_looping_container_shows_its_waiting_reason_and_restarts_with_the_last_restart_age() {
        let mut status = waiting("app", "CrashLoopBackOff");
        status.restart_count = 5;
        status.last_state = Some(ContainerState {
            terminated: Some(ContainerStateTerminated {
                exit_code: 1,
                finished_at: Some(Time(ts("2026-11-27T06:35:00Z"))),
                ..Default::default()
            }),
            ..Default::default()
        });
        let p = pod(&["app"], vec![status], "Running");
        let c = cells(&p);
        assert_eq!(c[1], json!("0/1"));
        assert_eq!(c[2], json!("CrashLoopBackOff"));
        assert_eq!(c[3], json!("5 (5m ago)"));
    }

    #[test]
    fn restarts_without_a_recorded_termination_time_are_a_bare_number() {
        let mut status = running("app", true);
        status.restart_count = 2;
        let p = pod(&["app"], vec![status], "Running");
        assert_eq!(cells(&p)[3], json!("2"));
    }

    #[test]
    fn the_first_app_container_decides_the_status_when_several_report_reasons() {
        let p = pod(
            &["a", "b"],
            vec![
                waiting("a", "ImagePullBackOff"),
                waiting("b", "ErrImagePull"),
            ],
            "Pending",
        );
        assert_eq!(cells(&p)[2], json!("ImagePullBackOff"));
    }

    #[test]
    fn a_succeeded_pod_shows_completed_and_carries_a_completed_row_condition() {
        let p = pod(
            &["job"],
            vec![terminated("job", 0, Some("Completed"))],
            "Succeeded",
        );
        assert_eq!(cells(&p)[1], json!("0/1"));
        assert_eq!(cells(&p)[2], json!("Completed"));
        assert_eq!(
            pod_row_conditions(&p),
            Some(
                json!([{"type": "Completed", "status": "True", "reason": "Succeeded",
                         "message": "The pod has completed successfully."}])
            )
        );
        assert_eq!(pod_row_conditions(&pod(&["a"], vec![], "Running")), None);
    }

    #[test]
    fn a_terminated_container_without_reason_shows_its_exit_code_or_signal() {
        let p = pod(&["a"], vec![terminated("a", 137, None)], "Failed");
        assert_eq!(cells(&p)[2], json!("ExitCode:137"));
        let mut s = terminated("a", 0, None);
        s.state
            .as_mut()
            .unwrap()
            .terminated
            .as_mut()
            .unwrap()
            .signal = Some(9);
        let p = pod(&["a"], vec![s], "Failed");
        assert_eq!(cells(&p)[2], json!("Signal:9"));
    }

    #[test]
    fn completed_with_a_container_still_running_shows_running_or_not_ready() {
        let mut p = pod(
            &["a", "b"],
            vec![terminated("a", 0, Some("Completed")), running("b", true)],
            "Running",
        );
        assert_eq!(cells(&p)[2], json!("NotReady"));
        p.status.as_mut().unwrap().conditions = Some(vec![condition("Ready", "True")]);
        assert_eq!(cells(&p)[2], json!("Running"));
        assert_eq!(cells(&p)[1], json!("1/2"));
    }

    fn with_init(mut p: Pod, inits: &[&str], init_statuses: Vec<ContainerStatus>) -> Pod {
        p.spec.as_mut().unwrap().init_containers =
            Some(inits.iter().map(|c| container(c)).collect());
        p.status.as_mut().unwrap().init_container_statuses = Some(init_statuses);
        p
    }

    #[test]
    fn an_init_container_still_running_shows_init_progress() {
        let p = with_init(
            pod(&["app"], vec![waiting("app", "PodInitializing")], "Pending"),
            &["one", "two"],
            vec![
                terminated("one", 0, Some("Completed")),
                running("two", false),
            ],
        );
        assert_eq!(cells(&p)[2], json!("Init:1/2"));
        assert_eq!(cells(&p)[1], json!("0/1"));
    }

    #[test]
    fn a_failing_init_container_shows_its_reason_prefixed_with_init() {
        let mut failing = waiting("one", "CrashLoopBackOff");
        failing.restart_count = 3;
        let p = with_init(pod(&["app"], vec![], "Pending"), &["one"], vec![failing]);
        assert_eq!(cells(&p)[2], json!("Init:CrashLoopBackOff"));
        assert_eq!(cells(&p)[3], json!("3"));
        let p = with_init(
            pod(&["app"], vec![], "Pending"),
            &["one"],
            vec![terminated("one", 2, None)],
        );
        assert_eq!(cells(&p)[2], json!("Init:ExitCode:2"));
        let p = with_init(
            pod(&["app"], vec![], "Pending"),
            &["one"],
            vec![terminated("one", 1, Some("Error"))],
        );
        assert_eq!(cells(&p)[2], json!("Init:Error"));
    }

    #[test]
    fn a_started_sidecar_counts_towards_ready_and_total() {
        let mut p = with_init(
            pod(&["app"], vec![running("app", true)], "Running"),
            &["proxy"],
            vec![running("proxy", true)],
        );
        p.spec.as_mut().unwrap().init_containers.as_mut().unwrap()[0].restart_policy =
            Some("Always".into());
        assert_eq!(cells(&p)[1], json!("2/2"));
        assert_eq!(cells(&p)[2], json!("Running"));
    }

    #[test]
    fn a_pod_being_deleted_shows_terminating_unless_it_already_finished() {
        let mut p = pod(&["a"], vec![running("a", true)], "Running");
        p.metadata.deletion_timestamp = Some(Time(now()));
        assert_eq!(cells(&p)[2], json!("Terminating"));
        let mut p = pod(
            &["a"],
            vec![terminated("a", 0, Some("Completed"))],
            "Succeeded",
        );
        p.metadata.deletion_timestamp = Some(Time(now()));
        assert_eq!(cells(&p)[2], json!("Completed"));
    }

    #[test]
    fn a_pod_being_deleted_on_a_lost_node_shows_unknown() {
        let mut p = pod(&["a"], vec![running("a", true)], "Running");
        p.metadata.deletion_timestamp = Some(Time(now()));
        p.status.as_mut().unwrap().reason = Some("NodeLost".into());
        assert_eq!(cells(&p)[2], json!("Unknown"));
    }

    #[test]
    fn status_reason_replaces_the_phase_and_scheduling_gates_replace_both() {
        let mut p = pod(&["a"], vec![], "Failed");
        p.status.as_mut().unwrap().reason = Some("Evicted".into());
        assert_eq!(cells(&p)[2], json!("Evicted"));
        let mut p = pod(&["a"], vec![], "Pending");
        p.status.as_mut().unwrap().conditions = Some(vec![PodCondition {
            reason: Some("SchedulingGated".into()),
            ..condition("PodScheduled", "False")
        }]);
        assert_eq!(cells(&p)[2], json!("SchedulingGated"));
    }

    #[test]
    fn readiness_gates_count_the_true_conditions() {
        let mut p = pod(&["a"], vec![running("a", true)], "Running");
        p.spec.as_mut().unwrap().readiness_gates = Some(vec![
            PodReadinessGate {
                condition_type: "example.com/lb".into(),
            },
            PodReadinessGate {
                condition_type: "example.com/dns".into(),
            },
        ]);
        p.status.as_mut().unwrap().conditions = Some(vec![
            condition("example.com/lb", "True"),
            condition("example.com/dns", "False"),
        ]);
        assert_eq!(cells(&p)[8], json!("1/2"));
    }

    #[test]
    fn pod_columns_match_upstream_names_types_and_priorities() {
        let cols: Vec<_> = Pod::columns()
            .iter()
            .map(|c| (c.name, c.type_, c.format, c.priority))
            .collect();
        assert_eq!(
            cols,
            vec![
                ("Name", "string", "name", 0),
                ("Ready", "string", "", 0),
                ("Status", "string", "", 0),
                ("Restarts", "string", "", 0),
                ("Age", "string", "", 0),
                ("IP", "string", "", 1),
                ("Node", "string", "", 1),
                ("Nominated Node", "string", "", 1),
                ("Readiness Gates", "string", "", 1),
            ]
        );
        assert!(
            Pod::columns()[0]
                .description
                .starts_with("Name must be unique within a namespace.")
        );
    }
}
