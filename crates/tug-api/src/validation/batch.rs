//! Validation of `batch/v1` Jobs and CronJobs (`pkg/apis/batch/validation`, 1.33), with
//! upstream's messages and field paths.

use std::collections::{BTreeMap, BTreeSet};

use k8s_openapi::api::batch::v1::{CronJob, CronJobSpec, Job, JobSpec, JobStatus};
use k8s_openapi::api::core::v1::PodTemplateSpec;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use super::core::{validate_pod_template_spec, validate_qualified_name};
use super::cron;
use super::meta::{
    go_label_selector, label_selector_as_selector, validate_core_object_meta,
    validate_core_object_meta_update, validate_label_selector,
};
use super::names::{is_dns1123_label, name_is_dns_subdomain};
use super::{
    FIELD_IMMUTABLE_ERROR_MSG, go_quote, go_string_map, invalid_repr, s, validate_nonnegative,
};
use crate::field::{ErrorList, ErrorType, FieldError, Path};

/// `batch.LegacyJobNameLabel`.
pub const LEGACY_JOB_NAME_LABEL: &str = "job-name";
/// `batch.JobNameLabel`.
pub const JOB_NAME_LABEL: &str = "batch.kubernetes.io/job-name";
/// `batch.LegacyControllerUidLabel`.
pub const LEGACY_CONTROLLER_UID_LABEL: &str = "controller-uid";
/// `batch.ControllerUidLabel`.
pub const CONTROLLER_UID_LABEL: &str = "batch.kubernetes.io/controller-uid";

const MAX_PARALLELISM_FOR_INDEXED_JOB: i32 = 100_000;
const MAX_FAILED_INDEXES_FOR_INDEXED_JOB: i32 = 100_000;
const COMPLETIONS_SOFT_LIMIT: i32 = 100_000;
const PARALLELISM_LIMIT_FOR_HIGH_COMPLETIONS: i32 = 10_000;
const MAX_FAILED_INDEXES_LIMIT_FOR_HIGH_COMPLETIONS: i32 = 10_000;
const MAX_POD_FAILURE_POLICY_RULES: usize = 20;
const MAX_POD_FAILURE_POLICY_ON_EXIT_CODES_VALUES: usize = 255;
const MAX_POD_FAILURE_POLICY_ON_POD_CONDITIONS_PATTERNS: usize = 20;
const MAX_MANAGED_BY_LENGTH: usize = 63;
const MAX_SUCCESS_POLICY_RULES: usize = 20;

fn root(name: &str) -> Path {
    Path::new(name)
}

fn template_labels(t: &PodTemplateSpec) -> Option<&BTreeMap<String, String>> {
    t.metadata.as_ref().and_then(|m| m.labels.as_ref())
}

/// `ValidateHasLabel`.
fn validate_has_label(meta: Option<&ObjectMeta>, path: &Path, key: &str, want: &str) -> ErrorList {
    let labels = meta.and_then(|m| m.labels.as_ref());
    let p = path.child("labels").key(key);
    match labels.and_then(|l| l.get(key)) {
        None => vec![FieldError::required(&p, "")],
        Some(v) if v != want => vec![invalid_repr(
            &p,
            &go_string_map(labels),
            &format!("must be '{want}'"),
        )],
        Some(_) => Vec::new(),
    }
}

/// `validateGeneratedSelector`: a generated selector must select the labels the strategy put
/// on the template (`controller-uid` and `job-name`, with their `batch.kubernetes.io/`
/// twins when `prefixed`).
fn validate_generated_selector(job: &Job, prefixed: bool) -> ErrorList {
    let mut errs = Vec::new();
    let Some(spec) = job.spec.as_ref() else {
        return errs;
    };
    if spec.manual_selector == Some(true) {
        return errs;
    }
    let Some(selector) = spec.selector.as_ref() else {
        return errs;
    };
    let uid = s(&job.metadata.uid).to_string();
    let name = s(&job.metadata.name).to_string();
    if uid.is_empty() {
        errs.push(FieldError::required(&root("metadata").child("uid"), ""));
    }
    let tmeta = spec.template.metadata.as_ref();
    let tpath = root("spec").child("template").child("metadata");
    errs.extend(validate_has_label(
        tmeta,
        &tpath,
        LEGACY_CONTROLLER_UID_LABEL,
        &uid,
    ));
    errs.extend(validate_has_label(
        tmeta,
        &tpath,
        LEGACY_JOB_NAME_LABEL,
        &name,
    ));
    let mut expected = BTreeMap::new();
    if prefixed {
        errs.extend(validate_has_label(
            tmeta,
            &tpath,
            CONTROLLER_UID_LABEL,
            &uid,
        ));
        errs.extend(validate_has_label(tmeta, &tpath, JOB_NAME_LABEL, &name));
        expected.insert(CONTROLLER_UID_LABEL.to_string(), uid.clone());
        expected.insert(JOB_NAME_LABEL.to_string(), name.clone());
    }
    expected.insert(LEGACY_CONTROLLER_UID_LABEL.to_string(), uid);
    expected.insert(LEGACY_JOB_NAME_LABEL.to_string(), name);
    if let Ok(sel) = label_selector_as_selector(Some(selector))
        && !sel.matches(Some(&expected))
    {
        errs.push(invalid_repr(
            &root("spec").child("selector"),
            &go_label_selector(selector),
            "`selector` not auto-generated",
        ));
    }
    errs
}

/// Go's `%#v` of a `[]int32`.
fn go_int32_slice(v: &[i32]) -> String {
    let items: Vec<String> = v.iter().map(i32::to_string).collect();
    format!("[]int32{{{}}}", items.join(", "))
}

