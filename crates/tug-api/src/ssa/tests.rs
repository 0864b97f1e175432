//! Unit tests of the field manager, with expectations taken from upstream's behaviour
//! (`kubectl create` / `kubectl apply --server-side` against kube-apiserver 1.33).

use serde_json::{Value, json};

use super::*;

const DEPLOY: &str = "io.k8s.api.apps.v1.Deployment";
const NOW: &str = "2026-01-01T00:00:00Z";
const LATER: &str = "2026-01-01T00:01:00Z";

fn w<'a>(manager: &'a str) -> Writer<'a> {
    Writer {
        manager,
        subresource: "",
        api_version: "apps/v1",
    }
}

fn status() -> FieldSet {
    top_level_fields(&["status"])
}

fn deployment(replicas: i64, image: &str) -> Value {
    json!({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "default", "labels": {"app": "web"}},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [{"name": "web", "image": image}]}
            }
        }
    })
}

fn entry<'a>(m: &'a ManagedFields, manager: &str, op: Operation) -> &'a ManagedFieldsEntry {
    m.entries()
        .into_iter()
        .find(|e| e.manager == manager && e.operation == op)
        .unwrap_or_else(|| panic!("no {op:?} entry of {manager}: {:?}", m.encode()))
}

#[test]
fn fields_v1_decodes_and_encodes_upstreams_example() {
    let v = json!({"f:metadata":{"f:labels":{".":{},"f:app":{}}},"f:spec":{"f:containers":{"k:{\"name\":\"web\"}":{".":{},"f:image":{},"f:name":{}}}}});
    let s = FieldSet::from_fields_v1(&v).expect("valid");
    assert_eq!(s.to_fields_v1(), v);
    assert!(s.has(&[
        PathElement::Field("metadata".into()),
        PathElement::Field("labels".into()),
    ]));
    assert!(!s.has(&[PathElement::Field("metadata".into())]));
    assert_eq!(
        s.describe(),
        ".metadata.labels\n.metadata.labels.app\n.spec.containers[name=\"web\"]\n.spec.containers[name=\"web\"].image\n.spec.containers[name=\"web\"].name"
    );
    assert!(FieldSet::from_fields_v1(&json!({"f:a": 1})).is_err());
    assert!(FieldSet::from_fields_v1(&json!({"k:[": {}})).is_err());
}

#[test]
fn a_create_owns_what_it_set_with_upstreams_shape() {
    let obj = deployment(2, "nginx");
    let m = update(
        &ManagedFields::new(),
        &empty_object(DEPLOY),
        &obj,
        DEPLOY,
        &w("kubectl-create"),
        &status(),
        NOW,
    )
    .expect("update");
    let e = entry(&m, "kubectl-create", Operation::Update);
    assert_eq!(e.time.as_deref(), Some(NOW));
    assert_eq!(e.api_version, "apps/v1");
    // As kube-apiserver records `kubectl create`: no "." on the value-typed structs
    // (spec, template, template.spec) or on `containers`, "." on what a zero object lacks.
    assert_eq!(
        e.fields.to_fields_v1(),
        json!({
            "f:metadata": {"f:labels": {".": {}, "f:app": {}}},
            "f:spec": {
                "f:replicas": {},
                "f:selector": {},
                "f:template": {
                    "f:metadata": {"f:labels": {".": {}, "f:app": {}}},
                    "f:spec": {"f:containers": {"k:{\"name\":\"web\"}": {
                        ".": {}, "f:image": {}, "f:name": {}
                    }}}
                }
            }
        })
    );
    let wire = m.encode().expect("entries");
    assert_eq!(
        wire[0],
        json!({"manager": "kubectl-create", "operation": "Update", "apiVersion": "apps/v1",
               "time": NOW, "fieldsType": "FieldsV1", "fieldsV1": e.fields.to_fields_v1()})
    );
}

