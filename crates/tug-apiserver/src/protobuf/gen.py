#!/usr/bin/env python3
"""Generates `generated.rs`: k8s-pb (prost) message -> upstream JSON, one `ToJson` impl per
message reachable from the kinds in ROOTS.

Why generated: prost types carry the protobuf tags but neither the JSON names nor Go's
pointer/omitempty facts, and upstream's JSON for a protobuf-decoded object is whatever Go's
encoding/json makes of the Go struct the generated gogo code filled. Those facts live only in
the Go struct tags of k8s.io/api and k8s.io/apimachinery (`json:"name,omitempty"`,
`protobuf:"bytes,1,opt,name=..."`, a leading `*`). This script joins each k8s-pb message
field with its Go field by protobuf tag number and fails on anything it does not understand
(a field only one side has, a shape mismatch), so a k8s-pb or Kubernetes upgrade cannot
silently drop a field. The generated impls destructure every message without `..`, so a
k8s-pb upgrade that adds a field does not compile until this script is re-run.

Usage (the Go trees at the tag matching k8s-pb's Kubernetes minor, 1.33 for k8s-pb 0.8):

    git -C kubernetes/api archive v0.33.13 | tar x -C /tmp/api
    git -C kubernetes/apimachinery archive v0.33.13 | tar x -C /tmp/apimachinery
    python3 gen.py ~/.cargo/registry/src/*/k8s-pb-0.8.0 /tmp/api /tmp/apimachinery \
        > generated.rs && rustfmt --edition 2024 generated.rs
"""

import os
import re
import sys

# (apiVersion, kind, k8s-pb module path): every kind and subresource body kind tug serves
# (a unit test in protobuf.rs checks against tug_api::resources), plus the kinds kubectl's
# `create` generators send (kubectl 1.32+ sends them as protobuf).
ROOTS = [
    ("v1", "Namespace", "api::core::v1"),
    ("v1", "ConfigMap", "api::core::v1"),
    ("v1", "Secret", "api::core::v1"),
    ("v1", "Service", "api::core::v1"),
    ("v1", "ServiceAccount", "api::core::v1"),
    ("v1", "ResourceQuota", "api::core::v1"),
    ("v1", "Pod", "api::core::v1"),
    ("v1", "Node", "api::core::v1"),
    ("v1", "Endpoints", "api::core::v1"),
    ("v1", "Event", "api::core::v1"),
    ("v1", "Binding", "api::core::v1"),
    ("v1", "ReplicationController", "api::core::v1"),
    ("v1", "LimitRange", "api::core::v1"),
    ("v1", "PersistentVolumeClaim", "api::core::v1"),
    ("v1", "PersistentVolume", "api::core::v1"),
    ("v1", "PodTemplate", "api::core::v1"),
    ("apps/v1", "Deployment", "api::apps::v1"),
    ("apps/v1", "ReplicaSet", "api::apps::v1"),
    ("apps/v1", "StatefulSet", "api::apps::v1"),
    ("apps/v1", "DaemonSet", "api::apps::v1"),
    ("apps/v1", "ControllerRevision", "api::apps::v1"),
    ("autoscaling/v1", "HorizontalPodAutoscaler", "api::autoscaling::v1"),
    ("autoscaling/v2", "HorizontalPodAutoscaler", "api::autoscaling::v2"),
    ("batch/v1", "Job", "api::batch::v1"),
    ("batch/v1", "CronJob", "api::batch::v1"),
    ("rbac.authorization.k8s.io/v1", "Role", "api::rbac::v1"),
    ("rbac.authorization.k8s.io/v1", "RoleBinding", "api::rbac::v1"),
    ("rbac.authorization.k8s.io/v1", "ClusterRole", "api::rbac::v1"),
    ("rbac.authorization.k8s.io/v1", "ClusterRoleBinding", "api::rbac::v1"),
    ("policy/v1", "PodDisruptionBudget", "api::policy::v1"),
    ("policy/v1", "Eviction", "api::policy::v1"),
    ("scheduling.k8s.io/v1", "PriorityClass", "api::scheduling::v1"),
    ("networking.k8s.io/v1", "Ingress", "api::networking::v1"),
    ("coordination.k8s.io/v1", "Lease", "api::coordination::v1"),
    ("events.k8s.io/v1", "Event", "api::events::v1"),
    ("discovery.k8s.io/v1", "EndpointSlice", "api::discovery::v1"),
    ("networking.k8s.io/v1", "IngressClass", "api::networking::v1"),
    ("networking.k8s.io/v1", "NetworkPolicy", "api::networking::v1"),
    ("storage.k8s.io/v1", "StorageClass", "api::storage::v1"),
    ("autoscaling/v1", "Scale", "api::autoscaling::v1"),
]