/// `validatePodFailurePolicy` and its rules.
fn validate_pod_failure_policy(spec: &JobSpec, path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    let Some(pfp) = spec.pod_failure_policy.as_ref() else {
        return errs;
    };
    let rules_path = path.child("rules");
    if pfp.rules.len() > MAX_POD_FAILURE_POLICY_RULES {
        errs.push(FieldError::too_many(
            &rules_path,
            pfp.rules.len(),
            MAX_POD_FAILURE_POLICY_RULES,
        ));
    }
    let pod_spec = spec.template.spec.clone().unwrap_or_default();
    let containers: BTreeSet<&str> = pod_spec
        .containers
        .iter()
        .chain(pod_spec.init_containers.iter().flatten())
        .map(|c| c.name.as_str())
        .collect();
    const ACTIONS: &[&str] = &["Count", "FailIndex", "FailJob", "Ignore"];
    for (i, rule) in pfp.rules.iter().enumerate() {
        let rp = rules_path.index(i);
        let ap = rp.child("action");
        if rule.action.is_empty() {
            errs.push(FieldError::required(
                &ap,
                format!("valid values: {}", go_quoted_list(ACTIONS)),
            ));
        } else if rule.action == "FailIndex" {
            if spec.backoff_limit_per_index.is_none() {
                errs.push(FieldError::invalid(
                    &ap,
                    rule.action.as_str(),
                    "requires the backoffLimitPerIndex to be set",
                ));
            }
        } else if !ACTIONS.contains(&rule.action.as_str()) {
            errs.push(FieldError::not_supported(
                &ap,
                rule.action.as_str(),
                ACTIONS,
            ));
        }
        if let Some(oec) = rule.on_exit_codes.as_ref() {
            let op = rp.child("onExitCodes");
            const OPS: &[&str] = &["In", "NotIn"];
            if oec.operator.is_empty() {
                errs.push(FieldError::required(
                    &op.child("operator"),
                    format!("valid values: {}", go_quoted_list(OPS)),
                ));
            } else if !OPS.contains(&oec.operator.as_str()) {
                errs.push(FieldError::not_supported(
                    &op.child("operator"),
                    oec.operator.as_str(),
                    OPS,
                ));
            }
            if let Some(c) = oec.container_name.as_deref()
                && !containers.contains(c)
            {
                errs.push(FieldError::invalid(
                    &op.child("containerName"),
                    c,
                    "must be one of the container or initContainer names in the pod template",
                ));
            }
            let vp = op.child("values");
            if oec.values.is_empty() {
                errs.push(invalid_repr(
                    &vp,
                    &go_int32_slice(&oec.values),
                    "at least one value is required",
                ));
            } else if oec.values.len() > MAX_POD_FAILURE_POLICY_ON_EXIT_CODES_VALUES {
                errs.push(FieldError::too_many(
                    &vp,
                    oec.values.len(),
                    MAX_POD_FAILURE_POLICY_ON_EXIT_CODES_VALUES,
                ));
            }
            let mut seen = BTreeSet::new();
            let mut ordered = true;
            for (j, v) in oec.values.iter().enumerate() {
                if oec.operator == "In" && *v == 0 {
                    errs.push(FieldError::invalid(
                        &vp.index(j),
                        *v,
                        "must not be 0 for the In operator",
                    ));
                }
                if !seen.insert(*v) {
                    errs.push(FieldError::duplicate(&vp.index(j), *v));
                }
                if j > 0 && oec.values[j - 1] > *v {
                    ordered = false;
                }
            }
            if !ordered {
                errs.push(invalid_repr(
                    &vp,
                    &go_int32_slice(&oec.values),
                    "must be ordered",
                ));
            }
        }
        let patterns = rule.on_pod_conditions.as_deref().unwrap_or_default();
        if !patterns.is_empty() {
            let pp = rp.child("onPodConditions");
            if patterns.len() > MAX_POD_FAILURE_POLICY_ON_POD_CONDITIONS_PATTERNS {
                errs.push(FieldError::too_many(
                    &pp,
                    patterns.len(),
                    MAX_POD_FAILURE_POLICY_ON_POD_CONDITIONS_PATTERNS,
                ));
            }
            const STATUSES: &[&str] = &["False", "True", "Unknown"];
            for (j, p) in patterns.iter().enumerate() {
                errs.extend(validate_qualified_name(
                    &p.type_,
                    &pp.index(j).child("type"),
                ));
                let sp = pp.index(j).child("status");
                if p.status.is_empty() {
                    errs.push(FieldError::required(
                        &sp,
                        format!("valid values: {}", go_quoted_list(STATUSES)),
                    ));
                } else if !STATUSES.contains(&p.status.as_str()) {
                    errs.push(FieldError::not_supported(&sp, p.status.as_str(), STATUSES));
                }
            }
        }
        match (rule.on_exit_codes.is_some(), !patterns.is_empty()) {
            (true, true) => errs.push(omit_value(
                &rp,
                "specifying both OnExitCodes and OnPodConditions is not supported",
            )),
            (false, false) => errs.push(omit_value(
                &rp,
                "specifying one of OnExitCodes and OnPodConditions is required",
            )),
            _ => {}
        }
    }
    errs
}

/// `field.Invalid(path, field.OmitValueType{}, detail)`: `Invalid value` without a value.
fn omit_value(path: &Path, detail: &str) -> FieldError {
    FieldError {
        error_type: ErrorType::Invalid,
        field: path.as_str().to_string(),
        bad_value: None,
        detail: detail.to_string(),
    }
}

/// Go's `%q` of a `[]string`: `["a" "b"]`.
fn go_quoted_list(v: &[&str]) -> String {
    let items: Vec<String> = v.iter().map(|s| go_quote(s)).collect();
    format!("[{}]", items.join(" "))
}

/// `validateIndexesFormat`: `1,3-5,7`, ascending, below `completions`; the number of
/// indexes it names.
fn validate_indexes_format(indexes: &str, completions: i32) -> Result<i32, String> {
    if indexes.is_empty() {
        return Ok(0);
    }
    let mut last: i64 = -1;
    let mut total: i64 = 0;
    for interval in indexes.split(',') {
        let limits: Vec<&str> = interval.split('-').collect();
        if limits.len() > 2 {
            return Err(format!(
                "too many parts separated by '-' in {}",
                go_quote(interval)
            ));
        }
        let parse = |p: &str| -> Result<i64, String> {
            p.parse::<i64>().map_err(|_| {
                format!(
                    "cannot convert string to integer for index: {}",
                    go_quote(p)
                )
            })
        };
        let x = parse(limits[0])?;
        if x >= i64::from(completions) {
            return Err(format!("too large index: {}", go_quote(limits[0])));
        }
        if x <= last {
            return Err(format!(
                "non-increasing order, previous: {last}, current: {x}"
            ));
        }
        total += 1;
        if limits.len() == 2 {
            let y = parse(limits[1])?;
            if y >= i64::from(completions) {
                return Err(format!("too large index: {}", go_quote(limits[1])));
            }
            if x >= y {
                return Err(format!("non-increasing order, previous: {x}, current: {y}"));
            }
            total += y - x;
            last = y;
        } else {
            last = x;
        }
    }
    Ok(total as i32)
}

