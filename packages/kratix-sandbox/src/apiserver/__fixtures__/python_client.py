"""The official Python client (Debian's python3-kubernetes) against the sandbox: paged list with
`limit`, a merge patch of /status, and a watch from the list's resourceVersion that sees it.
Prints one JSON object with what it saw; the Jest test asserts on it.

usage: python_client.py <kubeconfig> <namespace> <group> <version> <plural> <name> <marker>
"""
import json
import sys

from kubernetes import client, config, watch

kubeconfig, namespace, group, version, plural, name, marker = sys.argv[1:8]
config.load_kube_config(config_file=kubeconfig)
api = client.CustomObjectsApi()

first = api.list_namespaced_custom_object(group, version, namespace, plural, limit=1)
second = api.list_namespaced_custom_object(
    group, version, namespace, plural, limit=1, _continue=first["metadata"]["continue"]
)
listed = api.list_namespaced_custom_object(group, version, namespace, plural)
resource_version = listed["metadata"]["resourceVersion"]

patched = api.patch_namespaced_custom_object_status(
    group, version, namespace, plural, name, {"status": {"message": marker}}
)

seen = None
stream = watch.Watch()
for event in stream.stream(
    api.list_namespaced_custom_object,
    group,
    version,
    namespace,
    plural,
    resource_version=resource_version,
    timeout_seconds=60,
):
    obj = event["object"]
    if obj["metadata"]["name"] == name and obj.get("status", {}).get("message") == marker:
        seen = {"type": event["type"], "message": obj["status"]["message"]}
        stream.stop()

print(
    json.dumps(
        {
            "firstPage": [o["metadata"]["name"] for o in first["items"]],
            "hasContinue": bool(first["metadata"].get("continue")),
            "secondPage": [o["metadata"]["name"] for o in second["items"]],
            "total": len(listed["items"]),
            "patchedMessage": patched["status"]["message"],
            "watched": seen,
        }
    )
)
