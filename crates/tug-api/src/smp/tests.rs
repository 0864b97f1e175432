//! One test per directive and per list strategy, plus the exact patches kubectl 1.33 sends
//! (wire contract §7.2, §7.5, §7.6). Cases marked "upstream:" are ported from
//! `strategicpatch/patch_test.go` onto real fields (`mergingList` → `containers` by `name`,
//! `mergingIntList` → `finalizers`, `nonMergingIntList` → `command`).

use serde_json::{Value, json};

use super::*;

const POD: &str = "io.k8s.api.core.v1.Pod";
const DEPLOY: &str = "io.k8s.api.apps.v1.Deployment";
const SERVICE: &str = "io.k8s.api.core.v1.Service";
const NODE: &str = "io.k8s.api.core.v1.Node";
const POD_SPEC: &str = "io.k8s.api.core.v1.PodSpec";
const META: &str = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";

fn ok(original: Value, patch: Value, schema: &str) -> Value {
    apply(&original, &patch, schema).unwrap_or_else(|e| panic!("{patch}: {e}"))
}

fn err(original: Value, patch: Value, schema: &str) -> SmpError {
    match apply(&original, &patch, schema) {
        Ok(v) => panic!("{patch} applied: {v}"),
        Err(e) => e,
    }
}

fn deployment() -> Value {
    json!({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "default", "generation": 1,
                     "labels": {"app": "web"},
                     "annotations": {"deployment.kubernetes.io/revision": "1",
                                     "kubectl.kubernetes.io/last-applied-configuration": "old\n"}},
        "spec": {
            "replicas": 2,
            "selector": {"matchLabels": {"app": "web"}},
            "strategy": {"type": "RollingUpdate",
                         "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {
                    "containers": [{
                        "name": "web", "image": "nginx:1.25",
                        "ports": [{"containerPort": 80, "protocol": "TCP"}],
                        "env": [{"name": "A", "value": "1"}],
                        "resources": {}, "imagePullPolicy": "IfNotPresent",
                        "terminationMessagePath": "/dev/termination-log"
                    }],
                    "restartPolicy": "Always", "dnsPolicy": "ClusterFirst"
                }
            }
        },
        "status": {"replicas": 2, "observedGeneration": 1}
    })
}

fn containers(doc: &Value) -> &Value {
    &doc["spec"]["template"]["spec"]["containers"]
}

fn names(list: &Value) -> Vec<&str> {
    list.as_array()
        .map(|a| a.iter().filter_map(|c| c["name"].as_str()).collect())
        .unwrap_or_default()
}

fn pod_spec(containers: Value) -> Value {
    json!({ "containers": containers })
}

// ---------------------------------------------------------------------------------------------
// The patches kubectl sends

#[test]
fn kubectl_apply_patch_changes_replicas_image_and_last_applied_and_keeps_everything_else() {
    let patch = json!({
        "metadata": {"annotations": {"kubectl.kubernetes.io/last-applied-configuration": "new\n"}},
        "spec": {"replicas": 3, "template": {"spec": {
            "$setElementOrder/containers": [{"name": "web"}],
            "containers": [{"image": "nginx:1.26", "name": "web"}]}}}
    });
    let got = ok(deployment(), patch, DEPLOY);
    let mut want = deployment();
    want["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"] =
        json!("new\n");
    want["spec"]["replicas"] = json!(3);
    want["spec"]["template"]["spec"]["containers"][0]["image"] = json!("nginx:1.26");
    assert_eq!(got, want);
}

#[test]
fn kubectl_apply_patch_adding_an_env_var_and_removing_a_port_merges_by_key() {
    // What client-side apply computes when the manifest gains env B and loses port 80.
    let patch = json!({"spec": {"template": {"spec": {
        "$setElementOrder/containers": [{"name": "web"}],
        "containers": [{
            "$setElementOrder/env": [{"name": "A"}, {"name": "B"}],
            "$setElementOrder/ports": [{"containerPort": 8080}],
            "env": [{"name": "B", "value": "2"}],
            "name": "web",
            "ports": [{"containerPort": 8080}, {"$patch": "delete", "containerPort": 80}]}]}}}});
    let got = ok(deployment(), patch, DEPLOY);
    let c = &containers(&got)[0];
    assert_eq!(
        c["env"],
        json!([{"name": "A", "value": "1"}, {"name": "B", "value": "2"}])
    );
    assert_eq!(c["ports"], json!([{"containerPort": 8080}]));
    assert_eq!(c["image"], "nginx:1.25");
}