/// `validateSuccessPolicy`.
fn validate_success_policy(spec: &JobSpec, path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    let Some(sp) = spec.success_policy.as_ref() else {
        return errs;
    };
    let rules_path = path.child("rules");
    if sp.rules.is_empty() {
        errs.push(FieldError::required(
            &rules_path,
            "at least one rules must be specified when the successPolicy is specified",
        ));
    }
    if sp.rules.len() > MAX_SUCCESS_POLICY_RULES {
        errs.push(FieldError::too_many(
            &rules_path,
            sp.rules.len(),
            MAX_SUCCESS_POLICY_RULES,
        ));
    }
    let completions = spec.completions.unwrap_or(0);
    for (i, rule) in sp.rules.iter().enumerate() {
        let rp = rules_path.index(i);
        if rule.succeeded_count.is_none() && rule.succeeded_indexes.is_none() {
            errs.push(FieldError::required(
                &rp,
                "at least one of succeededCount or succeededIndexes must be specified",
            ));
        }
        let mut total = 0;
        if let Some(idx) = rule.succeeded_indexes.as_deref() {
            let ip = rp.child("succeededIndexes");
            if idx.len() > 64 * 1024 {
                errs.push(super::too_long(&ip, 64 * 1024));
            }
            match validate_indexes_format(idx, completions) {
                Ok(t) => total = t,
                Err(e) => errs.push(FieldError::invalid(
                    &ip,
                    idx,
                    format!("error parsing succeededIndexes: {e}"),
                )),
            }
        }
        if let Some(n) = rule.succeeded_count {
            let cp = rp.child("succeededCount");
            errs.extend(validate_nonnegative(i64::from(n), &cp));
            if n > completions {
                errs.push(FieldError::invalid(
                    &cp,
                    n,
                    format!(
                        "must be less than or equal to {completions} (the number of specified completions)"
                    ),
                ));
            }
            if rule.succeeded_indexes.is_some() && n > total {
                errs.push(FieldError::invalid(
                    &cp,
                    n,
                    format!(
                        "must be less than or equal to {total} (the number of indexes in the specified succeededIndexes field)"
                    ),
                ));
            }
        }
    }
    errs
}

/// `validateJobSpec`: counts, completion mode and its limits, failure and success policies,
/// pod replacement policy, and a pod template that restarts `OnFailure` or `Never`.
fn validate_job_spec_inner(spec: &JobSpec, path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    let nonneg = |v: Option<i64>, f: &str, errs: &mut ErrorList| {
        if let Some(v) = v {
            errs.extend(validate_nonnegative(v, &path.child(f)));
        }
    };
    nonneg(spec.parallelism.map(i64::from), "parallelism", &mut errs);
    nonneg(spec.completions.map(i64::from), "completions", &mut errs);
    nonneg(
        spec.active_deadline_seconds,
        "activeDeadlineSeconds",
        &mut errs,
    );
    nonneg(spec.backoff_limit.map(i64::from), "backoffLimit", &mut errs);
    nonneg(
        spec.ttl_seconds_after_finished.map(i64::from),
        "ttlSecondsAfterFinished",
        &mut errs,
    );
    nonneg(
        spec.backoff_limit_per_index.map(i64::from),
        "backoffLimitPerIndex",
        &mut errs,
    );
    if let Some(m) = spec.max_failed_indexes {
        errs.extend(validate_nonnegative(
            i64::from(m),
            &path.child("maxFailedIndexes"),
        ));
        if spec.backoff_limit_per_index.is_none() {
            errs.push(FieldError::required(
                &path.child("backoffLimitPerIndex"),
                "when maxFailedIndexes is specified",
            ));
        }
    }
    if let Some(mb) = spec.managed_by.as_deref() {
        errs.extend(validate_domain_prefixed_path(&path.child("managedBy"), mb));
        if mb.len() > MAX_MANAGED_BY_LENGTH {
            errs.push(super::too_long(
                &path.child("managedBy"),
                MAX_MANAGED_BY_LENGTH,
            ));
        }
    }
    let mode = s(&spec.completion_mode);
    if spec.completion_mode.is_some() {
        if mode != "NonIndexed" && mode != "Indexed" {
            errs.push(FieldError::not_supported(
                &path.child("completionMode"),
                mode,
                &["NonIndexed", "Indexed"],
            ));
        }
        if mode == "Indexed" {
            if spec.completions.is_none() {
                errs.push(FieldError::required(
                    &path.child("completions"),
                    "when completion mode is Indexed",
                ));
            }
            if let Some(p) = spec.parallelism
                && p > MAX_PARALLELISM_FOR_INDEXED_JOB
            {
                errs.push(FieldError::invalid(
                    &path.child("parallelism"),
                    p,
                    format!(
                        "must be less than or equal to {MAX_PARALLELISM_FOR_INDEXED_JOB} when completion mode is Indexed"
                    ),
                ));
            }
            if let (Some(c), Some(m)) = (spec.completions, spec.max_failed_indexes)
                && m > c
            {
                errs.push(FieldError::invalid(
                    &path.child("maxFailedIndexes"),
                    m,
                    "must be less than or equal to completions",
                ));
            }
            if let Some(m) = spec.max_failed_indexes
                && m > MAX_FAILED_INDEXES_FOR_INDEXED_JOB
            {
                errs.push(FieldError::invalid(
                    &path.child("maxFailedIndexes"),
                    m,
                    format!("must be less than or equal to {MAX_FAILED_INDEXES_FOR_INDEXED_JOB}"),
                ));
            }
            if let Some(c) = spec.completions
                && c > COMPLETIONS_SOFT_LIMIT
                && spec.backoff_limit_per_index.is_some()
            {
                if spec.max_failed_indexes.is_none() {
                    errs.push(FieldError::required(
                        &path.child("maxFailedIndexes"),
                        format!(
                            "must be specified when completions is above {COMPLETIONS_SOFT_LIMIT}"
                        ),
                    ));
                }
                if let Some(p) = spec.parallelism
                    && p > PARALLELISM_LIMIT_FOR_HIGH_COMPLETIONS
                {
                    errs.push(FieldError::invalid(
                        &path.child("parallelism"),
                        p,
                        format!(
                            "must be less than or equal to {PARALLELISM_LIMIT_FOR_HIGH_COMPLETIONS} when completions are above {COMPLETIONS_SOFT_LIMIT} and used with backoff limit per index"
                        ),
                    ));
                }
                if let Some(m) = spec.max_failed_indexes
                    && m > MAX_FAILED_INDEXES_LIMIT_FOR_HIGH_COMPLETIONS
                {
                    errs.push(FieldError::invalid(
                        &path.child("maxFailedIndexes"),
                        m,
                        format!(
                            "must be less than or equal to {MAX_FAILED_INDEXES_LIMIT_FOR_HIGH_COMPLETIONS} when completions are above {COMPLETIONS_SOFT_LIMIT} and used with backoff limit per index"
                        ),
                    ));
                }
            }
        }
    }
    if mode != "Indexed" {
        if let Some(b) = spec.backoff_limit_per_index {
            errs.push(FieldError::invalid(
                &path.child("backoffLimitPerIndex"),
                b,
                "requires indexed completion mode",
            ));
        }
        if let Some(m) = spec.max_failed_indexes {
            errs.push(FieldError::invalid(
                &path.child("maxFailedIndexes"),
                m,
                "requires indexed completion mode",
            ));
        }
    }
    if spec.pod_failure_policy.is_some() {
        errs.extend(validate_pod_failure_policy(
            spec,
            &path.child("podFailurePolicy"),
        ));
    }
    if spec.success_policy.is_some() {
        if mode != "Indexed" {
            errs.push(invalid_repr(
                &path.child("successPolicy"),
                "batch.SuccessPolicy{...}",
                "requires indexed completion mode",
            ));
        } else {
            errs.extend(validate_success_policy(spec, &path.child("successPolicy")));
        }
    }
    if let Some(prp) = spec.pod_replacement_policy.as_deref() {
        let pp = path.child("podReplacementPolicy");
        if spec.pod_failure_policy.is_some() {
            if prp != "Failed" {
                errs.push(FieldError::not_supported(&pp, prp, &["Failed"]));
            }
        } else if prp != "Failed" && prp != "TerminatingOrFailed" {
            errs.push(FieldError::not_supported(
                &pp,
                prp,
                &["Failed", "TerminatingOrFailed"],
            ));
        }
    }
    let tpath = path.child("template");
    errs.extend(validate_pod_template_spec(&spec.template, &tpath));
    let rp = s(&spec
        .template
        .spec
        .as_ref()
        .and_then(|p| p.restart_policy.clone()))
    .to_string();
    let rpath = tpath.child("spec").child("restartPolicy");
    if rp == "Always" || rp.is_empty() {
        errs.push(FieldError::required(
            &rpath,
            "valid values: \"OnFailure\", \"Never\"",
        ));
    } else if rp != "OnFailure" && rp != "Never" {
        errs.push(FieldError::not_supported(
            &rpath,
            rp.as_str(),
            &["OnFailure", "Never"],
        ));
    } else if spec.pod_failure_policy.is_some() && rp != "Never" {
        errs.push(FieldError::invalid(
            &rpath,
            rp.as_str(),
            "only \"Never\" is supported when podFailurePolicy is specified",
        ));
    }
    errs
}