# Messages with a hand-written Go protobuf and JSON form; `protobuf.rs` implements them.
WELL_KNOWN = {
    "apimachinery::pkg::apis::meta::v1::Time",
    "apimachinery::pkg::apis::meta::v1::MicroTime",
    "apimachinery::pkg::apis::meta::v1::FieldsV1",
    "apimachinery::pkg::api::resource::Quantity",
    "apimachinery::pkg::util::intstr::IntOrString",
    "apimachinery::pkg::runtime::RawExtension",
}

# Go's float64 JSON form (and its NaN error) is not implemented in `protobuf.rs` yet, nor is
# metav1.Duration (Go's time.Duration.String); no kind in ROOTS reaches either.
SCALARS = {"string", "int32", "int64", "bool", "bytes"}
NOT_IMPLEMENTED = {"apimachinery::pkg::apis::meta::v1::Duration"}


def die(msg):
    sys.stderr.write("gen.py: " + msg + "\n")
    sys.exit(1)


# ---------------------------------------------------------------- k8s-pb (Rust) parsing

STD_WRAPPERS = [
    "::core::option::Option<",
    "::prost::alloc::vec::Vec<",
    "::prost::alloc::boxed::Box<",
    "::prost::alloc::collections::BTreeMap<::prost::alloc::string::String,",
]


def rust_type_path(ty, module):
    """The message path a prost field type names, resolved against `module`."""
    t = re.sub(r"\s+", "", ty)
    for w in STD_WRAPPERS:
        t = t.replace(w, "")
    t = t.replace(">", "").rstrip(",")
    parts = module.split("::")
    segs = t.split("::")
    while segs and segs[0] == "super":
        parts.pop()
        segs.pop(0)
    return "::".join(parts + segs)


def parse_pb(root):
    """{message path: [(rust field, proto kind, label, tag, message path|None, map value)]}"""
    msgs = {}
    src = os.path.join(root, "src")
    for dirpath, _, files in os.walk(src):
        for f in files:
            if not f.endswith(".rs"):
                continue
            rel = os.path.relpath(os.path.join(dirpath, f), src)
            rel = rel[: -len(".rs")]
            if rel.endswith("/mod"):
                rel = rel[: -len("/mod")]
            if rel == "lib":
                continue
            module = rel.replace("/", "::")
            text = open(os.path.join(dirpath, f)).read()
            for m in re.finditer(r"pub struct (\w+) \{(.*?)\n\}", text, re.S):
                name, body = m.group(1), m.group(2)
                fields = []
                for fm in re.finditer(
                    r"#\[prost\(([^\]]*)\)\]\s*pub (r#\w+|\w+):\s*([^;]*?),\s*(?=(?:///|#\[prost|$))",
                    body + "\n",
                    re.S,
                ):
                    attr, fname, fty = fm.group(1), fm.group(2), fm.group(3)
                    tag = int(re.search(r'tag = "(\d+)"', attr).group(1))
                    mm = re.match(r'btree_map = "string, (\w+)"', attr)
                    if mm:
                        val = mm.group(1)
                        path = rust_type_path(fty, module) if val == "message" else None
                        fields.append((fname, "map", "map", tag, path, val))
                        continue
                    kind = re.match(r"(\w+)", attr).group(1)
                    label = "repeated" if "repeated" in attr else "optional"
                    if "boxed" in attr:
                        label = "boxed"
                    path = rust_type_path(fty, module) if kind == "message" else None
                    fields.append((fname, kind, label, tag, path, None))
                n_attrs = body.count("#[prost(")
                if n_attrs != len(fields):
                    die(f"{module}::{name}: parsed {len(fields)} of {n_attrs} fields")
                msgs[f"{module}::{name}"] = fields
    return msgs


# ---------------------------------------------------------------- Go parsing


def go_dir(path, api, apimachinery):
    module = path.rsplit("::", 1)[0].split("::")
    if module[0] == "api":
        return os.path.join(api, *module[1:])
    if module[0] == "apimachinery":
        return os.path.join(apimachinery, *module[1:])
    die(f"no Go package for {path}")


GO_CACHE = {}