#[test]
fn kubectl_edit_patch_changes_the_image_of_the_named_container() {
    let patch = json!({"spec": {"template": {"spec": {
        "$setElementOrder/containers": [{"name": "web"}],
        "containers": [{"image": "nginx:1.99", "name": "web"}]}}}});
    let got = ok(deployment(), patch, DEPLOY);
    assert_eq!(containers(&got)[0]["image"], "nginx:1.99");
    assert_eq!(containers(&got)[0]["ports"][0]["containerPort"], 80);
}

#[test]
fn kubectl_set_image_patch_changes_one_container_of_several() {
    let mut d = deployment();
    d["spec"]["template"]["spec"]["containers"]
        .as_array_mut()
        .expect("list")
        .push(json!({"name": "sidecar", "image": "busybox:1.36"}));
    let patch = json!({"spec": {"template": {"spec": {
        "$setElementOrder/containers": [{"name": "web"}, {"name": "sidecar"}],
        "containers": [{"image": "busybox:1.37", "name": "sidecar"}]}}}});
    let got = ok(d, patch, DEPLOY);
    assert_eq!(names(containers(&got)), ["web", "sidecar"]);
    assert_eq!(containers(&got)[0]["image"], "nginx:1.25");
    assert_eq!(containers(&got)[1]["image"], "busybox:1.37");
}

#[test]
fn kubectl_rollout_restart_patch_adds_the_restarted_at_annotation_to_the_template() {
    let patch = json!({"spec": {"template": {"metadata": {"annotations": {
        "kubectl.kubernetes.io/restartedAt": "2026-11-27T06:31:15Z"}}}}});
    let got = ok(deployment(), patch.clone(), DEPLOY);
    assert_eq!(
        got["spec"]["template"]["metadata"],
        json!({"labels": {"app": "web"},
               "annotations": {"kubectl.kubernetes.io/restartedAt": "2026-11-27T06:31:15Z"}})
    );
    // A second restart replaces the timestamp and keeps other template annotations.
    let mut again = got.clone();
    again["spec"]["template"]["metadata"]["annotations"]["keep"] = json!("me");
    let patch2 = json!({"spec": {"template": {"metadata": {"annotations": {
        "kubectl.kubernetes.io/restartedAt": "2026-11-28T00:00:00Z"}}}}});
    let got = ok(again, patch2, DEPLOY);
    assert_eq!(
        got["spec"]["template"]["metadata"]["annotations"],
        json!({"keep": "me", "kubectl.kubernetes.io/restartedAt": "2026-11-28T00:00:00Z"})
    );
}

#[test]
fn kubectl_cordon_and_uncordon_patches_set_unschedulable() {
    let node = json!({"apiVersion": "v1", "kind": "Node", "metadata": {"name": "n1"},
                      "spec": {"podCIDR": "10.0.0.0/24"}});
    let cordoned = ok(node, json!({"spec": {"unschedulable": true}}), NODE);
    assert_eq!(
        cordoned["spec"],
        json!({"podCIDR": "10.0.0.0/24", "unschedulable": true})
    );
    let uncordoned = ok(cordoned, json!({"spec": {"unschedulable": false}}), NODE);
    assert_eq!(uncordoned["spec"]["unschedulable"], false);
}

#[test]
fn kubectl_set_env_patch_appends_to_the_env_list_by_name() {
    let patch = json!({"spec": {"template": {"spec": {
        "$setElementOrder/containers": [{"name": "web"}],
        "containers": [{"$setElementOrder/env": [{"name": "A"}, {"name": "Z"}],
                        "env": [{"name": "Z", "value": "26"}], "name": "web"}]}}}});
    let got = ok(deployment(), patch, DEPLOY);
    assert_eq!(names(&containers(&got)[0]["env"]), ["A", "Z"]);
}

// ---------------------------------------------------------------------------------------------
// Maps and null

#[test]
fn maps_merge_key_by_key_and_null_deletes_a_key() {
    let original = json!({"metadata": {"labels": {"a": "1", "b": "2"}}});
    let patch = json!({"metadata": {"labels": {"b": null, "c": "3"}}});
    assert_eq!(
        ok(original, patch, POD),
        json!({"metadata": {"labels": {"a": "1", "c": "3"}}})
    );
}

#[test]
fn null_for_a_missing_key_changes_nothing() {
    let original = json!({"metadata": {"name": "x"}});
    let patch = json!({"metadata": {"labels": null}, "spec": null});
    assert_eq!(ok(original.clone(), patch, POD), original);
}

