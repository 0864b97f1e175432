//! The round-trip property: for documents `a` and `b` of one kind, `apply(a, diff(a, b)) == b`
//! exactly, list order included (every merge list the diff touches carries
//! `$setElementOrder`, so the order is defined by the patch).
//!
//! Documents are drawn from small pools, so that two independent draws share containers,
//! ports, env vars, volumes, labels and finalizers and differ in their fields and order.
//! Pools respect what strategic merge patch itself requires, and nothing more: elements of a
//! merge list have distinct merge keys (upstream cannot address two elements with one key —
//! two container ports 53/TCP and 53/UDP is a known upstream limitation) and `set` lists
//! (finalizers) have distinct values. Documents hold no `null`s (a stored object has none).

use proptest::prelude::*;
use proptest::sample::{select, subsequence};
use serde_json::{Map, Value, json};

use super::{apply, diff};

const POD: &str = "io.k8s.api.core.v1.Pod";
const DEPLOY: &str = "io.k8s.api.apps.v1.Deployment";
const SERVICE: &str = "io.k8s.api.core.v1.Service";

/// An object of the present (`Some`) fields.
fn obj(fields: Vec<(&str, Option<Value>)>) -> Value {
    Value::Object(
        fields
            .into_iter()
            .filter_map(|(k, v)| v.map(|v| (k.to_string(), v)))
            .collect(),
    )
}

/// A string map over `keys`, each key absent or with one of `values`.
fn string_map(
    keys: &'static [&'static str],
    values: &'static [&'static str],
) -> BoxedStrategy<Value> {
    proptest::collection::vec(proptest::option::of(select(values)), keys.len())
        .prop_map(move |vs| {
            let m: Map<String, Value> = keys
                .iter()
                .zip(vs)
                .filter_map(|(k, v)| v.map(|v| ((*k).to_string(), json!(v))))
                .collect();
            Value::Object(m)
        })
        .boxed()
}

/// A list of elements with distinct keys from `pool`, in random order, at most `max` long;
/// `element` builds the element for a key.
fn keyed_list<K, S>(
    pool: &'static [K],
    max: usize,
    element: impl Fn(K) -> S + Clone + 'static,
) -> BoxedStrategy<Vec<Value>>
where
    K: Clone + std::fmt::Debug + 'static,
    S: Strategy<Value = Value> + 'static,
{
    subsequence(pool.to_vec(), 0..=max.min(pool.len()))
        .prop_shuffle()
        .prop_flat_map(move |keys| keys.into_iter().map(element.clone()).collect::<Vec<S>>())
        .boxed()
}

/// Distinct values from `pool` in random order.
fn set_list(pool: &'static [&'static str]) -> BoxedStrategy<Value> {
    subsequence(pool.to_vec(), 0..=pool.len())
        .prop_shuffle()
        .prop_map(|v| json!(v))
        .boxed()
}

fn container_port(port: i64) -> BoxedStrategy<Value> {
    (
        proptest::option::of(select(&["TCP", "UDP"][..])),
        proptest::option::of(select(&["http", "alt", "metrics"][..])),
        proptest::option::of(select(&[8000_i64, 9000][..])),
    )
        .prop_map(move |(protocol, name, host)| {
            obj(vec![
                ("containerPort", Some(json!(port))),
                ("protocol", protocol.map(|p| json!(p))),
                ("name", name.map(|n| json!(n))),
                ("hostPort", host.map(|h| json!(h))),
            ])
        })
        .boxed()
}

fn env_var(name: &'static str) -> BoxedStrategy<Value> {
    prop_oneof![
        select(&["1", "2", "x y"][..]).prop_map(move |v| json!({"name": name, "value": v})),
        select(&["metadata.name", "spec.nodeName"][..]).prop_map(move |p| {
            json!({"name": name, "valueFrom": {"fieldRef": {"fieldPath": p}}})
        }),
        Just(json!({"name": name})),
    ]
    .boxed()
}

fn volume_mount(path: &'static str) -> BoxedStrategy<Value> {
    (
        select(&["data", "cache", "conf"][..]),
        proptest::option::of(any::<bool>()),
    )
        .prop_map(move |(name, ro)| {
            obj(vec![
                ("name", Some(json!(name))),
                ("mountPath", Some(json!(path))),
                ("readOnly", ro.map(Value::Bool)),
            ])
        })
        .boxed()
}

