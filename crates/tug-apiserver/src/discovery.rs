//! Discovery: aggregated (`apidiscovery.k8s.io` v2 and v2beta1, chosen by `Accept`) and
//! legacy (`APIVersions`, `APIGroupList`, `APIGroup`, `APIResourceList`) documents built
//! from the resource table.

use axum::http::HeaderValue;
use serde_json::{Value, json};
use tug_api::resources::{RESOURCES, ResourceInfo, groups};

/// Which discovery document a client asked for on `/api` or `/apis`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DiscoveryFormat {
    V2,
    V2Beta1,
    Legacy,
}

/// Picks the first acceptable `Accept` entry: aggregated v2 or v2beta1 only when asked for
/// (never v2 to a client that did not ask for it), the legacy documents otherwise.
pub fn negotiate(accept: Option<&HeaderValue>) -> DiscoveryFormat {
    let accept = accept.and_then(|v| v.to_str().ok()).unwrap_or("");
    for entry in accept.split(',') {
        let params: Vec<&str> = entry.split(';').map(str::trim).collect();
        let has = |p: &str| params.contains(&p);
        if has("as=APIGroupDiscoveryList") && has("g=apidiscovery.k8s.io") {
            if has("v=v2") {
                return DiscoveryFormat::V2;
            }
            if has("v=v2beta1") {
                return DiscoveryFormat::V2Beta1;
            }
            continue;
        }
        let mime = params.first().copied().unwrap_or("");
        if matches!(mime, "application/json" | "*/*" | "application/*" | "") {
            return DiscoveryFormat::Legacy;
        }
    }
    DiscoveryFormat::Legacy
}

impl DiscoveryFormat {
    /// The response Content-Type; kubectl treats the body as aggregated only when it matches.
    pub fn content_type(self) -> &'static str {
        match self {
            DiscoveryFormat::V2 => {
                "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"
            }
            DiscoveryFormat::V2Beta1 => {
                "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList"
            }
            DiscoveryFormat::Legacy => "application/json",
        }
    }

    fn api_version(self) -> &'static str {
        match self {
            DiscoveryFormat::V2Beta1 => "apidiscovery.k8s.io/v2beta1",
            _ => "apidiscovery.k8s.io/v2",
        }
    }
}

fn aggregated_resource(r: &ResourceInfo) -> Value {
    let mut v = json!({
        "resource": r.plural,
        "responseKind": {"group": r.group, "version": r.version, "kind": r.kind},
        "scope": if r.namespaced { "Namespaced" } else { "Cluster" },
        "singularResource": r.singular,
        "verbs": r.verbs,
    });
    if !r.short_names.is_empty() {
        v["shortNames"] = json!(r.short_names);
    }
    if !r.categories.is_empty() {
        v["categories"] = json!(r.categories);
    }
    if !r.subresources.is_empty() {
        v["subresources"] = Value::Array(
            r.subresources
                .iter()
                .map(|s| {
                    json!({
                        "subresource": s.name,
                        "responseKind": {"group": s.group, "version": s.version, "kind": s.kind},
                        "verbs": s.verbs,
                    })
                })
                .collect(),
        );
    }
    v
}

fn aggregated_group(group: &str, versions: &[&str]) -> Value {
    let vs: Vec<Value> = versions
        .iter()
        .map(|v| {
            let resources: Vec<Value> = RESOURCES
                .iter()
                .filter(|r| r.group == group && r.version == *v)
                .map(aggregated_resource)
                .collect();
            json!({"version": v, "resources": resources, "freshness": "Current"})
        })
        .collect();
    let mut meta = json!({"creationTimestamp": null});
    if !group.is_empty() {
        meta["name"] = json!(group);
    }
    json!({"metadata": meta, "versions": vs})
}

/// The aggregated document of `/api` (`core = true`) or `/apis`.
pub fn aggregated(format: DiscoveryFormat, core: bool) -> Value {
    let items: Vec<Value> = groups()
        .into_iter()
        .filter(|(g, _)| g.is_empty() == core)
        .map(|(g, vs)| aggregated_group(g, &vs))
        .collect();
    json!({
        "kind": "APIGroupDiscoveryList",
        "apiVersion": format.api_version(),
        "metadata": {},
        "items": items,
    })
}

/// Legacy `/api`: `APIVersions`.
pub fn api_versions(server_address: &str) -> Value {
    json!({
        "kind": "APIVersions",
        "versions": ["v1"],
        "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": server_address}],
    })
}