#[test]
fn an_update_takes_changed_fields_from_others_and_drops_removed_ones() {
    let v1 = deployment(2, "nginx");
    let m = update(
        &ManagedFields::new(),
        &empty_object(DEPLOY),
        &v1,
        DEPLOY,
        &w("kubectl-create"),
        &status(),
        NOW,
    )
    .expect("create");
    let mut v2 = v1.clone();
    v2["spec"]["replicas"] = json!(5);
    v2["metadata"]["labels"]
        .as_object_mut()
        .expect("labels")
        .remove("app");
    let m2 = update(&m, &v1, &v2, DEPLOY, &w("kubectl-edit"), &status(), LATER).expect("edit");
    let create = entry(&m2, "kubectl-create", Operation::Update);
    let replicas = [
        PathElement::Field("spec".into()),
        PathElement::Field("replicas".into()),
    ];
    assert!(!create.fields.has(&replicas));
    assert!(!create.fields.has(&[
        PathElement::Field("metadata".into()),
        PathElement::Field("labels".into()),
        PathElement::Field("app".into()),
    ]));
    assert_eq!(create.time.as_deref(), Some(NOW));
    let edit = entry(&m2, "kubectl-edit", Operation::Update);
    assert_eq!(edit.fields.paths(), vec![replicas.to_vec()]);
    assert_eq!(edit.time.as_deref(), Some(LATER));
    // A write that changes nothing changes no entry, not even its time.
    let m3 = update(
        &m2,
        &v2,
        &v2,
        DEPLOY,
        &w("kubectl-edit"),
        &status(),
        "2030-01-01T00:00:00Z",
    )
    .expect("noop");
    assert_eq!(m3, m2);
    // Status changes through the main resource are not recorded.
    let mut v3 = v2.clone();
    v3["status"] = json!({"replicas": 5});
    let m4 = update(&m2, &v2, &v3, DEPLOY, &w("x"), &status(), LATER).expect("status");
    assert_eq!(m4, m2);
}

#[test]
fn status_writers_get_their_own_entry() {
    let v1 = deployment(1, "nginx");
    let mut v2 = v1.clone();
    v2["status"] = json!({"replicas": 1, "conditions": [{"type": "Available", "status": "True"}]});
    let writer = Writer {
        manager: "kube-controller-manager",
        subresource: "status",
        api_version: "apps/v1",
    };
    let m = update(
        &ManagedFields::new(),
        &v1,
        &v2,
        DEPLOY,
        &writer,
        &top_level_fields(&["spec"]),
        NOW,
    )
    .expect("status");
    let wire = m.encode().expect("entry");
    assert_eq!(wire[0]["subresource"], "status");
    assert_eq!(
        wire[0]["fieldsV1"],
        json!({"f:status": {"f:conditions": {".": {}, "k:{\"type\":\"Available\"}": {
            ".": {}, "f:status": {}, "f:type": {}}}, "f:replicas": {}}})
    );
}

#[test]
fn apply_creates_owns_exactly_its_config_and_reapplying_is_a_no_op() {
    let config = deployment(2, "nginx");
    let a = apply(
        &ManagedFields::new(),
        &json!({}),
        &config,
        DEPLOY,
        &w("kubectl"),
        false,
        &status(),
        NOW,
    )
    .expect("apply");
    assert_eq!(a.object, config);
    let e = entry(&a.managed, "kubectl", Operation::Apply);
    assert_eq!(e.time.as_deref(), Some(NOW));
    assert_eq!(
        e.fields.to_fields_v1(),
        json!({
            "f:metadata": {"f:labels": {"f:app": {}}},
            "f:spec": {
                "f:replicas": {}, "f:selector": {},
                "f:template": {
                    "f:metadata": {"f:labels": {"f:app": {}}},
                    "f:spec": {"f:containers": {"k:{\"name\":\"web\"}": {
                        ".": {}, "f:image": {}, "f:name": {}}}}
                }
            }
        })
    );
    assert_eq!(
        e.to_json()["apiVersion"],
        "apps/v1",
        "Apply entries carry the version"
    );
    let again = apply(
        &a.managed,
        &a.object,
        &config,
        DEPLOY,
        &w("kubectl"),
        false,
        &status(),
        LATER,
    )
    .expect("again");
    assert_eq!(again.object, a.object);
    // Only the time moved; a store keeps the old one (the write is no write).
    let mut again_entry = entry(&again.managed, "kubectl", Operation::Apply).clone();
    assert_eq!(again_entry.time.as_deref(), Some(LATER));
    again_entry.time = e.time.clone();
    assert_eq!(&again_entry, e);
    let with = |o: &Value, m: &ManagedFields| {
        let mut o = o.clone();
        o["metadata"]["managedFields"] = m.encode().unwrap_or(Value::Null);
        o
    };
    assert!(timestamps_only_changed(
        &with(&a.object, &a.managed),
        &with(&again.object, &again.managed)
    ));
    let mut changed = with(&again.object, &again.managed);
    changed["spec"]["replicas"] = json!(9);
    assert!(!timestamps_only_changed(
        &with(&a.object, &a.managed),
        &changed
    ));
}

