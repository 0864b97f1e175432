//! Defaulting of `batch/v1` kinds (`pkg/apis/batch/v1/defaults.go`, 1.33): Jobs and CronJobs,
//! whose pod templates get the pod-spec defaults of [`super::core::set_defaults_pod_template`].

use k8s_openapi::api::batch::v1::{CronJob, CronJobSpec, Job, JobSpec};

use super::core::set_defaults_pod_template;

fn unset(v: &Option<String>) -> bool {
    v.as_deref().unwrap_or("").is_empty()
}

/// `SetDefaults_Job`: `completions` and `parallelism` 1 (both only when neither is set),
/// `backoffLimit` 6 (`MaxInt32` with `backoffLimitPerIndex`), `completionMode`
/// `NonIndexed`, `suspend` false, `podReplacementPolicy` `TerminatingOrFailed` (`Failed`
/// with a pod failure policy), `manualSelector` false, `True` for pod-condition patterns
/// without a status, the template's labels as the Job's when it has none, and pod-template
/// defaults.
pub fn set_object_defaults_job(job: &mut Job) {
    let spec = job.spec.get_or_insert_with(JobSpec::default);
    if spec.completions.is_none() && spec.parallelism.is_none() {
        spec.completions = Some(1);
        spec.parallelism = Some(1);
    }
    if spec.parallelism.is_none() {
        spec.parallelism = Some(1);
    }
    if spec.backoff_limit.is_none() {
        spec.backoff_limit = Some(if spec.backoff_limit_per_index.is_some() {
            i32::MAX
        } else {
            6
        });
    }
    copy_template_labels(job);
    let spec = job.spec.get_or_insert_with(JobSpec::default);
    if unset(&spec.completion_mode) {
        spec.completion_mode = Some("NonIndexed".to_string());
    }
    if spec.suspend.is_none() {
        spec.suspend = Some(false);
    }
    if let Some(pfp) = spec.pod_failure_policy.as_mut() {
        for rule in pfp.rules.iter_mut() {
            for pattern in rule.on_pod_conditions.iter_mut().flatten() {
                if pattern.status.is_empty() {
                    pattern.status = "True".to_string();
                }
            }
        }
    }
    if spec.pod_replacement_policy.is_none() {
        let policy = if spec.pod_failure_policy.is_some() {
            "Failed"
        } else {
            "TerminatingOrFailed"
        };
        spec.pod_replacement_policy = Some(policy.to_string());
    }
    if spec.manual_selector.is_none() {
        spec.manual_selector = Some(false);
    }
    set_defaults_pod_template(&mut spec.template);
}

/// The part of `SetDefaults_Job` that gives a Job without labels its template's labels.
/// Upstream also runs it when a Job is read back from storage, which is how the labels the
/// strategy generates on create (`batch.kubernetes.io/controller-uid`, …) end up on the
/// Job itself; the Job rules call it again after generating them.
pub fn copy_template_labels(job: &mut Job) {
    let labels = job
        .spec
        .as_ref()
        .and_then(|s| s.template.metadata.as_ref())
        .and_then(|m| m.labels.clone());
    if let Some(labels) = labels
        && job.metadata.labels.as_ref().is_none_or(|l| l.is_empty())
    {
        job.metadata.labels = Some(labels);
    }
}

/// `SetObjectDefaults_CronJob`: `concurrencyPolicy` `Allow`, `suspend` false, history limits
/// 3 successful and 1 failed, and pod-template defaults for the job template (the job
/// template's own spec gets no Job defaults, as upstream).
pub fn set_object_defaults_cron_job(cj: &mut CronJob) {
    let spec = cj.spec.get_or_insert_with(CronJobSpec::default);
    if unset(&spec.concurrency_policy) {
        spec.concurrency_policy = Some("Allow".to_string());
    }
    if spec.suspend.is_none() {
        spec.suspend = Some(false);
    }
    if spec.successful_jobs_history_limit.is_none() {
        spec.successful_jobs_history_limit = Some(3);
    }
    if spec.failed_jobs_history_limit.is_none() {
        spec.failed_jobs_history_limit = Some(1);
    }
    if let Some(js) = spec.job_template.spec.as_mut() {
        set_defaults_pod_template(&mut js.template);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn job(spec: serde_json::Value) -> Job {
        serde_json::from_value(json!({"metadata": {"name": "pi"}, "spec": spec})).expect("job")
    }

    #[test]
    fn a_bare_job_gets_upstreams_defaults() {
        let mut j = job(
            json!({"template": {"spec": {"containers": [{"name": "c", "image": "perl"}],
                                                      "restartPolicy": "Never"}}}),
        );
        set_object_defaults_job(&mut j);
        let s = j.spec.as_ref().expect("spec");
        assert_eq!((s.completions, s.parallelism), (Some(1), Some(1)));
        assert_eq!(s.backoff_limit, Some(6));
        assert_eq!(s.completion_mode.as_deref(), Some("NonIndexed"));
        assert_eq!(s.suspend, Some(false));
        assert_eq!(s.manual_selector, Some(false));
        assert_eq!(
            s.pod_replacement_policy.as_deref(),
            Some("TerminatingOrFailed")
        );
        let once = j.clone();
        set_object_defaults_job(&mut j);
        assert_eq!(j, once);
    }

    #[test]
    fn parallelism_alone_leaves_completions_unset() {
        let mut j = job(json!({"parallelism": 3, "template": {}}));
        set_object_defaults_job(&mut j);
        let s = j.spec.as_ref().expect("spec");
        assert_eq!((s.completions, s.parallelism), (None, Some(3)));
    }

    #[test]
    fn a_pod_failure_policy_changes_the_replacement_default() {
        let mut j = job(json!({"template": {}, "podFailurePolicy": {"rules": [
            {"action": "Ignore", "onPodConditions": [{"type": "DisruptionTarget"}]}]}}));
        set_object_defaults_job(&mut j);
        let s = j.spec.as_ref().expect("spec");
        assert_eq!(s.pod_replacement_policy.as_deref(), Some("Failed"));
        let rule = &s.pod_failure_policy.as_ref().expect("pfp").rules[0];
        assert_eq!(
            rule.on_pod_conditions.as_ref().expect("c")[0].status,
            "True"
        );
    }

    #[test]
    fn a_cron_job_gets_history_limits_but_its_job_template_no_job_defaults() {
        let mut cj: CronJob = serde_json::from_value(json!({
            "metadata": {"name": "c"},
            "spec": {"schedule": "* * * * *", "jobTemplate": {"spec": {"template": {"spec": {
                "containers": [{"name": "c", "image": "busybox"}]}}}}}
        }))
        .expect("cronjob");
        set_object_defaults_cron_job(&mut cj);
        let s = cj.spec.as_ref().expect("spec");
        assert_eq!(s.concurrency_policy.as_deref(), Some("Allow"));
        assert_eq!(s.suspend, Some(false));
        assert_eq!(s.successful_jobs_history_limit, Some(3));
        assert_eq!(s.failed_jobs_history_limit, Some(1));
        let js = s.job_template.spec.as_ref().expect("job spec");
        assert_eq!(js.backoff_limit, None);
        assert_eq!(
            js.template
                .spec
                .as_ref()
                .and_then(|p| p.restart_policy.as_deref()),
            Some("Always")
        );
    }
}