/// `IsDomainPrefixedPath`: `example.com/path`.
fn validate_domain_prefixed_path(path: &Path, value: &str) -> ErrorList {
    let mut errs = Vec::new();
    let Some((host, rest)) = value.split_once('/') else {
        errs.push(FieldError::invalid(
            path,
            value,
            "must be a domain-prefixed path (such as \"acme.io/foo\")",
        ));
        return errs;
    };
    for msg in super::names::is_dns1123_subdomain(host) {
        errs.push(FieldError::invalid(path, host, msg));
    }
    let ok = rest
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"/-._~%!$&'()*+,;=:".contains(&b));
    if !ok {
        errs.push(FieldError::invalid(
            path,
            rest,
            "Invalid path: must match the regex [A-Za-z0-9/\\-._~%!$&'()*+,;=:]+",
        ));
    }
    errs
}

/// `ValidateJobSpec`: [`validate_job_spec_inner`] plus a selector that is set, valid and
/// matches the template's labels.
pub fn validate_job_spec(spec: &JobSpec, path: &Path) -> ErrorList {
    let mut errs = validate_job_spec_inner(spec, path);
    let sel_path = path.child("selector");
    match spec.selector.as_ref() {
        None => errs.push(FieldError::required(&sel_path, "")),
        Some(sel) => errs.extend(validate_label_selector(Some(sel), false, &sel_path)),
    }
    if let Ok(sel) = label_selector_as_selector(spec.selector.as_ref()) {
        let labels = template_labels(&spec.template);
        if !sel.matches(labels) {
            errs.push(invalid_repr(
                &path.child("template").child("metadata").child("labels"),
                &go_string_map(labels),
                "`selector` does not match template `labels`",
            ));
        }
    }
    errs
}

fn job_spec(j: &Job) -> JobSpec {
    j.spec.clone().unwrap_or_default()
}

/// `ValidateJob` with `prefixed` as the strategy's `RequirePrefixedLabels`.
fn validate_job(job: &Job, prefixed: bool) -> ErrorList {
    let mut errs = validate_core_object_meta(
        &job.metadata,
        true,
        name_is_dns_subdomain,
        &root("metadata"),
    );
    errs.extend(validate_generated_selector(job, prefixed));
    let spec = job_spec(job);
    errs.extend(validate_job_spec(&spec, &root("spec")));
    if s(&spec.completion_mode) == "Indexed"
        && let Some(c) = spec.completions
        && c > 0
    {
        let name = s(&job.metadata.name);
        let host = format!("{name}-{}", c - 1);
        if !is_dns1123_label(&host).is_empty() {
            errs.push(FieldError::invalid(
                &root("metadata").child("name"),
                name,
                format!("will not able to create pod with invalid DNS label: {host}"),
            ));
        }
    }
    errs
}

/// The Job strategy's `Validate`.
pub fn validate_job_create(job: &Job) -> ErrorList {
    validate_job(job, true)
}

/// Go's `%#v` of a pod template, shortened: upstream prints the whole internal struct.
fn go_pod_template_spec(t: &PodTemplateSpec) -> String {
    let json = serde_json::to_string(t).unwrap_or_default();
    format!("core.PodTemplateSpec{json}")
}