def parse_go(d):
    """{struct name: [(go name, go type, {tag key: value})]} for a Go package directory."""
    if d in GO_CACHE:
        return GO_CACHE[d]
    structs = {}
    for f in sorted(os.listdir(d)):
        if not f.endswith(".go") or f.endswith("_test.go") or f.startswith("zz_") or f == "generated.pb.go":
            continue
        text = open(os.path.join(d, f)).read()
        text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
        for m in re.finditer(r"^type (\w+) struct \{\n(.*?)^\}", text, re.S | re.M):
            fields = []
            for line in m.group(2).split("\n"):
                line = line.strip()
                if not line or line.startswith("//"):
                    continue
                lm = re.match(r"^([^`]*?)\s*`([^`]*)`", line)
                if not lm:
                    lm2 = re.match(r"^([\w\.\*\[\]]+(?:\s+[\w\.\*\[\]]+)?)\s*(//.*)?$", line)
                    if not lm2:
                        die(f"{d}/{f}: cannot parse field line {line!r}")
                    decl, tags = lm2.group(1), ""
                else:
                    decl, tags = lm.group(1), lm.group(2)
                toks = decl.split()
                if len(toks) == 1:
                    gname, gtype = toks[0].lstrip("*").split(".")[-1], toks[0]
                elif len(toks) == 2:
                    gname, gtype = toks
                else:
                    die(f"{d}/{f}: cannot parse field declaration {decl!r}")
                fields.append((gname, gtype, dict(re.findall(r'(\w+):"([^"]*)"', tags))))
            structs[m.group(1)] = fields
    GO_CACHE[d] = structs
    return structs


# ---------------------------------------------------------------- join and emit


def rust_path(path):
    return "pb::" + path


def plan(msgs, api, apimachinery):
    """Walks the closure of ROOTS; returns [(path, [field plans])] in a stable order."""
    todo = [f"{m}::{k}" for _, k, m in ROOTS]
    seen, out = set(), []
    while todo:
        path = todo.pop(0)
        if path in seen or path in WELL_KNOWN:
            continue
        if path in NOT_IMPLEMENTED:
            die(f"{path} is reachable: implement its ToJson in protobuf.rs first")
        seen.add(path)
        if path not in msgs:
            die(f"k8s-pb has no message {path}")
        name = path.rsplit("::", 1)[1]
        go_structs = parse_go(go_dir(path, api, apimachinery))
        # prost camel-cases Go's initialisms (PodDNSConfig -> PodDnsConfig).
        go_names = [g for g in go_structs if g.lower() == name.lower()]
        if len(go_names) != 1:
            die(f"no single Go struct for {path}: {go_names}")
        by_tag = {}
        for gname, gtype, tags in go_structs[go_names[0]]:
            pbtag = tags.get("protobuf")
            if pbtag is None:
                continue  # TypeMeta / ListMeta-less fields: not on the wire
            num = int(pbtag.split(",")[1])
            by_tag[num] = (gname, gtype, tags)
        fields = []
        pb_tags = set()
        for fname, kind, label, tag, mpath, mval in msgs[path]:
            pb_tags.add(tag)
            if tag not in by_tag:
                die(f"{path}.{fname} (tag {tag}) has no Go field")
            gname, gtype, tags = by_tag[tag]
            js = tags.get("json", "")
            jparts = js.split(",")
            jname = jparts[0]
            opts = set(jparts[1:])
            if "omitzero" in opts:
                die(f"{path}.{fname}: omitzero is not supported")
            if jname == "-":
                fields.append((fname, "skip", None, None, None))
                continue
            pointer = gtype.startswith("*")
            if mpath:
                todo.append(mpath)
            if kind == "map":
                if not (gtype.startswith("map[") or gtype[0].isupper() or "." in gtype):
                    die(f"{path}.{fname}: map vs Go {gtype}")
                if mval not in SCALARS and mval != "message":
                    die(f"{path}.{fname}: map value {mval}")
                if mval == "message":
                    fields.append((fname, "map_msg", jname, None, mpath))
                else:
                    fields.append((fname, "map_scalar", jname, None, mval))
                continue
            if label == "repeated":
                if kind == "bytes":
                    die(f"{path}.{fname}: repeated bytes")
                if kind == "message":
                    fields.append((fname, "list_msg", jname, None, mpath))
                else:
                    if kind not in SCALARS:
                        die(f"{path}.{fname}: repeated {kind}")
                    fields.append((fname, "list_scalar", jname, None, kind))
                continue
            if label == "boxed":
                die(f"{path}.{fname}: boxed messages are not supported")
            if kind == "message":
                rule = "Ptr" if pointer else "Always"
                if gtype.startswith("[]") or gtype.startswith("map["):
                    die(f"{path}.{fname}: message vs Go {gtype}")
                if "inline" in opts or jname == "":
                    fields.append((fname, "inline", None, rule, mpath))
                else:
                    fields.append((fname, "msg", jname, rule, mpath))
                continue
            if kind not in SCALARS:
                die(f"{path}.{fname}: proto type {kind}")
            if kind == "bytes":
                if gtype != "[]byte":
                    die(f"{path}.{fname}: bytes vs Go {gtype}")
                # A nil []byte marshals as null (absent); a decoded one is never nil.
                rule = "OmitEmpty" if "omitempty" in opts else "Ptr"
            elif pointer:
                rule = "Ptr"
            elif gtype.startswith("[]") or gtype.startswith("map["):
                die(f"{path}.{fname}: scalar vs Go {gtype}")
            else:
                rule = "OmitEmpty" if "omitempty" in opts else "Always"
            fields.append((fname, "scalar", jname, rule, kind))
        missing = set(by_tag) - pb_tags
        if missing:
            die(f"{path}: Go fields with tags {sorted(missing)} are not in k8s-pb")
        out.append((path, fields))
    return out