fn container(name: &'static str) -> BoxedStrategy<Value> {
    (
        select(&["nginx:1.25", "nginx:1.26", "busybox:1.36"][..]),
        proptest::option::of(keyed_list(&[80_i64, 443, 8080, 9090], 3, container_port)),
        proptest::option::of(keyed_list(&["A", "B", "C", "D"], 3, env_var)),
        proptest::option::of(keyed_list(
            &["/data", "/cache", "/etc/conf"],
            2,
            volume_mount,
        )),
        proptest::option::of(set_list(&["sh", "-c", "run"])),
        proptest::option::of(string_map(&["cpu", "memory"], &["100m", "1", "64Mi"])),
        proptest::option::of(select(&["Always", "IfNotPresent"][..])),
    )
        .prop_map(move |(image, ports, env, mounts, command, limits, pull)| {
            obj(vec![
                ("name", Some(json!(name))),
                ("image", Some(json!(image))),
                ("ports", ports.map(Value::Array)),
                ("env", env.map(Value::Array)),
                ("volumeMounts", mounts.map(Value::Array)),
                ("command", command),
                ("resources", limits.map(|l| json!({ "limits": l }))),
                ("imagePullPolicy", pull.map(|p| json!(p))),
            ])
        })
        .boxed()
}

fn volume(name: &'static str) -> BoxedStrategy<Value> {
    prop_oneof![
        Just(json!({"name": name, "emptyDir": {}})),
        Just(json!({"name": name, "emptyDir": {"medium": "Memory"}})),
        select(&["cm-a", "cm-b"][..])
            .prop_map(move |c| json!({"name": name, "configMap": {"name": c}})),
        Just(json!({"name": name, "secret": {"secretName": "s"}})),
        select(&["/a", "/b"][..]).prop_map(move |p| json!({"name": name, "hostPath": {"path": p}})),
    ]
    .boxed()
}

fn toleration() -> BoxedStrategy<Value> {
    prop_oneof![
        Just(json!({"key": "dedicated", "operator": "Exists", "effect": "NoSchedule"})),
        Just(
            json!({"key": "node.kubernetes.io/unreachable", "operator": "Exists",
                    "effect": "NoExecute", "tolerationSeconds": 300})
        ),
        Just(json!({"key": "gpu", "operator": "Equal", "value": "true"})),
    ]
    .boxed()
}

fn pod_spec() -> BoxedStrategy<Value> {
    (
        keyed_list(&["web", "sidecar", "log"], 3, container),
        proptest::option::of(keyed_list(&["init", "migrate"], 2, container)),
        proptest::option::of(keyed_list(&["data", "cache", "conf"], 3, volume)),
        proptest::option::of(proptest::collection::vec(toleration(), 0..3)),
        proptest::option::of(string_map(&["disk", "zone"], &["ssd", "a", "b"])),
        proptest::option::of(keyed_list(&["reg1", "reg2"], 2, |n| {
            Just(json!({ "name": n }))
        })),
        proptest::option::of(select(&["Always", "Never"][..])),
        proptest::option::of(keyed_list(&["10.0.0.1", "10.0.0.2"], 2, |ip| {
            set_list(&["a.local", "b.local"]).prop_map(move |h| json!({"ip": ip, "hostnames": h}))
        })),
    )
        .prop_map(
            |(containers, init, volumes, tolerations, node_selector, secrets, restart, aliases)| {
                obj(vec![
                    ("containers", Some(Value::Array(containers))),
                    ("initContainers", init.map(Value::Array)),
                    ("volumes", volumes.map(Value::Array)),
                    ("tolerations", tolerations.map(Value::Array)),
                    ("nodeSelector", node_selector),
                    ("imagePullSecrets", secrets.map(Value::Array)),
                    ("restartPolicy", restart.map(|r| json!(r))),
                    ("hostAliases", aliases.map(Value::Array)),
                ])
            },
        )
        .boxed()
}

fn metadata() -> BoxedStrategy<Value> {
    (
        proptest::option::of(string_map(
            &["app", "tier", "env"],
            &["web", "fe", "prod", "dev"],
        )),
        proptest::option::of(string_map(&["note", "owner"], &["hello", "team-a", ""])),
        proptest::option::of(set_list(&["a.io/x", "b.io/y", "c.io/z"])),
        proptest::option::of(keyed_list(&["u1", "u2", "u3"], 2, |uid| {
            select(&["ReplicaSet", "Job"][..]).prop_map(
                move |k| json!({"apiVersion": "apps/v1", "kind": k, "name": "owner", "uid": uid}),
            )
        })),
    )
        .prop_map(|(labels, annotations, finalizers, owners)| {
            obj(vec![
                ("name", Some(json!("x"))),
                ("namespace", Some(json!("default"))),
                ("labels", labels),
                ("annotations", annotations),
                ("finalizers", finalizers),
                ("ownerReferences", owners.map(Value::Array)),
            ])
        })
        .boxed()
}