/// The Job strategy's `ValidateUpdate`: `ValidateJob` (prefixed labels required only when
/// the stored Job has them), metadata update, and the immutable fields: selector,
/// completions (non-indexed jobs), template (scheduling directives excepted for a suspended
/// Job that never started), completion mode, pod failure and success policies,
/// `backoffLimitPerIndex`, `managedBy`.
pub fn validate_job_update(job: &Job, old: &Job) -> ErrorList {
    let (ns, os) = (job_spec(job), job_spec(old));
    let old_labels = template_labels(&os.template);
    let prefixed = old_labels
        .is_some_and(|l| l.contains_key(JOB_NAME_LABEL) && l.contains_key(CONTROLLER_UID_LABEL));
    let mut errs = validate_job(job, prefixed);
    errs.extend(validate_core_object_meta_update(
        &job.metadata,
        &old.metadata,
        &root("metadata"),
    ));
    let p = root("spec");
    errs.extend(validate_job_spec(&ns, &p));
    let indexed = s(&ns.completion_mode) == "Indexed";
    if ns.completions != os.completions {
        if !indexed {
            errs.push(immutable_opt_int(&p.child("completions"), ns.completions));
        } else if let Some(c) = ns.completions
            && Some(c) != ns.parallelism
        {
            errs.push(FieldError::invalid(
                &p.child("completions"),
                c,
                "can only be modified in tandem with spec.parallelism",
            ));
        }
    }
    if ns.selector != os.selector {
        let repr = match ns.selector.as_ref() {
            Some(sel) => go_label_selector(sel),
            None => "\"null\"".to_string(),
        };
        errs.push(invalid_repr(
            &p.child("selector"),
            &repr,
            FIELD_IMMUTABLE_ERROR_MSG,
        ));
    }
    let suspended = os.suspend == Some(true);
    let not_started = old.status.as_ref().is_none_or(|s| s.start_time.is_none());
    let mut old_template = os.template.clone();
    if suspended && not_started {
        let (nt, ot) = (&ns.template, &mut old_template);
        let (npod, opod) = (
            nt.spec.clone().unwrap_or_default(),
            ot.spec.get_or_insert_with(Default::default),
        );
        match (npod.affinity.as_ref(), opod.affinity.as_mut()) {
            (None, Some(a)) => {
                a.node_affinity = None;
                if *a == Default::default() {
                    opod.affinity = None;
                }
            }
            (Some(na), None) => {
                opod.affinity = Some(k8s_openapi::api::core::v1::Affinity {
                    node_affinity: na.node_affinity.clone(),
                    ..Default::default()
                })
            }
            (Some(na), Some(a)) => a.node_affinity.clone_from(&na.node_affinity),
            (None, None) => {}
        }
        opod.node_selector.clone_from(&npod.node_selector);
        opod.tolerations.clone_from(&npod.tolerations);
        opod.scheduling_gates.clone_from(&npod.scheduling_gates);
        let om = ot.metadata.get_or_insert_with(Default::default);
        let nm = nt.metadata.clone().unwrap_or_default();
        om.annotations = nm.annotations;
        om.labels = nm.labels;
    }
    if !super::workloads::semantic_eq(&ns.template, &old_template) {
        errs.push(invalid_repr(
            &p.child("template"),
            &go_pod_template_spec(&ns.template),
            FIELD_IMMUTABLE_ERROR_MSG,
        ));
    }
    if ns.completion_mode != os.completion_mode {
        errs.push(FieldError::invalid(
            &p.child("completionMode"),
            s(&ns.completion_mode),
            FIELD_IMMUTABLE_ERROR_MSG,
        ));
    }
    if ns.pod_failure_policy != os.pod_failure_policy {
        errs.push(invalid_repr(
            &p.child("podFailurePolicy"),
            if ns.pod_failure_policy.is_some() {
                "batch.PodFailurePolicy{...}"
            } else {
                "\"null\""
            },
            FIELD_IMMUTABLE_ERROR_MSG,
        ));
    }
    if ns.backoff_limit_per_index != os.backoff_limit_per_index {
        errs.push(immutable_opt_int(
            &p.child("backoffLimitPerIndex"),
            ns.backoff_limit_per_index,
        ));
    }
    if ns.managed_by != os.managed_by {
        errs.push(match ns.managed_by.as_deref() {
            Some(m) => FieldError::invalid(&p.child("managedBy"), m, FIELD_IMMUTABLE_ERROR_MSG),
            None => invalid_repr(&p.child("managedBy"), "\"null\"", FIELD_IMMUTABLE_ERROR_MSG),
        });
    }
    if ns.success_policy != os.success_policy {
        errs.push(invalid_repr(
            &p.child("successPolicy"),
            if ns.success_policy.is_some() {
                "batch.SuccessPolicy{...}"
            } else {
                "\"null\""
            },
            FIELD_IMMUTABLE_ERROR_MSG,
        ));
    }
    errs
}

fn immutable_opt_int(path: &Path, v: Option<i32>) -> FieldError {
    match v {
        Some(v) => FieldError::invalid(path, v, FIELD_IMMUTABLE_ERROR_MSG),
        None => invalid_repr(path, "\"null\"", FIELD_IMMUTABLE_ERROR_MSG),
    }
}

/// `validateJobStatus`: non-negative counts, unique and non-empty uncounted pod UIDs.
fn validate_job_status(st: &JobStatus, path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    for (f, v) in [
        ("active", st.active),
        ("succeeded", st.succeeded),
        ("failed", st.failed),
    ] {
        errs.extend(validate_nonnegative(
            i64::from(v.unwrap_or(0)),
            &path.child(f),
        ));
    }
    for (f, v) in [("ready", st.ready), ("terminating", st.terminating)] {
        if let Some(v) = v {
            errs.extend(validate_nonnegative(i64::from(v), &path.child(f)));
        }
    }
    if let Some(u) = st.uncounted_terminated_pods.as_ref() {
        let up = path.child("uncountedTerminatedPods");
        let mut seen = BTreeSet::new();
        for (list, name) in [(&u.succeeded, "succeeded"), (&u.failed, "failed")] {
            for (i, k) in list.iter().flatten().enumerate() {
                let p = up.child(name).index(i);
                if k.is_empty() {
                    errs.push(FieldError::invalid(&p, k.as_str(), "must not be empty"));
                } else if !seen.insert(k.clone()) {
                    errs.push(FieldError::duplicate(&p, k.as_str()));
                }
            }
        }
    }
    errs
}

fn condition_true(st: &JobStatus, type_: &str) -> bool {
    st.conditions
        .iter()
        .flatten()
        .any(|c| c.type_ == type_ && c.status == "True")
}

fn job_finished(st: &JobStatus) -> bool {
    condition_true(st, "Complete") || condition_true(st, "Failed")
}

/// `validateFailedIndexesNotOverlapCompleted`.
fn failed_overlaps_completed(completed: &str, failed: &str, completions: i32) -> Option<String> {
    let expand = |s: &str| -> BTreeSet<i64> {
        let mut out = BTreeSet::new();
        for part in s.split(',').filter(|p| !p.is_empty()) {
            let mut it = part.split('-');
            let a = it.next().and_then(|x| x.parse::<i64>().ok());
            let b = it.next().and_then(|x| x.parse::<i64>().ok());
            match (a, b) {
                (Some(a), Some(b)) => out.extend(a..=b.min(i64::from(completions))),
                (Some(a), None) => {
                    out.insert(a);
                }
                _ => {}
            }
        }
        out
    };
    let c = expand(completed);
    expand(failed)
        .into_iter()
        .find(|i| c.contains(i))
        .map(|i| format!("failedIndexes and completedIndexes overlap at index: {i}"))
}