#[test]
fn a_new_key_takes_the_patch_value_without_its_nulls_or_directive_maps() {
    let original = json!({"metadata": {"name": "x"}});
    let patch = json!({"spec": {"nodeName": null, "hostname": "h",
                                "affinity": {"$patch": "delete"},
                                "containers": [{"name": "c", "args": null}, {"$patch": "replace"}]}});
    assert_eq!(
        ok(original, patch, POD),
        json!({"metadata": {"name": "x"}, "spec": {"hostname": "h", "containers": [{"name": "c"}]}})
    );
}

#[test]
fn a_value_of_another_type_replaces_the_original() {
    let original =
        json!({"spec": {"strategy": {"rollingUpdate": {"maxSurge": 1, "maxUnavailable": 0}}}});
    let patch = json!({"spec": {"strategy": {"rollingUpdate": {"maxSurge": "50%"}}}});
    assert_eq!(
        ok(original, patch, DEPLOY)["spec"]["strategy"]["rollingUpdate"],
        json!({"maxSurge": "50%", "maxUnavailable": 0})
    );
}

#[test]
fn patch_replace_in_a_map_replaces_the_whole_map() {
    // upstream: "add key and delete all keys from map"
    let original = json!({"metadata": {"labels": {"a": "1", "b": "2"}}});
    let patch = json!({"metadata": {"labels": {"$patch": "replace", "c": "3"}}});
    assert_eq!(
        ok(original, patch, POD),
        json!({"metadata": {"labels": {"c": "3"}}})
    );
}

#[test]
fn patch_delete_in_a_map_leaves_an_empty_map_as_upstream() {
    // upstream: "delete map from nested map" — the key stays, with {} as its value.
    let original = json!({"spec": {"nodeSelector": {"disk": "ssd", "zone": "a"}}});
    let patch = json!({"spec": {"nodeSelector": {"$patch": "delete"}}});
    assert_eq!(
        ok(original, patch, POD),
        json!({"spec": {"nodeSelector": {}}})
    );
}

#[test]
fn patch_merge_spelled_out_in_a_map_is_an_unknown_patch_type_as_upstream() {
    let e = err(
        json!({"metadata": {"labels": {"a": "1"}}}),
        json!({"metadata": {"labels": {"$patch": "merge", "b": "2"}}}),
        POD,
    );
    assert_eq!(
        e.to_string(),
        "unknown patch type: merge in map: map[$patch:merge b:2]"
    );
    assert_eq!(e.http_status(), 500);
}

#[test]
fn an_unknown_patch_directive_is_an_error_with_upstreams_message() {
    let e = err(
        json!({"spec": {}}),
        json!({"spec": {"$patch": "bogus"}}),
        POD,
    );
    assert_eq!(
        e.to_string(),
        "unknown patch type: bogus in map: map[$patch:bogus]"
    );
    assert_eq!(e.http_status(), 500);
}

#[test]
fn patch_replace_at_the_root_replaces_the_document() {
    // upstream: "delete all keys from map"
    let original = json!({"metadata": {"name": "x"}, "spec": {"hostname": "a"}});
    assert_eq!(ok(original, json!({"$patch": "replace"}), POD), json!({}));
}

#[test]
fn a_patch_that_is_not_an_object_is_an_invalid_json_document() {
    let e = err(json!({}), json!([1]), POD);
    assert_eq!(e, SmpError::BadJsonDoc);
    assert_eq!(e.http_status(), 400);
}

// ---------------------------------------------------------------------------------------------
// Lists with a merge key

#[test]
fn containers_merge_by_name_updating_one_and_adding_a_new_one_after_it() {
    let original = pod_spec(json!([{"name": "a", "image": "x"}, {"name": "b", "image": "y"}]));
    let patch = pod_spec(json!([{"name": "b", "image": "y2"}, {"name": "c", "image": "z"}]));
    let got = ok(original, patch, POD_SPEC);
    // upstream: the patch's order for the items it names, the live order for the others.
    assert_eq!(
        got["containers"],
        json!([{"name": "a", "image": "x"}, {"name": "b", "image": "y2"}, {"name": "c", "image": "z"}])
    );
}

#[test]
fn without_set_element_order_the_patch_order_wins_for_the_items_it_names() {
    // upstream: "preserve the order from the patch in a merging list" (1 and 2)
    let original = pod_spec(json!([{"name": "1"}, {"name": "2", "image": "b"}, {"name": "3"}]));
    let patch = pod_spec(
        json!([{"name": "3", "image": "c"}, {"name": "1", "image": "a"},
                                {"name": "2", "workingDir": "x"}]),
    );
    assert_eq!(
        ok(original.clone(), patch, POD_SPEC)["containers"],
        json!([{"name": "3", "image": "c"}, {"name": "1", "image": "a"},
               {"name": "2", "image": "b", "workingDir": "x"}])
    );
    let patch = pod_spec(json!([{"name": "3", "image": "c"}, {"name": "1", "image": "a"}]));
    assert_eq!(
        ok(original, patch, POD_SPEC)["containers"],
        json!([{"name": "2", "image": "b"}, {"name": "3", "image": "c"}, {"name": "1", "image": "a"}])
    );
}