#[test]
fn a_second_applier_conflicts_then_forces() {
    let config = deployment(2, "nginx");
    let a = apply(
        &ManagedFields::new(),
        &json!({}),
        &config,
        DEPLOY,
        &w("kubectl"),
        false,
        &status(),
        NOW,
    )
    .expect("apply");
    let other = json!({"apiVersion": "apps/v1", "kind": "Deployment",
                       "metadata": {"name": "web"}, "spec": {"replicas": 3}});
    let err = apply(
        &a.managed,
        &a.object,
        &other,
        DEPLOY,
        &w("other"),
        false,
        &status(),
        LATER,
    )
    .expect_err("conflict");
    let ApplyError::Conflicts(c) = err else {
        panic!("{err:?}")
    };
    assert_eq!(
        c.message(),
        "Apply failed with 1 conflict: conflict with \"kubectl\": .spec.replicas"
    );
    assert_eq!(c.0[0].field(), ".spec.replicas");
    // The same value is no conflict: both own it.
    let same = json!({"apiVersion": "apps/v1", "kind": "Deployment",
                      "metadata": {"name": "web"}, "spec": {"replicas": 2}});
    let shared = apply(
        &a.managed,
        &a.object,
        &same,
        DEPLOY,
        &w("other"),
        false,
        &status(),
        LATER,
    )
    .expect("co-own");
    let replicas = [
        PathElement::Field("spec".into()),
        PathElement::Field("replicas".into()),
    ];
    assert!(
        entry(&shared.managed, "kubectl", Operation::Apply)
            .fields
            .has(&replicas)
    );
    assert!(
        entry(&shared.managed, "other", Operation::Apply)
            .fields
            .has(&replicas)
    );
    // Forced: the field moves to the new applier.
    let forced = apply(
        &a.managed,
        &a.object,
        &other,
        DEPLOY,
        &w("other"),
        true,
        &status(),
        LATER,
    )
    .expect("forced");
    assert_eq!(forced.object["spec"]["replicas"], 3);
    assert!(
        !entry(&forced.managed, "kubectl", Operation::Apply)
            .fields
            .has(&replicas)
    );
    assert!(
        entry(&forced.managed, "other", Operation::Apply)
            .fields
            .has(&replicas)
    );
}

#[test]
fn update_managers_are_named_with_their_version_in_conflicts() {
    let v1 = deployment(2, "nginx");
    let m = update(
        &ManagedFields::new(),
        &empty_object(DEPLOY),
        &v1,
        DEPLOY,
        &w("kubectl-create"),
        &status(),
        NOW,
    )
    .expect("create");
    let mut config = deployment(4, "nginx:2");
    config["metadata"]["labels"] = json!({"app": "web"});
    let err =
        apply(&m, &v1, &config, DEPLOY, &w("ssa"), false, &status(), LATER).expect_err("conflicts");
    assert_eq!(
        err.to_string(),
        "Apply failed with 2 conflicts: conflicts with \"kubectl-create\" using apps/v1:\n- .spec.replicas\n- .spec.template.spec.containers[name=\"web\"].image"
    );
}