/// `ValidateJobUpdateStatus` with the options upstream's status strategy sets when the
/// JobManagedBy gate is on (beta, on in 1.33): consistency rules are enforced when the
/// fields they speak of change, and counters, terminal conditions and completion times may
/// not go back.
pub fn validate_job_status_update(job: &Job, old: &Job) -> ErrorList {
    let mut errs =
        validate_core_object_meta_update(&job.metadata, &old.metadata, &root("metadata"));
    let st = job.status.clone().unwrap_or_default();
    let ost = old.status.clone().unwrap_or_default();
    let spec = job_spec(job);
    let sp = root("status");
    errs.extend(validate_job_status(&st, &sp));

    let changed = |f: fn(&JobStatus) -> bool| f(&st) != f(&ost);
    let finished_changed = changed(job_finished);
    let complete_changed = changed(|s| condition_true(s, "Complete"));
    let failed_changed = changed(|s| condition_true(s, "Failed"));
    let target_changed = changed(|s| condition_true(s, "FailureTarget"));
    let scm_changed = changed(|s| condition_true(s, "SuccessCriteriaMet"));
    let completed_changed = st.completed_indexes != ost.completed_indexes;
    let failed_idx_changed = st.failed_indexes != ost.failed_indexes;
    let active_changed = st.active != ost.active;
    let ready_changed = st.ready != ost.ready;
    let terminating_changed = st.terminating != ost.terminating;
    let start_changed = st.start_time != ost.start_time;
    let completion_changed = st.completion_time != ost.completion_time;
    let uncounted_changed = !super::workloads::semantic_eq(
        &st.uncounted_terminated_pods,
        &ost.uncounted_terminated_pods,
    );
    let indexed = s(&spec.completion_mode) == "Indexed";
    let (complete, failed) = (
        condition_true(&st, "Complete"),
        condition_true(&st, "Failed"),
    );
    let target = condition_true(&st, "FailureTarget");
    let scm = condition_true(&st, "SuccessCriteriaMet");
    let finished = complete || failed;
    let cond = sp.child("conditions");
    let time = |t: Option<&k8s_openapi::apimachinery::pkg::apis::meta::v1::Time>| {
        super::meta::go_meta_time(t)
    };

    if (complete_changed || failed_changed) && complete && failed {
        errs.push(omit_value(
            &cond,
            "cannot set Complete=True and Failed=true conditions",
        ));
    }
    if (complete_changed || target_changed) && complete && target {
        errs.push(omit_value(
            &cond,
            "cannot set Complete=True and FailureTarget=true conditions",
        ));
    }
    if (complete_changed || completion_changed) && st.completion_time.is_some() && !complete {
        errs.push(invalid_repr(
            &sp.child("completionTime"),
            &time(st.completion_time.as_ref()),
            "cannot set completionTime when there is no Complete=True condition",
        ));
    }
    if (complete_changed || completion_changed) && st.completion_time.is_none() && complete {
        errs.push(FieldError::required(
            &sp.child("completionTime"),
            "completionTime is required for Complete jobs",
        ));
    }
    if (start_changed || completion_changed)
        && let (Some(s0), Some(c0)) = (st.start_time.as_ref(), st.completion_time.as_ref())
        && c0.0 < s0.0
    {
        errs.push(invalid_repr(
            &sp.child("completionTime"),
            &time(Some(c0)),
            "completionTime cannot be set before startTime",
        ));
    }
    if (failed_changed || target_changed) && failed && !target {
        errs.push(omit_value(
            &cond,
            "cannot set Failed=True condition without the FailureTarget=true condition",
        ));
    }
    if (complete_changed || scm_changed) && complete && !scm {
        errs.push(omit_value(
            &cond,
            "cannot set Complete=True condition without the SuccessCriteriaMet=true condition",
        ));
    }
    let active = st.active.unwrap_or(0);
    if (finished_changed || active_changed) && active > 0 && finished {
        errs.push(FieldError::invalid(
            &sp.child("active"),
            active,
            "active>0 is invalid for finished job",
        ));
    }
    if (finished_changed || start_changed) && st.start_time.is_none() && finished {
        errs.push(FieldError::required(
            &sp.child("startTime"),
            "startTime is required for finished job",
        ));
    }
    if (finished_changed || uncounted_changed)
        && finished
        && st.uncounted_terminated_pods.as_ref().is_some_and(|u| {
            u.failed.as_ref().is_some_and(|f| !f.is_empty())
                || u.succeeded.as_ref().is_some_and(|s| !s.is_empty())
        })
    {
        errs.push(invalid_repr(
            &sp.child("uncountedTerminatedPods"),
            "batch.UncountedTerminatedPods{...}",
            "uncountedTerminatedPods needs to be empty for finished job",
        ));
    }
    let completed = st.completed_indexes.clone().unwrap_or_default();
    if completed_changed
        && let Some(c) = spec.completions
        && let Err(e) = validate_indexes_format(&completed, c)
    {
        errs.push(FieldError::invalid(
            &sp.child("completedIndexes"),
            completed.as_str(),
            format!("error parsing completedIndexes: {e}"),
        ));
    }
    if failed_idx_changed
        && let (Some(c), Some(_), Some(f)) = (
            spec.completions,
            spec.backoff_limit_per_index,
            st.failed_indexes.as_deref(),
        )
        && let Err(e) = validate_indexes_format(f, c)
    {
        errs.push(FieldError::invalid(
            &sp.child("failedIndexes"),
            f,
            format!("error parsing failedIndexes: {e}"),
        ));
    }
    if completed_changed && !completed.is_empty() && !indexed {
        errs.push(FieldError::invalid(
            &sp.child("completedIndexes"),
            completed.as_str(),
            "cannot set non-empty completedIndexes when non-indexed completion mode",
        ));
    }
    if failed_idx_changed
        && spec.backoff_limit_per_index.is_none()
        && let Some(f) = st.failed_indexes.as_deref()
    {
        errs.push(FieldError::invalid(
            &sp.child("failedIndexes"),
            f,
            "cannot set non-null failedIndexes when backoffLimitPerIndex is null",
        ));
    }
    if (failed_idx_changed || completed_changed)
        && let (Some(c), Some(f)) = (spec.completions, st.failed_indexes.as_deref())
        && let Some(msg) = failed_overlaps_completed(&completed, f, c)
    {
        errs.push(FieldError::invalid(&sp.child("failedIndexes"), f, msg));
    }
    if let Some(t) = st.terminating
        && (finished_changed || terminating_changed)
        && t > 0
        && finished
    {
        errs.push(FieldError::invalid(
            &sp.child("terminating"),
            t,
            "terminating>0 is invalid for finished job",
        ));
    }
    if let Some(r) = st.ready
        && (ready_changed || active_changed)
        && r > active
    {
        errs.push(FieldError::invalid(
            &sp.child("ready"),
            r,
            "cannot set more ready pods than active",
        ));
    }
    if scm && failed {
        errs.push(omit_value(
            &cond,
            "cannot set SuccessCriteriaMet=True and Failed=true conditions",
        ));
    }
    if scm && target {
        errs.push(omit_value(
            &cond,
            "cannot set SuccessCriteriaMet=True and FailureTarget=true conditions",
        ));
    }
    if spec.success_policy.is_some() && !scm && complete {
        errs.push(omit_value(
            &cond,
            "cannot set Complete=True for Job with SuccessPolicy unless SuccessCriteriaMet=True",
        ));
    }

    for t in ["Failed", "Complete", "FailureTarget"] {
        if condition_true(&ost, t) && !condition_true(&st, t) {
            errs.push(omit_value(
                &cond,
                &format!("cannot disable the terminal {t}=True condition"),
            ));
        }
    }
    if st.failed.unwrap_or(0) < ost.failed.unwrap_or(0) {
        errs.push(FieldError::invalid(
            &sp.child("failed"),
            st.failed.unwrap_or(0),
            "cannot decrease the failed counter",
        ));
    }
    let reject_succeeded = !indexed || spec.completions != spec.parallelism;
    if reject_succeeded && st.succeeded.unwrap_or(0) < ost.succeeded.unwrap_or(0) {
        errs.push(FieldError::invalid(
            &sp.child("succeeded"),
            st.succeeded.unwrap_or(0),
            "cannot decrease the succeeded counter",
        ));
    }
    if let (Some(n), Some(o)) = (st.completion_time.as_ref(), ost.completion_time.as_ref())
        && n != o
    {
        errs.push(invalid_repr(
            &sp.child("completionTime"),
            &time(Some(n)),
            "completionTime cannot be mutated",
        ));
    }
    if ost.start_time.is_some() && st.start_time != ost.start_time && spec.suspend != Some(true) {
        errs.push(FieldError::required(
            &sp.child("startTime"),
            "startTime cannot be removed for unsuspended job",
        ));
    }
    if condition_true(&ost, "SuccessCriteriaMet") && !scm {
        errs.push(omit_value(
            &cond,
            "cannot disable the SuccessCriteriaMet=True condition",
        ));
    }
    if condition_true(&ost, "Complete") && !condition_true(&ost, "SuccessCriteriaMet") && scm {
        errs.push(omit_value(
            &cond,
            "cannot set SuccessCriteriaMet=True for Job already has Complete=true conditions",
        ));
    }
    errs
}