#[test]
fn container_ports_merge_by_container_port_and_service_ports_by_port() {
    let original = json!({"containers": [{"name": "c", "ports": [
        {"containerPort": 80, "name": "http"}, {"containerPort": 443}]}]});
    let patch =
        json!({"containers": [{"name": "c", "ports": [{"containerPort": 443, "name": "https"}]}]});
    assert_eq!(
        ok(original, patch, POD_SPEC)["containers"][0]["ports"],
        json!([{"containerPort": 80, "name": "http"}, {"containerPort": 443, "name": "https"}])
    );

    let svc = json!({"spec": {"ports": [{"port": 80, "targetPort": 8080, "protocol": "TCP"}]}});
    let patch = json!({"spec": {"ports": [{"port": 80, "targetPort": 9090}, {"port": 443}]}});
    assert_eq!(
        ok(svc, patch, SERVICE)["spec"]["ports"],
        json!([{"port": 80, "targetPort": 9090, "protocol": "TCP"}, {"port": 443}])
    );
}

#[test]
fn env_volume_mounts_volumes_and_image_pull_secrets_merge_by_their_keys() {
    let original = json!({
        "containers": [{"name": "c",
                        "env": [{"name": "A", "value": "1"}],
                        "volumeMounts": [{"name": "v", "mountPath": "/data"}]}],
        "volumes": [{"name": "v", "emptyDir": {}}],
        "imagePullSecrets": [{"name": "r1"}]});
    let patch = json!({
        "containers": [{"name": "c",
                        "env": [{"name": "B", "value": "2"}],
                        "volumeMounts": [{"mountPath": "/data", "readOnly": true}]}],
        "volumes": [{"name": "w", "configMap": {"name": "cm"}}],
        "imagePullSecrets": [{"name": "r2"}]});
    let got = ok(original, patch, POD_SPEC);
    // Without $setElementOrder, an element only the patch has goes before the live ones it
    // is not ordered against (upstream's mergeSortedSlice; `kubectl patch --local` agrees).
    assert_eq!(
        got["containers"][0]["env"],
        json!([{"name": "B", "value": "2"}, {"name": "A", "value": "1"}])
    );
    assert_eq!(
        got["containers"][0]["volumeMounts"],
        json!([{"name": "v", "mountPath": "/data", "readOnly": true}])
    );
    assert_eq!(names(&got["volumes"]), ["w", "v"]);
    assert_eq!(names(&got["imagePullSecrets"]), ["r2", "r1"]);
}

#[test]
fn owner_references_merge_by_uid_and_conditions_by_type() {
    let original = json!({"metadata": {"ownerReferences": [{"uid": "u1", "name": "a"}]},
                          "status": {"conditions": [{"type": "Ready", "status": "False"}]}});
    let patch = json!({"metadata": {"ownerReferences": [{"uid": "u2", "name": "b"}]},
                       "status": {"conditions": [{"type": "Ready", "status": "True"}]}});
    let got = ok(original, patch, POD);
    assert_eq!(
        got["metadata"]["ownerReferences"].as_array().map(Vec::len),
        Some(2)
    );
    assert_eq!(
        got["status"]["conditions"],
        json!([{"type": "Ready", "status": "True"}])
    );
}

#[test]
fn patch_delete_element_removes_every_live_element_with_that_merge_key() {
    // upstream: "delete all duplicate entries in a merging list"
    let original = pod_spec(
        json!([{"name": "1"}, {"name": "1"}, {"name": "2", "image": "a"},
                                   {"name": "3"}, {"name": "3"}]),
    );
    let patch =
        pod_spec(json!([{"name": "1", "$patch": "delete"}, {"name": "3", "$patch": "delete"}]));
    assert_eq!(
        ok(original, patch, POD_SPEC)["containers"],
        json!([{"name": "2", "image": "a"}])
    );
}

#[test]
fn patch_delete_element_of_a_missing_item_changes_nothing() {
    let original = pod_spec(json!([{"name": "a"}]));
    let patch = pod_spec(json!([{"name": "zz", "$patch": "delete"}]));
    assert_eq!(ok(original.clone(), patch, POD_SPEC), original);
}