#[test]
fn fields_no_longer_applied_are_removed_unless_someone_else_owns_them() {
    let mut config = deployment(2, "nginx");
    config["metadata"]["labels"] = json!({"app": "web", "tier": "front"});
    config["spec"]["template"]["spec"]["containers"] = json!([
        {"name": "web", "image": "nginx", "ports": [{"containerPort": 80}]},
        {"name": "side", "image": "busybox"}
    ]);
    let a = apply(
        &ManagedFields::new(),
        &json!({}),
        &config,
        DEPLOY,
        &w("kubectl"),
        false,
        &status(),
        NOW,
    )
    .expect("apply");
    // Someone else co-owns the `tier` label.
    let label = json!({"apiVersion": "apps/v1", "kind": "Deployment",
                       "metadata": {"name": "web", "labels": {"tier": "front"}}});
    let b = apply(
        &a.managed,
        &a.object,
        &label,
        DEPLOY,
        &w("labeler"),
        false,
        &status(),
        NOW,
    )
    .expect("labeler");
    // The second apply drops the tier label, the sidecar and the port.
    let v2 = deployment(2, "nginx");
    let c = apply(
        &b.managed,
        &b.object,
        &v2,
        DEPLOY,
        &w("kubectl"),
        false,
        &status(),
        LATER,
    )
    .expect("apply 2");
    assert_eq!(
        c.object["metadata"]["labels"],
        json!({"app": "web", "tier": "front"})
    );
    assert_eq!(
        c.object["spec"]["template"]["spec"]["containers"],
        json!([{"name": "web", "image": "nginx"}])
    );
}

#[test]
fn associative_lists_merge_by_key_and_keep_live_items() {
    let live = json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
    "spec": {"template": {"spec": {"containers": [
        {"name": "a", "image": "a:1", "ports": [{"containerPort": 80, "protocol": "TCP"}]},
        {"name": "b", "image": "b:1"}
    ]}}}});
    let config = json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
    "spec": {"template": {"spec": {"containers": [
        {"name": "c", "image": "c:1"},
        {"name": "a", "image": "a:2", "ports": [{"containerPort": 80}]}
    ]}}}});
    let a = apply(
        &ManagedFields::new(),
        &live,
        &config,
        DEPLOY,
        &w("x"),
        false,
        &status(),
        NOW,
    )
    .expect("apply");
    let names: Vec<&str> = a.object["spec"]["template"]["spec"]["containers"]
        .as_array()
        .expect("list")
        .iter()
        .map(|c| c["name"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(names, ["c", "a", "b"]);
    let a0 = &a.object["spec"]["template"]["spec"]["containers"][1];
    assert_eq!(a0["image"], "a:2");
    // The port without protocol is the TCP port (the key's default).
    assert_eq!(
        a0["ports"],
        json!([{"containerPort": 80, "protocol": "TCP"}])
    );
    let e = entry(&a.managed, "x", Operation::Apply);
    assert!(
        e.fields
            .to_fields_v1()
            .to_string()
            .contains(r#""k:{\"containerPort\":80,\"protocol\":\"TCP\"}""#)
    );
}

#[test]
fn invalid_configs_are_refused_with_upstreams_words() {
    let dup = json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
        "spec": {"template": {"spec": {"containers": [{"name": "a"}, {"name": "a"}]}}}});
    assert_eq!(
        validate_config(&dup, DEPLOY),
        Err(".spec.template.spec.containers: duplicate entries for key [name=\"a\"]".into())
    );
    let keyless = json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
        "spec": {"template": {"spec": {"containers": [{"image": "x"}]}}}});
    assert_eq!(
        validate_config(&keyless, DEPLOY),
        Err(".spec.template.spec.containers: element 0: associative list with keys has an element that omits all key fields [\"name\"] (and doesn't have default values for any key fields)".into())
    );
}