/// The `TZ=`/`CRON_TZ=` and parse checks of a schedule (`validateScheduleFormat`).
fn validate_schedule_format(
    schedule: &str,
    allow_tz: bool,
    time_zone: Option<&str>,
    path: &Path,
) -> ErrorList {
    let mut errs = Vec::new();
    if let Err(e) = cron::parse_standard(schedule) {
        errs.push(FieldError::invalid(path, schedule, e));
    }
    let has_tz = schedule.contains("TZ");
    if allow_tz && has_tz && time_zone.is_some() {
        errs.push(FieldError::invalid(
            path,
            schedule,
            "cannot use both timeZone field and TZ or CRON_TZ in schedule",
        ));
    } else if !allow_tz && has_tz {
        errs.push(FieldError::invalid(
            path,
            schedule,
            "cannot use TZ or CRON_TZ in schedule, use timeZone field instead",
        ));
    }
    errs
}

/// `validateTimeZone`.
fn validate_time_zone(tz: Option<&str>, path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    let Some(tz) = tz else { return errs };
    if tz.is_empty() {
        errs.push(FieldError::invalid(
            path,
            tz,
            "timeZone must be nil or non-empty string",
        ));
        return errs;
    }
    let part_ok = |p: &str| {
        !(p == "." || p == ".." || p.starts_with('-'))
            && (1..=14).contains(&p.len())
            && p.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"._-+".contains(&b))
    };
    if !tz.split('/').all(part_ok) {
        errs.push(FieldError::invalid(
            path,
            tz,
            format!("unknown time zone {tz}"),
        ));
        return errs;
    }
    if tz.eq_ignore_ascii_case("Local") {
        errs.push(FieldError::invalid(
            path,
            tz,
            "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones",
        ));
    }
    if !cron::time_zone_exists(tz) {
        errs.push(FieldError::invalid(
            path,
            tz,
            format!("unknown time zone {tz}"),
        ));
    }
    errs
}

/// `ValidateJobTemplateSpec`: the job spec without selector checks; the selector is always
/// generated.
fn validate_job_template_spec(spec: &JobSpec, path: &Path) -> ErrorList {
    let sp = path.child("spec");
    let mut errs = validate_job_spec_inner(spec, &sp);
    if let Some(sel) = spec.selector.as_ref() {
        errs.push(invalid_repr(
            &sp.child("selector"),
            &go_label_selector(sel),
            "`selector` will be auto-generated",
        ));
    }
    if spec.manual_selector == Some(true) {
        errs.push(FieldError::not_supported(
            &sp.child("manualSelector"),
            true,
            &["nil", "false"],
        ));
    }
    errs
}

/// `validateCronJobSpec`; `old` is the stored spec on updates.
fn validate_cron_job_spec(spec: &CronJobSpec, old: Option<&CronJobSpec>, path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    let sched = path.child("schedule");
    if spec.schedule.is_empty() {
        errs.push(FieldError::required(&sched, ""));
    } else {
        let allow_tz = old.is_some_and(|o| o.schedule.contains("TZ"));
        errs.extend(validate_schedule_format(
            &spec.schedule,
            allow_tz,
            spec.time_zone.as_deref(),
            &sched,
        ));
    }
    if let Some(d) = spec.starting_deadline_seconds {
        errs.extend(validate_nonnegative(
            d,
            &path.child("startingDeadlineSeconds"),
        ));
    }
    if old.is_none_or(|o| o.time_zone != spec.time_zone) {
        errs.extend(validate_time_zone(
            spec.time_zone.as_deref(),
            &path.child("timeZone"),
        ));
    }
    let cp = path.child("concurrencyPolicy");
    match s(&spec.concurrency_policy) {
        "Allow" | "Forbid" | "Replace" => {}
        "" => errs.push(FieldError::required(&cp, "")),
        other => errs.push(FieldError::not_supported(
            &cp,
            other,
            &["Allow", "Forbid", "Replace"],
        )),
    }
    errs.extend(validate_job_template_spec(
        &spec.job_template.spec.clone().unwrap_or_default(),
        &path.child("jobTemplate"),
    ));
    for (f, v) in [
        (
            "successfulJobsHistoryLimit",
            spec.successful_jobs_history_limit,
        ),
        ("failedJobsHistoryLimit", spec.failed_jobs_history_limit),
    ] {
        if let Some(v) = v {
            errs.extend(validate_nonnegative(i64::from(v), &path.child(f)));
        }
    }
    errs
}

fn cron_spec(cj: &CronJob) -> CronJobSpec {
    cj.spec.clone().unwrap_or_default()
}

