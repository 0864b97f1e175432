"""The official Python `kubernetes` client against a running tug server.

Usage: python3 client_compat.py KUBECONFIG
Exits non-zero with the failing check's message; prints one line per check.
"""

import json
import sys
import threading

from kubernetes import client, config, watch
from kubernetes.client.rest import ApiException

NS = "default"


def check(name, cond, detail=""):
    if not cond:
        print(f"FAIL {name}: {detail}", flush=True)
        sys.exit(1)
    print(f"ok   {name}", flush=True)


def expect_status(name, fn, code):
    try:
        fn()
    except ApiException as e:
        check(name, e.status == code, f"status {e.status}, body {e.body}")
        return json.loads(e.body)
    check(name, False, f"no error, expected {code}")


def main(kubeconfig):
    config.load_kube_config(config_file=kubeconfig)
    core = client.CoreV1Api()
    apps = client.AppsV1Api()

    version = client.VersionApi().get_code()
    check("version is 1.33", version.major == "1" and version.minor == "33", version)

    def cm(name, labels):
        return client.V1ConfigMap(
            metadata=client.V1ObjectMeta(name=name, labels=labels), data={"k": "v"}
        )

    created = core.create_namespaced_config_map(NS, cm("py-a", {"app": "py", "n": "1"}))
    check("create", created.metadata.uid and created.metadata.resource_version)
    core.create_namespaced_config_map(NS, cm("py-b", {"app": "other"}))

    listed = core.list_namespaced_config_map(NS, label_selector="app=py")
    check("list with a label selector", [i.metadata.name for i in listed.items] == ["py-a"],
          [i.metadata.name for i in listed.items])
    by_field = core.list_namespaced_config_map(NS, field_selector="metadata.name=py-b")
    check("list with a field selector", [i.metadata.name for i in by_field.items] == ["py-b"])

    # Watch from the list's resourceVersion sees a later create.
    events = []
    rv = listed.metadata.resource_version

    def watcher():
        w = watch.Watch()
        for ev in w.stream(core.list_namespaced_config_map, NS, resource_version=rv,
                           label_selector="app=py", timeout_seconds=10):
            events.append((ev["type"], ev["object"].metadata.name))
            if ev["object"].metadata.name == "py-c":
                w.stop()

    t = threading.Thread(target=watcher)
    t.start()
    import time
    time.sleep(0.5)
    core.create_namespaced_config_map(NS, cm("py-c", {"app": "py"}))
    t.join(15)
    check("watch sees the create", ("ADDED", "py-c") in events, events)

    patched = core.patch_namespaced_config_map("py-a", NS, {"metadata": {"labels": {"n": "2"}}})
    check("patch (strategic merge, the client's default for a dict)",
          patched.metadata.labels == {"app": "py", "n": "2"}, patched.metadata.labels)

    stale = core.read_namespaced_config_map("py-a", NS)
    core.patch_namespaced_config_map("py-a", NS, {"data": {"k": "v2"}})
    stale.data = {"k": "stale"}
    expect_status("replace with a stale resourceVersion is 409",
                  lambda: core.replace_namespaced_config_map("py-a", NS, stale), 409)
    fresh = core.read_namespaced_config_map("py-a", NS)
    fresh.data = {"k": "v3"}
    replaced = core.replace_namespaced_config_map("py-a", NS, fresh)
    check("replace with the current resourceVersion", replaced.data == {"k": "v3"})

    bad = client.V1Pod(metadata=client.V1ObjectMeta(name="py-bad"),
                       spec=client.V1PodSpec(containers=[client.V1Container(name="c")]))
    body = expect_status("an invalid pod is 422",
                         lambda: core.create_namespaced_pod(NS, bad), 422)
    causes = body.get("details", {}).get("causes", [])
    check("422 names the field", any(c.get("field") == "spec.containers[0].image" for c in causes),
          causes)

    dep = client.V1Deployment(
        metadata=client.V1ObjectMeta(name="py-web"),
        spec=client.V1DeploymentSpec(
            replicas=1,
            selector=client.V1LabelSelector(match_labels={"app": "py-web"}),
            template=client.V1PodTemplateSpec(
                metadata=client.V1ObjectMeta(labels={"app": "py-web"}),
                spec=client.V1PodSpec(containers=[client.V1Container(name="web", image="nginx:1.25")]),
            ),
        ),
    )
    apps.create_namespaced_deployment(NS, dep)
    scale = apps.patch_namespaced_deployment_scale("py-web", NS, {"spec": {"replicas": 3}})
    check("scale subresource", scale.spec.replicas == 3)
    d = apps.read_namespaced_deployment("py-web", NS)
    check("deployment defaults", d.spec.strategy.type == "RollingUpdate"
          and d.spec.template.spec.containers[0].termination_message_path == "/dev/termination-log")

    core.delete_namespaced_config_map("py-a", NS)
    expect_status("read after delete is 404",
                  lambda: core.read_namespaced_config_map("py-a", NS), 404)
    print("python client: all checks passed", flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