#[test]
fn patch_delete_element_without_its_merge_key_is_an_error() {
    let e = err(
        pod_spec(json!([{"name": "a"}])),
        pod_spec(json!([{"$patch": "delete", "image": "x"}])),
        POD_SPEC,
    );
    assert_eq!(
        e.to_string(),
        "map: map[$patch:delete image:x] does not contain declared merge key: name"
    );
}

#[test]
fn an_element_without_its_merge_key_is_an_error() {
    // upstream: "missing merge key should error out"
    let e = err(
        pod_spec(json!([{"name": "a", "image": "x"}])),
        pod_spec(json!([{"image": "y"}])),
        POD_SPEC,
    );
    assert_eq!(
        e.to_string(),
        "map: map[image:y] does not contain declared merge key: name"
    );
    assert_eq!(e.http_status(), 500);
}

#[test]
fn patch_replace_element_makes_the_other_elements_the_whole_list() {
    // upstream: "delete all items from merging list"
    let original = pod_spec(json!([{"name": "1"}, {"name": "2"}]));
    let patch = pod_spec(json!([{"$patch": "replace"}]));
    assert_eq!(
        ok(original.clone(), patch, POD_SPEC)["containers"],
        json!([])
    );
    let patch = pod_spec(json!([{"name": "9", "image": "n"}, {"$patch": "replace"}]));
    assert_eq!(
        ok(original, patch, POD_SPEC)["containers"],
        json!([{"name": "9", "image": "n"}])
    );
}

#[test]
fn patch_merge_element_in_a_list_is_rejected_as_upstream() {
    let e = err(
        pod_spec(json!([{"name": "1"}])),
        pod_spec(json!([{"$patch": "merge"}])),
        POD_SPEC,
    );
    assert_eq!(
        e.to_string(),
        "merging lists cannot yet be specified in the patch"
    );
}

#[test]
fn an_unknown_patch_directive_in_a_list_element_is_an_error() {
    let e = err(
        pod_spec(json!([{"name": "1"}])),
        pod_spec(json!([{"$patch": "bogus", "name": "1"}])),
        POD_SPEC,
    );
    assert_eq!(
        e.to_string(),
        "unknown patch type: bogus in map: map[$patch:bogus name:1]"
    );
}

// ---------------------------------------------------------------------------------------------
// $setElementOrder

#[test]
fn set_element_order_orders_a_merged_list() {
    let original = pod_spec(json!([{"name": "a"}, {"name": "b"}, {"name": "c"}]));
    let patch =
        json!({"$setElementOrder/containers": [{"name": "c"}, {"name": "a"}, {"name": "b"}]});
    assert_eq!(
        names(&ok(original, patch, POD_SPEC)["containers"]),
        ["c", "a", "b"]
    );
}

/// upstream: "set elements order in a list with server-only items" 1, 2 and 3 (the three-way
/// patch applied to the current object).
#[test]
fn set_element_order_interleaves_server_only_items_by_their_live_position() {
    let order =
        |ns: &[&str]| -> Value { Value::Array(ns.iter().map(|n| json!({ "name": n })).collect()) };
    let live = |ns: &[&str]| pod_spec(order(ns));
    let cases: [(&[&str], &[&str], &[&str]); 3] = [
        (
            &["1", "3", "4", "2", "9"],
            &["4", "2", "3", "1"],
            &["4", "2", "3", "1", "9"],
        ),
        (
            &["1", "2", "9", "3", "4"],
            &["2", "1", "4", "3"],
            &["2", "1", "9", "4", "3"],
        ),
        (
            &["1", "2", "7", "9", "8", "3", "4"],
            &["2", "1", "4", "3"],
            &["2", "1", "7", "9", "8", "4", "3"],
        ),
    ];
    for (current, set_order, want) in cases {
        let patch = json!({"$setElementOrder/containers": order(set_order)});
        let got = ok(live(current), patch, POD_SPEC);
        assert_eq!(names(&got["containers"]), want, "current {current:?}");
    }
}

#[test]
fn set_element_order_naming_items_absent_from_the_list_ignores_them() {
    // upstream: "$setElementOrder contains item that is not present in the list to be merged"
    let original = pod_spec(json!([{"name": "1"}, {"name": "3"}]));
    let patch = json!({"$setElementOrder/containers": [{"name": "3"}, {"name": "2"}, {"name": "1"}],
                       "containers": [{"name": "3", "image": "3"}, {"name": "1", "image": "1"}]});
    assert_eq!(
        ok(original, patch, POD_SPEC)["containers"],
        json!([{"name": "3", "image": "3"}, {"name": "1", "image": "1"}])
    );
}