def emit(plans, pb_version):
    w = []
    w.append(
        "//! @generated by `gen.py` from k8s-pb "
        + pb_version
        + " and the Go types of k8s.io/api and k8s.io/apimachinery; do not edit.\n"
    )
    w.append("//! One [`ToJson`] impl per message reachable from [`KINDS`]; see `gen.py` for why.\n\n")
    w.append("use k8s_pb as pb;\nuse serde_json::{Map, Value};\n\n")
    w.append("use super::{Decoder, ProtobufError, Rule, ToJson, decode_message, inline, list_msg, list_scalar, map_msg, map_scalar, msg, scalar};\n\n")
    w.append("/// The kinds the protobuf decoder knows: `(apiVersion, kind, decoder of its raw message)`.\n")
    w.append("pub(super) const KINDS: &[(&str, &str, Decoder)] = &[\n")
    for av, kind, module in ROOTS:
        w.append(f'    ("{av}", "{kind}", decode_message::<{rust_path(module + "::" + kind)}>),\n')
    w.append("];\n\n")
    for path, fields in plans:
        names = ", ".join(f if k != "skip" else f"{f}: _" for f, k, *_ in fields)
        w.append(f"impl ToJson for {rust_path(path)} {{\n")
        w.append("    fn to_json(&self) -> Result<Value, ProtobufError> {\n")
        if fields:
            w.append(f"        let Self {{ {names} }} = self;\n")
            w.append("        let mut o = Map::new();\n")
        else:
            w.append("        let Self {} = self;\n")
            w.append("        let o = Map::new();\n")
        for fname, k, jname, rule, extra in fields:
            if k == "skip":
                continue
            if k == "scalar":
                w.append(f'        scalar(&mut o, "{jname}", {fname}, Rule::{rule});\n')
            elif k == "msg":
                w.append(f'        msg(&mut o, "{jname}", {fname}, Rule::{rule})?;\n')
            elif k == "inline":
                w.append(f"        inline(&mut o, {fname}, Rule::{rule})?;\n")
            elif k == "list_scalar":
                w.append(f'        list_scalar(&mut o, "{jname}", {fname});\n')
            elif k == "list_msg":
                w.append(f'        list_msg(&mut o, "{jname}", {fname})?;\n')
            elif k == "map_scalar":
                w.append(f'        map_scalar(&mut o, "{jname}", {fname});\n')
            elif k == "map_msg":
                w.append(f'        map_msg(&mut o, "{jname}", {fname})?;\n')
        w.append("        Ok(Value::Object(o))\n    }\n}\n\n")
    return "".join(w)


def main():
    if len(sys.argv) != 4:
        die("usage: gen.py K8S_PB_DIR K8S_API_DIR K8S_APIMACHINERY_DIR")
    pb_root, api, apimachinery = sys.argv[1:]
    cargo = open(os.path.join(pb_root, "Cargo.toml")).read()
    version = re.search(r'^version = "([^"]+)"', cargo, re.M).group(1)
    msgs = parse_pb(pb_root)
    plans = plan(msgs, api, apimachinery)
    sys.stdout.write(emit(plans, version))
    sys.stderr.write(f"gen.py: {len(plans)} messages, {sum(len(f) for _, f in plans)} fields\n")


if __name__ == "__main__":
    main()
