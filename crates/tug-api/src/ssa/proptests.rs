//! Properties of the field manager over generated deployments:
//!
//! * FieldsV1 encoding and decoding of field sets round-trip;
//! * applying the same configuration twice changes nothing the second time;
//! * after an apply, the applier owns exactly its configuration's fields;
//! * a lone applier's object is its configuration: applying `b` over an object built by
//!   applying `a` gives what applying `b` alone gives (fields only `a` set are pruned).
//!
//! Configurations are drawn from small pools so that two draws share containers, ports,
//! env vars, labels and finalizers and differ in values and order. Keyed lists have
//! distinct keys and sets distinct values, as apply requires.

use proptest::prelude::*;
use proptest::sample::{select, subsequence};
use serde_json::{Map, Value, json};

use super::*;

const DEPLOY: &str = "io.k8s.api.apps.v1.Deployment";
const NOW: &str = "2026-01-01T00:00:00Z";

fn obj(fields: Vec<(&str, Option<Value>)>) -> Value {
    Value::Object(
        fields
            .into_iter()
            .filter_map(|(k, v)| v.map(|v| (k.to_string(), v)))
            .collect(),
    )
}

fn string_map(
    keys: &'static [&'static str],
    values: &'static [&'static str],
) -> BoxedStrategy<Value> {
    proptest::collection::vec(proptest::option::of(select(values)), keys.len())
        .prop_map(move |vs| {
            Value::Object(
                keys.iter()
                    .zip(vs)
                    .filter_map(|(k, v)| v.map(|v| ((*k).to_string(), json!(v))))
                    .collect::<Map<String, Value>>(),
            )
        })
        .boxed()
}

fn ports() -> BoxedStrategy<Value> {
    subsequence(vec![80u16, 443, 8080, 9090], 0..=3)
        .prop_shuffle()
        .prop_flat_map(|ps| {
            let n = ps.len();
            (Just(ps), proptest::collection::vec(any::<bool>(), n))
        })
        .prop_map(|(ps, named)| {
            Value::Array(
                ps.into_iter()
                    .zip(named)
                    .map(|(p, n)| {
                        obj(vec![
                            ("containerPort", Some(json!(p))),
                            ("name", n.then(|| json!(format!("p{p}")))),
                        ])
                    })
                    .collect(),
            )
        })
        .boxed()
}

fn env() -> BoxedStrategy<Value> {
    subsequence(vec!["A", "B", "C"], 0..=3)
        .prop_shuffle()
        .prop_flat_map(|names| {
            let n = names.len();
            (
                Just(names),
                proptest::collection::vec(select(&["1", "2"][..]), n),
            )
        })
        .prop_map(|(names, vals)| {
            Value::Array(
                names
                    .into_iter()
                    .zip(vals)
                    .map(|(k, v)| json!({"name": k, "value": v}))
                    .collect(),
            )
        })
        .boxed()
}

fn container(name: &'static str) -> BoxedStrategy<Value> {
    (
        select(&["nginx:1", "nginx:2"][..]),
        proptest::option::of(ports()),
        proptest::option::of(env()),
        proptest::option::of(proptest::collection::vec(
            select(&["sh", "-c", "x"][..]),
            1..3,
        )),
    )
        .prop_map(move |(image, ports, env, command)| {
            obj(vec![
                ("name", Some(json!(name))),
                ("image", Some(json!(image))),
                (
                    "ports",
                    ports.filter(|p| p.as_array().is_some_and(|a| !a.is_empty())),
                ),
                (
                    "env",
                    env.filter(|e| e.as_array().is_some_and(|a| !a.is_empty())),
                ),
                ("command", command.map(|c| json!(c))),
            ])
        })
        .boxed()
}

fn containers() -> BoxedStrategy<Value> {
    subsequence(vec!["web", "side", "log"], 1..=3)
        .prop_shuffle()
        .prop_flat_map(|names| names.into_iter().map(container).collect::<Vec<_>>())
        .prop_map(Value::Array)
        .boxed()
}