#[test]
fn set_element_order_that_disagrees_with_the_patch_list_is_an_error() {
    // upstream: "should check if order in $setElementOrder and patch list match"
    let original = pod_spec(json!([{"name": "1"}, {"name": "3"}, {"name": "2"}]));
    let patch = json!({"$setElementOrder/containers": [{"name": "1"}, {"name": "2"}, {"name": "3"}],
                       "containers": [{"name": "3", "image": "3"}, {"name": "1", "image": "1"}]});
    let e = err(original, patch, POD_SPEC);
    assert!(
        e.to_string()
            .contains("doesn't match $setElementOrder list"),
        "{e}"
    );
}

#[test]
fn set_element_order_on_a_primitive_list_reorders_it_and_adds_values() {
    let original = json!({"metadata": {"finalizers": ["a", "b", "c"]}});
    let patch = json!({"metadata": {"$setElementOrder/finalizers": ["c", "d", "a", "b"],
                                    "finalizers": ["d"]}});
    assert_eq!(
        ok(original, patch, POD)["metadata"]["finalizers"],
        json!(["c", "d", "a", "b"])
    );
}

#[test]
fn set_element_order_for_a_list_nobody_has_is_dropped() {
    let original = json!({"metadata": {"name": "x"}});
    let patch = json!({"metadata": {"$setElementOrder/finalizers": ["a"]}});
    assert_eq!(ok(original.clone(), patch, POD), original);
}

#[test]
fn malformed_directive_keys_are_bad_requests() {
    let e = err(
        json!({"metadata": {"finalizers": ["a"]}}),
        json!({"metadata": {"$setElementOrderX/finalizers": ["a"]}}),
        POD,
    );
    assert_eq!(e, SmpError::BadPatchFormatForSetElementOrderList);
    assert_eq!(e.http_status(), 400);
    let e = err(
        json!({"metadata": {"finalizers": ["a"]}}),
        json!({"metadata": {"$deleteFromPrimitiveList": ["a"]}}),
        POD,
    );
    assert_eq!(e, SmpError::BadPatchFormatForPrimitiveList);
    assert_eq!(e.to_string(), "invalid patch format of primitive list");
}

// ---------------------------------------------------------------------------------------------
// Lists of scalars, and lists that are replaced

#[test]
fn primitive_merge_lists_are_unioned_without_duplicates() {
    // upstream: "unique scalars when merging lists"
    let original = json!({"metadata": {"finalizers": ["1", "2"]}});
    let patch = json!({"metadata": {"finalizers": ["2", "3"]}});
    assert_eq!(
        ok(original, patch, POD)["metadata"]["finalizers"],
        json!(["1", "2", "3"])
    );
}

#[test]
fn delete_from_primitive_list_removes_values() {
    // upstream: "$deleteFromPrimitiveList should delete item from a list with merge patch strategy"
    let original = json!({"finalizers": ["1", "2", "3"]});
    let patch = json!({"$deleteFromPrimitiveList/finalizers": ["2"]});
    assert_eq!(ok(original, patch, META), json!({"finalizers": ["1", "3"]}));
}

#[test]
fn delete_from_primitive_list_of_a_missing_value_or_list_adds_nothing() {
    // upstream: the three "$deleteFromPrimitiveList … should not add …" cases
    let original = json!({"finalizers": ["1", "2"]});
    let patch = json!({"$deleteFromPrimitiveList/finalizers": ["3"]});
    assert_eq!(ok(original.clone(), patch, META), original);
    let original = json!({"finalizers": null});
    let patch = json!({"$deleteFromPrimitiveList/finalizers": ["3"]});
    assert_eq!(ok(original.clone(), patch, META), original);
    let original = json!({"name": "x"});
    let patch = json!({"$deleteFromPrimitiveList/finalizers": ["3"]});
    assert_eq!(ok(original.clone(), patch, META), original);
}

#[test]
fn delete_from_primitive_list_works_on_a_list_without_merge_strategy_as_upstream() {
    // upstream: "$deleteFromPrimitiveList should delete item from a list without merge patch strategy"
    let original = pod_spec(json!([{"name": "c", "command": ["1", "2", "3"]}]));
    let patch = pod_spec(json!([{"name": "c", "$deleteFromPrimitiveList/command": ["2"]}]));
    assert_eq!(
        ok(original, patch, POD_SPEC)["containers"][0]["command"],
        json!(["1", "3"])
    );
}

#[test]
fn tolerations_have_no_merge_key_so_a_patch_replaces_the_whole_list() {
    let original = json!({"tolerations": [{"key": "a", "operator": "Exists"},
                                          {"key": "b", "operator": "Exists"}]});
    let patch = json!({"tolerations": [{"key": "c", "operator": "Exists"}]});
    assert_eq!(
        ok(original, patch.clone(), POD_SPEC)["tolerations"],
        patch["tolerations"]
    );
}