fn pod() -> BoxedStrategy<Value> {
    (metadata(), pod_spec())
        .prop_map(|(m, s)| json!({"apiVersion": "v1", "kind": "Pod", "metadata": m, "spec": s}))
        .boxed()
}

fn strategy() -> BoxedStrategy<Value> {
    prop_oneof![
        Just(json!({"type": "Recreate"})),
        Just(json!({"type": "RollingUpdate"})),
        (
            select(vec![json!(1), json!("25%")]),
            select(vec![json!(0), json!("50%")])
        )
            .prop_map(|(surge, unavailable)| json!({"type": "RollingUpdate",
                "rollingUpdate": {"maxSurge": surge, "maxUnavailable": unavailable}})),
    ]
    .boxed()
}

fn deployment() -> BoxedStrategy<Value> {
    (
        metadata(),
        proptest::option::of(0_i64..4),
        string_map(&["app", "tier"], &["web", "fe"]),
        proptest::option::of(strategy()),
        proptest::option::of(string_map(&["app", "tier"], &["web", "fe"])),
        proptest::option::of(string_map(
            &["kubectl.kubernetes.io/restartedAt"],
            &["2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z"],
        )),
        pod_spec(),
    )
        .prop_map(
            |(m, replicas, selector, strategy, labels, annotations, spec)| {
                let template = obj(vec![
                    (
                        "metadata",
                        Some(obj(vec![("labels", labels), ("annotations", annotations)])),
                    ),
                    ("spec", Some(spec)),
                ]);
                let spec = obj(vec![
                    ("replicas", replicas.map(|r| json!(r))),
                    ("selector", Some(json!({ "matchLabels": selector }))),
                    ("strategy", strategy),
                    ("template", Some(template)),
                ]);
                json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": m, "spec": spec})
            },
        )
        .boxed()
}

fn service_port(port: i64) -> BoxedStrategy<Value> {
    (
        proptest::option::of(select(vec![json!(8080), json!("http"), json!(9090)])),
        proptest::option::of(select(&["http", "https", "metrics"][..])),
        proptest::option::of(select(&["TCP", "UDP"][..])),
        proptest::option::of(30000_i64..30003),
    )
        .prop_map(move |(target, name, protocol, node_port)| {
            obj(vec![
                ("port", Some(json!(port))),
                ("targetPort", target),
                ("name", name.map(|n| json!(n))),
                ("protocol", protocol.map(|p| json!(p))),
                ("nodePort", node_port.map(|n| json!(n))),
            ])
        })
        .boxed()
}

fn service() -> BoxedStrategy<Value> {
    (
        metadata(),
        proptest::option::of(string_map(&["app", "tier"], &["web", "fe"])),
        proptest::option::of(keyed_list(&[80_i64, 443, 8080], 3, service_port)),
        proptest::option::of(select(&["ClusterIP", "NodePort"][..])),
        proptest::option::of(select(&["10.96.0.10", "None"][..])),
        proptest::option::of(set_list(&["10.96.0.10", "fd00::10"])),
    )
        .prop_map(|(m, selector, ports, ty, ip, ips)| {
            let spec = obj(vec![
                ("selector", selector),
                ("ports", ports.map(Value::Array)),
                ("type", ty.map(|t| json!(t))),
                ("clusterIP", ip.map(|i| json!(i))),
                ("clusterIPs", ips),
            ]);
            json!({"apiVersion": "v1", "kind": "Service", "metadata": m, "spec": spec})
        })
        .boxed()
}

fn round_trip(a: &Value, b: &Value, schema: &str) -> Result<(), TestCaseError> {
    let patch = diff(a, b, schema).map_err(|e| TestCaseError::fail(format!("diff: {e}")))?;
    let got =
        apply(a, &patch, schema).map_err(|e| TestCaseError::fail(format!("apply {patch}: {e}")))?;
    prop_assert_eq!(&got, b, "patch: {}", patch);
    let none = diff(b, b, schema).map_err(|e| TestCaseError::fail(format!("diff: {e}")))?;
    prop_assert_eq!(none, json!({}));
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn applying_the_diff_of_two_pods_yields_the_second(a in pod(), b in pod()) {
        round_trip(&a, &b, POD)?;
    }

    #[test]
    fn applying_the_diff_of_two_deployments_yields_the_second(a in deployment(), b in deployment()) {
        round_trip(&a, &b, DEPLOY)?;
    }

    #[test]
    fn applying_the_diff_of_two_services_yields_the_second(a in service(), b in service()) {
        round_trip(&a, &b, SERVICE)?;
    }
}