fn config() -> BoxedStrategy<Value> {
    (
        string_map(&["app", "tier", "team"], &["a", "b"]),
        proptest::option::of(0i64..4),
        proptest::option::of(containers()),
        proptest::option::of(subsequence(vec!["x.io/a", "x.io/b"], 1..=2).prop_shuffle()),
        proptest::option::of(select(&["RollingUpdate", "Recreate"][..])),
    )
        .prop_map(|(labels, replicas, containers, finalizers, strategy)| {
            let labels = labels
                .as_object()
                .is_some_and(|m| !m.is_empty())
                .then_some(labels);
            let template = containers.map(|c| json!({"spec": {"containers": c}}));
            let spec = obj(vec![
                ("replicas", replicas.map(|r| json!(r))),
                ("template", template),
                ("strategy", strategy.map(|s| json!({"type": s}))),
            ]);
            let spec = spec
                .as_object()
                .is_some_and(|m| !m.is_empty())
                .then_some(spec);
            obj(vec![
                ("apiVersion", Some(json!("apps/v1"))),
                ("kind", Some(json!("Deployment"))),
                (
                    "metadata",
                    Some(obj(vec![
                        ("name", Some(json!("web"))),
                        ("labels", labels),
                        ("finalizers", finalizers.map(|f| json!(f))),
                    ])),
                ),
                ("spec", spec),
            ])
        })
        .boxed()
}

fn writer() -> Writer<'static> {
    Writer {
        manager: "applier",
        subresource: "",
        api_version: "apps/v1",
    }
}

fn apply_to(managed: &ManagedFields, live: &Value, config: &Value) -> Applied {
    apply(
        managed,
        live,
        config,
        DEPLOY,
        &writer(),
        false,
        &top_level_fields(&["status"]),
        NOW,
    )
    .unwrap_or_else(|e| panic!("apply failed: {e}\nconfig: {config}"))
}

/// `v` without `null`s and without maps and lists left empty by them.
fn without_nulls(v: &Value) -> Option<Value> {
    match v {
        Value::Null => None,
        Value::Object(m) => {
            let out: Map<String, Value> = m
                .iter()
                .filter_map(|(k, x)| without_nulls(x).map(|x| (k.clone(), x)))
                .collect();
            (!out.is_empty()).then_some(Value::Object(out))
        }
        Value::Array(a) => Some(Value::Array(a.iter().filter_map(without_nulls).collect())),
        other => Some(other.clone()),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn field_sets_round_trip_through_fields_v1(config in config()) {
        let set = field_set(&config, DEPLOY).expect("walkable");
        let wire = set.to_fields_v1();
        let back = FieldSet::from_fields_v1(&wire).expect("decodes");
        prop_assert_eq!(&back, &set);
        // Through text too, as stored.
        let text = serde_json::to_string(&wire).expect("serialises");
        let reread: Value = serde_json::from_str(&text).expect("parses");
        prop_assert_eq!(FieldSet::from_fields_v1(&reread).expect("decodes"), set);
    }

    #[test]
    fn applying_the_same_configuration_twice_is_a_no_op(a in config(), b in config()) {
        let first = apply_to(&ManagedFields::new(), &json!({}), &a);
        let second = apply_to(&first.managed, &first.object, &b);
        let third = apply_to(&second.managed, &second.object, &b);
        prop_assert_eq!(&third, &second);
    }

    #[test]
    fn the_applier_owns_exactly_its_configuration(a in config(), b in config()) {
        let first = apply_to(&ManagedFields::new(), &json!({}), &a);
        let second = apply_to(&first.managed, &first.object, &b);
        let mut want = field_set(&b, DEPLOY).expect("walkable");
        for strip in [
            vec![PathElement::Field("apiVersion".into())],
            vec![PathElement::Field("kind".into())],
            vec![PathElement::Field("metadata".into())],
            vec![PathElement::Field("metadata".into()), PathElement::Field("name".into())],
        ] {
            want = want.difference(&FieldSet::from_paths([strip.as_slice()]));
        }
        let got = second
            .managed
            .get("applier", Operation::Apply, "apps/v1", "")
            .map(|e| e.fields.clone())
            .unwrap_or_default();
        prop_assert_eq!(got.describe(), want.describe());
    }

    #[test]
    fn a_lone_applier_gets_its_configuration(a in config(), b in config()) {
        let first = apply_to(&ManagedFields::new(), &json!({}), &a);
        let second = apply_to(&first.managed, &first.object, &b);
        let alone = apply_to(&ManagedFields::new(), &json!({}), &b);
        prop_assert_eq!(without_nulls(&second.object), without_nulls(&alone.object));
        prop_assert_eq!(without_nulls(&alone.object), without_nulls(&b));
    }
}
