//! Query parameters of API requests. Unknown parameters are ignored, as upstream does
//! (`timeout=32s` on discovery, kube-rs' leading `?&`).

use percent_encoding::percent_decode_str;

/// The parameters tug understands.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Query {
    pub watch: bool,
    pub resource_version: Option<String>,
    pub resource_version_match: Option<String>,
    pub label_selector: Option<String>,
    pub field_selector: Option<String>,
    pub limit: Option<i64>,
    pub continue_token: Option<String>,
    pub timeout_seconds: Option<u64>,
    pub allow_watch_bookmarks: bool,
    pub send_initial_events: bool,
    pub include_object: Option<String>,
    pub field_manager: Option<String>,
    pub field_validation: Option<String>,
    pub dry_run: Vec<String>,
    pub force: bool,
    /// `force` was given at all (upstream forbids it on patches that are not apply).
    pub force_given: bool,
    pub grace_period_seconds: Option<i64>,
    pub propagation_policy: Option<String>,
    pub pretty: bool,
}

fn decode(s: &str) -> String {
    let s = s.replace('+', " ");
    percent_decode_str(&s).decode_utf8_lossy().into_owned()
}

fn truthy(v: &str) -> bool {
    matches!(v, "true" | "1" | "True" | "TRUE")
}

impl Query {
    /// Parses a raw query string. Malformed numbers are an error naming the parameter.
    pub fn parse(raw: Option<&str>) -> Result<Query, String> {
        let mut q = Query::default();
        let Some(raw) = raw else { return Ok(q) };
        for pair in raw.split('&').filter(|p| !p.is_empty()) {
            let (k, v) = match pair.split_once('=') {
                Some((k, v)) => (decode(k), decode(v)),
                None => (decode(pair), String::new()),
            };
            let int = |v: &str| -> Result<i64, String> {
                v.parse::<i64>().map_err(|_| {
                    format!("invalid value {v:?} for query parameter {k:?}: not an integer")
                })
            };
            match k.as_str() {
                "watch" => q.watch = truthy(&v),
                "resourceVersion" => q.resource_version = Some(v),
                "resourceVersionMatch" => q.resource_version_match = Some(v),
                "labelSelector" => q.label_selector = Some(v),
                "fieldSelector" => q.field_selector = Some(v),
                "limit" => q.limit = Some(int(&v)?),
                "continue" => q.continue_token = Some(v),
                "timeoutSeconds" => q.timeout_seconds = Some(int(&v)?.max(0) as u64),
                "allowWatchBookmarks" => q.allow_watch_bookmarks = truthy(&v),
                "sendInitialEvents" => q.send_initial_events = truthy(&v),
                "includeObject" => q.include_object = Some(v),
                "fieldManager" => q.field_manager = Some(v),
                "fieldValidation" => q.field_validation = Some(v),
                "dryRun" => q.dry_run.push(v),
                "force" => {
                    q.force = truthy(&v);
                    q.force_given = true;
                }
                "gracePeriodSeconds" => q.grace_period_seconds = Some(int(&v)?),
                "propagationPolicy" => q.propagation_policy = Some(v),
                "pretty" => q.pretty = truthy(&v),
                _ => {}
            }
        }
        Ok(q)
    }

    /// `dryRun=All` was given. Any other value is an error upstream; see [`Query::check_dry_run`].
    pub fn is_dry_run(&self) -> bool {
        self.dry_run.iter().any(|d| d == "All")
    }

    /// Upstream accepts only `All`.
    pub fn check_dry_run(&self) -> Result<(), String> {
        for d in &self.dry_run {
            if d != "All" {
                return Err(format!("Invalid dry run value: {d}; valid values are: All"));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kube_rs_leading_ampersand_and_encoded_selectors_parse() {
        let q = Query::parse(Some("&watch=true&timeoutSeconds=290&allowWatchBookmarks=true&resourceVersion=11&labelSelector=app%3Dweb"))
            .expect("valid");
        assert!(q.watch && q.allow_watch_bookmarks);
        assert_eq!(q.timeout_seconds, Some(290));
        assert_eq!(q.resource_version.as_deref(), Some("11"));
        assert_eq!(q.label_selector.as_deref(), Some("app=web"));
    }

    #[test]
    fn a_non_numeric_limit_is_an_error() {
        assert!(Query::parse(Some("limit=abc")).is_err());
    }
}