#[test]
fn kubectl_forces_conflicts_its_last_applied_annotation_explains() {
    // `kubectl apply` (client-side) created the object: kubectl-client-side-apply owns it.
    let mut created = deployment(2, "nginx");
    created["metadata"]["annotations"] = json!({LAST_APPLIED_ANNOTATION:
        format!("{}\n", go_json(&deployment(2, "nginx")))});
    let m = update(
        &ManagedFields::new(),
        &empty_object(DEPLOY),
        &created,
        DEPLOY,
        &w("kubectl-client-side-apply"),
        &status(),
        NOW,
    )
    .expect("create");
    // Server-side apply by `kubectl` changing replicas: allowed without force.
    let config = deployment(3, "nginx");
    let a = apply(
        &m,
        &created,
        &config,
        DEPLOY,
        &w("kubectl"),
        false,
        &status(),
        LATER,
    )
    .expect("forced by last-applied");
    assert_eq!(a.object["spec"]["replicas"], 3);
    // And the annotation now records the applied configuration.
    let text = a.object["metadata"]["annotations"][LAST_APPLIED_ANNOTATION]
        .as_str()
        .expect("annotation");
    assert_eq!(text, format!("{}\n", go_json(&config)));
    // Another manager gets the conflict.
    let err = apply(
        &m,
        &created,
        &config,
        DEPLOY,
        &w("other"),
        false,
        &status(),
        LATER,
    )
    .expect_err("conflict");
    assert!(matches!(err, ApplyError::Conflicts(_)), "{err:?}");
}

#[test]
fn entries_sort_apply_first_then_by_time_and_decode_errors_are_upstreams() {
    let wire = json!([
        {"manager": "b", "operation": "Update", "apiVersion": "v1", "time": LATER,
         "fieldsType": "FieldsV1", "fieldsV1": {"f:data": {"f:x": {}}}},
        {"manager": "a", "operation": "Update", "apiVersion": "v1", "time": NOW,
         "fieldsType": "FieldsV1", "fieldsV1": {"f:data": {"f:y": {}}}},
        {"manager": "z", "operation": "Apply", "apiVersion": "v1", "time": LATER,
         "fieldsType": "FieldsV1", "fieldsV1": {"f:data": {"f:z": {}}}, "subresource": "status"}
    ]);
    let m = ManagedFields::decode(Some(&wire)).expect("valid");
    let order: Vec<&str> = m.entries().iter().map(|e| e.manager.as_str()).collect();
    assert_eq!(order, ["z", "a", "b"]);
    let back = m.encode().expect("entries");
    assert_eq!(back[0]["subresource"], "status");
    assert_eq!(back[1], wire[1]);
    let bad = |e: Value| {
        ManagedFields::decode(Some(&json!([e])))
            .expect_err("invalid")
            .to_string()
    };
    assert_eq!(
        bad(json!({"operation": "Patch", "apiVersion": "v1", "fieldsType": "FieldsV1"})),
        "operation must be `Apply` or `Update`"
    );
    assert_eq!(
        bad(json!({"operation": "Update", "fieldsType": "FieldsV1"})),
        "apiVersion must not be empty"
    );
    assert_eq!(
        bad(json!({"operation": "Update", "apiVersion": "v1"})),
        "missing fieldsType in managed fields entry 0"
    );
    assert!(is_reset(Some(&json!([]))));
    assert!(is_reset(Some(&json!([{}]))));
    assert!(!is_reset(None));
    assert!(!is_reset(Some(&wire)));
}

#[test]
fn more_than_ten_update_managers_merge_the_oldest_into_ancient_changes() {
    let mut m = ManagedFields::new();
    for i in 0..12 {
        m.insert(ManagedFieldsEntry {
            manager: format!("m{i:02}"),
            operation: Operation::Update,
            api_version: "v1".into(),
            time: Some(format!("2026-01-01T00:00:{i:02}Z")),
            subresource: String::new(),
            fields: FieldSet::from_paths([&[PathElement::Field(format!("f{i}"))][..]]),
        });
    }
    m.cap_updates(MAX_UPDATE_MANAGERS);
    let names: Vec<String> = m.entries().iter().map(|e| e.manager.clone()).collect();
    assert_eq!(names.len(), 10);
    assert!(names.contains(&"ancient-changes".to_string()), "{names:?}");
    let ancient = entry(&m, "ancient-changes", Operation::Update);
    assert_eq!(ancient.fields.len(), 3);
}

#[test]
fn the_empty_object_has_the_value_typed_structs_of_the_kind() {
    assert_eq!(
        empty_object(DEPLOY),
        json!({"metadata": {}, "spec": {"strategy": {}, "template": {"metadata": {}, "spec": {"containers": null}}}, "status": {}})
    );
    assert_eq!(
        empty_object("io.k8s.api.core.v1.ConfigMap"),
        json!({"metadata": {}})
    );
}