#[test]
fn lists_without_merge_strategy_such_as_command_are_replaced() {
    let original = pod_spec(json!([{"name": "c", "command": ["sh", "-c", "run"]}]));
    let patch = pod_spec(json!([{"name": "c", "command": ["run"]}]));
    assert_eq!(
        ok(original, patch, POD_SPEC)["containers"][0]["command"],
        json!(["run"])
    );
}

#[test]
fn a_list_of_lists_is_unprocessable() {
    let e = err(pod_spec(json!([])), pod_spec(json!([["x"]])), POD_SPEC);
    assert_eq!(e, SmpError::NoListOfLists);
    assert_eq!(e.http_status(), 422);
}

#[test]
fn a_merge_list_of_maps_with_mixed_element_types_is_an_error() {
    let e = err(
        pod_spec(json!([{"name": "a"}])),
        pod_spec(json!(["b"])),
        POD_SPEC,
    );
    assert_eq!(
        e.to_string(),
        "list element types are not identical: [[map[name:a]] [b]]"
    );
}

#[test]
fn an_unknown_schema_replaces_lists_and_merges_maps() {
    let original = json!({"spec": {"containers": [{"name": "a"}], "m": {"x": 1}}});
    let patch = json!({"spec": {"containers": [{"name": "b"}], "m": {"y": 2}}});
    assert_eq!(
        ok(original, patch, "io.example.v1.Widget"),
        json!({"spec": {"containers": [{"name": "b"}], "m": {"x": 1, "y": 2}}})
    );
}

// ---------------------------------------------------------------------------------------------
// $retainKeys

#[test]
fn retain_keys_clears_the_rolling_update_when_the_strategy_becomes_recreate() {
    let patch = json!({"spec": {"strategy": {"$retainKeys": ["type"], "type": "Recreate"}}});
    let got = ok(deployment(), patch, DEPLOY);
    assert_eq!(got["spec"]["strategy"], json!({"type": "Recreate"}));
}

#[test]
fn retain_keys_on_a_volume_switches_its_source() {
    let original = json!({"volumes": [{"name": "v", "emptyDir": {}}]});
    let patch = json!({"volumes": [{"$retainKeys": ["configMap", "name"],
                                    "configMap": {"name": "cm"}, "name": "v"}]});
    assert_eq!(
        ok(original, patch, POD_SPEC)["volumes"],
        json!([{"name": "v", "configMap": {"name": "cm"}}])
    );
}

#[test]
fn retain_keys_must_list_every_key_the_patch_sets() {
    let patch = json!({"spec": {"strategy": {"$retainKeys": ["type"], "type": "RollingUpdate",
                                             "rollingUpdate": {"maxSurge": 1}}}});
    let e = err(deployment(), patch, DEPLOY);
    assert_eq!(e, SmpError::BadPatchFormatForRetainKeys);
    assert_eq!(e.http_status(), 400);
    let patch = json!({"spec": {"strategy": {"$retainKeys": "type"}}});
    assert_eq!(
        err(deployment(), patch, DEPLOY),
        SmpError::BadPatchFormatForRetainKeys
    );
}