fn group_doc(name: &str, versions: &[&str]) -> Value {
    let vs: Vec<Value> = versions
        .iter()
        .map(|v| json!({"groupVersion": format!("{name}/{v}"), "version": v}))
        .collect();
    json!({
        "name": name,
        "versions": vs,
        "preferredVersion": vs.first().cloned().unwrap_or(Value::Null),
    })
}

/// Legacy `/apis`: `APIGroupList`.
pub fn api_group_list() -> Value {
    let groups: Vec<Value> = groups()
        .into_iter()
        .filter(|(g, _)| !g.is_empty())
        .map(|(g, vs)| group_doc(g, &vs))
        .collect();
    json!({"kind": "APIGroupList", "apiVersion": "v1", "groups": groups})
}

/// Legacy `/apis/{group}`: `APIGroup`, or None for an unknown group.
pub fn api_group(group: &str) -> Option<Value> {
    let (g, vs) = groups()
        .into_iter()
        .find(|(g, _)| *g == group && !g.is_empty())?;
    let mut doc = group_doc(g, &vs);
    doc["kind"] = json!("APIGroup");
    doc["apiVersion"] = json!("v1");
    Some(doc)
}

/// Legacy `/api/v1` or `/apis/{group}/{version}`: `APIResourceList`, or None when the
/// group-version is not served. Subresources are entries named `pods/status`.
pub fn resource_list(group: &str, version: &str) -> Option<Value> {
    let rs: Vec<&ResourceInfo> = RESOURCES
        .iter()
        .filter(|r| r.group == group && r.version == version)
        .collect();
    if rs.is_empty() {
        return None;
    }
    let mut resources = Vec::new();
    for r in rs {
        let mut v = json!({
            "name": r.plural,
            "singularName": r.singular,
            "namespaced": r.namespaced,
            "kind": r.kind,
            "verbs": r.verbs,
        });
        if !r.short_names.is_empty() {
            v["shortNames"] = json!(r.short_names);
        }
        if !r.categories.is_empty() {
            v["categories"] = json!(r.categories);
        }
        resources.push(v);
        for s in r.subresources {
            let mut sv = json!({
                "name": format!("{}/{}", r.plural, s.name),
                "singularName": "",
                "namespaced": r.namespaced,
                "kind": s.kind,
                "verbs": s.verbs,
            });
            if s.group != r.group || s.version != r.version {
                sv["group"] = json!(s.group);
                sv["version"] = json!(s.version);
            }
            resources.push(sv);
        }
    }
    let gv = if group.is_empty() {
        version.to_string()
    } else {
        format!("{group}/{version}")
    };
    Some(json!({
        "kind": "APIResourceList",
        "apiVersion": "v1",
        "groupVersion": gv,
        "resources": resources,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hv(s: &'static str) -> HeaderValue {
        HeaderValue::from_static(s)
    }

    #[test]
    fn kubectl_1_33_gets_aggregated_v2() {
        let h = hv(
            "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json",
        );
        assert_eq!(negotiate(Some(&h)), DiscoveryFormat::V2);
    }

    #[test]
    fn kubectl_1_27_gets_v2beta1_and_never_v2() {
        let h = hv(
            "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json",
        );
        assert_eq!(negotiate(Some(&h)), DiscoveryFormat::V2Beta1);
    }

    #[test]
    fn plain_json_gets_the_legacy_documents() {
        assert_eq!(
            negotiate(Some(&hv("application/json"))),
            DiscoveryFormat::Legacy
        );
        assert_eq!(negotiate(None), DiscoveryFormat::Legacy);
    }

    #[test]
    fn the_core_group_item_has_no_name_and_pods_list_their_subresources() {
        let d = aggregated(DiscoveryFormat::V2, true);
        assert!(d["items"][0]["metadata"].get("name").is_none());
        let pods = &d["items"][0]["versions"][0]["resources"][0];
        assert_eq!(pods["resource"], "pods");
        assert!(
            pods["subresources"]
                .as_array()
                .is_some_and(|s| !s.is_empty())
        );
    }

    #[test]
    fn legacy_subresources_from_other_groups_name_their_group() {
        let l = resource_list("apps", "v1").expect("served");
        let scale = l["resources"]
            .as_array()
            .and_then(|rs| rs.iter().find(|r| r["name"] == "deployments/scale"))
            .expect("listed");
        assert_eq!(scale["group"], "autoscaling");
        assert_eq!(scale["kind"], "Scale");
    }
}