/// `ValidateCronJobCreate`: metadata, spec, and a name short enough for the Jobs it
/// creates (52 characters).
pub fn validate_cron_job_create(cj: &CronJob) -> ErrorList {
    let mut errs =
        validate_core_object_meta(&cj.metadata, true, name_is_dns_subdomain, &root("metadata"));
    errs.extend(validate_cron_job_spec(&cron_spec(cj), None, &root("spec")));
    let name = s(&cj.metadata.name);
    if name.len() > 52 {
        errs.push(FieldError::invalid(
            &root("metadata").child("name"),
            name,
            "must be no more than 52 characters",
        ));
    }
    errs
}

/// `ValidateCronJobUpdate`: metadata update and spec (no name length limit).
pub fn validate_cron_job_update(cj: &CronJob, old: &CronJob) -> ErrorList {
    let mut errs = validate_core_object_meta_update(&cj.metadata, &old.metadata, &root("metadata"));
    errs.extend(validate_cron_job_spec(
        &cron_spec(cj),
        Some(&cron_spec(old)),
        &root("spec"),
    ));
    errs
}

/// The CronJob status strategy's `ValidateUpdate`: metadata only.
pub fn validate_cron_job_status_update(cj: &CronJob, old: &CronJob) -> ErrorList {
    validate_core_object_meta_update(&cj.metadata, &old.metadata, &root("metadata"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn msgs(errs: &ErrorList) -> Vec<String> {
        errs.iter().map(|e| e.to_string()).collect()
    }

    fn cron_job(schedule: &str) -> CronJob {
        let mut cj: CronJob = serde_json::from_value(json!({
            "metadata": {"name": "c", "namespace": "d"},
            "spec": {"schedule": schedule, "jobTemplate": {"spec": {"template": {"spec": {
                "restartPolicy": "OnFailure",
                "containers": [{"name": "c", "image": "busybox"}]}}}}}
        }))
        .expect("cronjob");
        crate::defaults::batch::set_object_defaults_cron_job(&mut cj);
        cj
    }

    #[test]
    fn a_bad_schedule_is_rejected_with_the_parsers_message() {
        assert_eq!(
            msgs(&validate_cron_job_create(&cron_job("bad"))),
            vec![
                "spec.schedule: Invalid value: \"bad\": expected exactly 5 fields, found 1: [bad]"
            ]
        );
        assert!(validate_cron_job_create(&cron_job("*/1 * * * *")).is_empty());
    }

    #[test]
    fn tz_in_the_schedule_and_unknown_zones_are_rejected() {
        assert_eq!(
            msgs(&validate_cron_job_create(&cron_job("TZ=UTC 0 * * * *"))),
            vec![
                "spec.schedule: Invalid value: \"TZ=UTC 0 * * * *\": cannot use TZ or CRON_TZ in schedule, use timeZone field instead"
            ]
        );
        let mut cj = cron_job("0 * * * *");
        cj.spec.as_mut().expect("spec").time_zone = Some("Mars/Base".into());
        assert_eq!(
            msgs(&validate_cron_job_create(&cj)),
            vec!["spec.timeZone: Invalid value: \"Mars/Base\": unknown time zone Mars/Base"]
        );
        cj.spec.as_mut().expect("spec").time_zone = Some("Europe/Berlin".into());
        assert!(validate_cron_job_create(&cj).is_empty());
    }

    #[test]
    fn cron_job_names_are_limited_to_52_characters() {
        let mut cj = cron_job("* * * * *");
        cj.metadata.name = Some("a".repeat(53));
        assert_eq!(
            msgs(&validate_cron_job_create(&cj)),
            vec![format!(
                "metadata.name: Invalid value: \"{}\": must be no more than 52 characters",
                "a".repeat(53)
            )]
        );
    }

    fn job(spec: Value) -> Job {
        let mut j: Job = serde_json::from_value(json!({
            "metadata": {"name": "pi", "namespace": "d", "uid": "u-1"}, "spec": spec
        }))
        .expect("job");
        crate::defaults::batch::set_object_defaults_job(&mut j);
        j
    }

    #[test]
    fn job_templates_must_restart_on_failure_or_never() {
        let j = job(
            json!({"manualSelector": true, "selector": {"matchLabels": {"a": "b"}},
            "template": {"metadata": {"labels": {"a": "b"}},
                         "spec": {"containers": [{"name": "c", "image": "perl"}]}}}),
        );
        assert_eq!(
            msgs(&validate_job_create(&j)),
            vec![
                "spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\", \"Never\""
            ]
        );
    }

    #[test]
    fn a_manual_selector_must_be_given_and_match() {
        let j = job(json!({"manualSelector": true,
            "template": {"spec": {"restartPolicy": "Never",
                                  "containers": [{"name": "c", "image": "perl"}]}}}));
        assert_eq!(
            msgs(&validate_job_create(&j)),
            vec![
                "spec.selector: Required value",
                "spec.template.metadata.labels: Invalid value: map[string]string(nil): `selector` does not match template `labels`"
            ]
        );
    }

    #[test]
    fn negative_counts_are_rejected() {
        let j = job(
            json!({"manualSelector": true, "parallelism": -1, "backoffLimit": -2,
            "selector": {"matchLabels": {"a": "b"}},
            "template": {"metadata": {"labels": {"a": "b"}},
                         "spec": {"restartPolicy": "Never",
                                  "containers": [{"name": "c", "image": "perl"}]}}}),
        );
        assert_eq!(
            msgs(&validate_job_create(&j)),
            vec![
                "spec.parallelism: Invalid value: -1: must be greater than or equal to 0",
                "spec.backoffLimit: Invalid value: -2: must be greater than or equal to 0"
            ]
        );
    }

    #[test]
    fn a_status_writer_cannot_finish_a_job_inconsistently() {
        let old = job(json!({"template": {"spec": {"restartPolicy": "Never",
            "containers": [{"name": "c", "image": "perl"}]}}}));
        let mut old = old;
        old.metadata.resource_version = Some("2".into());
        let mut new = old.clone();
        new.status = Some(
            serde_json::from_value(json!({
                "active": 1, "succeeded": 1,
                "conditions": [{"type": "Complete", "status": "True"}]
            }))
            .expect("status"),
        );
        assert_eq!(
            msgs(&validate_job_status_update(&new, &old)),
            vec![
                "status.completionTime: Required value: completionTime is required for Complete jobs",
                "status.conditions: Invalid value: cannot set Complete=True condition without the SuccessCriteriaMet=true condition",
                "status.active: Invalid value: 1: active>0 is invalid for finished job",
                "status.startTime: Required value: startTime is required for finished job"
            ]
        );
    }

    #[test]
    fn indexes_formats_follow_upstream() {
        assert_eq!(validate_indexes_format("1,3-5", 10), Ok(4));
        assert_eq!(
            validate_indexes_format("3,1", 10),
            Err("non-increasing order, previous: 3, current: 1".into())
        );
        assert_eq!(
            validate_indexes_format("12", 10),
            Err("too large index: \"12\"".into())
        );
    }
}