#[test]
fn retain_keys_ignores_nulls_and_parallel_lists_in_the_patch() {
    let original = json!({"strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1}}});
    let patch =
        json!({"strategy": {"$retainKeys": ["type"], "type": "Recreate", "rollingUpdate": null}});
    assert_eq!(
        ok(original, patch, "io.k8s.api.apps.v1.DeploymentSpec"),
        json!({"strategy": {"type": "Recreate"}})
    );
}

// ---------------------------------------------------------------------------------------------
// diff

#[test]
fn diff_of_equal_documents_is_empty() {
    assert_eq!(
        diff(&deployment(), &deployment(), DEPLOY).expect("diff"),
        json!({})
    );
}

#[test]
fn diff_reproduces_kubectl_set_image_patch() {
    let mut modified = deployment();
    modified["spec"]["template"]["spec"]["containers"][0]["image"] = json!("nginx:2");
    assert_eq!(
        diff(&deployment(), &modified, DEPLOY).expect("diff"),
        json!({"spec": {"template": {"spec": {"$setElementOrder/containers": [{"name": "web"}],
                                              "containers": [{"image": "nginx:2", "name": "web"}]}}}})
    );
}

#[test]
fn diff_reproduces_kubectl_rollout_restart_and_cordon_patches() {
    let mut modified = deployment();
    modified["spec"]["template"]["metadata"]["annotations"] =
        json!({"kubectl.kubernetes.io/restartedAt": "2026-11-27T06:31:15Z"});
    assert_eq!(
        diff(&deployment(), &modified, DEPLOY).expect("diff"),
        json!({"spec": {"template": {"metadata": {"annotations": {
            "kubectl.kubernetes.io/restartedAt": "2026-11-27T06:31:15Z"}}}}})
    );
    let node = json!({"metadata": {"name": "n"}, "spec": {}});
    let cordoned = json!({"metadata": {"name": "n"}, "spec": {"unschedulable": true}});
    assert_eq!(
        diff(&node, &cordoned, NODE).expect("diff"),
        json!({"spec": {"unschedulable": true}})
    );
}

#[test]
fn diff_of_a_removed_field_is_null_and_of_a_removed_container_is_patch_delete() {
    let original = pod_spec(json!([{"name": "a", "image": "x", "workingDir": "/w"},
                                   {"name": "b", "image": "y"}]));
    let modified = pod_spec(json!([{"name": "a", "image": "x"}]));
    assert_eq!(
        diff(&original, &modified, POD_SPEC).expect("diff"),
        json!({"$setElementOrder/containers": [{"name": "a"}],
               "containers": [{"name": "a", "workingDir": null},
                              {"name": "b", "$patch": "delete"}]})
    );
}

#[test]
fn diff_of_reordered_containers_only_sets_the_order() {
    let original = pod_spec(json!([{"name": "a"}, {"name": "b"}]));
    let modified = pod_spec(json!([{"name": "b"}, {"name": "a"}]));
    assert_eq!(
        diff(&original, &modified, POD_SPEC).expect("diff"),
        json!({"$setElementOrder/containers": [{"name": "b"}, {"name": "a"}]})
    );
}

#[test]
fn diff_of_finalizers_uses_delete_from_primitive_list_and_set_element_order() {
    let original = json!({"finalizers": ["a", "b"]});
    let modified = json!({"finalizers": ["c", "a"]});
    assert_eq!(
        diff(&original, &modified, META).expect("diff"),
        json!({"finalizers": ["c"], "$deleteFromPrimitiveList/finalizers": ["b"],
               "$setElementOrder/finalizers": ["c", "a"]})
    );
}

#[test]
fn diff_of_a_strategy_change_carries_retain_keys() {
    let mut modified = deployment();
    modified["spec"]["strategy"] = json!({"type": "Recreate"});
    assert_eq!(
        diff(&deployment(), &modified, DEPLOY).expect("diff"),
        json!({"spec": {"strategy": {"$retainKeys": ["type"], "rollingUpdate": null,
                                     "type": "Recreate"}}})
    );
}

#[test]
fn diff_of_a_volume_source_change_carries_retain_keys_in_the_element() {
    let original = json!({"volumes": [{"name": "v", "emptyDir": {}}]});
    let modified = json!({"volumes": [{"name": "v", "secret": {"secretName": "s"}}]});
    assert_eq!(
        diff(&original, &modified, POD_SPEC).expect("diff"),
        json!({"$setElementOrder/volumes": [{"name": "v"}],
               "volumes": [{"$retainKeys": ["name", "secret"], "emptyDir": null,
                            "name": "v", "secret": {"secretName": "s"}}]})
    );
}

#[test]
fn diff_of_tolerations_and_command_replaces_the_list() {
    let original = json!({"tolerations": [{"key": "a"}, {"key": "b"}]});
    let modified = json!({"tolerations": [{"key": "b"}]});
    assert_eq!(
        diff(&original, &modified, POD_SPEC).expect("diff"),
        json!({"tolerations": [{"key": "b"}]})
    );
}

#[test]
fn diff_of_a_merge_list_element_without_its_merge_key_is_an_error() {
    let original = pod_spec(json!([{"name": "a"}]));
    let modified = pod_spec(json!([{"image": "x"}]));
    let e = diff(&original, &modified, POD_SPEC).expect_err("no merge key");
    assert_eq!(
        e.to_string(),
        "map: map[image:x] does not contain declared merge key: name"
    );
}

#[test]
fn errors_map_to_upstreams_http_status() {
    assert_eq!(SmpError::BadJsonDoc.http_status(), 400);
    assert_eq!(SmpError::BadPatchFormatForPrimitiveList.http_status(), 400);
    assert_eq!(SmpError::BadPatchFormatForRetainKeys.http_status(), 400);
    assert_eq!(
        SmpError::BadPatchFormatForSetElementOrderList.http_status(),
        400
    );
    assert_eq!(SmpError::NoListOfLists.http_status(), 422);
    assert_eq!(SmpError::Other("x".into()).http_status(), 500);
}
